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
        part(out, root, extended);
        return out.toBytes();
    }

    private static void part(ImapOut out, MimePart p, boolean ext) {
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
        out.string(ct.type()).raw(' ').string(ct.subtype()).raw(' ');
        params(out, ct.params());
        out.raw(' ').nstring(h.value("Content-ID"));
        out.raw(' ').nstring(h.value("Content-Description"));
        out.raw(' ').string(p.transferEncoding());
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
