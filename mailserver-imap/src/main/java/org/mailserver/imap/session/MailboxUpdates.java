package org.mailserver.imap.session;

import org.mailserver.storage.MessageMeta;

/**
 * Formats the pending changes of the selected mailbox as untagged responses (RFC 3501 7.3.1 EXISTS, 7.4.1
 * EXPUNGE, 7.4.2 FETCH; RFC 7162 3.2.10 VANISHED once QRESYNC is enabled). Called by the session at the
 * points where reporting is allowed; event loop only.
 */
final class MailboxUpdates implements SelectedMailbox.UpdateSink {
    private final ImapSession session;
    private final boolean qresync;
    private final StringBuilder vanished = new StringBuilder();

    private MailboxUpdates(ImapSession session) {
        this.session = session;
        this.qresync = session.isEnabled(ImapSession.Enabled.QRESYNC);
    }

    static void report(ImapSession session, SelectedMailbox selected, boolean allowExpunge) {
        MailboxUpdates sink = new MailboxUpdates(session);
        selected.drainUpdates(allowExpunge, sink);
        sink.flushVanished();
    }

    @Override
    public void expunged(int seq, long uid) {
        if (qresync) {
            vanished.append(vanished.length() == 0 ? "" : ",").append(uid); // RFC 7162 3.2.10: VANISHED replaces EXPUNGE
        } else {
            session.writeLine("* " + seq + " EXPUNGE");
        }
    }

    @Override
    public void exists(int count) {
        flushVanished();
        session.writeLine("* " + count + " EXISTS");
    }

    @Override
    public void flags(int seq, MessageMeta meta) {
        flushVanished();
        session.writeLine("* " + seq + " FETCH (" + Responses.flagsItem(session, meta) + ")");
    }

    private void flushVanished() {
        if (vanished.length() > 0) {
            session.writeLine("* VANISHED " + vanished);
            vanished.setLength(0);
        }
    }
}
