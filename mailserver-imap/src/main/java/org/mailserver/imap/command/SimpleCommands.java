package org.mailserver.imap.command;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.ImapStrings;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.SessionState;

/**
 * The commands with no arguments worth a file of their own: CAPABILITY, NOOP, LOGOUT (RFC 3501 6.1),
 * CHECK (6.4.1), UNSELECT (RFC 3691), NAMESPACE (RFC 2342), ID (RFC 2971), STARTTLS (6.2.1),
 * COMPRESS (RFC 4978). Each is a small static class so the registry names them one by one.
 */
final class SimpleCommands {
    private SimpleCommands() {
    }

    static final class Capability implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            s.writeLine("* CAPABILITY " + s.capabilities());
            return completedFuture("Capability completed.");
        }
    }

    /** NOOP; CHECK behaves the same (RFC 9051 drops CHECK; we have nothing to checkpoint). */
    static final class Noop implements ImapCommand {
        private final String name;

        Noop(String name) {
            this.name = name;
        }

        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            if (s.selected() == null) {
                return completedFuture(name + " completed.");
            }
            // pick up changes another process made on disk, then the dispatcher reports them
            return s.blocking(() -> {
                s.selected().mailbox().sync();
                return name + " completed.";
            });
        }
    }

    static final class Logout implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            s.writeLine("* BYE Logging out");
            s.logoutAfterReply();
            return completedFuture("Logout completed.");
        }
    }

    /** UNSELECT (RFC 3691): leaves the mailbox without expunging. */
    static final class Unselect implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            s.select(null);
            return completedFuture("Unselect completed.");
        }
    }

    /** NAMESPACE (RFC 2342): one personal namespace, no prefix, "/" separator. */
    static final class Namespace implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            s.writeLine("* NAMESPACE ((\"\" \"/\")) NIL NIL");
            return completedFuture("Namespace completed.");
        }
    }

    /** ID (RFC 2971): logs the client's identification, answers with ours. */
    static final class Id implements ImapCommand {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Id.class);

        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.sp();
            List<String> params = args.peekIs('(') ? args.list(RequestReader::nstring) : null;
            if (params == null) {
                args.nstring(); // NIL
            }
            args.end();
            if (params != null && params.size() % 2 != 0) {
                throw new SyntaxException("ID parameters must be field/value pairs");
            }
            if (params != null && !params.isEmpty()) {
                LOG.debug("imap({}): ID {}", s.user() == null ? "" : s.user(), params);
            }
            s.writeLine("* ID (\"name\" \"mailserver\" \"vendor\" \"mailserver\")");
            return completedFuture("ID completed.");
        }
    }

    /** STARTTLS (RFC 3501 6.2.1): TLS starts right after the tagged OK; queued plaintext input is discarded. */
    static final class StartTls implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.end();
            if (s.transport().secured()) {
                throw ImapException.bad("TLS is already active.");
            }
            if (!s.tlsAvailable()) {
                throw ImapException.no(null, "TLS support isn't enabled.");
            }
            s.afterReply(() -> s.startTls(() -> { }));
            return completedFuture("Begin TLS negotiation now.");
        }
    }

    /** COMPRESS DEFLATE (RFC 4978): compression starts right after the tagged OK. */
    static final class Compress implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
            args.sp();
            String alg = args.atom();
            args.end();
            if (s.compressed()) {
                throw ImapException.no("COMPRESSIONACTIVE", "Compression already active.");
            }
            if (!alg.equalsIgnoreCase("DEFLATE")) {
                throw ImapException.no(null, "Unknown compression algorithm " + alg);
            }
            s.afterReply(s::startCompression);
            return completedFuture("Begin compression.");
        }
    }

    /** ENABLE (RFC 5161): CONDSTORE, QRESYNC (implies CONDSTORE, RFC 7162 3.2.3), UTF8=ACCEPT. */
    static final class Enable implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            StringBuilder done = new StringBuilder();
            int n = 0;
            while (args.acceptSp()) {
                String cap = args.atom().toUpperCase(java.util.Locale.ROOT);
                n++;
                ImapSession.Enabled e = switch (cap) {
                    case "CONDSTORE" -> ImapSession.Enabled.CONDSTORE;
                    case "QRESYNC" -> ImapSession.Enabled.QRESYNC;
                    case "UTF8=ACCEPT" -> ImapSession.Enabled.UTF8_ACCEPT;
                    case "IMAP4REV2" -> s.resources().mimeRenderer() ? ImapSession.Enabled.IMAP4REV2 : null;
                    default -> null;
                };
                if (e != null && s.enabled().add(e)) {
                    done.append(' ').append(e == ImapSession.Enabled.IMAP4REV2 ? "IMAP4rev2" : cap);
                    if (e == ImapSession.Enabled.QRESYNC && s.enabled().add(ImapSession.Enabled.CONDSTORE)) {
                        done.append(" CONDSTORE");
                    }
                }
            }
            args.end();
            if (n == 0) {
                throw new SyntaxException("ENABLE needs at least one capability");
            }
            s.writeLine("* ENABLED" + done);
            return completedFuture("Enabled.");
        }
    }

    /** CLOSE (RFC 3501 6.4.2): silently expunges \Deleted messages when read-write, then deselects. */
    static final class Close implements ImapCommand {
        @Override
        public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws SyntaxException {
            args.end();
            var sel = s.selected();
            if (sel.readOnly()) {
                s.select(null);
                return completedFuture("Close completed.");
            }
            return s.blocking(() -> {
                var deleted = sel.mailbox().messages().stream()
                    .filter(m -> m.flags().contains(org.mailserver.storage.Flag.DELETED))
                    .map(org.mailserver.storage.MessageMeta::uid).toList();
                if (!deleted.isEmpty()) {
                    sel.mailbox().expunge(deleted);
                }
                return "Close completed.";
            }).thenApply(text -> {
                s.select(null); // no untagged EXPUNGE for CLOSE (RFC 3501 6.4.2)
                return text;
            });
        }
    }

    static String quote(String s) {
        return ImapStrings.quote(s);
    }

    static boolean loggedIn(ImapSession s) {
        return s.state() == SessionState.AUTHENTICATED || s.state() == SessionState.SELECTED;
    }
}
