package org.mailserver.core.auth.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every scheme against fixed vectors: hashes written by Debian's {@code doveadm pw} 2.3.19 for the password
 * {@code "pässwörd 1"} (non-ASCII on purpose: UTF-8 bytes are hashed), plus the reference vectors of
 * Drepper's SHA-crypt specification, OpenWall's bcrypt tests and traditional DES crypt.
 */
@Timeout(30)
class KnownVectorsTest {
    private static final String PASSWORD = "pässwörd 1";
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    @ParameterizedTest
    @ValueSource(strings = {
        "{CRYPT}$2y$05$z11biQJ/v8kzrkSOBS9PeuExXGOUC1CmsSroHmSod4bKC4X5X3Zd.",
        "{MD5-CRYPT}$1$W0FPwq31$.TtmckkerbjmknFZL4A5j/",
        "{SHA256-CRYPT}$5$FjmvNCiO1mN7cXPj$Iq.PLIlkT5nWkzHZyIhdLAi/7rCUVEgYjeI7uhrVTE8",
        "{SHA512-CRYPT}$6$i6vKcMUy/xg/cNDv$rZ8bX4szuQpTSF6aF7E5vzUbLLr1wxMRb7fkzVXBbeZlr6Mveb0ULf1vkpeNBmoi9EEhMu1wPl9x6z45nXMVQ0",
        "{BLF-CRYPT}$2y$05$4tsydUbhnNaNdrShjtUsi.kekH8GbG.GqGzvSz85JwTGBfYd42Wpe",
        "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$u3wT3sSykyXzyKe2VTrOaw$XgpxgNbAi87ZsV7+xCsQlHjECZqzi+/L4RV6zjzUMOA",
        "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$DwpMRTGfpHvEnJJyvEkGFg$3K+C/pongdv+4f1/xAWqCXElrDIuOvZaxfdv2jAs13I",
        "{SSHA}V9SPdtO5EylAw6/3xCvCeq8/iZT7iOs6",
        "{SSHA256}D50z2Udth5JZAoM9NpOAZGqpyw10eAM7AjVHt2lStAB36Nsv",
        "{SSHA512}spzo35rtmHZYTIXO96y5uETVDKJF/FX9pQ7a7f/fAh9TCzbONSXWioTTli96YwNzWD1mwfzdC04PTF3kO2UbRZ/Uwok=",
        "{SHA256}UODX5JZHe18JVwv9yvMbAoeS719Y7fwn28vMuM/OHRU=",
        "{SHA512}MGrCWX/OaIyw5xBZ0RrM2vwe1YHoo2MD/NKt2+vkfLiudEOMnHxXTsVXCSooO5eehIdUJFylnTmr3TTyK23wMw==",
        "{SHA}/Hrn08gEogcgvDjo5YNQSGibZVE=",
        "{CRAM-MD5}52088da9670cd71eb1a28e47c53cd529f0dab67d4b8b55f1cf849141d512452f",
        "{PBKDF2}$1$/MSvLUkiSG1Egom0$5000$02b56551ffbaa3997c3cd292cfa255a704eb68ae",
        "{SCRAM-SHA-1}4096,JOpX6y3zgNpU1ETB5lTS7A==,rIvqw5RSbri/rGVCv0GOPknxIks=,yOOK5swYl8UYQBn1Sqv2ehtlWQ4=",
        "{SCRAM-SHA-256}4096,EmHCFuNpbZJlWfFTuv62nQ==,qJ1nic4+TkXbSTPd7vK4VE3GC6L9BOhbX0ec/SNb8F8=,Wk9UCv8mSfOWI7jh6Qb9ZFiL2w6VPMiiVUsmWa94kZM=",
        "{SMD5}fTiwfY5OqscAGP4MgaxfN5zRoqc=",
        "{PLAIN-MD5}ce74b892da441b00f4b61523872bc6b4",
        "{LDAP-MD5}znS4ktpEGwD0thUjhyvGtA==",
        "{SHA256.HEX}50e0d7e496477b5f09570bfdcaf31b028792ef5f58edfc27dbcbccb8cfce1d15",
        "{SHA256}50e0d7e496477b5f09570bfdcaf31b028792ef5f58edfc27dbcbccb8cfce1d15",
        "{SSHA.HEX}b699b86a842ff685059fbab905269b7b685135a7320c5819",
        "{SHA512.B64}MGrCWX/OaIyw5xBZ0RrM2vwe1YHoo2MD/NKt2+vkfLiudEOMnHxXTsVXCSooO5eehIdUJFylnTmr3TTyK23wMw==",
        "{PLAIN.B64}cMOkc3N3w7ZyZCAx",
        "{PLAIN}pässwörd 1",
        "{plain}pässwörd 1",
        "$6$i6vKcMUy/xg/cNDv$rZ8bX4szuQpTSF6aF7E5vzUbLLr1wxMRb7fkzVXBbeZlr6Mveb0ULf1vkpeNBmoi9EEhMu1wPl9x6z45nXMVQ0",
    })
    void doveadmVectorsVerify(String stored) {
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(PASSWORD, stored, "CRYPT"), stored);
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("pässwörd 2", stored, "CRYPT"), stored);
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("", stored, "CRYPT"), stored);
    }

    @Test
    void referenceVectors() {
        // Drepper, "Unix crypt using SHA-256 and SHA-512", test vectors.
        assertMatch("Hello world!", "{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        assertMatch("Hello world!", "{SHA256-CRYPT}$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA");
        assertMatch("Hello world!", "{MD5-CRYPT}$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1");
        // OpenWall crypt_blowfish test vector.
        assertMatch("U*U", "{BLF-CRYPT}$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
        // Traditional DES crypt through {CRYPT}.
        assertMatch("secret", "{CRYPT}abNANd1rDfiNc");
        // Bare hash: default_pass_scheme decides (here SHA256, hex guessed by length).
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(PASSWORD,
            "50e0d7e496477b5f09570bfdcaf31b028792ef5f58edfc27dbcbccb8cfce1d15", "SHA256"));
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify("x", "x", "PLAIN"));
    }

    @Test
    void unknownAndMalformed() {
        assertEquals(PasswordSchemes.Verdict.UNKNOWN_SCHEME, schemes.verify("x", "{NOPE}x", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{SHA512-CRYPT}garbage", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{ARGON2ID}$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{PBKDF2}$1$salt$notanumber$00", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{SSHA}!!!", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{SCRAM-SHA-256}1,2,3", "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x", "{CRYPT}$y$j9T$abc$def", "CRYPT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "CRYPT", "MD5-CRYPT", "SHA256-CRYPT", "SHA512-CRYPT", "BLF-CRYPT", "ARGON2I",
        "ARGON2ID", "SSHA", "SSHA256", "SSHA512", "SHA256", "SHA512", "SHA", "SMD5", "PLAIN-MD5", "LDAP-MD5",
        "CRAM-MD5", "PBKDF2", "SCRAM-SHA-1", "SCRAM-SHA-256", "SHA256.HEX", "SSHA512.B64"})
    void generatedHashesVerify(String scheme) {
        String stored = schemes.generate(scheme, PASSWORD, HashCosts.FAST);
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(PASSWORD, stored, "CRYPT"), stored);
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("other", stored, "CRYPT"), stored);
    }

    private void assertMatch(String password, String stored) {
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(password, stored, "CRYPT"), stored);
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify(password + "x", stored, "CRYPT"), stored);
    }
}
