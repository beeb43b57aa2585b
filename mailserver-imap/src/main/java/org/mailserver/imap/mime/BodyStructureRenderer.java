package org.mailserver.imap.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders BODY (non-extensible) and BODYSTRUCTURE (with extension data) of a parsed message
 * (RFC 3501 7.4.2 and its formal syntax body / body-type-1part / body-type-mpart / body-ext-*, RFC 9051
 * 7.5.2). Shape and defaults follow Dovecot, whose output the tests compare against: types and parameter
 * names keep the case they were sent in, text parts get {@code charset us-ascii} when they have none,
 * RFC 2231 parameters are left encoded, an absent encoding is {@code "7bit"}, Content-Language is always a
 * list, message/rfc822 parts carry the envelope, structure and line count of the message they hold.
 * Pure function; thread-safe.
 */
public final class BodyStructureRenderer {

    private BodyStructureRenderer() {
    }

    /** The value of BODYSTRUCTURE ({@code extended}) or BODY, starting with its opening parenthesis. */
    public static byte[] render(MimePart root, boolean extended, boolean utf8) {
        ImapOut out = new ImapOut(utf8);
        part(out, root, extended, true);
        return out.toBytes();
    }

    private static void part(ImapOut out, MimePart p, boolean ext) {
        part(out, p, ext, false);
    }

    private static void part(ImapOut out, MimePart p, boolean ext, boolean root) {
        out.raw('(');
        ContentType ct = p.contentType();
        if (p.isMultipart()) {
            for (MimePart child : p.children()) {
                part(out, child, ext);
            }
            out.raw(' ').string(ct.subtype());
            if (ext) {
                out.raw(' ');
                params(out, ct.params());
                out.raw(' ');
                dispositionLanguageLocation(out, p);
            }
            out.raw(')');
            return;
        }
        Header h = p.header();
        boolean plainDefault = root && isPlainDefault(p);
        if (plainDefault) {
            // Dovecot writes a top-level part that says no more than the defaults as the defaults, in lower case
            ct = ContentType.TEXT_PLAIN;
        }
        out.string(ct.type()).raw(' ').string(ct.subtype()).raw(' ');
        params(out, ct.params());
        out.raw(' ').nstring(h.value("Content-ID"));
        out.raw(' ').nstring(h.value("Content-Description"));
        out.raw(' ').string(plainDefault ? "7bit" : p.transferEncoding());
        out.raw(' ').number(p.bodySize());
        if (p.message() != null) {
            out.raw(' ');
            EnvelopeRenderer.write(out, p.message().header());
            out.raw(' ');
            part(out, p.message(), ext);
            out.raw(' ').number(p.bodyLines());
        } else if (ct.isText()) {
            out.raw(' ').number(p.bodyLines());
        }
        if (ext) {
            out.raw(' ').nstring(h.value("Content-MD5")).raw(' ');
            dispositionLanguageLocation(out, p);
        }
        out.raw(')');
    }

    /**
     * text/plain with no parameter but charset=us-ascii, 7bit, and none of Content-ID, -Description,
     * -MD5, -Disposition, -Language, -Location: a part that only restates RFC 2045's defaults.
     */
    private static boolean isPlainDefault(MimePart p) {
        ContentType ct = p.contentType();
        if (!ct.is("text", "plain") || ct.params().size() != 1 || !ct.params().get(0).name().equalsIgnoreCase("charset")
            || !ct.params().get(0).value().equalsIgnoreCase("us-ascii") || !p.transferEncoding().equalsIgnoreCase("7bit")) {
            return false;
        }
        Header h = p.header();
        for (String f : List.of("Content-ID", "Content-Description", "Content-MD5", "Content-Disposition", "Content-Language",
            "Content-Location")) {
            if (h.value(f) != null) {
                return false;
            }
        }
        return true;
    }

    private static void params(ImapOut out, List<ContentType.Param> params) {
        if (params.isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(');
        boolean first = true;
        for (ContentType.Param prm : params) {
            if (!first) {
                out.raw(' ');
            }
            first = false;
            out.string(prm.name()).raw(' ').string(prm.value());
        }
        out.raw(')');
    }

    /** body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void dispositionLanguageLocation(ImapOut out, MimePart p) {
        Header h = p.header();
        ContentType dsp = ContentType.parseDisposition(h.value("Content-Disposition"));
        if (dsp == null) {
            out.nil();
        } else {
            out.raw('(').string(dsp.type()).raw(' ');
            params(out, dsp.params());
            out.raw(')');
        }
        out.raw(' ');
        List<String> langs = languages(h.value("Content-Language"));
        if (langs.isEmpty()) {
            out.nil();
        } else {
            out.raw('(');
            for (int i = 0; i < langs.size(); i++) {
                if (i > 0) {
                    out.raw(' ');
                }
                out.string(langs.get(i));
            }
            out.raw(')');
        }
        out.raw(' ').nstring(h.value("Content-Location"));
    }

    /** RFC 3282 Content-Language: a comma-separated list of language tags, comments allowed. */
    static List<String> languages(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        ContentType.Lexer lx = new ContentType.Lexer(value);
        while (!lx.atEnd()) {
            String tag = lx.token();
            if (!tag.isEmpty()) {
                out.add(tag);
            }
            lx.skipCfws();
            if (!lx.atEnd()) {
                lx.pos++;
            }
        }
        return out;
    }
}
