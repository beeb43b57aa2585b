package org.mailserver.smtp.session;

import org.mailserver.smtp.codec.SmtpReply;

/**
 * The client's fault or a refusal, carrying the reply to send (bad syntax 500/501, sequence 503,
 * policy 4xx/5xx). Our own bugs are any other exception: the session answers 451 4.3.0 and logs them.
 */
public class SmtpException extends Exception {
    private final SmtpReply reply;

    public SmtpException(SmtpReply reply) {
        super(reply.summary(), null, false, false);
        this.reply = reply;
    }

    public SmtpException(int code, String enhanced, String text) {
        this(SmtpReply.of(code, enhanced, text));
    }

    public SmtpReply reply() {
        return reply;
    }

    public static SmtpException syntax(String text) {
        return new SmtpException(501, "5.5.4", "Syntax: " + text);
    }
}
