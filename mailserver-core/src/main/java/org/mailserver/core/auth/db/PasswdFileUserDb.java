package org.mailserver.core.auth.db;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mailserver.core.auth.UserInfo;

/**
 * {@code userdb = passwd-file:PATH}: uid, gid and home from the passwd-file columns, overridden by
 * {@code userdb_uid}, {@code userdb_gid}, {@code userdb_home} extra fields; {@code userdb_mail} becomes the
 * mail location; every other {@code userdb_*} field ({@code quota_rule}, ...) is passed on without prefix.
 */
public final class PasswdFileUserDb implements UserDb {
    private final PasswdFileSource source;

    public PasswdFileUserDb(PasswdFileSource source) {
        this.source = source;
    }

    @Override
    public String driver() {
        return "passwd-file";
    }

    public PasswdFileSource source() {
        return source;
    }

    @Override
    public Optional<UserInfo> lookup(String user) throws AuthBackendException {
        PasswdFile.Entry e = source.find(user);
        if (e == null) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>(e.userdbFields());
        String uid = or(fields.remove("uid"), e.uid());
        String gid = or(fields.remove("gid"), e.gid());
        String home = or(fields.remove("home"), e.home());
        String mail = fields.remove("mail");
        String canonical = UserVariables.normalizeDomain(e.user());
        return Optional.of(new UserInfo(canonical, uid, gid, home.isEmpty() ? null : expand(home, canonical),
            mail == null ? null : expand(mail, canonical), Map.copyOf(fields)));
    }

    /** Expands %u %n %d; a value with an unknown %-sequence is taken literally rather than failing the lookup. */
    private static String expand(String value, String user) {
        try {
            return UserVariables.expand(value, user);
        } catch (IllegalArgumentException literal) {
            return value;
        }
    }

    private static String or(String override, String column) {
        return override != null ? override : column;
    }
}
