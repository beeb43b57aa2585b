package org.mailserver.smtp.intake;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Builds the trace header every SMTP/LMTP server must prepend (RFC 5321 4.4), in Postfix's layout, with
 * the RFC 3848 protocol name (ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP...), the TLS version and cipher when
 * smtpd_tls_received_header is on, and the login when smtpd_sasl_authenticated_header is on.
 */
public final class ReceivedHeader {
    /** RFC 5322 3.3 date-time. */
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * @param helo        the HELO/EHLO/LHLO argument
     * @param clientName  verified client name or "unknown"
     * @param clientIp    client address
     * @param tlsSummary  e.g. "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)", or null
     * @param authUser    login to show, or null
     * @param by          our host name
     * @param with        RFC 3848 protocol name
     * @param id          queue id
     * @param forRcpt     the single recipient to name, or null
     */
    public static String build(String helo, String clientName, String clientIp, String tlsSummary, String authUser,
                               String by, String with, String id, String forRcpt, ZonedDateTime when) {
        StringBuilder sb = new StringBuilder("Received: from ");
        sb.append(clean(helo == null ? clientName : helo)).append(" (").append(clean(clientName))
            .append(" [").append(clientIp).append("])\r\n");
        if (tlsSummary != null) {
            sb.append("\t(using ").append(tlsSummary).append(")\r\n");
        }
        if (authUser != null) {
            sb.append("\t(Authenticated sender: ").append(clean(authUser)).append(")\r\n");
        }
        sb.append("\tby ").append(by).append(" (mailserver) with ").append(with).append(" id ").append(id);
        if (forRcpt != null) {
            sb.append("\r\n\tfor <").append(clean(forRcpt)).append(">");
        }
        sb.append("; ").append(DATE.format(when)).append("\r\n");
        return sb.toString();
    }

    /** Client-supplied text must not break the header: no CR, LF or parentheses games. */
    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' ? '?' : c);
        }
        return out.length() > 200 ? out.substring(0, 200) : out.toString();
    }
}
