package org.mailserver.imap.wire;

import org.junit.jupiter.api.Assumptions;
import org.mailserver.storage.MailStoreProvider;

/** {@link MessageSetsOnTheWireTest} on the Maildir store. */
class MaildirMessageSetsOnTheWireTest extends MessageSetsOnTheWireTest {
    @Override
    MailStoreProvider store() throws Exception {
        Assumptions.assumeTrue(TestStores.maildirAvailable(), "Maildir store not on the class path");
        return TestStores.maildir();
    }
}
