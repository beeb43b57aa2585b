package org.mailserver.imap.wire;

import org.junit.jupiter.api.Assumptions;
import org.mailserver.storage.MailStoreProvider;

/** {@link MailboxFlowTest} on the Maildir store; skipped until the Maildir store is on the class path. */
class MaildirMailboxFlowTest extends MailboxFlowTest {
    @Override
    MailStoreProvider store() throws Exception {
        Assumptions.assumeTrue(TestStores.maildirAvailable(), "Maildir store not on the class path");
        return TestStores.maildir();
    }
}
