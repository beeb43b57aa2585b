package org.mailserver.storage.maildir;

import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.MailboxLookupContractTest;

class MaildirMailboxLookupTest extends MailboxLookupContractTest {
    @Override
    protected MailStoreProvider newProvider(Settings settings) {
        return new MaildirMailStoreProvider(settings);
    }

    @Override
    protected boolean persistent() {
        return true;
    }
}
