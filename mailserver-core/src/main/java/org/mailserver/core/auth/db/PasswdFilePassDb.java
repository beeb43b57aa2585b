package org.mailserver.core.auth.db;

import java.util.Optional;

/** {@code passdb = passwd-file:PATH}: the password and passdb extra fields of a passwd-file line. */
public final class PasswdFilePassDb implements PassDb {
    private final PasswdFileSource source;

    public PasswdFilePassDb(PasswdFileSource source) {
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
    public Optional<PassDbEntry> lookup(String user) throws AuthBackendException {
        PasswdFile.Entry e = source.find(user);
        return e == null ? Optional.empty() : Optional.of(new PassDbEntry(e.user(), e.password(), e.passdbFields()));
    }
}
