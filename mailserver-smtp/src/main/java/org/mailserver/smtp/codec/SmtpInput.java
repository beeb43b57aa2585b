package org.mailserver.smtp.codec;

/**
 * What {@link SmtpDecoder} produces from the client's bytes: session code never sees raw bytes.
 * A command line, a SASL response line, a piece of message content (DATA, already dot-unstuffed,
 * or a BDAT chunk), the end of that content, or an input error the session must answer.
 */
public sealed interface SmtpInput {

    /** One command line without its CRLF, decoded as UTF-8 (RFC 6531 allows UTF-8 in commands). */
    record CommandLine(String line) implements SmtpInput {
    }

    /** One line sent during an AUTH exchange (RFC 4954 section 4), without its CRLF. */
    record SaslLine(String line) implements SmtpInput {
    }

    /** Message content: CRLF lines, dot-unstuffed for DATA; raw octets for BDAT. */
    record Content(byte[] bytes) implements SmtpInput {
    }

    /** End of DATA (the {@code <CRLF>.<CRLF>} sequence) or end of the current BDAT chunk. */
    record ContentEnd() implements SmtpInput {
    }

    /** Input the decoder refused; the decoder has already skipped the offending line where it could. */
    record InputError(Kind kind) implements SmtpInput {
    }

    /** The closed set of input errors. */
    enum Kind {
        /** A command line longer than the limit (RFC 5321 4.5.3.1.4); the line was discarded. */
        LINE_TOO_LONG,
        /** A line ended in LF without CR (RFC 5321 2.3.8) while bare newlines are refused. */
        BARE_LF,
        /** A CR not followed by LF (RFC 5321 2.3.8) while bare newlines are refused. */
        BARE_CR,
        /** A NUL octet (RFC 5322 forbids it in messages; it has no place in commands either). */
        NUL
    }
}
