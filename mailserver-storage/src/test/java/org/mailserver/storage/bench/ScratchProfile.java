package org.mailserver.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;

class ScratchProfile {
    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"));
        Path dir = Files.createTempDirectory("prof");
        StorageBenchmark.build(dir, 10000);
        StorageBenchmark.openAndFetch(dir, true);
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            MaildirMailStoreProvider provider = new MaildirMailStoreProvider(StorageBenchmark.settings(dir, false));
            MailStore store = provider.open(StorageBenchmark.user("big"));
            long t1 = System.nanoTime();
            Mailbox box = store.open("INBOX");
            long t2 = System.nanoTime();
            int n = 0;
            for (MessageMeta m : box.messages()) {
                n += box.cached(m.uid(), "envelope").orElseThrow().length;
            }
            long t3 = System.nanoTime();
            box.close();
            System.out.printf("storeOpen %d ms, boxOpen %d ms, fetch %d ms%n", (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000);
        }
        StorageBenchmark.deleteTree(dir);
    }
}
