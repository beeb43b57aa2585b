package org.mailserver.storage.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LocalDeliveryAgent#deliveredToHeaders}: the loop check's header scan, line ends as readLine's. */
@Timeout(10)
class DeliveredToHeadersTest {
    private static Set<String> scan(String message) throws Exception {
        return LocalDeliveryAgent.deliveredToHeaders(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void crlfHeaderStopsAtTheEmptyLine() throws Exception {
        assertEquals(Set.of("alice@example.org", "bob@example.org"),
            scan("Delivered-To: Alice@Example.org\r\nSubject: x\r\ndelivered-to:bob@example.org \r\n\r\nDelivered-To: body@example.org\r\n"));
    }

    @Test
    void bareLfAndBareCrEndLinesToo() throws Exception {
        assertEquals(Set.of("a@x.test", "b@x.test"), scan("Delivered-To: a@x.test\nDelivered-To: b@x.test\r\rDelivered-To: c@x.test\n"));
    }

    @Test
    void lastLineWithoutEndAndLongLinesAcrossBufferBoundaries() throws Exception {
        String pad = "X-Pad: " + "y".repeat(5000) + "\r\n";
        assertEquals(Set.of("z@x.test"), scan(pad + "Delivered-To: z@x.test"));
        assertEquals(Set.of(), scan("\r\nDelivered-To: z@x.test\r\n"));
    }
}
