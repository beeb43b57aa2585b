package org.mailserver.imap.mime;

import java.util.Arrays;
import java.util.List;
import org.mailserver.imap.fetch.UnknownCteException;

/**
 * BINARY[section] content (RFC 3516 3 and 4.2): the part's body with its Content-Transfer-Encoding
 * removed. BINARY[] (no part) is the whole message unchanged; a multipart or message/rfc822 part is
 * returned as it is (it has no encoding of its own to remove, RFC 2045 6.4); a part that does not exist is
 * empty. An encoding we cannot decode raises {@link UnknownCteException} (RFC 3516 4.3: NO [UNKNOWN-CTE]).
 */
public final class BinaryDecoder {

    private BinaryDecoder() {
    }

    public static byte[] decode(MimePart root, List<Integer> part) throws UnknownCteException {
        if (part.isEmpty()) {
            return Arrays.copyOfRange(root.data(), root.start(), root.bodyEnd());
        }
        MimePart p = SectionExtractor.resolve(root, part);
        if (p == null) {
            return new byte[0];
        }
        byte[] body = p.bodyBytes();
        if (p.isMultipart() || p.message() != null) {
            return body;
        }
        byte[] decoded = TransferDecoding.decode(body, p.transferEncoding());
        if (decoded == null) {
            throw new UnknownCteException("unknown Content-Transfer-Encoding " + p.transferEncoding());
        }
        return decoded;
    }
}
