package org.mailserver.core.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins physical lines into Postfix logical lines, the way Postfix's {@code readlline()} does for
 * main.cf, master.cf and lookup table sources: a logical line starts with non-white-space text; a
 * line that starts with white space continues it; empty lines, white-space-only lines and lines
 * whose first non-white-space character is {@code #} are ignored (also between continuation lines).
 * A {@code #} later in a line is not a comment (postconf(5)).
 *
 * <p>Used by {@link MainCfReader}, {@link MasterCf} and the file-based lookup tables. Each logical
 * line remembers the number of the physical line it started on, so errors can name {@code file:line}.
 */
public final class LogicalLineReader {

    /** One logical line: its text (continuations joined by one space) and the line it started on. */
    public record LogicalLine(String text, int line) {
    }

    /** Where physical lines come from; {@code null} at end of input. */
    @FunctionalInterface
    public interface LineSource {
        String readLine() throws IOException;
    }

    private final String fileName;
    private final LineSource source;
    private final List<String> skipped = new ArrayList<>();
    private String pending;
    private int pendingNumber;
    private int physicalLine;

    public LogicalLineReader(String fileName, LineSource source) {
        this.fileName = fileName;
        this.source = source;
    }

    /** Reads a whole file; a missing or unreadable file is a {@link ConfigException} naming it. */
    public static List<LogicalLine> readAll(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LogicalLineReader reader = new LogicalLineReader(file.toString(), in::readLine);
            List<LogicalLine> lines = new ArrayList<>();
            for (LogicalLine l = reader.next(); l != null; l = reader.next()) {
                lines.add(l);
            }
            return lines;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Returns the next logical line, or {@code null} at end of input. */
    public LogicalLine next() throws IOException {
        skipped.clear();
        String first;
        int firstNumber;
        while (true) {
            if (!fetch()) {
                return null;
            }
            first = pending;
            firstNumber = pendingNumber;
            pending = null;
            if (isIgnorable(first)) {
                skipped.add(first);
                continue;
            }
            if (Character.isWhitespace(first.charAt(0))) {
                throw new ConfigException(fileName + ":" + firstNumber
                    + ": a line that starts with white space continues a previous line, but there is none");
            }
            break;
        }
        StringBuilder text = new StringBuilder(first.strip());
        while (fetch()) {
            if (isIgnorable(pending)) {
                skipped.add(pending);
                pending = null;
                continue;
            }
            if (!Character.isWhitespace(pending.charAt(0))) {
                break; // the start of the next logical line; keep it pending
            }
            text.append(' ').append(pending.strip());
            pending = null;
        }
        return new LogicalLine(text.toString(), firstNumber);
    }

    /** The comment and blank lines skipped while reading the last logical line (for layout keeping). */
    public List<String> skippedLines() {
        return skipped;
    }

    private boolean fetch() throws IOException {
        if (pending != null) {
            return true;
        }
        String line = source.readLine();
        if (line == null) {
            return false;
        }
        physicalLine++;
        pending = line;
        pendingNumber = physicalLine;
        return true;
    }

    private static boolean isIgnorable(String line) {
        String s = line.strip();
        return s.isEmpty() || s.charAt(0) == '#';
    }
}
