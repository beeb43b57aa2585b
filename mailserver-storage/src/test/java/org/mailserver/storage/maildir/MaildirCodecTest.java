package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;

/** The byte-level codecs: modified UTF-7 names, CRLF/LF conversion on save and read, file names. */
class MaildirCodecTest {
    @TempDir
    Path tmp;

    @Test
    void modifiedUtf7MatchesRfc3501AndDovecot() {
        assertEquals("Entw&APw-rfe", ModifiedUtf7.encode("Entw\u00fcrfe"));
        assertEquals("A&-B", ModifiedUtf7.encode("A&B"));
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-", ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"));
        String emoji = "Inbox \ud83d\udce5 & more";
        assertEquals(emoji, ModifiedUtf7.decode(ModifiedUtf7.encode(emoji)));
        // UTF-16 00FF 00FF 00FF in base64 has a '/', which modified UTF-7 writes as ','.
        assertEquals("&AP8A,wD,-", ModifiedUtf7.encode("\u00ff\u00ff\u00ff"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&AGE"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("caf\u00e9"));
    }

    @Test
    void wholeFileCrlfConversionMatchesTheStreamOnEveryMixOfLineEnds() throws Exception {
        Random rnd = new Random(42);
        byte[] alphabet = {'a', '\r', '\n', 'b'};
        for (int round = 0; round < 2000; round++) {
            byte[] raw = new byte[rnd.nextInt(40)];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            byte[] viaStream = new CrlfInputStream(new ByteArrayInputStream(raw)).readAllBytes();
            assertArrayEquals(viaStream, CrlfInputStream.toCrlf(raw.clone()), () -> "input " + java.util.Arrays.toString(raw));
        }
        byte[] crlf = "a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
        assertSame(crlf, CrlfInputStream.toCrlf(crlf), "already CRLF: no copy");
        assertArrayEquals("\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), CrlfInputStream.toCrlf("\nx\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void layoutMapsNamesBothWays() {
        assertEquals(".Archive.2024", MaildirLayout.entryOf("Archive/2024"));
        assertEquals("Archive/2024", MaildirLayout.nameOf(".Archive.2024"));
        assertEquals("Entw\u00fcrfe/Sub", MaildirLayout.nameOf(".Entw&APw-rfe.Sub"));
        assertNull(MaildirLayout.nameOf("..DOVECOT-TRASHED"));
        assertNull(MaildirLayout.nameOf(".a..b"), "empty level");
        assertNull(MaildirLayout.nameOf(".&Ai4ALgAu-"), "decodes to a name with dots");
        assertNull(MaildirLayout.nameOf(".cur&AA0-x"), "decodes to a control character");
    }

    @Test
    void saveStoresLfAndReadGivesCrlfBackWhateverTheBlockBoundaries() throws Exception {
        Random random = new Random(42);
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(
            org.mailserver.core.config.Settings.of(java.util.Map.of("mail_location", "maildir:" + tmp + "/%n", "mail_fsync", "never")));
        try (var store = provider.open(new UserInfo("u", "1", "1", null, null, java.util.Map.of()));
             var box = store.open("INBOX")) {
            for (int round = 0; round < 8; round++) {
                StringBuilder sb = new StringBuilder();
                int lines = 1 + random.nextInt(20_000);
                for (int i = 0; i < lines; i++) {
                    // A bare CR inside a line (not allowed by RFC 5322, but seen) must survive too.
                    sb.append("x".repeat(random.nextInt(90))).append(random.nextInt(50) == 0 ? "\ry" : "").append("\r\n");
                }
                byte[] crlf = sb.toString().getBytes(StandardCharsets.US_ASCII);
                // Odd rounds hand the content over in random small pieces: a CR may end one read and its LF start the next.
                InputStream source = round % 2 == 0 ? new ByteArrayInputStream(crlf) : new java.io.FilterInputStream(new ByteArrayInputStream(crlf)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
                    }
                };
                long uid = box.append(source, Set.of(), Set.of(), Instant.parse("2020-02-02T02:02:02Z")).uid();
                var meta = box.messages().get(box.messages().size() - 1);
                assertEquals(crlf.length, meta.size(), "W= size is the CRLF size");
                byte[] back;
                try (InputStream in = box.open(uid)) {
                    back = readInRandomChunks(in, random);
                }
                assertArrayEquals(crlf, back);
                Path file;
                try (var s = Files.list(tmp.resolve("u/new"))) {
                    file = s.filter(p -> p.getFileName().toString().contains("W=" + crlf.length)).findFirst().orElseThrow();
                }
                byte[] onDisk = Files.readAllBytes(file);
                assertEquals(MaildirFileName.field(file.getFileName().toString(), 'S'), onDisk.length);
                assertFalse(new String(onDisk, StandardCharsets.US_ASCII).contains("x\r\n"), "stored with LF");
                assertEquals(Instant.parse("2020-02-02T02:02:02Z"), Files.getLastModifiedTime(file).toInstant());
            }
        }
    }

    private static byte[] readInRandomChunks(InputStream in, Random random) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (random.nextInt(10) == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                continue;
            }
            byte[] buf = new byte[1 + random.nextInt(70_000)];
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void fileNamesCarrySizesAndFlags() {
        String base = MaildirFileName.newBase(100, 104);
        assertTrue(base.matches("\\d+\\.M\\d+P\\d+Q\\d+\\.[^/:]+,S=100,W=104"), base);
        assertEquals(100, MaildirFileName.field(base + ":2,S", 'S'));
        assertEquals(104, MaildirFileName.field(base + ":2,S", 'W'));
        assertEquals(-1, MaildirFileName.field("1.M1P1.host:2,S", 'W'));
        assertEquals(base, MaildirFileName.base(base + ":2,FS"));
        assertEquals("FS", MaildirFileName.flagLetters(base + ":2,FS"));
        assertNotEquals(base, MaildirFileName.newBase(100, 104));
    }
}
