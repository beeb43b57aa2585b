package org.mailserver.storage.memory;

import java.nio.file.Path;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreContractTest;
import org.mailserver.storage.MailStoreProvider;

class InMemoryMailStoreTest extends MailStoreContractTest {
    @Override
    protected MailStoreProvider newProvider(Path root, Settings settings) {
        return new InMemoryMailStoreProvider(settings);
    }
}
