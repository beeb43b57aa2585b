package org.mailserver.core.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.mailserver.core.config.Settings;

/** This server's name: {@code myhostname}, or the system's host name when it is empty (Postfix's default). */
public final class HostIdentity {
    private HostIdentity() {
    }

    public static String myhostname(Settings settings) {
        String configured = settings.getString("myhostname").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
