package org.mailserver.imap.search;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailserver.storage.StorageException;

/**
 * THREAD=REFERENCES and THREAD=ORDEREDSUBJECT (RFC 5256 3): the steps of the REFERENCES algorithm are
 * numbered as in the RFC (1 A-C link by Message-ID / References / In-Reply-To, 2 root set, 4 prune dummies,
 * 5 sort the root set, 6 group by base subject, 7 sort siblings). Dates are sent dates (Date: in UTC, else
 * the internal date); ties go by sequence number. A dummy container is rendered as a {@link ThreadNode}
 * with UID 0. Works only on data from {@link MessageFacts}, so a warm cache opens no file.
 */
public final class Threader {

    private Threader() {
    }

    /** A node of the thread tree: a message (facts non-null) or a dummy. */
    private static final class Container {
        final String id;
        MessageFacts facts;
        int seq;
        Instant date;
        BaseSubject subject;
        Container parent;
        final List<Container> children = new ArrayList<>();

        Container(String id) {
            this.id = id;
        }

        boolean isDummy() {
            return facts == null;
        }
    }

    static List<ThreadNode> references(List<MessageFacts> messages) throws StorageException {
        Map<String, Container> ids = new LinkedHashMap<>();
        int unique = 0;
        for (int seq = 0; seq < messages.size(); seq++) {
            MessageFacts f = messages.get(seq);
            // 1.A: the message's own container; a missing or duplicate Message-ID gets a unique one
            List<String> own = MessageIds.parse(f.raw("Message-ID"));
            String mid = own.isEmpty() ? null : own.get(0);
            Container c = mid == null ? null : ids.get(mid);
            if (mid == null || (c != null && !c.isDummy())) {
                mid = "\u0000unique-" + unique++;
                c = null;
            }
            if (c == null) {
                c = new Container(mid);
                ids.put(mid, c);
            }
            c.facts = f;
            c.seq = seq;
            c.date = f.sentInstant();
            c.subject = BaseSubject.of(f.raw("Subject"));
            List<String> refs = MessageIds.parse(f.raw("References"));
            if (refs.isEmpty()) {
                List<String> irt = MessageIds.parse(f.raw("In-Reply-To"));
                refs = irt.isEmpty() ? List.of() : List.of(irt.get(0));
            }
            // 1.B: link the references in order, never changing an existing parent, never making a loop
            Container prev = null;
            for (String ref : refs) {
                Container r = ids.computeIfAbsent(ref, Container::new);
                if (prev != null && r.parent == null && !wouldLoop(prev, r)) {
                    link(prev, r);
                }
                prev = r;
            }
            // 1.C: the last reference is the parent; an existing parent link is replaced
            if (c.parent != null) {
                c.parent.children.remove(c);
                c.parent = null;
            }
            if (prev != null && !wouldLoop(prev, c)) {
                link(prev, c);
            }
        }
        // 2: the root set
        List<Container> roots = new ArrayList<>();
        for (Container c : ids.values()) {
            if (c.parent == null) {
                roots.add(c);
            }
        }
        // 4: prune dummies
        prune(roots);
        // 5: sort the root set by date (a dummy by its first child after sorting its children)
        for (Container r : roots) {
            if (r.isDummy()) {
                r.children.sort(BY_DATE);
            }
        }
        roots.sort(BY_DATE);
        // 6: gather threads with the same base subject
        roots = groupBySubject(roots);
        // 7: sort all siblings, deepest first
        sortTree(roots);
        return toNodes(roots);
    }

    static List<ThreadNode> orderedSubject(List<MessageFacts> messages) throws StorageException {
        List<Container> all = new ArrayList<>();
        for (int seq = 0; seq < messages.size(); seq++) {
            Container c = new Container(null);
            c.facts = messages.get(seq);
            c.seq = seq;
            c.date = c.facts.sentInstant();
            c.subject = BaseSubject.of(c.facts.raw("Subject"));
            all.add(c);
        }
        all.sort(Comparator.comparing((Container c) -> TextFolding.asciiUpper(c.subject.base())).thenComparing(BY_DATE));
        List<Container> roots = new ArrayList<>();
        Container head = null;
        for (Container c : all) {
            if (head != null && TextFolding.asciiUpper(head.subject.base()).equals(TextFolding.asciiUpper(c.subject.base()))) {
                head.children.add(c);
            } else {
                head = c;
                roots.add(c);
            }
        }
        roots.sort(BY_DATE);
        return toNodes(roots);
    }

    private static final Comparator<Container> BY_DATE = Comparator
        .comparing((Container c) -> sortKey(c).date).thenComparingInt(c -> sortKey(c).seq);

    /** The container whose date sorts this one: itself, or a dummy's first child (RFC 5256 3 steps 5 and 7). */
    private static Container sortKey(Container c) {
        while (c.isDummy() && !c.children.isEmpty()) {
            c = c.children.get(0);
        }
        return c.isDummy() ? DUMMY_LAST : c;
    }

    private static final Container DUMMY_LAST = dummyLast();

    private static Container dummyLast() {
        Container c = new Container(null);
        c.date = Instant.MAX;
        c.seq = Integer.MAX_VALUE;
        return c;
    }

    private static void link(Container parent, Container child) {
        child.parent = parent;
        parent.children.add(child);
    }

    /** True when making {@code child} a child of {@code parent} would create a loop. */
    private static boolean wouldLoop(Container parent, Container child) {
        if (child.children.isEmpty()) {
            return parent == child; // nothing below the child: only a self-link would loop
        }
        for (Container p = parent; p != null; p = p.parent) {
            if (p == child) {
                return true;
            }
        }
        return false;
    }

    /** Every container under {@code roots}, parents before children (breadth first); iterative, so long reply chains cannot overflow the stack. */
    private static List<Container> breadthFirst(List<Container> roots) {
        List<Container> out = new ArrayList<>(roots);
        for (int i = 0; i < out.size(); i++) {
            out.addAll(out.get(i).children);
        }
        return out;
    }

    /**
     * RFC 5256 3 step 4: delete empty dummies; splice a dummy's children into its level, except at the root
     * with more than one. Deepest levels first, as the RFC's recursive walk does.
     */
    private static void prune(List<Container> roots) {
        List<Container> all = breadthFirst(roots);
        for (int i = all.size() - 1; i >= 0; i--) {
            pruneLevel(all.get(i).children, false);
        }
        pruneLevel(roots, true);
    }

    private static void pruneLevel(List<Container> level, boolean root) {
        for (int i = 0; i < level.size(); ) {
            Container c = level.get(i);
            if (c.isDummy() && c.children.isEmpty()) {
                level.remove(i);
            } else if (c.isDummy() && (!root || c.children.size() == 1)) {
                level.remove(i);
                for (Container child : c.children) {
                    child.parent = root ? null : c.parent;
                }
                level.addAll(i, c.children);
                i += c.children.size();
            } else {
                i++;
            }
        }
    }

    private static BaseSubject subjectOf(Container c) {
        Container k = c.isDummy() && !c.children.isEmpty() ? c.children.get(0) : c;
        return k.subject == null ? new BaseSubject("", false) : k.subject;
    }

    /** RFC 5256 3 step 6. */
    private static List<Container> groupBySubject(List<Container> roots) {
        Map<String, Container> table = new HashMap<>();
        for (Container c : roots) {
            String s = TextFolding.asciiUpper(subjectOf(c).base());
            if (s.isEmpty()) {
                continue;
            }
            Container old = table.get(s);
            if (old == null
                || (c.isDummy() && !old.isDummy())
                || (!old.isDummy() && old.subject.isReplyOrForward() && !c.isDummy() && !c.subject.isReplyOrForward())) {
                table.put(s, c);
            }
        }
        List<Container> out = new ArrayList<>(roots);
        for (Container c : roots) {
            String s = TextFolding.asciiUpper(subjectOf(c).base());
            Container old = s.isEmpty() ? null : table.get(s);
            if (old == null || old == c) {
                continue;
            }
            out.remove(c);
            if (old.isDummy() && c.isDummy()) {
                for (Container child : c.children) {
                    link(old, child);
                }
            } else if (old.isDummy()) {
                link(old, c);
            } else if (!c.isDummy() && c.subject.isReplyOrForward() && !old.subject.isReplyOrForward()) {
                link(old, c);
            } else {
                Container dummy = new Container(null);
                int at = out.indexOf(old);
                out.set(at, dummy);
                link(dummy, old);
                if (c.isDummy()) {
                    for (Container child : c.children) {
                        link(dummy, child);
                    }
                } else {
                    link(dummy, c);
                }
                table.put(s, dummy);
            }
        }
        return out;
    }

    /** RFC 5256 3 step 7: children before parents, so a dummy sorts by its already sorted first child. */
    private static void sortTree(List<Container> roots) {
        List<Container> all = breadthFirst(roots);
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).children.sort(BY_DATE);
        }
        roots.sort(BY_DATE);
    }

    private static List<ThreadNode> toNodes(List<Container> roots) {
        List<Container> all = breadthFirst(roots);
        java.util.Map<Container, ThreadNode> nodes = new java.util.IdentityHashMap<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Container c = all.get(i);
            List<ThreadNode> children = new ArrayList<>(c.children.size());
            for (Container child : c.children) {
                children.add(nodes.get(child));
            }
            nodes.put(c, new ThreadNode(c.isDummy() ? 0 : c.facts.meta().uid(), children));
        }
        List<ThreadNode> out = new ArrayList<>(roots.size());
        for (Container r : roots) {
            out.add(nodes.get(r));
        }
        return out;
    }
}
