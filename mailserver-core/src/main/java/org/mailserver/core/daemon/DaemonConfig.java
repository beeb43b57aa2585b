package org.mailserver.core.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.ListenerSpec;

/**
 * What the daemon runs from: main.cf as {@link Settings} and master.cf as listeners.
 *
 * <p>INTERIM: until the configuration layer's main.cf/master.cf loader lands, this reads both files
 * with a minimal Postfix-syntax reader (comments, indented continuation lines, {@code name = value},
 * master.cf columns and {@code -o name=value}). It is replaced by that loader, not extended.
 */
public record DaemonConfig(Settings settings, List<ListenerSpec> listeners) {

    /** Reads {@code dir/main.cf} and {@code dir/master.cf}; throws {@link ConfigException} naming file and line. */
    public static DaemonConfig load(Path dir) {
        Path mainCf = dir.resolve("main.cf");
        Path masterCf = dir.resolve("master.cf");
        Map<String, String> values = new LinkedHashMap<>();
        for (LogicalLine line : logicalLines(mainCf)) {
            int eq = line.text().indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(mainCf + ":" + line.number() + ": expected \"name = value\": \"" + line.text() + "\"");
            }
            values.put(line.text().substring(0, eq).trim(), line.text().substring(eq + 1).trim());
        }
        Settings settings = Settings.of(values, dir.toAbsolutePath());
        List<ListenerSpec> listeners = new ArrayList<>();
        for (LogicalLine line : logicalLines(masterCf)) {
            String[] words = line.text().trim().split("\\s+");
            if (words.length < 3) {
                throw new ConfigException(masterCf + ":" + line.number()
                    + ": expected \"service protocol address [-o name=value ...]\": \"" + line.text() + "\"");
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int i = 3; i < words.length; i++) {
                String option = words[i];
                if (option.equals("-o") && i + 1 < words.length) {
                    option = words[++i];
                } else if (option.startsWith("-o")) {
                    option = option.substring(2);
                } else {
                    throw new ConfigException(masterCf + ":" + line.number() + ": unexpected \"" + option + "\" (expected -o name=value)");
                }
                int eq = option.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(masterCf + ":" + line.number() + ": expected -o name=value: \"" + option + "\"");
                }
                overrides.put(option.substring(0, eq), option.substring(eq + 1));
            }
            listeners.add(new ListenerSpec(words[0], words[1], words[2], overrides));
        }
        return new DaemonConfig(settings, List.copyOf(listeners));
    }

    private record LogicalLine(int number, String text) {
    }

    /** Postfix file syntax: '#' comment lines, blank lines, and lines starting with white space continue the previous one. */
    private static List<LogicalLine> logicalLines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<LogicalLine> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String trimmed = raw.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0))) {
                if (current == null) {
                    throw new ConfigException(file + ":" + (i + 1) + ": continuation line without a line to continue");
                }
                current.append(' ').append(trimmed);
                continue;
            }
            if (current != null) {
                out.add(new LogicalLine(start, current.toString()));
            }
            current = new StringBuilder(trimmed);
            start = i + 1;
        }
        if (current != null) {
            out.add(new LogicalLine(start, current.toString()));
        }
        return out;
    }
}
