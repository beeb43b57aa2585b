package org.mailserver.imap.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CAPABILITY list of a session, by state (RFC 3501 7.2.1): only what is implemented is advertised.
 * BINARY, SORT and THREAD only when the MIME layer is present (the fallbacks cannot do them).
 */
final class Capabilities {
    private Capabilities() {
    }

    static String of(ImapSession s) {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1"));
        if (s.resources().mimeRenderer()) {
            caps.add("IMAP4rev2"); // RFC 9051 requires BINARY, which needs the MIME layer
        }
        caps.addAll(List.of("SASL-IR", "LITERAL+", "ID", "ENABLE", "IDLE"));
        if (s.state() == SessionState.NOT_AUTHENTICATED) {
            if (!s.transport().secured() && s.tlsAvailable()) {
                caps.add("STARTTLS");
            }
            List<String> mechs = s.mechanisms();
            if (!mechs.contains("PLAIN")) {
                caps.add("LOGINDISABLED"); // RFC 3501 6.2.3: LOGIN refused while plaintext auth is not allowed here
            }
            for (String m : mechs) {
                caps.add("AUTH=" + m.toUpperCase(Locale.ROOT));
            }
            return String.join(" ", caps);
        }
        caps.addAll(List.of("NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS",
            "SPECIAL-USE", "CREATE-SPECIAL-USE", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "QUOTA", "QUOTA=RES-STORAGE",
            "QUOTA=RES-MESSAGE", "APPENDLIMIT=" + s.config().appendLimit(), "UTF8=ACCEPT", "STATUS=SIZE"));
        if (!s.compressed()) {
            caps.add("COMPRESS=DEFLATE");
        }
        ServerResources r = s.resources();
        if (r.mimeRenderer()) {
            caps.add("BINARY");
        }
        if (r.mimeSearch()) {
            caps.add("SORT");
            for (String alg : r.searchEvaluator().threadAlgorithms()) {
                caps.add("THREAD=" + alg);
            }
        }
        return String.join(" ", caps);
    }
}
