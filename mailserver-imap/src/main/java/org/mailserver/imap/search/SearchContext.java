package org.mailserver.imap.search;

import java.nio.charset.Charset;
import java.util.Set;

/**
 * What an evaluation needs from the session besides the mailbox.
 *
 * @param charset the CHARSET of the search (UTF-8 or US-ASCII; the strings in the keys are already decoded)
 * @param recent  the UIDs this session sees as \Recent
 */
public record SearchContext(Charset charset, Set<Long> recent) {
}
