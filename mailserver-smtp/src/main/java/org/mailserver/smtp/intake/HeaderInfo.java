package org.mailserver.smtp.intake;

/** What the intake learned from a message's header section, to decide what to prepend. */
public record HeaderInfo(boolean hasMessageId, boolean hasDate, int receivedCount, int fieldCount) {
}
