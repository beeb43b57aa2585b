package org.mailserver.imap.command;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.SpecialUse;

/**
 * The mailbox management commands of RFC 3501 6.3: CREATE (with RFC 6154 USE), DELETE, RENAME, SUBSCRIBE,
 * UNSUBSCRIBE. Name validation (no path escapes, no other users' mail) is the store's: it refuses with
 * BAD_PARAMS, answered {@code NO [CANNOT]}.
 */
final class MailboxCommands {
    private MailboxCommands() {
    }

    private static String stripTrailingSeparator(String name) {
        // RFC 3501 6.3.3: a trailing separator declares the intent to create children; the name is without it
        while (name.length() > 1 && name.charAt(name.length() - 1) == MailStore.HIERARCHY_SEPARATOR) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    static final class Create implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.sp();
            String name = stripTrailingSeparator(Names.read(s, args));
            Set<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
            if (args.acceptSp()) {
                args.expect('(');
                do {
                    String p = args.atom().toUpperCase(Locale.ROOT);
                    if (!p.equals("USE")) {
                        throw new SyntaxException("unknown CREATE parameter " + p);
                    }
                    args.sp();
                    for (String attr : args.list(RequestReader::flag)) {
                        SpecialUse u = SpecialUse.fromAttribute(attr);
                        if (u == null) {
                            throw ImapException.no("USEATTR", "Unsupported special-use attribute " + attr); // RFC 6154 3
                        }
                        uses.add(u);
                    }
                } while (args.acceptSp());
                args.expect(')');
            }
            args.end();
            if (name.equals("INBOX")) {
                throw ImapException.no("ALREADYEXISTS", "Mailbox already exists");
            }
            return s.blocking(() -> {
                s.store().create(name, uses);
                return "Create completed.";
            });
        }
    }

    static final class Delete implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.sp();
            String name = Names.read(s, args);
            args.end();
            if (name.equals("INBOX")) {
                throw ImapException.no("CANNOT", "INBOX can't be deleted."); // RFC 3501 6.3.4
            }
            if (s.selected() != null && s.selected().mailbox().name().equals(name)) {
                s.select(null); // deleting the selected mailbox: leave it first rather than be told it is gone
            }
            return s.blocking(() -> {
                s.store().delete(name);
                return "Delete completed.";
            });
        }
    }

    static final class Rename implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.sp();
            String from = Names.read(s, args);
            args.sp();
            String to = stripTrailingSeparator(Names.read(s, args));
            args.end();
            return s.blocking(() -> {
                s.store().rename(from, to);
                return "Rename completed.";
            });
        }
    }

    static final class Subscribe implements ImapCommand {
        private final boolean subscribe;

        Subscribe(boolean subscribe) {
            this.subscribe = subscribe;
        }

        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.sp();
            String name = Names.read(s, args);
            args.end();
            return s.blocking(() -> {
                if (subscribe) {
                    s.store().subscribe(name);
                } else {
                    s.store().unsubscribe(name);
                }
                return (subscribe ? "Subscribe" : "Unsubscribe") + " completed.";
            });
        }
    }
}
