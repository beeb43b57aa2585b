package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.mailserver.imap.codec.ModifiedUtf7;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxInfo;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageException;

/**
 * LIST (RFC 3501 6.3.8 with RFC 5258 LIST-EXTENDED: selection options SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE,
 * REMOTE; return options SUBSCRIBED, CHILDREN, SPECIAL-USE and STATUS of RFC 5819) and LSUB (6.3.9).
 * \HasChildren/\HasNoChildren and special-use attributes are always sent (RFC 5258 allows it; clients use them).
 */
final class ListCommand implements ImapCommand {
    private final boolean lsub;

    ListCommand(boolean lsub) {
        this.lsub = lsub;
    }

    private static final class Options {
        boolean selSubscribed;
        boolean recursiveMatch;
        boolean selSpecialUse;
        boolean retSubscribed;
        List<String> status;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        Options o = new Options();
        args.sp();
        if (!lsub && args.peekIs('(')) {
            for (String opt : args.list(RequestReader::atom)) {
                switch (opt.toUpperCase(Locale.ROOT)) {
                    case "SUBSCRIBED" -> o.selSubscribed = true;
                    case "RECURSIVEMATCH" -> o.recursiveMatch = true;
                    case "SPECIAL-USE" -> o.selSpecialUse = true;
                    case "REMOTE" -> { }
                    default -> throw new SyntaxException("unknown LIST selection option " + opt);
                }
            }
            if (o.recursiveMatch && !o.selSubscribed) {
                throw new SyntaxException("RECURSIVEMATCH needs another selection option"); // RFC 5258 3
            }
            args.sp();
        }
        String reference = args.astring();
        args.sp();
        List<String> patterns = args.peekIs('(') && !lsub ? args.list(RequestReader::listMailbox) : List.of(args.listMailbox());
        if (!lsub && args.acceptSp()) {
            if (!args.acceptWord("RETURN")) {
                throw new SyntaxException("expected RETURN");
            }
            args.sp();
            args.expect('(');
            if (!args.peekIs(')')) {
                do {
                    String opt = args.atom().toUpperCase(Locale.ROOT);
                    switch (opt) {
                        case "SUBSCRIBED" -> o.retSubscribed = true;
                        case "CHILDREN", "SPECIAL-USE" -> { }
                        case "STATUS" -> {
                            args.sp();
                            o.status = StatusCommand.readItems(args);
                        }
                        default -> throw new SyntaxException("unknown LIST return option " + opt);
                    }
                } while (args.acceptSp());
            }
            args.expect(')');
        }
        args.end();
        if (lsub) {
            o.selSubscribed = true;
        }
        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !lsub) {
            // RFC 3501 6.3.8: an empty pattern asks for the hierarchy delimiter
            s.writeLine("* LIST (\\Noselect) \"/\" \"\"");
            return java.util.concurrent.CompletableFuture.completedFuture("List completed.");
        }
        List<Pattern> regexes = new ArrayList<>();
        for (String p : patterns) {
            String decoded = s.utf8() ? p : ModifiedUtf7.decode(p);
            String ref = s.utf8() ? reference : ModifiedUtf7.decode(reference);
            regexes.add(toRegex(Names.normalise(ref + decoded)));
        }
        return s.blocking(() -> lines(s, o, regexes)).thenApply(lines -> {
            lines.forEach(s::writeLine);
            return (lsub ? "Lsub" : "List") + " completed.";
        });
    }

    private List<String> lines(ImapSession s, Options o, List<Pattern> regexes) throws StorageException {
        MailStore store = s.store();
        Map<String, MailboxInfo> all = new LinkedHashMap<>();
        for (MailboxInfo m : store.list()) {
            all.put(m.name(), m);
        }
        Set<String> subscribed = store.subscriptions();
        List<String> out = new ArrayList<>();
        String verb = lsub ? "LSUB" : "LIST";
        if (o.selSubscribed) {
            for (String name : subscribed) {
                if (!matches(regexes, name)) {
                    continue;
                }
                MailboxInfo info = all.get(name);
                List<String> attrs = new ArrayList<>();
                if (info == null) {
                    attrs.add(lsub ? "\\Noselect" : "\\NonExistent");
                } else {
                    addAttributes(info, attrs, lsub);
                }
                if (!lsub) {
                    attrs.add("\\Subscribed");
                }
                if (o.selSpecialUse && (info == null || info.specialUse().isEmpty())) {
                    continue;
                }
                out.add("* " + verb + " (" + String.join(" ", attrs) + ") \"/\" " + Names.toWire(s, name));
                addStatus(s, o, info, out);
            }
            if (lsub) {
                // RFC 3501 6.3.9: a "%" that stops at an unsubscribed parent of a subscribed name lists it \Noselect
                java.util.Set<String> parents = new java.util.TreeSet<>();
                for (String name : subscribed) {
                    for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                        String parent = name.substring(0, i);
                        if (!subscribed.contains(parent) && matches(regexes, parent)) {
                            parents.add(parent);
                        }
                    }
                }
                for (String parent : parents) {
                    out.add("* LSUB (\\Noselect) \"/\" " + Names.toWire(s, parent));
                }
            }
            if (o.recursiveMatch) {
                // RFC 5258 3.5: parents that match but are not themselves subscribed, with a subscribed child
                for (MailboxInfo info : all.values()) {
                    if (!subscribed.contains(info.name()) && matches(regexes, info.name())
                        && subscribed.stream().anyMatch(n -> n.startsWith(info.name() + "/"))) {
                        out.add("* LIST () \"/\" " + Names.toWire(s, info.name()) + " (\"CHILDINFO\" (\"SUBSCRIBED\"))");
                    }
                }
            }
            return out;
        }
        for (MailboxInfo info : all.values()) {
            if (!matches(regexes, info.name())) {
                continue;
            }
            if (o.selSpecialUse && info.specialUse().isEmpty()) {
                continue;
            }
            List<String> attrs = new ArrayList<>();
            addAttributes(info, attrs, false);
            if (o.retSubscribed && subscribed.contains(info.name())) {
                attrs.add("\\Subscribed");
            }
            out.add("* LIST (" + String.join(" ", attrs) + ") \"/\" " + Names.toWire(s, info.name()));
            addStatus(s, o, info, out);
        }
        return out;
    }

    private static void addAttributes(MailboxInfo info, List<String> attrs, boolean lsub) {
        if (!info.selectable()) {
            attrs.add("\\Noselect");
        }
        if (!lsub) {
            attrs.add(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
        }
        for (SpecialUse u : info.specialUse()) {
            attrs.add(u.attribute());
        }
    }

    private static void addStatus(ImapSession s, Options o, MailboxInfo info, List<String> out) throws StorageException {
        if (o.status == null || info == null || !info.selectable()) {
            return;
        }
        try (Mailbox mb = s.store().open(info.name())) {
            out.add(StatusCommand.statusLine(s, info.name(), mb, o.status));
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean matches(List<Pattern> regexes, String name) {
        for (Pattern p : regexes) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3501 6.3.8: "*" matches anything, "%" anything but the hierarchy delimiter. */
    static Pattern toRegex(String pattern) {
        StringBuilder sb = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '%') {
                sb.append(Pattern.quote(lit.toString()));
                lit.setLength(0);
                sb.append(c == '*' ? ".*" : "[^/]*");
            } else {
                lit.append(c);
            }
        }
        sb.append(Pattern.quote(lit.toString()));
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }
}
