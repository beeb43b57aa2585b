package org.mailserver.imap.mime;

import java.util.List;

/** The message corpus under {@code src/test/resources/messages}, in file order. */
public final class CorpusNames {
    public static final List<String> CORPUS = List.of("01-simple", "02-alternative", "03-mixed-attachment", "04-nested",
        "05-rfc822", "06-missing-headers", "07-groups", "08-weird-quoting", "09-unknown-cte", "10-empty-multipart",
        "11-digest", "12-rfc2231-continuation", "13-encoded-rfc822", "14-header-only", "15-empty-fields",
        "16-odd-boundaries", "17-message-global");

    private CorpusNames() {
    }
}
