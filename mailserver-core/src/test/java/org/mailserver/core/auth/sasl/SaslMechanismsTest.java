package org.mailserver.core.auth.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.core.auth.AuthFixture.ctx;

import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthEngine;
import org.mailserver.core.auth.AuthFixture;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.SaslExchange.SaslStep;
import org.mailserver.core.auth.scheme.ScramCredential;

/** SASL exchanges: PLAIN, LOGIN, SCRAM (RFC 5802 and RFC 7677 test vectors), CRAM-MD5 (RFC 2195 example). */
@Timeout(30)
class SaslMechanismsTest {
    @TempDir
    Path dir;
    private AuthEngine engine;
    private final AuthContext ctx = ctx("198.51.100.7", true);

    @BeforeEach
    void setUp() throws Exception {
        ScramCredential sha1 = ScramCredential.derive("SHA-1", "pencil", Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        ScramCredential sha256 = ScramCredential.derive("SHA-256", "pencil",
            Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Path users = AuthFixture.write(dir,
            "user:{SCRAM-SHA-256}" + sha256.format(),
            "user1:{SCRAM-SHA-1}" + sha1.format(),
            "tim:" + AuthFixture.SCHEMES.generate("CRAM-MD5", "tanstaaftanstaaf", null),
            "plain@example.test:{PLAIN}pencil",
            "crypt@example.test:{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        engine = AuthFixture.engine(users, AuthFixture.config(AuthFixture.guard(50, 100, 100, 100, 1000)), null);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static SaslStep step(SaslExchange x, String clientMessage) throws Exception {
        return x.respond(clientMessage == null ? null : clientMessage.getBytes(UTF_8)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void scramSha1Rfc5802Vector() throws Exception {
        // The users file stores "user" under SCRAM-SHA-256; the SHA-1 vector uses "user1" with the same exchange.
        ScramMechanism x = new ScramMechanism(engine, ctx, "SHA-1", () -> "3rfcNHYJY1ZVvWVs7j");
        SaslStep first = step(x, "n,,n=user1,r=fyko+d2lbbFgONRv9qkxdawL");
        assertEquals("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", new String(first.challenge(), UTF_8));
        // The proof in RFC 5802 section 5 covers n=user; ours says n=user1, so recompute it with the client side.
        String proof = ScramClient.proof("SHA-1", "pencil", "n=user1,r=fyko+d2lbbFgONRv9qkxdawL", new String(first.challenge(), UTF_8),
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j");
        SaslStep fin = step(x, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=" + proof);
        assertTrue(new String(fin.challenge(), UTF_8).startsWith("v="));
        SaslStep done = step(x, "");
        assertTrue(done.result().ok());
        assertEquals("user1", done.result().user());
    }

    @Test
    void scramSha1ExactRfcMessages() throws Exception {
        // RFC 5802 section 5, byte for byte, for a user literally named "user" stored with SCRAM-SHA-1 keys.
        Path users = AuthFixture.write(java.nio.file.Files.createDirectories(dir.resolve("x")),
            "user:{SCRAM-SHA-1}" + ScramCredential.derive("SHA-1", "pencil", Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096).format());
        AuthEngine e = AuthFixture.engine(users, engine.config(), null);
        try {
            ScramMechanism x = new ScramMechanism(e, ctx, "SHA-1", () -> "3rfcNHYJY1ZVvWVs7j");
            step(x, "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
            SaslStep fin = step(x, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
            assertEquals("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", new String(fin.challenge(), UTF_8));
            assertTrue(step(x, "").result().ok());
        } finally {
            e.close();
        }
    }

    @Test
    void scramSha256Rfc7677Vector() throws Exception {
        ScramMechanism x = new ScramMechanism(engine, ctx, "SHA-256", () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        SaslStep first = step(x, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            new String(first.challenge(), UTF_8));
        SaslStep fin = step(x, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", new String(fin.challenge(), UTF_8));
        assertTrue(step(x, "").result().ok());
    }

    @Test
    void scramWithPlaintextStoredPasswordAndWrongProof() throws Exception {
        ScramMechanism x = new ScramMechanism(engine, ctx, "SHA-256");
        SaslStep first = step(x, null);
        assertEquals(0, first.challenge().length, "empty challenge without initial response");
        SaslStep sf = step(x, "n,,n=plain@example.test,r=abc");
        String serverFirst = new String(sf.challenge(), UTF_8);
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        String proof = ScramClient.proof("SHA-256", "pencil", "n=plain@example.test,r=abc", serverFirst, "c=biws,r=" + nonce);
        assertTrue(new String(step(x, "c=biws,r=" + nonce + ",p=" + proof).challenge(), UTF_8).startsWith("v="));
        assertTrue(step(x, "").result().ok());

        ScramMechanism bad = new ScramMechanism(engine, ctx, "SHA-256");
        serverFirst = new String(step(bad, "n,,n=plain@example.test,r=abc").challenge(), UTF_8);
        nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        proof = ScramClient.proof("SHA-256", "wrong", "n=plain@example.test,r=abc", serverFirst, "c=biws,r=" + nonce);
        assertEquals(AuthResult.Status.FAILED, step(bad, "c=biws,r=" + nonce + ",p=" + proof).result().status());
    }

    @Test
    void scramUnknownUserAndUnsuitableSchemeGetAFakeSaltAndFail() throws Exception {
        for (String user : new String[] {"ghost@example.test", "crypt@example.test"}) {
            ScramMechanism x = new ScramMechanism(engine, ctx, "SHA-256");
            String sf = new String(step(x, "n,,n=" + user + ",r=abc").challenge(), UTF_8);
            assertTrue(sf.matches("r=abc.+,s=.+,i=4096"), sf);
            String nonce = sf.substring(2, sf.indexOf(','));
            String proof = ScramClient.proof("SHA-256", "Hello world!", "n=" + user + ",r=abc", sf, "c=biws,r=" + nonce);
            assertFalse(step(x, "c=biws,r=" + nonce + ",p=" + proof).result().ok());
        }
        ScramMechanism again = new ScramMechanism(engine, ctx, "SHA-256");
        String sf2 = new String(step(again, "n,,n=ghost@example.test,r=abc").challenge(), UTF_8);
        String sf1 = new String(step(new ScramMechanism(engine, ctx, "SHA-256"), "n,,n=ghost@example.test,r=abc").challenge(), UTF_8);
        assertEquals(sf1.substring(sf1.indexOf(",s=")), sf2.substring(sf2.indexOf(",s=")), "same fake salt each time");
    }

    @Test
    void scramRejectsChannelBindingAuthzidAndMalformedInput() throws Exception {
        assertFalse(step(new ScramMechanism(engine, ctx, "SHA-256"), "p=tls-unique,,n=user,r=abc").result().ok());
        assertFalse(step(new ScramMechanism(engine, ctx, "SHA-256"), "n,a=other,n=user,r=abc").result().ok());
        assertFalse(step(new ScramMechanism(engine, ctx, "SHA-256"), "n,,m=ext,n=user,r=abc").result().ok());
        assertFalse(step(new ScramMechanism(engine, ctx, "SHA-256"), "garbage").result().ok());
        assertTrue(step(new ScramMechanism(engine, ctx, "SHA-256"), "n,a=user,n=user,r=abc").challenge() != null,
            "authzid equal to authcid is fine");
        assertEquals("a,b=c", ScramMechanism.saslname("a=2Cb=3Dc"));
    }

    @Test
    void plainWithAndWithoutInitialResponse() throws Exception {
        SaslExchange x = new PlainMechanism(engine, ctx);
        assertTrue(step(x, "\0plain@example.test\0pencil").result().ok());
        SaslExchange y = new PlainMechanism(engine, ctx);
        assertEquals(0, step(y, null).challenge().length);
        assertTrue(step(y, "plain@example.test\0plain@example.test\0pencil").result().ok(), "authzid = authcid");
        assertFalse(step(new PlainMechanism(engine, ctx), "admin@example.test\0plain@example.test\0pencil").result().ok());
        assertFalse(step(new PlainMechanism(engine, ctx), "no-nuls").result().ok());
        assertFalse(step(new PlainMechanism(engine, ctx), "\0plain@example.test\0wrong").result().ok());
        byte[] badUtf8 = {0, (byte) 0xff, 0, 'x'};
        assertFalse(new PlainMechanism(engine, ctx).respond(badUtf8).get(5, TimeUnit.SECONDS).result().ok());
    }

    @Test
    void loginMechanism() throws Exception {
        SaslExchange x = new LoginMechanism(engine, ctx);
        assertEquals("Username:", new String(step(x, null).challenge(), UTF_8));
        assertEquals("Password:", new String(step(x, "plain@example.test").challenge(), UTF_8));
        assertTrue(step(x, "pencil").result().ok());
        SaslExchange ir = new LoginMechanism(engine, ctx);
        assertEquals("Password:", new String(step(ir, "plain@example.test").challenge(), UTF_8));
        assertFalse(step(ir, "nope").result().ok());
    }

    @Test
    void cramMd5Rfc2195Example() throws Exception {
        // RFC 2195 section 2: tim / tanstaaftanstaaf, challenge <1896.697170952@postoffice.reston.mci.net>.
        byte[] challenge = "<1896.697170952@postoffice.reston.mci.net>".getBytes(UTF_8);
        SaslBackend.Lookup<byte[]> l = engine.cramMd5Digest("tim", challenge, ctx).get(5, TimeUnit.SECONDS);
        assertArrayEquals(java.util.HexFormat.of().parseHex("b913a602c7eda7a495b4e6e7334d3890"), l.value());
        CramMd5Mechanism x = new CramMd5Mechanism(engine, ctx, "mx.example.test");
        String ch = new String(step(x, null).challenge(), UTF_8);
        assertTrue(ch.matches("<\\d+\\.\\d+@mx\\.example\\.test>"), ch);
        String digest = java.util.HexFormat.of().formatHex(ScramClient.hmacMd5("tanstaaftanstaaf", ch));
        assertTrue(step(x, "tim " + digest).result().ok());
    }

    @Test
    void abortCountsAsAFailure() throws Exception {
        SaslExchange x = new LoginMechanism(engine, ctx);
        step(x, null);
        x.abort();
        x.abort(); // twice is harmless
    }
}
