package org.mailserver.storage;

/**
 * Quota usage and limits. A limit of 0 means unlimited.
 *
 * @param storageBytes  bytes used
 * @param storageLimit  byte limit, 0 = none
 * @param messages      messages stored
 * @param messageLimit  message-count limit, 0 = none
 */
public record QuotaInfo(long storageBytes, long storageLimit, long messages, long messageLimit) {
}
