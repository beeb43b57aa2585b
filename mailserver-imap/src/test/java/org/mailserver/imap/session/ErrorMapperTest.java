package org.mailserver.imap.session;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.UnknownCteException;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

class ErrorMapperTest {

    @Test
    void everyFailureKindHasItsReply() {
        assertEquals("NO [TRYCREATE] Mailbox doesn't exist: X", ErrorMapper.reply(ImapException.no("TRYCREATE", "Mailbox doesn't exist: X"), "u"));
        assertEquals("BAD Expected DONE.", ErrorMapper.reply(ImapException.bad("Expected DONE."), "u"));
        assertEquals("BAD Error in IMAP command: expected a space", ErrorMapper.reply(new SyntaxException("expected a space"), "u"));
        assertEquals("NO [OVERQUOTA] Quota exceeded",
            ErrorMapper.reply(new CompletionException(new StorageException(StorageError.OVER_QUOTA, "Quota exceeded")), "u"));
        assertEquals("NO [UNKNOWN-CTE] x-foo", ErrorMapper.reply(new UnknownCteException("x-foo"), "u"));
        String bug = ErrorMapper.reply(new NullPointerException("secret internals"), "u");
        assertTrue(bug.startsWith("NO [SERVERBUG]") && !bug.contains("secret"), bug);
        for (StorageError e : StorageError.values()) {
            assertFalse(ErrorMapper.code(e).isEmpty());
        }
        assertEquals("NONEXISTENT", ErrorMapper.code(StorageError.NOT_FOUND));
        assertEquals("ALREADYEXISTS", ErrorMapper.code(StorageError.EXISTS));
    }
}
