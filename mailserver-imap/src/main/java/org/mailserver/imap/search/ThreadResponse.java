package org.mailserver.imap.search;

import java.util.List;

/**
 * Formats THREAD results as the data of the untagged {@code * THREAD} response (RFC 5256 4,
 * thread-list): a chain of single children is written flat ({@code (1 2 3)}), several children each get
 * parentheses ({@code (1 (2)(3))}), a dummy parent (UID 0) is written as nothing ({@code ((4)(5))}).
 * Offered to the THREAD command shell; pure function.
 */
public final class ThreadResponse {

    private ThreadResponse() {
    }

    /** The thread lists, without the leading {@code THREAD} word (empty string when there are none). */
    public static String format(List<ThreadNode> threads) {
        StringBuilder sb = new StringBuilder();
        for (ThreadNode t : threads) {
            sb.append('(');
            members(t, sb);
            sb.append(')');
        }
        return sb.toString();
    }

    private static void members(ThreadNode node, StringBuilder sb) {
        // a chain of single children is written in a loop: long reply chains do not recurse
        boolean first = true;
        ThreadNode cur = node;
        while (true) {
            if (cur.uid() != 0) {
                sb.append(first ? "" : " ").append(cur.uid());
                first = false;
            }
            List<ThreadNode> children = cur.children();
            if (children.size() == 1) {
                cur = children.get(0);
                continue;
            }
            if (!children.isEmpty()) {
                if (!first) {
                    sb.append(' ');
                }
                for (ThreadNode c : children) {
                    sb.append('(');
                    members(c, sb);
                    sb.append(')');
                }
            }
            return;
        }
    }
}
