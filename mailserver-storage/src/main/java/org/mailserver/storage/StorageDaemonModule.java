package org.mailserver.storage;

import org.mailserver.core.config.Settings;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StorageParameters;
import org.mailserver.storage.support.StoreLocalDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the mail store into the daemon (start order 200, after auth): registers the
 * {@link MailStoreProvider} chosen by {@code mail_location} ({@code maildir:...}, or {@code memory:}
 * for tests and demos) and the {@link LocalDelivery} over it, which LMTP and the queue's local
 * delivery agent look up in {@link Services}.
 */
public final class StorageDaemonModule implements DaemonModule {
    private static final Logger LOG = LoggerFactory.getLogger(StorageDaemonModule.class);
    private String location;
    private MailStoreProvider provider;

    @Override
    public int order() {
        return 200;
    }

    @Override
    public void start(Settings settings, Services services) {
        location = settings.getString(StorageParameters.MAIL_LOCATION).trim();
        provider = providerFor(settings);
        services.register(MailStoreProvider.class, provider);
        services.register(LocalDelivery.class, new StoreLocalDelivery(provider, settings));
        LOG.info("mail store: {}", location);
    }

    /** The provider for {@code mail_location}: {@code memory:} or Maildir (the default). */
    public static MailStoreProvider providerFor(Settings settings) {
        String loc = settings.getString(StorageParameters.MAIL_LOCATION).trim();
        if (loc.startsWith("memory:")) {
            return new InMemoryMailStoreProvider(settings);
        }
        return new MaildirMailStoreProvider(settings);
    }

    @Override
    public void stop() {
        if (provider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the mail store failed", e);
            }
        }
    }

    @Override
    public void reload(Settings settings, Services services) {
        String now = settings.getString(StorageParameters.MAIL_LOCATION).trim();
        if (!now.equals(location)) {
            // Open sessions share folder state through the provider; swapping it under them would split the
            // change feed, so a new mail_location takes effect at the next start.
            LOG.warn("mail_location changed to {}; it takes effect after a restart", now);
        }
    }
}
