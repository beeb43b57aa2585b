package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The 8BITMIME to 7-bit conversion (RFC 6152 3, RFC 2045 6.7) on raw messages, checked with Jakarta Mail. */
@Timeout(10)
class EightBitDowngraderTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static EightBitDowngrader.Plan scan(byte[] m) throws Exception {
        return EightBitDowngrader.scan(new ByteArrayInputStream(m));
    }

    /** Converts through both entry points and checks they agree with each other and with the announced size. */
    static byte[] convert(byte[] m) throws Exception {
        EightBitDowngrader.Plan plan = scan(m);
        assertTrue(plan.eightBit());
        assertNull(plan.refusal(), plan.refusal());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EightBitDowngrader.convert(new ByteArrayInputStream(m), plan, out);
        byte[] streamed;
        try (InputStream in = EightBitDowngrader.converting(new ByteArrayInputStream(m), plan)) {
            streamed = in.readAllBytes();
        }
        assertArrayEquals(out.toByteArray(), streamed);
        assertEquals(plan.convertedSize(), streamed.length);
        for (byte b : streamed) {
            assertTrue(b >= 0, "8-bit octet left in the output");
        }
        return streamed;
    }

    static MimeMessage parse(byte[] b) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(b));
    }

    static String text(Part p) throws Exception {
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void simpleTextPlainBecomesQuotedPrintable() throws Exception {
        byte[] m = utf8("Received: from a by b; Sun, 22 Nov 2026 18:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nSubject: hi\r\n\r\n"
            + "Gr\u00fc\u00dfe aus K\u00f6ln\r\n= sign\r\n");
        byte[] out = convert(m);
        String s = ascii(out);
        assertTrue(s.startsWith("Received: from a by b; Sun, 22 Nov 2026 18:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nSubject: hi\r\n\r\n"), s);
        assertTrue(s.endsWith("\r\n\r\nGr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n=3D sign\r\n"), s);
        assertEquals("Gr\u00fc\u00dfe aus K\u00f6ln\r\n= sign\r\n", text(parse(out)));
    }

    @Test
    void nonMimeMessageGetsMimeVersionAndEncodingHeaders() throws Exception {
        byte[] out = convert(utf8("Subject: x\r\n\r\nna\u00efve\r\n"));
        assertEquals("Subject: x\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nna=C3=AFve\r\n",
            ascii(out));
    }

    @Test
    void multipartAlternativeKeepsTheSevenBitPartByteForByte() throws Exception {
        String plainPart = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "plain ascii \r\nline two\r\n";
        byte[] m = utf8("MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary=\"b1=_x\"\r\n\r\n"
            + "preamble\r\n--b1=_x\r\n" + plainPart + "--b1=_x\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>\u00e9t\u00e9</p>\r\n--b1=_x--\r\nepilogue\r\n");
        byte[] out = convert(m);
        String s = ascii(out);
        assertTrue(s.contains("\r\n--b1=_x\r\n" + plainPart + "--b1=_x\r\n"), s);
        assertTrue(s.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<p>=C3=A9t=C3=A9</p>\r\n--b1=_x--\r\nepilogue\r\n"), s);
        Multipart mp = (Multipart) parse(out).getContent();
        assertEquals(2, mp.getCount());
        assertEquals("plain ascii \r\nline two", text(mp.getBodyPart(0)));
        assertEquals("<p>\u00e9t\u00e9</p>", text(mp.getBodyPart(1)));
    }

    @Test
    void nestedMultipartIsWalkedByItsOwnBoundary() throws Exception {
        byte[] m = utf8("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
            + "--inner\r\nContent-Type: text/plain\r\n\r\nseven bit\r\n"
            + "--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00c5ngstr\u00f6m\r\n"
            + "--inner--\r\n"
            + "--outer\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
            + "--outer--\r\n");
        byte[] out = convert(m);
        String s = ascii(out);
        assertTrue(s.contains("--inner\r\nContent-Type: text/plain\r\n\r\nseven bit\r\n--inner\r\n"), s);
        assertTrue(s.contains("base64\r\n\r\nAAEC\r\n--outer--\r\n"), s);
        Multipart outer = (Multipart) parse(out).getContent();
        Multipart inner = (Multipart) outer.getBodyPart(0).getContent();
        assertEquals("seven bit", text(inner.getBodyPart(0)));
        assertEquals("\u00c5ngstr\u00f6m", text(inner.getBodyPart(1)));
        assertEquals("quoted-printable", inner.getBodyPart(1).getHeader("Content-Transfer-Encoding")[0]);
    }

    @Test
    void messageRfc822PartIsConvertedInsideNotEncoded() throws Exception {
        byte[] m = utf8("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
            + "--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--zz\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Subject: inner\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nd\u00e9j\u00e0 vu\r\n"
            + "--zz--\r\n");
        byte[] out = convert(m);
        String s = ascii(out);
        // RFC 2045 6.4: the message/rfc822 part keeps its identity encoding; its own body part is encoded.
        assertTrue(s.contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: inner\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "d=C3=A9j=C3=A0 vu\r\n--zz--"), s);
        Multipart mp = (Multipart) parse(out).getContent();
        BodyPart attached = mp.getBodyPart(1);
        MimeMessage inner = (MimeMessage) attached.getContent();
        assertEquals("inner", inner.getSubject());
        assertEquals("d\u00e9j\u00e0 vu", text(inner).strip());
    }

    @Test
    void eightBitHeadersAreRefused() throws Exception {
        EightBitDowngrader.Plan p = scan(utf8("Subject: gr\u00fc\u00dfe\r\n\r\nbody \u00e9\r\n"));
        assertTrue(p.eightBit());
        assertNotNull(p.refusal());
        assertTrue(p.refusal().contains("header"), p.refusal());
        EightBitDowngrader.Plan part = scan(utf8("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n"
            + "--q\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"\u00e9.txt\"\r\n\r\nx\r\n--q--\r\n"));
        assertNotNull(part.refusal());
    }

    @Test
    void eightBitInAnEncodedPartOrPreambleIsRefused() throws Exception {
        assertNotNull(scan(utf8("MIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\n\u00e9\r\n")).refusal());
        assertNotNull(scan(utf8("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n\u00e9 preamble\r\n"
            + "--q\r\n\r\nx\r\n--q--\r\n")).refusal());
    }

    @Test
    void sevenBitMessageIsLeftAlone() throws Exception {
        byte[] m = utf8("MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nascii only\r\n");
        EightBitDowngrader.Plan p = scan(m);
        assertFalse(p.eightBit());
        assertNull(p.refusal());
        assertEquals(m.length, p.convertedSize());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EightBitDowngrader.convert(new ByteArrayInputStream(m), p, out);
        assertArrayEquals(m, out.toByteArray());
    }

    @Test
    void longLinesAreSoftBrokenAt76() throws Exception {
        String line = "\u00e9".repeat(30) + "x".repeat(100) + " = " + "y".repeat(80);
        byte[] out = convert(utf8("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + line + "\r\nend\r\n"));
        String s = ascii(out);
        String body = s.substring(s.indexOf("\r\n\r\n") + 4);
        for (String l : body.split("\r\n")) {
            assertTrue(l.length() <= 76, l.length() + ": " + l);
        }
        assertTrue(body.split("\r\n").length > 4);
        assertEquals(line + "\r\nend\r\n", text(parse(out)));
    }

    @Test
    void trailingWhiteSpaceIsEncoded() throws Exception {
        byte[] out = convert(utf8("MIME-Version: 1.0\r\n\r\ncaf\u00e9 \r\ntab\t\r\nmid dle\r\n"));
        String s = ascii(out);
        assertTrue(s.endsWith("\r\n\r\ncaf=C3=A9=20\r\ntab=09\r\nmid dle\r\n"), s);
        assertEquals("caf\u00e9 \r\ntab\t\r\nmid dle\r\n", text(parse(out)));
    }

    @Test
    void digestPartsDefaultToMessageRfc822AndFoldedEncodingHeadersAreReplacedWhole() throws Exception {
        byte[] m = utf8("MIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n"
            + "--d\r\n\r\nSubject: first\r\nContent-Transfer-Encoding:\r\n 8bit\r\nX-After: kept\r\n\r\n\u00e9\r\n--d--\r\n");
        String s = ascii(convert(m));
        // RFC 2046 5.1.5: the part without headers is a message/rfc822, so its inner body is what gets encoded.
        assertTrue(s.contains("--d\r\n\r\nSubject: first\r\nContent-Transfer-Encoding: quoted-printable\r\nX-After: kept\r\n"
            + "MIME-Version: 1.0\r\n\r\n=C3=A9\r\n--d--\r\n"), s);
    }
}
