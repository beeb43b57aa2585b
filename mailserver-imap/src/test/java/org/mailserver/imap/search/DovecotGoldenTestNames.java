package org.mailserver.imap.search;

import java.util.List;

/** The message corpus file names (shared with the mime tests' list, which lives in another package). */
final class DovecotGoldenTestNames {
    /** The first twelve: the ones search/dovecot-search.sh saves. */
    static final List<String> MESSAGES = org.mailserver.imap.mime.CorpusNames.CORPUS.subList(0, 12);

    private DovecotGoldenTestNames() {
    }
}
