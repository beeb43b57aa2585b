package org.mailserver.storage.support;

import java.util.Locale;
import java.util.Map;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * One user's quota limits, from the userdb fields {@code quota_rule}, {@code quota_rule2}, ...
 * (also with Dovecot's {@code userdb_} prefix) or else the {@code quota_rule} default, in Dovecot's
 * syntax: {@code *:storage=1G}, {@code *:messages=10000}, {@code *:storage=512M:messages=1000},
 * {@code *:bytes=1048576}. As in Dovecot, a bare {@code storage} number is kilobytes and a bare
 * {@code bytes} number bytes; suffixes b, k, M, G, T. Only the {@code *} (all mailboxes) rule is
 * applied; per-mailbox rules and percentages are ignored (documented in docs/storage.md).
 *
 * @param storageLimit bytes, 0 = unlimited
 * @param messageLimit messages, 0 = unlimited
 */
public record QuotaPolicy(long storageLimit, long messageLimit) {

    public static final QuotaPolicy UNLIMITED = new QuotaPolicy(0, 0);

    public static QuotaPolicy forUser(UserInfo user, Settings settings) {
        QuotaPolicy policy = UNLIMITED;
        boolean fromUser = false;
        Map<String, String> fields = user.fields() == null ? Map.of() : user.fields();
        for (int i = 1; i <= 9; i++) {
            String key = i == 1 ? "quota_rule" : "quota_rule" + i;
            String v = fields.get(key);
            if (v == null) {
                v = fields.get("userdb_" + key);
            }
            if (v != null) {
                policy = policy.merge(parse(v));
                fromUser = true;
            }
        }
        if (!fromUser && settings != null) {
            String def = settings.get(StorageParameters.QUOTA_RULE);
            if (def != null && !def.isBlank()) {
                for (String rule : def.trim().split("[\\s,]+")) {
                    policy = policy.merge(parse(rule));
                }
            }
        }
        return policy;
    }

    /** Parses one rule; malformed or non-{@code *} rules yield no limits. */
    public static QuotaPolicy parse(String rule) {
        String[] parts = rule.trim().split(":");
        if (parts.length < 2 || !parts[0].equals("*")) {
            return UNLIMITED;
        }
        long storage = 0;
        long messages = 0;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).trim();
            try {
                switch (name) {
                    case "storage" -> storage = size(value, 1024);
                    case "bytes" -> storage = size(value, 1);
                    case "messages" -> messages = Long.parseLong(value);
                    default -> { }
                }
            } catch (NumberFormatException e) {
                // A malformed limit is ignored rather than locking the user out; logged by the caller's config check.
            }
        }
        return new QuotaPolicy(storage, messages);
    }

    static long size(String value, long bareUnit) {
        if (value.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        char last = Character.toLowerCase(value.charAt(value.length() - 1));
        long mult;
        switch (last) {
            case 'b' -> mult = 1;
            case 'k' -> mult = 1024L;
            case 'm' -> mult = 1024L * 1024;
            case 'g' -> mult = 1024L * 1024 * 1024;
            case 't' -> mult = 1024L * 1024 * 1024 * 1024;
            default -> {
                return Long.parseLong(value) * bareUnit;
            }
        }
        return Long.parseLong(value.substring(0, value.length() - 1).trim()) * mult;
    }

    private QuotaPolicy merge(QuotaPolicy other) {
        return new QuotaPolicy(other.storageLimit > 0 ? other.storageLimit : storageLimit,
            other.messageLimit > 0 ? other.messageLimit : messageLimit);
    }

    public QuotaInfo info(long bytes, long messages) {
        return new QuotaInfo(bytes, storageLimit, messages, messageLimit);
    }

    /** Throws OVER_QUOTA when adding this much to the usage would exceed a limit. */
    public void check(long usedBytes, long usedMessages, long addBytes, long addMessages) throws StorageException {
        if (storageLimit > 0 && usedBytes + addBytes > storageLimit) {
            throw new StorageException(StorageError.OVER_QUOTA, "Quota exceeded (mailbox for user is full)");
        }
        if (messageLimit > 0 && usedMessages + addMessages > messageLimit) {
            throw new StorageException(StorageError.OVER_QUOTA, "Quota exceeded (too many messages)");
        }
    }
}
