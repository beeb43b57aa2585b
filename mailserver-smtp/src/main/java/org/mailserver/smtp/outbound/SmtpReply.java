package org.mailserver.smtp.outbound;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server reply (RFC 5321 4.2): a three-digit code and one or more text lines, with the RFC 3463
 * enhanced status code when the server sent one (RFC 2034), else one derived from the reply class.
 */
public record SmtpReply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transient4xx() {
        return code >= 400 && code < 500;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** The enhanced code from the first line when its class matches the reply's, else X.0.0. */
    public String enhanced() {
        if (!lines.isEmpty()) {
            Matcher m = ENHANCED.matcher(lines.get(0));
            if (m.find() && m.group(1).charAt(0) - '0' == code / 100) {
                return m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
        }
        return (code / 100) + ".0.0";
    }

    /** The reply as Postfix logs it: code and text lines joined with spaces. */
    public String text() {
        return code + " " + String.join(" ", lines).trim();
    }

    @Override
    public String toString() {
        return text();
    }
}
