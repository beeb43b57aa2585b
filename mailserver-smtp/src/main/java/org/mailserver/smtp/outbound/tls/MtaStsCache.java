package org.mailserver.smtp.outbound.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS policies per domain (RFC 8461 5): in memory, and one file per domain under
 * {@code <data_directory>/mta-sts/} so a restart keeps enforcing them (a policy must outlive a missing TXT
 * record until max_age runs out, RFC 8461 5.1). File format, UTF-8:
 * <pre>
 * id: 20240101T000000Z          (the TXT id the policy was fetched under)
 * fetched: 1700000000           (epoch seconds)
 *                               (an empty line, then the policy body as RFC 8461 3.2 writes it)
 * version: STSv1 ...
 * </pre>
 * A file is written to a temporary name and renamed into place, so a crash leaves the old or the new policy.
 * A file that does not parse is ignored (and replaced at the next fetch). Thread-safe.
 */
public final class MtaStsCache {
    private static final Logger log = LoggerFactory.getLogger(MtaStsCache.class);

    private final Path directory;
    private final Map<String, MtaStsPolicy> memory = new ConcurrentHashMap<>();

    /** @param directory where the files live, or null for a memory-only cache */
    public MtaStsCache(Path directory) {
        this.directory = directory;
    }

    public MtaStsPolicy get(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        MtaStsPolicy p = memory.get(key);
        if (p == null && directory != null) {
            p = load(key);
            if (p != null) {
                memory.put(key, p);
            }
        }
        return p;
    }

    public void put(String domain, MtaStsPolicy policy) {
        String key = domain.toLowerCase(Locale.ROOT);
        memory.put(key, policy);
        if (directory == null || !safeName(key)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path tmp = directory.resolve(key + ".tmp");
            Files.writeString(tmp, "id: " + policy.id() + "\nfetched: " + policy.fetched().getEpochSecond() + "\n\n" + policy.toBody(),
                StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(key), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("cannot write the MTA-STS policy cache for {}: {}", domain, e.getMessage());
        }
    }

    /** Only plain domain names become file names (no separators, no "..": nothing outside the directory). */
    private static boolean safeName(String key) {
        return key.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*");
    }

    private Path file(String key) {
        return directory.resolve(key + ".policy");
    }

    private MtaStsPolicy load(String key) {
        Path f = file(key);
        if (!safeName(key) || !Files.isRegularFile(f)) {
            return null;
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int split = text.indexOf("\n\n");
            String id = null;
            long fetched = -1;
            for (String line : text.substring(0, Math.max(split, 0)).split("\n")) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4).strip();
                } else if (line.startsWith("fetched: ")) {
                    fetched = Long.parseLong(line.substring(9).strip());
                }
            }
            if (split < 0 || id == null || fetched < 0) {
                return null;
            }
            return MtaStsPolicy.parse(text.substring(split + 2), id, Instant.ofEpochSecond(fetched));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable MTA-STS cache file {}: {}", f, e.getMessage());
            return null;
        }
    }
}
