package org.mailserver.storage.maildir;

import java.nio.file.Path;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreContractTest;
import org.mailserver.storage.MailStoreProvider;

class MaildirMailStoreTest extends MailStoreContractTest {
    @Override
    protected MailStoreProvider newProvider(Path root, Settings settings) {
        return new MaildirMailStoreProvider(settings);
    }
}
