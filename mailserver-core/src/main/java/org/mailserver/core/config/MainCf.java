package org.mailserver.core.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.commons.configuration2.reloading.FileHandlerReloadingDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * main.cf loaded from a configuration directory: Commons Configuration reads it through a
 * {@link FileHandler} with {@link MainCfReader} as its properties reader; the values are then
 * validated ({@link #validate()}) so a malformed value, an expansion loop or a missing lookup table
 * stops start-up with {@code /etc/mailserver/main.cf:12: name: problem}. Unknown names are warnings
 * (logged, and kept in {@link #warnings()} for {@code check}).
 *
 * <p>Called by the daemon at start and on reload, and by the admin commands. {@link #isModified()}
 * tells, cheaply, whether the file changed since it was read (Commons' reloading detector); the
 * caller then loads a new instance and keeps the old one if the new one fails.
 */
public final class MainCf extends ConfigurationSettings {
    private static final Logger log = LoggerFactory.getLogger(MainCf.class);
    public static final String FILE_NAME = "main.cf";

    private final Path file;
    private final Map<String, Integer> lines;
    private final List<String> warnings;
    private final FileHandlerReloadingDetector detector;

    private MainCf(PropertiesConfiguration config, Map<String, String> locations, Map<String, Integer> lines,
                   Path file, List<String> readWarnings, FileHandlerReloadingDetector detector) {
        // Absolute, so relative paths in main.cf keep meaning the same place whoever reads them.
        super(config, locations, file.toAbsolutePath().normalize().getParent());
        this.file = file;
        this.lines = Map.copyOf(lines);
        this.detector = detector;
        List<String> all = new ArrayList<>(readWarnings);
        all.addAll(validate());
        this.warnings = List.copyOf(all);
    }

    /** Reads and validates {@code configDir/main.cf}; logs and keeps the warnings. */
    public static MainCf load(Path configDir) {
        Path file = configDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": file not found");
        }
        String name = file.toString();
        Map<String, String> locations = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        List<String> readWarnings = new ArrayList<>();
        PropertiesConfiguration config = newConfiguration();
        config.setIOFactory(new MainCfReader.Factory(name, (param, value, line) -> {
            Integer previous = lines.put(param, line);
            if (previous != null) {
                // Postfix also keeps the last definition and warns about the earlier one.
                readWarnings.add(name + ":" + line + ": " + param + ": overriding earlier entry at line " + previous);
            }
            locations.put(param, name + ":" + line);
            values.put(param, value);
        }));

        // Take the modification time before reading, so a change during the read is not missed.
        FileHandler watched = new FileHandler();
        watched.setFile(file.toFile());
        FileHandlerReloadingDetector detector = new FileHandlerReloadingDetector(watched, 0);
        detector.refresh();

        FileHandler handler = new FileHandler(config);
        handler.setEncoding("UTF-8");
        try {
            handler.load(file.toFile());
        } catch (ConfigurationException | RuntimeException e) {
            throw unwrap(name, e);
        }
        // Commons swallows "include" lines (its own include syntax) even with includes disabled;
        // main.cf has no such parameter, so put them back to be warned about as unknown.
        values.forEach((param, value) -> {
            if (!config.containsKey(param)) {
                config.addProperty(param, value);
            }
        });
        MainCf cf = new MainCf(config, locations, lines, file, readWarnings, detector);
        cf.warnings.forEach(w -> log.warn("warning: {}", w));
        return cf;
    }

    /** Our reader's {@link ConfigException} may come back wrapped by Commons; find it. */
    private static ConfigException unwrap(String name, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce) {
                return ce;
            }
        }
        return new ConfigException(name + ": cannot read: " + e.getMessage(), e);
    }

    /** The main.cf file this was read from. */
    public Path file() {
        return file;
    }

    /** The line where an explicit parameter was (last) defined, or -1. */
    public int lineOf(String name) {
        return lines.getOrDefault(name, -1);
    }

    /** Unknown parameters (with "did you mean") and overridden duplicates, as {@code file:line: ...}. */
    public List<String> warnings() {
        return warnings;
    }

    /** True when main.cf was modified (or removed) since it was read. Cheap: one stat. */
    public boolean isModified() {
        if (!new File(file.toString()).exists()) {
            return true;
        }
        return detector.isReloadingRequired();
    }
}
