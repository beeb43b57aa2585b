package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * New UIDVALIDITY values for a user's folders, shared with Dovecot through the
 * {@code dovecot-uidvalidity} file at the Maildir root (the last value given, in hex): each new
 * value is the larger of the current time in seconds and the last value + 1, so a folder deleted
 * and recreated under the same name never gets the UIDVALIDITY it had (RFC 3501 2.3.1.1).
 */
final class UidValidityGenerator {
    static final String FILE = "dovecot-uidvalidity";
    private final Path file;

    UidValidityGenerator(Path root) {
        this.file = root.resolve(FILE);
    }

    synchronized long next() {
        long last = 0;
        try {
            last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim(), 16);
        } catch (NoSuchFileException | NumberFormatException e) {
            // start from the clock
        } catch (IOException e) {
            // start from the clock
        }
        long value = Math.max(System.currentTimeMillis() / 1000, last + 1) & 0xffffffffL;
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp." + ProcessHandle.current().pid());
            Files.writeString(tmp, Long.toHexString(value), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The clock still gives a fresh value in practice.
        }
        return value;
    }
}
