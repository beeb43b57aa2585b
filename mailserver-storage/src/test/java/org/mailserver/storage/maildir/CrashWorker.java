package org.mailserver.storage.maildir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MessageMeta;

/**
 * The child process of {@link MaildirCrashTest}: delivers numbered messages (with fsync, the
 * production setting) while a second thread flags and expunges, and reports on stdout only what
 * has completed (DELIVERED seq uid, FLAGGED uid) or is about to be tried (EXPUNGING uid), until it
 * is killed with SIGKILL at a random moment. Args: maildir base, first sequence number, seed, log
 * file. Each report is one write(2) to the log file, so the parent reads every completed report.
 */
public final class CrashWorker {
    /** Appends lines with one write each; a write completes or does not happen when SIGKILL comes. */
    static final class Log {
        private final java.nio.channels.FileChannel ch;

        Log(java.nio.file.Path file) throws java.io.IOException {
            ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND);
        }

        synchronized void println(String line) {
            try {
                ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long seq = Long.parseLong(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        Log out = new Log(java.nio.file.Path.of(args[3]));
        // Compactions during flag changes and expunges: a short run would otherwise rarely reach 4096 records.
        MaildirIndex.compactAfterRecords = 64;
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(Settings.of(Map.of("mail_location", "maildir:" + base + "/%n")));
        UserInfo user = new UserInfo("crash", "0", "0", null, null, Map.of());
        MailStore store = provider.open(user);
        Thread flagger = new Thread(() -> {
            try (Mailbox box = store.open("INBOX")) {
                while (true) {
                    List<MessageMeta> all = box.messages();
                    if (all.size() > 2) {
                        MessageMeta m = all.get(random.nextInt(all.size()));
                        if (random.nextInt(5) == 0) {
                            out.println("EXPUNGING " + m.uid());
                            box.expunge(List.of(m.uid()));
                        } else {
                            box.store(List.of(m.uid()), StoreMode.ADD, Set.of(Flag.FLAGGED), Set.of("$Crash" + random.nextInt(3)), 0);
                            out.println("FLAGGED " + m.uid());
                        }
                    }
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                out.println("ERROR " + e);
            }
        });
        flagger.setDaemon(true);
        flagger.start();
        try (Mailbox box = store.open("INBOX")) {
            while (true) {
                String body = "Subject: crash " + seq + "\r\nX-Seq: " + seq + "\r\n\r\n" + "line\r\n".repeat(50 + random.nextInt(2000))
                    + "END-OF-MESSAGE " + seq + "\r\n";
                long uid = box.append(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(), null).uid();
                out.println("DELIVERED " + seq + " " + uid);
                seq++;
            }
        }
    }
}
