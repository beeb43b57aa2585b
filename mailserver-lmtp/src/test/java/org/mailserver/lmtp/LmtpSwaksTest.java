package org.mailserver.lmtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;
import org.mailserver.smtp.testing.Swaks;
import org.mailserver.smtp.testing.TestServer;

/** swaks --protocol LMTP against the LMTP listener. */
@Timeout(60)
class LmtpSwaksTest {
    private TestServer server;

    @BeforeEach
    void start() {
        Swaks.assumeInstalled();
        server = new TestServer(new LmtpProtocolHandlerFactory(), "lmtp", false, TestServer.defaults());
        InMemoryMailStoreProvider stores = new InMemoryMailStoreProvider(Settings.of(Map.of()));
        server.services.register(MailStoreProvider.class, stores);
        server.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, Settings.of(Map.of())));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void overAUnixDomainSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path socket = dir.resolve("lmtp");
        try (TestServer unix = new TestServer(new LmtpProtocolHandlerFactory(), "lmtp", false, TestServer.defaults(), socket)) {
            InMemoryMailStoreProvider stores = new InMemoryMailStoreProvider(Settings.of(Map.of()));
            unix.services.register(MailStoreProvider.class, stores);
            unix.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, Settings.of(Map.of())));
            Swaks.Result r = Swaks.runArgs("--socket", socket.toString(), "--protocol", "LMTP", "--from", "s@example.net",
                "--to", "alice@example.com", "--helo", "mta.example.org");
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("250 2.0.0 <alice@example.com>"), r.output());
        }
    }

    @Test
    void deliversAndReportsPerRecipient() throws Exception {
        Swaks.Result r = Swaks.run(server.port(), "--protocol", "LMTP", "--from", "s@example.net",
            "--to", "alice@example.com,bob@example.com", "--helo", "mta.example.org");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("<alice@example.com>") && r.output().contains("<bob@example.com>"), r.output());
        r = Swaks.run(server.port(), "--protocol", "LMTP", "--from", "s@example.net", "--to", "ghost@example.com");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("550 5.1.1 <ghost@example.com> User doesn't exist"), r.output());
    }
}
