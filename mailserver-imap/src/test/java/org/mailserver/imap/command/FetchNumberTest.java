package org.mailserver.imap.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FETCH writes UIDs, sizes and sequence numbers as digits without a String each: same text as Long.toString. */
@Timeout(10)
class FetchNumberTest {

    @Test
    void numbersAsDecimalAscii() {
        for (long n : new long[] {0, 1, 9, 10, 99, 100, 4294967295L, 4294967296L, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('x');
            FetchCommand.writeNumber(out, n);
            assertEquals("x" + n, out.toString(StandardCharsets.US_ASCII));
        }
    }
}
