package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.QuotaInfo;

/**
 * GETQUOTAROOT and GETQUOTA (RFC 9208 4.2, 4.3): one quota root {@code ""} per user covering every mailbox,
 * with STORAGE (in units of 1024 octets) and MESSAGE resources; unlimited resources are not listed.
 */
final class QuotaCommand implements ImapCommand {
    private final boolean root;

    QuotaCommand(boolean root) {
        this.root = root;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        String arg = root ? Names.read(s, args) : args.astring();
        args.end();
        if (!root && !arg.isEmpty()) {
            throw ImapException.no("NONEXISTENT", "No such quota root.");
        }
        return s.blocking(() -> {
            if (root) {
                s.store().open(arg).close(); // RFC 9208 4.3: the mailbox must exist
            }
            return s.store().quota();
        }).thenApply(q -> {
            if (root) {
                s.writeLine("* QUOTAROOT " + Names.toWire(s, arg) + " \"\"");
            }
            s.writeLine("* QUOTA \"\" (" + resources(q) + ")");
            return (root ? "Getquotaroot" : "Getquota") + " completed.";
        });
    }

    static String resources(QuotaInfo q) {
        List<String> out = new ArrayList<>();
        if (q.storageLimit() > 0) {
            out.add("STORAGE " + (q.storageBytes() + 1023) / 1024 + " " + q.storageLimit() / 1024);
        }
        if (q.messageLimit() > 0) {
            out.add("MESSAGE " + q.messages() + " " + q.messageLimit());
        }
        return String.join(" ", out);
    }
}
