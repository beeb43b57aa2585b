package org.mailserver.core.auth.scheme;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of password schemes, compatible with {@code doveadm pw}: verifies stored passwords
 * ({@code {SCHEME}value}) and generates new ones. Thread-safe and immutable; the verifications can be slow
 * (bcrypt, argon2) and must run on the auth hashing pool, never on an event loop.
 *
 * <p>Leniency: a stored value without a {@code {SCHEME}} prefix that is a self-describing crypt string
 * ({@code $1$}, {@code $5$}, {@code $6$}, {@code $2y$}, {@code $argon2...}) is verified as such whatever
 * {@code default_pass_scheme} says (Dovecot would pass it to crypt(3) only when the default is CRYPT).
 */
public final class PasswordSchemes {

    /** Outcome of one verification. */
    public enum Verdict {
        /** The plaintext is right. */
        MATCH,
        /** The plaintext is wrong (or the stored value malformed for its scheme). */
        MISMATCH,
        /** The stored value names a scheme we do not know. */
        UNKNOWN_SCHEME
    }

    private static final PasswordSchemes STANDARD = new PasswordSchemes(List.of(
        new PlainScheme(),
        new CryptScheme(CryptScheme.Variant.ANY),
        new CryptScheme(CryptScheme.Variant.MD5),
        new CryptScheme(CryptScheme.Variant.SHA256),
        new CryptScheme(CryptScheme.Variant.SHA512),
        new BcryptScheme(),
        new Argon2Scheme(false),
        new Argon2Scheme(true),
        new DigestScheme(List.of("SHA", "SHA1"), "SHA-1", 20, false, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SHA256"), "SHA-256", 32, false, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SHA512"), "SHA-512", 64, false, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("PLAIN-MD5"), "MD5", 16, false, PasswordScheme.Encoding.HEX),
        new DigestScheme(List.of("LDAP-MD5"), "MD5", 16, false, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SSHA"), "SHA-1", 20, true, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SSHA256"), "SHA-256", 32, true, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SSHA512"), "SHA-512", 64, true, PasswordScheme.Encoding.BASE64),
        new DigestScheme(List.of("SMD5"), "MD5", 16, true, PasswordScheme.Encoding.BASE64),
        new CramMd5Scheme(),
        new Pbkdf2Scheme(),
        new ScramScheme("SHA-1"),
        new ScramScheme("SHA-256")));

    private final Map<String, PasswordScheme> byName;

    private PasswordSchemes(List<PasswordScheme> schemes) {
        Map<String, PasswordScheme> map = new LinkedHashMap<>();
        for (PasswordScheme s : schemes) {
            for (String n : s.names()) {
                map.put(n, s);
            }
        }
        byName = Collections.unmodifiableMap(map);
    }

    public static PasswordSchemes standard() {
        return STANDARD;
    }

    /** Scheme names, as {@code doveadm pw -l}. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public boolean knows(String schemeSpec) {
        return byName.containsKey(StoredPassword.withSuffix(schemeSpec, "", true).scheme());
    }

    /** Verifies {@code plaintext} against a stored password; bare values use {@code defaultScheme}. */
    public Verdict verify(String plaintext, String stored, String defaultScheme) {
        StoredPassword sp = StoredPassword.parse(stored, defaultScheme);
        if (!sp.explicit() && looksLikeCrypt(sp.value())) {
            return CryptScheme.verifyCrypt(plaintext, sp.value()) ? Verdict.MATCH : Verdict.MISMATCH;
        }
        PasswordScheme scheme = byName.get(sp.scheme());
        if (scheme == null) {
            return Verdict.UNKNOWN_SCHEME;
        }
        return scheme.verify(plaintext, sp.value(), sp.encoding()) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    /** A new {@code {SCHEME}value}; {@code schemeSpec} may carry a {@code .b64}/{@code .hex} suffix. */
    public String generate(String schemeSpec, String plaintext, HashCosts costs) {
        StoredPassword spec = StoredPassword.withSuffix(schemeSpec, "", true);
        PasswordScheme scheme = byName.get(spec.scheme());
        if (scheme == null) {
            throw new IllegalArgumentException("unknown scheme: " + schemeSpec);
        }
        String prefix = spec.encoding() == PasswordScheme.Encoding.DEFAULT ? spec.scheme()
            : spec.scheme() + (spec.encoding() == PasswordScheme.Encoding.HEX ? ".HEX" : ".B64");
        return "{" + prefix + "}" + scheme.generate(plaintext, costs, spec.encoding());
    }

    /** The plaintext, when the stored password is {@code {PLAIN}} (CRAM-MD5 and SCRAM from any salt need it). */
    public Optional<String> plaintext(String stored, String defaultScheme) {
        StoredPassword sp = StoredPassword.parse(stored, defaultScheme);
        if (!(byName.get(sp.scheme()) instanceof PlainScheme) || (!sp.explicit() && looksLikeCrypt(sp.value()))) {
            return Optional.empty();
        }
        if (sp.encoding() == PasswordScheme.Encoding.DEFAULT) {
            return Optional.of(sp.value());
        }
        byte[] raw = Bytes.decode(sp.value(), sp.encoding(), sp.encoding(), 0);
        return raw == null ? Optional.empty() : Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Stored SCRAM keys for {@code hash} ("SHA-1"/"SHA-256"), when the stored password is of that scheme. */
    public Optional<ScramCredential> scramCredential(String stored, String hash, String defaultScheme) {
        StoredPassword sp = StoredPassword.parse(stored, defaultScheme);
        String want = hash.equals("SHA-1") ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
        if (!sp.scheme().equals(want)) {
            return Optional.empty();
        }
        return Optional.ofNullable(ScramCredential.parse(hash, sp.value()));
    }

    /** The CRAM-MD5 contexts when the stored password is {@code {CRAM-MD5}}; answers a challenge. */
    public Optional<byte[]> cramMd5Response(String stored, String defaultScheme, byte[] challenge) {
        StoredPassword sp = StoredPassword.parse(stored, defaultScheme);
        if (byName.get(sp.scheme()) instanceof CramMd5Scheme) {
            byte[] ctx = Bytes.decode(sp.value(), sp.encoding(), PasswordScheme.Encoding.HEX, 32);
            return ctx == null || ctx.length != 32 ? Optional.empty() : Optional.of(CramMd5Scheme.hmacFromContexts(ctx, challenge));
        }
        return plaintext(stored, defaultScheme)
            .map(p -> CramMd5Scheme.hmacFromContexts(CramMd5Scheme.contexts(Bytes.utf8(p)), challenge));
    }

    private static boolean looksLikeCrypt(String v) {
        return v.startsWith("$1$") || v.startsWith("$5$") || v.startsWith("$6$") || v.startsWith("$2a$")
            || v.startsWith("$2b$") || v.startsWith("$2y$") || v.startsWith("$argon2");
    }
}
