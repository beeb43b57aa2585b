package org.mailserver.smtp.outbound.tls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An MTA-STS policy (RFC 8461 3.2) as fetched from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}:
 * mode, MX patterns and max_age, plus the TXT id it was fetched under and when. Immutable; parsed by
 * {@link #parse}, which rejects what RFC 8461 3.2 says a sender must not use.
 */
public record MtaStsPolicy(String id, Mode mode, List<String> mx, long maxAgeSeconds, Instant fetched) {

    public enum Mode {
        /** Deliver only to matching MX hosts over PKIX-verified TLS, else defer. */
        ENFORCE,
        /** Report (here: log) failures, deliver anyway. */
        TESTING,
        /** The domain withdrew its policy. */
        NONE
    }

    /** RFC 8461 3.2: max_age is at most 31557600 seconds (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    /** Parses a policy body; throws IllegalArgumentException naming the problem. */
    public static MtaStsPolicy parse(String body, String id, Instant fetched) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        // RFC 8461 3.2: lines end in CRLF; LF alone is accepted as most senders do.
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed policy line: " + line);
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            // RFC 8461 3.2: the first occurrence of a field counts (mx may repeat); unknown fields are ignored.
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode != null ? mode : switch (value) {
                    case "enforce" -> Mode.ENFORCE;
                    case "testing" -> Mode.TESTING;
                    case "none" -> Mode.NONE;
                    default -> throw new IllegalArgumentException("unknown mode: " + value);
                };
                case "max_age" -> {
                    if (maxAge == null) {
                        if (!value.matches("[0-9]{1,10}")) {
                            throw new IllegalArgumentException("bad max_age: " + value);
                        }
                        maxAge = Math.min(Long.parseLong(value), MAX_AGE_LIMIT);
                    }
                }
                case "mx" -> {
                    if (!value.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\\.?")) {
                        throw new IllegalArgumentException("bad mx pattern: " + value);
                    }
                    mx.add(value.toLowerCase(Locale.ROOT));
                }
                default -> {
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("version is not STSv1: " + version);
        }
        if (mode == null) {
            throw new IllegalArgumentException("no mode");
        }
        if (maxAge == null) {
            throw new IllegalArgumentException("no max_age");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException("no mx patterns");
        }
        return new MtaStsPolicy(id, mode, List.copyOf(mx), maxAge, fetched);
    }

    /** RFC 8461 4.1: does the MX host name match one of the patterns. */
    public boolean matchesMx(String host) {
        return mx.stream().anyMatch(p -> NameMatcher.matches(p, host));
    }

    public boolean expired(Instant now) {
        return fetched.plusSeconds(maxAgeSeconds).isBefore(now);
    }

    /** The policy body again, for the cache file. */
    public String toBody() {
        StringBuilder b = new StringBuilder("version: STSv1\r\nmode: ").append(mode.name().toLowerCase(Locale.ROOT)).append("\r\n");
        for (String p : mx) {
            b.append("mx: ").append(p).append("\r\n");
        }
        return b.append("max_age: ").append(maxAgeSeconds).append("\r\n").toString();
    }

    /**
     * The id of a {@code _mta-sts} TXT record (RFC 8461 3.1: {@code v=STSv1; id=...}), or null when the text is
     * not an STSv1 record or its id is malformed.
     */
    public static String txtId(String txt) {
        String[] fields = txt.strip().split(";");
        if (fields.length == 0 || !fields[0].strip().equals("v=STSv1")) {
            return null;
        }
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i].strip();
            if (f.startsWith("id=")) {
                String id = f.substring(3);
                return id.matches("[A-Za-z0-9]{1,32}") ? id : null;
            }
        }
        return null;
    }
}
