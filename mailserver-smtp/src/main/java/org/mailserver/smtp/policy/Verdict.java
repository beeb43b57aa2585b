package org.mailserver.smtp.policy;

import org.mailserver.smtp.codec.SmtpReply;

/**
 * The result of one restriction or a whole restriction list, in Postfix's words: PERMIT (OK, permit_*:
 * the list stops and accepts), REJECT or DEFER (the list stops and the reply is sent), DUNNO (no opinion:
 * the next restriction decides; a list that runs out is a permit).
 */
public record Verdict(Kind kind, SmtpReply reply) {

    public enum Kind { PERMIT, REJECT, DEFER, DUNNO }

    public static final Verdict PERMIT = new Verdict(Kind.PERMIT, null);
    public static final Verdict DUNNO = new Verdict(Kind.DUNNO, null);

    public static Verdict reject(int code, String enhanced, String text) {
        return new Verdict(code >= 500 ? Kind.REJECT : Kind.DEFER, SmtpReply.of(code, enhanced, text));
    }

    public boolean refuses() {
        return kind == Kind.REJECT || kind == Kind.DEFER;
    }
}
