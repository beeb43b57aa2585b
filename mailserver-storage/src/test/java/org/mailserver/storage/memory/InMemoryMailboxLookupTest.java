package org.mailserver.storage.memory;

import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.MailboxLookupContractTest;

class InMemoryMailboxLookupTest extends MailboxLookupContractTest {
    @Override
    protected MailStoreProvider newProvider(Settings settings) {
        return new InMemoryMailStoreProvider(settings);
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
