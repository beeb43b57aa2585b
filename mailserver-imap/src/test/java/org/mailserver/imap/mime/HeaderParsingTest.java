package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Address lists, Content-Type parameters, RFC 2047 decoding and the transfer decoders. */
@Timeout(5)
class HeaderParsingTest {

    @Test
    void addressListsWithGroupsRoutesCommentsAndMissingParts() {
        List<Address> a = Address.parseList("Team: a@x.test, \"B, Jr.\" <b@y.test>;, c@z.test (Cee), <@r1,@r2:d@w.test>, e, @nolocal.test");
        assertEquals(List.of(
            new Address(null, null, "Team", null),
            new Address(null, null, "a", "x.test"),
            new Address("B, Jr.", null, "b", "y.test"),
            new Address(null, null, null, null),
            new Address("Cee", null, "c", "z.test"),
            new Address(null, "@r1,@r2", "d", "w.test"),
            new Address(null, null, "e", Address.MISSING_DOMAIN),
            new Address(null, null, Address.MISSING_MAILBOX, "nolocal.test")), a);
        assertEquals(List.of(), Address.parseList(""));
        assertEquals(List.of(), Address.parseList(null));
        assertEquals(List.of(new Address("=?UTF-8?Q?J=C3=BCrgen?=", null, "j", "x.de")),
            Address.parseList("=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>"), "encoded words left as they are");
        assertEquals(List.of(new Address(null, null, "[odd]", "[127.0.0.1]")), Address.parseList("\"[odd]\"@[127.0.0.1]"));
    }

    @Test
    void emptyListElementsReadAsDovecotReadsThem() {
        Address missing = new Address(null, null, Address.MISSING_MAILBOX, Address.MISSING_DOMAIN);
        Address a = new Address(null, null, "a", "b.c");
        Address d = new Address(null, null, "d", "e.f");
        Address groupEnd = new Address(null, null, null, null);
        assertEquals(List.of(a), Address.parseList("a@b.c,"));
        assertEquals(List.of(missing, a), Address.parseList(", a@b.c"));
        assertEquals(List.of(a, missing, d), Address.parseList("a@b.c, , d@e.f"));
        assertEquals(List.of(a, missing), Address.parseList("a@b.c, (comment),"));
        assertEquals(List.of(), Address.parseList("(only a comment)"));
        assertEquals(List.of(new Address(null, null, "g", null), missing, missing, groupEnd), Address.parseList("g: ,;"));
        assertEquals(List.of(new Address(null, null, "g", null), a, missing, missing, groupEnd), Address.parseList("g: a@b.c,,;"));
        assertEquals(List.of(new Address(null, null, "g", null), groupEnd, missing), Address.parseList("g:;, ,"));
    }

    @Test
    void contentTypeParametersAndRfc2231() {
        ContentType ct = ContentType.parseContentType(
            "Text/HTML (comment); CharSet = \"ISO-8859-1\" ; name*0=\"a b\"; name*1=c; title*=us-ascii'en'%41", ContentType.TEXT_PLAIN);
        assertEquals("Text", ct.type());
        assertEquals("HTML", ct.subtype());
        assertEquals(List.of(new ContentType.Param("CharSet", "ISO-8859-1"), new ContentType.Param("name", "a bc"),
            new ContentType.Param("title*", "us-ascii'en'%41")), ct.params());
        assertEquals(ContentType.TEXT_PLAIN, ContentType.parseContentType("", ContentType.TEXT_PLAIN));
        assertEquals(ContentType.TEXT_PLAIN, ContentType.parseContentType("/", ContentType.TEXT_PLAIN));
        assertEquals(List.of(new ContentType.Param("charset", "us-ascii")),
            ContentType.parseContentType("text/plain", ContentType.TEXT_PLAIN).params(), "RFC 2045 5.2 default charset");
        assertNull(ContentType.parseDisposition("  "));
        assertEquals(List.of("en", "de-CH"), BodyStructureRenderer.languages("en (English), de-CH"));
    }

    @Test
    void encodedWordsAreDecodedForSearch() {
        assertEquals("Grüße aus München", HeaderDecoder.decode("=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?="));
        assertEquals("André x", HeaderDecoder.decode("=?ISO-8859-1?Q?Andr=E9?= x"));
        assertEquals("ab", HeaderDecoder.decode("=?UTF-8?Q?a?= \t =?UTF-8?Q?b?="), "space between words dropped");
        assertEquals("a_b c", HeaderDecoder.decode("=?us-ascii*en?Q?a=5Fb_c?="), "RFC 2231 language suffix");
        assertEquals("=?x-unknown?Q?a?=", HeaderDecoder.decode("=?x-unknown?Q?a?="), "unknown charset kept");
        assertEquals("été", HeaderDecoder.decode(new String("été".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)),
            "raw UTF-8 header bytes");
        assertEquals("\u00e9t\u00e9", HeaderDecoder.decode("\u00e9t\u00e9"), "raw Latin-1 bytes that are not UTF-8");
    }

    @Test
    void transferDecodings() {
        assertArrayEquals("Caf\u00e9 soft break".getBytes(StandardCharsets.ISO_8859_1),
            TransferDecoding.decode("Caf=E9 soft=\r\n break".getBytes(StandardCharsets.US_ASCII), "Quoted-Printable"));
        assertArrayEquals("a=zz b\r\nc".getBytes(StandardCharsets.US_ASCII),
            TransferDecoding.decode("a=zz b   \r\nc".getBytes(StandardCharsets.US_ASCII), "quoted-printable"),
            "bad escape kept, trailing white space dropped");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII),
            TransferDecoding.decode("aGVs\r\nbG8=\r\n".getBytes(StandardCharsets.US_ASCII), "BASE64"));
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII),
            TransferDecoding.decode("a G!k".getBytes(StandardCharsets.US_ASCII), "base64"), "junk skipped");
        assertNull(TransferDecoding.decode(new byte[0], "x-uuencode"));
        byte[] raw = {1, 2, (byte) 0xff};
        assertArrayEquals(raw, TransferDecoding.decode(raw, "binary"));
    }
}
