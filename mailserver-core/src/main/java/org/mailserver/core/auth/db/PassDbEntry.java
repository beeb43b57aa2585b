package org.mailserver.core.auth.db;

import java.util.Map;

/**
 * One passdb answer: the user name as stored, the stored password ({@code {SCHEME}value}, may be empty
 * with {@code nopassword}) and the passdb extra fields ({@code nopassword}, {@code nologin},
 * {@code allow_nets=...}, {@code reason=...}); flags without a value map to {@code ""}.
 */
public record PassDbEntry(String user, String password, Map<String, String> fields) {

    /** Dovecot's {@code nopassword}: any password is accepted. */
    public boolean noPassword() {
        return fields.containsKey("nopassword") && !"n".equalsIgnoreCase(fields.get("nopassword"))
            && !"no".equalsIgnoreCase(fields.get("nopassword"));
    }

    /** Dovecot's {@code nologin}: the user may not log in (the {@code reason} field says why). */
    public boolean noLogin() {
        return fields.containsKey("nologin");
    }

    /** {@code allow_nets=10.0.0.0/8,::1}: the networks the user may log in from; null when unrestricted. */
    public String allowNets() {
        return fields.get("allow_nets");
    }
}
