package org.mailserver.imap.search;

import java.util.List;

/** The message corpus file names (shared with the mime tests' list, which lives in another package). */
final class DovecotGoldenTestNames {
    static final List<String> MESSAGES = org.mailserver.imap.mime.CorpusNames.CORPUS;

    private DovecotGoldenTestNames() {
    }
}
