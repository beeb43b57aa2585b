package org.mailserver.storage.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.QuotaPolicy;

/**
 * A {@link MailStoreProvider} that keeps every user's mail in memory: fast protocol tests and
 * demos ({@code mail_location = memory:}). It honours the whole API (change feed, UIDs, modseqs,
 * copy/move, expunge log, quota, cache) with the same shared-state code as the Maildir store.
 * Nothing survives the JVM.
 */
public final class InMemoryMailStoreProvider implements MailStoreProvider {
    private final Map<String, InMemoryUser> users = new ConcurrentHashMap<>();
    private final Settings settings;

    public InMemoryMailStoreProvider() {
        this(Settings.of(Map.of()));
    }

    public InMemoryMailStoreProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public MailStore open(UserInfo user) throws StorageException {
        InMemoryUser data = users.computeIfAbsent(user.user(), InMemoryUser::new);
        data.quota = QuotaPolicy.forUser(user, settings);
        InMemoryMailStore store = new InMemoryMailStore(data);
        store.initialize(settings);
        return store;
    }
}
