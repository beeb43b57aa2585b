package org.mailserver.imap.command;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.Literal;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * APPEND mailbox [(flags)] [date-time] literal (RFC 3501 6.3.11), or {@code UTF8 (~{n}...)} after ENABLE
 * UTF8=ACCEPT (RFC 6855 4), with UIDPLUS APPENDUID (RFC 4315) and
 * APPENDLIMIT (RFC 7889; the decoder already refused larger literals with NO [TOOBIG]). A missing mailbox is
 * {@code NO [TRYCREATE]}. The literal may be spooled on disk; it is streamed to the store.
 */
final class AppendCommand implements ImapCommand {
    /** RFC 3501 date-time, day possibly space-padded. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        String name = Names.read(s, args);
        args.sp();
        List<String> flagNames = List.of();
        if (args.peekIs('(')) {
            flagNames = args.list(RequestReader::flag);
            args.sp();
        }
        Instant date = null;
        if (args.peekIs('"')) {
            String text = args.string();
            try {
                date = ZonedDateTime.parse(text.trim(), DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new SyntaxException("Invalid date-time " + text);
            }
            args.sp();
        }
        Literal message;
        if (args.acceptWord("UTF8")) {
            // RFC 6855 4: APPEND ... UTF8 (literal8) carries a message with UTF-8 headers
            if (!s.utf8()) {
                throw ImapException.bad("UTF8 APPEND data needs ENABLE UTF8=ACCEPT");
            }
            args.sp();
            args.expect('(');
            if (!args.peekIs('~') || !args.atLiteral()) {
                throw new SyntaxException("UTF8 APPEND data must be a literal8");
            }
            message = args.literal();
            args.expect(')');
        } else {
            if (!args.atLiteral()) {
                throw new SyntaxException("APPEND needs the message as a literal");
            }
            message = args.literal();
        }
        args.end();
        if (message.size() == 0) {
            throw ImapException.no(null, "Can't save a zero byte message.");
        }
        Flags flags = Flags.of(flagNames);
        Instant internalDate = date == null ? Instant.now() : date;
        return s.blocking(() -> {
            Mailbox mb;
            try {
                mb = s.store().open(name);
            } catch (StorageException e) {
                if (e.error() == StorageError.NOT_FOUND) {
                    throw ImapException.no("TRYCREATE", "Mailbox doesn't exist: " + name);
                }
                throw e;
            }
            try (mb; InputStream in = message.openStream()) {
                return mb.append(in, flags.system(), flags.keywords(), internalDate);
            }
        }).thenApply(r -> "[APPENDUID " + r.uidValidity() + " " + r.uid() + "] Append completed.");
    }
}
