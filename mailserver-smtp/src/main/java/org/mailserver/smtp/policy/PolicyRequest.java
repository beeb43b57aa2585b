package org.mailserver.smtp.policy;

/**
 * What the restrictions may look at: an immutable snapshot of the session taken on the event loop and
 * evaluated on the blocking executor. Field names follow the Postfix policy delegation protocol
 * attributes that {@code check_policy_service} sends.
 *
 * @param protocolState   CONNECT, EHLO, HELO, MAIL, RCPT, DATA, BDAT or END-OF-MESSAGE
 * @param protocolName    SMTP, ESMTP or LMTP
 * @param clientAddress   the client IP address as text
 * @param clientName      the verified client host name, or {@code unknown}
 * @param helo            the HELO/EHLO argument, or null before it
 * @param sender          the MAIL FROM address ({@code ""} for the null sender), or null before MAIL
 * @param recipient       the RCPT TO address being checked, or null
 * @param recipientCount  recipients accepted so far
 * @param saslMethod      the SASL mechanism, or null when not authenticated
 * @param saslUser        the SASL login, or null
 * @param tlsProtocol     the TLS version, or null
 * @param tlsCipher       the TLS cipher, or null
 * @param size            the SIZE= declared, or 0
 * @param pipelining      PIPELINING was advertised to this client (EHLO)
 * @param unexpectedInput the client had sent more input while this command was being handled
 * @param instance        an id that is the same for every request of one message (policy protocol)
 * @param service         the master.cf service name
 */
public record PolicyRequest(String protocolState, String protocolName, String clientAddress, String clientName,
                            String helo, String sender, String recipient, int recipientCount, String saslMethod,
                            String saslUser, String tlsProtocol, String tlsCipher, long size, boolean pipelining,
                            boolean unexpectedInput, String instance, String service) {

    public PolicyRequest withRecipient(String rcpt) {
        return new PolicyRequest(protocolState, protocolName, clientAddress, clientName, helo, sender, rcpt,
            recipientCount, saslMethod, saslUser, tlsProtocol, tlsCipher, size, pipelining, unexpectedInput, instance, service);
    }

    public boolean authenticated() {
        return saslUser != null;
    }
}
