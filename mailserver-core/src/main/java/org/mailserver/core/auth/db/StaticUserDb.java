package org.mailserver.core.auth.db;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mailserver.core.auth.UserInfo;

/**
 * {@code userdb = static:uid=vmail gid=vmail home=/var/vmail/%d/%n}: the same fields for every user, with
 * {@code %u %n %d} expanded. As in Dovecot, a user exists only if the passdb knows it, unless
 * {@code allow_all_users=yes} is given (then every name is a user: only sensible behind a recipient check).
 */
public final class StaticUserDb implements UserDb {
    private final Map<String, String> template;
    private final PassDb passDb;
    private final boolean allowAllUsers;

    /** Parses {@code args}: space-separated {@code name=value} pairs. */
    public StaticUserDb(String args, PassDb passDb) {
        Map<String, String> t = new LinkedHashMap<>();
        for (String pair : args.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("static userdb: expected name=value, got \"" + pair + "\"");
            }
            t.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        this.allowAllUsers = "yes".equalsIgnoreCase(t.remove("allow_all_users"));
        for (String v : t.values()) {
            UserVariables.expand(v, "check@example.test"); // fails early on an unknown %variable
        }
        this.template = Map.copyOf(t);
        this.passDb = passDb;
    }

    @Override
    public String driver() {
        return "static";
    }

    @Override
    public Optional<UserInfo> lookup(String user) throws AuthBackendException {
        String canonical = UserVariables.normalizeDomain(user);
        if (!allowAllUsers) {
            Optional<PassDbEntry> entry = passDb == null ? Optional.empty() : passDb.lookup(user);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            canonical = UserVariables.normalizeDomain(entry.get().user());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : template.entrySet()) {
            fields.put(e.getKey(), UserVariables.expand(e.getValue(), canonical));
        }
        String uid = fields.remove("uid");
        String gid = fields.remove("gid");
        String home = fields.remove("home");
        String mail = fields.remove("mail");
        return Optional.of(new UserInfo(canonical, uid, gid, home, mail, Map.copyOf(fields)));
    }
}
