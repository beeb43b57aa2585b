package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.DefaultAuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/** LOGIN, AUTHENTICATE PLAIN/LOGIN and SCRAM-SHA-256 against the daemon's real auth service over a passwd-file. */
@Timeout(30)
class RealAuthServiceTest {
    @TempDir
    Path dir;
    ImapTestServer server;
    DefaultAuthService auth;

    @BeforeEach
    void start() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice@example.org:{PLAIN}s3cret::::::\n");
        auth = DefaultAuthService.fromSettings(Settings.of(Map.of("passdb", "passwd-file:" + users,
            "auth_failure_delay", "0", "auth_mechanisms", "plain login scram-sha-256"), dir));
        server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, false);
        server.services.register(AuthService.class, auth);
    }

    @AfterEach
    void stop() {
        server.close();
        auth.engine().close();
    }

    @Test
    void loginAndSaslMechanisms() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            String greeting = c.readLine();
            // loopback counts as secured (auth_allow_plaintext_loopback), so plaintext mechanisms are offered
            assertTrue(greeting.contains("AUTH=SCRAM-SHA-256") && greeting.contains("AUTH=PLAIN"), greeting);
            assertTrue(c.command("a", "LOGIN alice@example.org wrong").get(0).startsWith("a NO [AUTHENTICATIONFAILED]"));
            c.ok("b", "LOGIN alice@example.org s3cret");
        }
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            c.sendLine("a AUTHENTICATE LOGIN");
            assertTrue(c.readLine().startsWith("+ "));
            c.sendLine(b64("alice@example.org"));
            assertTrue(c.readLine().startsWith("+ "));
            c.sendLine(b64("s3cret"));
            assertTrue(c.readLine().startsWith("a OK [CAPABILITY"));
        }
    }

    @Test
    void scramSha256() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            String clientNonce = "rOprNGfwEbeRWgbNEkqO";
            String clientFirstBare = "n=alice@example.org,r=" + clientNonce;
            c.sendLine("s AUTHENTICATE SCRAM-SHA-256 " + b64("n,," + clientFirstBare));
            String serverFirst = unb64(c.readLine().substring(2));
            Map<String, String> f = attrs(serverFirst);
            assertTrue(f.get("r").startsWith(clientNonce), serverFirst);
            byte[] salted = pbkdf2("s3cret", Base64.getDecoder().decode(f.get("s")), Integer.parseInt(f.get("i")));
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=biws,r=" + f.get("r");
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            c.sendLine(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
            String next = c.readLine();
            if (next.startsWith("+ ")) {
                String serverFinal = unb64(next.substring(2));
                byte[] serverKey = hmac(salted, "Server Key");
                assertEquals("v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage)), serverFinal);
                c.sendLine("");
                next = c.readLine();
            }
            assertTrue(next.startsWith("s OK [CAPABILITY"), next);
            c.ok("x", "SELECT INBOX");
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s.trim()), StandardCharsets.UTF_8);
    }

    private static Map<String, String> attrs(String msg) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String part : msg.split(",")) {
            m.put(part.substring(0, 1), part.substring(2));
        }
        return m;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
