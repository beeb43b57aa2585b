package org.mailserver.core.config;

import java.net.InetAddress;
import java.util.function.Function;

/**
 * Defaults that Postfix computes rather than declares: an empty {@code myhostname} means the
 * system's fully qualified host name, an empty {@code mydomain} means {@code myhostname} without its
 * first label ("localdomain" when it has only one), as documented in postconf(5).
 */
final class ComputedDefaults {
    private static volatile String systemHostName;

    private ComputedDefaults() {
    }

    /**
     * The computed default for {@code name} when its declared default is empty, else null.
     *
     * @param effective looks up another parameter's effective (expanded) value
     */
    static String compute(String name, Function<String, String> effective) {
        switch (name) {
            case "myhostname":
                return systemHostName();
            case "mydomain": {
                String host = effective.apply("myhostname");
                int dot = host == null ? -1 : host.indexOf('.');
                return dot > 0 && dot < host.length() - 1 ? host.substring(dot + 1) : "localdomain";
            }
            default:
                return null;
        }
    }

    /** Looked up once: the canonical name may need DNS, which must not be repeated per call. */
    static String systemHostName() {
        String h = systemHostName;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (Exception e) {
                h = null;
            }
            if (h == null || h.isBlank() || h.indexOf('.') < 0 || Character.isDigit(h.charAt(h.length() - 1))) {
                // No FQDN (a bare name or an address literal): Postfix would also need help here.
                h = h != null && !h.isBlank() && !Character.isDigit(h.charAt(h.length() - 1)) && h.indexOf(':') < 0
                    ? h + ".localdomain" : "localhost.localdomain";
            }
            systemHostName = h;
        }
        return h;
    }
}
