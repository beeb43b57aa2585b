package org.mailserver.core.auth;

import java.util.Map;

/**
 * A userdb record: the canonical user name ({@code user@domain}), uid/gid, home, the mail location
 * override ({@code userdb_mail}, may be null) and every other userdb field ({@code quota_rule}, ...).
 */
public record UserInfo(String user, String uid, String gid, String home, String mail, Map<String, String> fields) {

    public String field(String name) {
        return fields.get(name);
    }

    /** The local part ({@code %n}). */
    public String localPart() {
        int at = user.lastIndexOf('@');
        return at < 0 ? user : user.substring(0, at);
    }

    /** The domain ({@code %d}); empty when the user name has none. */
    public String domain() {
        int at = user.lastIndexOf('@');
        return at < 0 ? "" : user.substring(at + 1);
    }
}
