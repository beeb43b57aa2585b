package org.mailserver.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.MessageContentRenderer.RenderOptions;
import org.mailserver.imap.fetch.UnknownCteException;
import org.mailserver.imap.mime.HeaderSummary;
import org.mailserver.imap.mime.MimeContentRenderer;
import org.mailserver.imap.session.ClientActivity;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;
import org.mailserver.storage.support.FileTrees;

/**
 * The mailbox part of the start-up warm-up ({@link CryptoWarmupModule} runs it in its background thread, after
 * the crypto): what the first client after a restart runs when it opens a big folder, on a small synthetic
 * Maildir in {@code data_directory/warmup-maildir}: write {@link #MESSAGES} short messages into its cur/, then
 * {@link #ROUNDS} times open the folder with a new store (the Maildir scan, uidlist and index load of SELECT),
 * render ENVELOPE and Thunderbird's BODY.PEEK[HEADER.FIELDS (...)] of every message through the same
 * {@link MimeContentRenderer} FETCH uses (the first round computes and caches the header summaries, later
 * rounds read them back from the index), in the first {@link #STORE_ROUNDS} rounds set and clear \Seen on
 * every message as STORE does, after those open the folder {@link #OPEN_ROUNDS} times more without rendering,
 * then delete the directory.
 *
 * <p>Why: measured after a restart, the first SELECT of a 10,000-message folder took 312 ms and its FETCH
 * ENVELOPE and header fetch 280 and 350 ms, against 30/145/100 in a warm JVM: the index decode, the Maildir
 * scan and the rendering ran in the interpreter. Bounded by the caller's deadline (checked per message), stops
 * as soon as a real client selects a mailbox ({@link ClientActivity}: it must not compete with the client it is
 * for), touches nothing but its own directory (removed even on failure, and at the next start after a
 * kill), never throws; {@code -Dmailserver.warmup=false} turns it off with the crypto part.
 */
final class MailboxWarmup {
    static final int MESSAGES = 2000;
    static final int ROUNDS = 5;
    /** The first rounds also change every message's flags twice ({@link #storeFlags}). */
    static final int STORE_ROUNDS = 2;
    private static final int STORE_BATCH = 100;
    /** Its scratch Maildir, in {@code data_directory}: deleted at the end, and first if a killed daemon left one. */
    static final String DIRECTORY = "warmup-maildir";
    /** Then the folder is opened this many more times, with nothing rendered ({@link #run}). */
    static final int OPEN_ROUNDS = 12;

    /** Thunderbird's folder-open header list (docs/imap-content.md). */
    private static final List<String> TB_FIELDS = List.of("From", "To", "Cc", "Bcc", "Subject", "Date",
        "Message-ID", "Priority", "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type",
        "Reply-To", "Received");

    private MailboxWarmup() {
    }

    /**
     * Runs until done, {@code deadline} (System.nanoTime) or {@code clientArrived} (the daemon passes
     * {@link ClientActivity#anyMailboxOpened}); returns how many messages were rendered.
     */
    static int run(Path dataDirectory, long deadline, BooleanSupplier clientArrived)
        throws IOException, StorageException, UnknownCteException {
        Path dir = dataDirectory.resolve(DIRECTORY);
        // One fixed name, not a new temporary directory each start: a daemon killed during its warm-up (kill -9,
        // the OOM killer, a power cut) cannot delete it, and the next start does, instead of leaving 11 MB
        // behind per crash in /tmp.
        FileTrees.deleteQuietly(dir);
        Files.createDirectories(dir);
        try {
            return warmUp(dir, deadline, clientArrived);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    private static int warmUp(Path dir, long deadline, BooleanSupplier clientArrived) throws StorageException, UnknownCteException {
        Settings settings = Settings.of(Map.of("mail_location", "maildir:" + dir + "/%n", "mail_fsync", "never"));
        UserInfo user = new UserInfo("warmup", "", "", dir.toString(), "", Map.of());
        MimeContentRenderer renderer = new MimeContentRenderer();
        FetchAttribute envelope = FetchAttribute.simple(FetchAttribute.Kind.ENVELOPE);
        FetchAttribute headers = new FetchAttribute(FetchAttribute.Kind.BODY_SECTION,
            new Section(List.of(), SectionText.HEADER_FIELDS, TB_FIELDS), null, true);
        int rendered = 0;
        try (MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings);
             MailStore store = provider.open(user)) {
            store.list(); // creates the user's Maildir
        }
        // The messages go straight into cur/ as a delivery agent leaves them (no append path, which is not
        // what a restart runs): the first round's open scans and numbers them, as after a restart.
        Path cur = dir.resolve("warmup").resolve("cur");
        try {
            for (int i = 0; i < MESSAGES && goOn(deadline, clientArrived); i++) {
                byte[] m = message(i);
                String name = (1704067200L + i) + ".M" + i + "P1.warmup.invalid,S=" + m.length + ",W=" + m.length
                    + (i % 3 == 0 ? ":2,S" : ":2,");
                Files.write(cur.resolve(name), m);
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "warm-up Maildir: " + e.getMessage(), e);
        }
        for (int round = 0; round < ROUNDS && goOn(deadline, clientArrived); round++) {
            // a new provider each round: the folder is opened as after a restart, from its files and index
            try (MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings);
                 MailStore store = provider.open(user)) {
                Mailbox inbox = store.open("INBOX");
                try {
                    for (MessageMeta m : inbox.messages()) {
                        if (!goOn(deadline, clientArrived)) {
                            break;
                        }
                        renderer.render(inbox, m, envelope, RenderOptions.DEFAULT);
                        renderer.render(inbox, m, headers, RenderOptions.DEFAULT);
                        rendered++;
                    }
                    if (round < STORE_ROUNDS) {
                        storeFlags(inbox, deadline, clientArrived);
                    }
                } finally {
                    inbox.close();
                }
            }
            if (round == STORE_ROUNDS - 1) {
                openOnly(settings, user, deadline, clientArrived);
            }
        }
        return rendered;
    }

    /**
     * {@link #OPEN_ROUNDS} opens of the folder and nothing else, once its index holds the header summaries and
     * the flag changes of the first rounds (the shape of a real folder's index). Rendering every message
     * compiles the render path long before the index load: after five rendering rounds, the first load of a
     * real 10,000-message index after a restart still took 27-41 ms against 8 ms fully compiled; with these
     * opens, 16-20 ms.
     */
    private static void openOnly(Settings settings, UserInfo user, long deadline, BooleanSupplier clientArrived)
            throws StorageException {
        for (int i = 0; i < OPEN_ROUNDS && goOn(deadline, clientArrived); i++) {
            try (MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings);
                 MailStore store = provider.open(user)) {
                store.open("INBOX").close();
            }
        }
    }

    /**
     * STORE +FLAGS (\Seen) and -FLAGS (\Seen) over the folder in batches of 100, as a client marks mail read:
     * the flag rename and the index record per message. Without it the first STOREs after a start ran before
     * the JIT had compiled that path (the first STORE of 100 flags after a start took 6-29 ms without this
     * step, 6-9 ms with it; 4.2-5 ms once fully warm).
     */
    private static void storeFlags(Mailbox inbox, long deadline, BooleanSupplier clientArrived) throws StorageException {
        List<Long> uids = inbox.messages().stream().map(MessageMeta::uid).toList();
        for (int i = 0; i < uids.size() && goOn(deadline, clientArrived); i += STORE_BATCH) {
            List<Long> batch = uids.subList(i, Math.min(uids.size(), i + STORE_BATCH));
            inbox.store(batch, StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0);
            inbox.store(batch, StoreMode.REMOVE, Set.of(Flag.SEEN), Set.of(), 0);
        }
    }

    /** Within the deadline, not interrupted, and no real client has opened a mailbox yet (it gives way to one). */
    private static boolean goOn(long deadline, BooleanSupplier clientArrived) {
        return CryptoWarmupModule.goOn(deadline) && !clientArrived.getAsBoolean();
    }

    /** A plausible short message; every field of {@link HeaderSummary#CACHED_FIELDS} that mail usually has. */
    private static byte[] message(int i) {
        return ("Received: from mx.warmup.invalid by warmup.invalid with ESMTPS id " + i + "\r\n"
            + "From: \"Sender " + i + "\" <sender" + i + "@warmup.invalid>\r\n"
            + "To: recipient@warmup.invalid, \"Other\" <other@warmup.invalid>\r\n"
            + "Subject: =?UTF-8?Q?warm-up_message_" + i + "?=\r\n"
            + "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
            + "Message-ID: <" + i + "@warmup.invalid>\r\n"
            + (i > 0 ? "In-Reply-To: <" + (i - 1) + "@warmup.invalid>\r\nReferences: <" + (i - 1) + "@warmup.invalid>\r\n" : "")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "Body of warm-up message " + i + ".\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
