package org.mailserver.storage.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.SpecialUse;

/**
 * The mailboxes a new user gets (Dovecot's {@code auto = subscribe} mailboxes): names from the
 * configuration, with their RFC 6154 special-use attributes. Thunderbird builds its folder pane
 * from the subscriptions, so they are subscribed too.
 */
public final class DefaultFolders {
    private DefaultFolders() {
    }

    /** Name to special-use, in creation order; empty when autocreation is off. */
    public static Map<String, Set<SpecialUse>> of(Settings settings) {
        Map<String, Set<SpecialUse>> out = new LinkedHashMap<>();
        String auto = settings.get(StorageParameters.AUTOCREATE);
        if (auto != null && !settings.getBoolean(StorageParameters.AUTOCREATE)) {
            return out;
        }
        put(out, settings, StorageParameters.DRAFTS, "Drafts", SpecialUse.DRAFTS);
        put(out, settings, StorageParameters.SENT, "Sent", SpecialUse.SENT);
        put(out, settings, StorageParameters.TRASH, "Trash", SpecialUse.TRASH);
        put(out, settings, StorageParameters.JUNK, "Junk", SpecialUse.JUNK);
        put(out, settings, StorageParameters.ARCHIVE, "Archive", SpecialUse.ARCHIVE);
        return out;
    }

    private static void put(Map<String, Set<SpecialUse>> out, Settings s, String param, String fallback, SpecialUse use) {
        String name = s.get(param);
        if (name == null) {
            name = fallback;
        }
        name = name.trim();
        if (!name.isEmpty()) {
            out.put(name, Set.of(use));
        }
    }
}
