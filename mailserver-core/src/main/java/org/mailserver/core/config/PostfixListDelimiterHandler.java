package org.mailserver.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.commons.configuration2.convert.AbstractListDelimiterHandler;

/**
 * Commons Configuration list splitting with Postfix rules: items are separated by commas and/or
 * white space, and a {@code {...}} group stays one item with its inner spaces (so
 * {@code inline:{ a=b, { c = d e } }} is one lookup table, as in Postfix 3). Used by
 * {@link ConfigurationSettings#getList}; the configuration itself keeps values whole (its own
 * delimiter handling is disabled) so a free-text value such as a banner is never cut at commas.
 */
public final class PostfixListDelimiterHandler extends AbstractListDelimiterHandler {
    public static final PostfixListDelimiterHandler INSTANCE = new PostfixListDelimiterHandler();

    @Override
    protected Collection<String> splitString(String s, boolean trim) {
        return split(s);
    }

    @Override
    protected String escapeString(String s) {
        return s;
    }

    @Override
    public Object escapeList(List<?> values, org.apache.commons.configuration2.convert.ValueTransformer transformer) {
        StringBuilder out = new StringBuilder();
        for (Object v : values) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(transformer.transformValue(v));
        }
        return out.toString();
    }

    /** Splits a Postfix list value; an empty or null value gives an empty list. */
    public static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
            if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
