package org.mailserver.core.tls;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.BOOLEAN;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.LIST;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.PATH;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.STRING;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** The server-side TLS parameters, shared by SMTP, submission, LMTP and IMAP listeners. */
public final class TlsParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("smtpd_tls_cert_file", PATH, "", "postfix: smtpd_tls_cert_file",
                "PEM file with the server certificate followed by its intermediates (e.g. Let's Encrypt's "
                    + "fullchain.pem). Used by every listener, IMAP included. With neither this nor "
                    + "smtpd_tls_chain_files set, a self-signed certificate for $myhostname is generated into "
                    + "$data_directory/tls on first start."),
            of("smtpd_tls_key_file", PATH, "$smtpd_tls_cert_file", "postfix: smtpd_tls_key_file",
                "PEM file with the private key for smtpd_tls_cert_file: RSA or EC, PKCS#1/SEC1 or PKCS#8, "
                    + "unencrypted. Keep it mode 0600."),
            of("smtpd_tls_chain_files", LIST, "", "postfix: smtpd_tls_chain_files",
                "Additional certificates for other domains, chosen by SNI: a list of PEM files read as one "
                    + "stream in which each private key is followed by its certificate chain, e.g. "
                    + "\"/etc/letsencrypt/live/a.example/privkey.pem /etc/letsencrypt/live/a.example/fullchain.pem\". "
                    + "Each certificate serves the DNS names in its subjectAltName (wildcards allowed). When "
                    + "smtpd_tls_cert_file is empty, the first certificate here is the default."),
            of("smtpd_tls_wrappermode", BOOLEAN, "no", "postfix: smtpd_tls_wrappermode",
                "Implicit TLS from the first byte on an SMTP listener (submissions, port 465, RFC 8314); set it with -o in "
                    + "master.cf. The listener framework adds the TLS handler; an SMTP listener in wrapper mode takes the "
                    + "submissions role unless smtpd_role says otherwise."),
            of("imap_tls_wrappermode", BOOLEAN, "no", "dovecot: inet_listener imaps { ssl = yes }",
                "Implicit TLS from the first byte on an IMAP listener (imaps, port 993, RFC 8314). "
                    + "Set it with -o in master.cf."),
            of(TlsLibrary.PARAMETER, STRING, "auto", "none (Postfix and Dovecot always use OpenSSL)",
                "Which TLS implementation serves the SMTP, submission, LMTP and IMAP listeners: auto (OpenSSL, i.e. "
                    + "BoringSSL from the bundled netty-tcnative native library, when it loads on this platform, "
                    + "else the JDK), openssl (refuse to start when it does not load) or jdk (the JDK's SSLEngine). "
                    + "Both get the same TLS versions, ciphers and certificates; OpenSSL spends several times less "
                    + "CPU per handshake. The start log says which one serves. Outbound SMTP uses the JDK either way."),
            of("ssl_cert", STRING, "", "dovecot: ssl_cert",
                "Alias accepted for Dovecot habits: a certificate file, with or without Dovecot's leading "
                    + "'<'. Used only when smtpd_tls_cert_file is empty."),
            of("ssl_key", STRING, "", "dovecot: ssl_key",
                "Alias accepted for Dovecot habits: the private key file for ssl_cert, with or without a "
                    + "leading '<'. Used only when smtpd_tls_key_file is empty.")
        );
    }
}
