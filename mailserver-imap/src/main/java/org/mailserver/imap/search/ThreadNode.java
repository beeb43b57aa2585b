package org.mailserver.imap.search;

import java.util.List;

/**
 * One node of a THREAD result (RFC 5256 4): a message (by UID) and its children. A UID of 0 is a
 * placeholder for a missing parent (the response then starts with a nested list).
 */
public record ThreadNode(long uid, List<ThreadNode> children) {
    public ThreadNode {
        children = List.copyOf(children);
    }
}
