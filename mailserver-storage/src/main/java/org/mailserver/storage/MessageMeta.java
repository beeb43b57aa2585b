package org.mailserver.storage;

import java.time.Instant;
import java.util.Set;

/**
 * What the index knows of one message without opening its file.
 *
 * @param uid          IMAP UID, unique and ascending within a UIDVALIDITY
 * @param flags        stored system flags
 * @param keywords     IMAP keywords ({@code $Forwarded}, {@code Junk}, ...)
 * @param size         RFC822.SIZE: the size with CRLF line endings
 * @param internalDate the IMAP INTERNALDATE
 * @param modSeq       RFC 7162 modification sequence of the last change
 */
public record MessageMeta(long uid, Set<Flag> flags, Set<String> keywords, long size, Instant internalDate, long modSeq) {
}
