package org.mailserver.imap.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns raw header values (ISO-8859-1 strings of the bytes, as {@link Header} gives them) into text for
 * SEARCH, SORT and THREAD: raw 8-bit bytes are read as UTF-8 when they are valid UTF-8 (RFC 6532), else
 * as ISO-8859-1; RFC 2047 encoded words are decoded (B and Q, any charset Java knows, RFC 2231 language
 * suffix ignored), white space between adjacent encoded words dropped (RFC 2047 6.2). Undecodable words
 * stay as they are. ENVELOPE and BODYSTRUCTURE never use this: they show headers as sent.
 */
public final class HeaderDecoder {

    private HeaderDecoder() {
    }

    public static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String text = bytesToText(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (!text.contains("=?")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        int lastWordEnd = -1;
        while (pos < text.length()) {
            int start = text.indexOf("=?", pos);
            if (start < 0) {
                break;
            }
            int q1 = text.indexOf('?', start + 2);
            int q2 = q1 < 0 ? -1 : text.indexOf('?', q1 + 1);
            int end = q2 < 0 ? -1 : text.indexOf("?=", q2 + 1);
            if (q1 < 0 || q2 != q1 + 2 || end < 0) {
                out.append(text, pos, start + 2);
                pos = start + 2;
                continue;
            }
            String decoded = word(text.substring(start + 2, q1), text.charAt(q1 + 1), text.substring(q2 + 1, end));
            if (decoded == null) {
                out.append(text, pos, end + 2);
            } else {
                String between = text.substring(pos, start);
                if (!(lastWordEnd == pos && between.isBlank())) {
                    out.append(between);
                }
                out.append(decoded);
                lastWordEnd = end + 2;
            }
            pos = end + 2;
        }
        out.append(text, pos, text.length());
        return out.toString();
    }

    private static String word(String charsetName, char encoding, String payload) {
        int star = charsetName.indexOf('*'); // RFC 2231 5: charset*language
        if (star >= 0) {
            charsetName = charsetName.substring(0, star);
        }
        Charset cs = charset(charsetName);
        if (cs == null) {
            return null;
        }
        byte[] bytes;
        switch (Character.toUpperCase(encoding)) {
            case 'B' -> bytes = TransferDecoding.base64(payload.getBytes(StandardCharsets.ISO_8859_1));
            case 'Q' -> bytes = TransferDecoding.quotedPrintable(payload.replace('_', ' ').getBytes(StandardCharsets.ISO_8859_1));
            default -> {
                return null;
            }
        }
        return bytesToText(bytes, cs);
    }

    /** A charset by MIME name; null when Java does not know it. */
    public static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            String n = name.trim().toLowerCase(Locale.ROOT);
            return Charset.forName(n.equals("utf8") ? "utf-8" : n);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Bytes in {@code cs}; when they are not valid in it, UTF-8, else ISO-8859-1 (every byte maps to a char). */
    public static String bytesToText(byte[] bytes, Charset cs) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            if (!cs.equals(StandardCharsets.UTF_8)) {
                return bytesToText(bytes, StandardCharsets.UTF_8); // mislabelled UTF-8 is the common case
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
