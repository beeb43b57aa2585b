package org.mailserver.lmtp;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.Settings;
import org.mailserver.smtp.testing.TranscriptRunner;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;

/** Replays src/test/resources/transcripts/lmtp/*.txt against the LMTP listener, on the in-memory store and on Maildir. */
@Timeout(60)
class LmtpTranscriptTest {
    @TestFactory
    Stream<DynamicTest> transcripts() throws Exception {
        return TranscriptRunner.tests("transcripts/lmtp", LmtpProtocolHandlerFactory::new, server -> {
            InMemoryMailStoreProvider stores = new InMemoryMailStoreProvider(Settings.of(Map.of()));
            server.services.register(MailStoreProvider.class, stores);
            server.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, Settings.of(Map.of())));
        });
    }

    @TestFactory
    Stream<DynamicTest> transcriptsOnMaildir(@TempDir Path dir) throws Exception {
        Settings settings = Settings.of(Map.of("mail_location", "maildir:" + dir + "/%d/%n"));
        return TranscriptRunner.tests("transcripts/lmtp", LmtpProtocolHandlerFactory::new, server -> {
            MaildirMailStoreProvider stores = new MaildirMailStoreProvider(settings);
            server.services.register(MailStoreProvider.class, stores);
            server.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, settings));
        });
    }
}
