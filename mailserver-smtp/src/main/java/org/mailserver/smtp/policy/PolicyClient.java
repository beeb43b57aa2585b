package org.mailserver.smtp.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of Postfix's policy delegation protocol (SMTPD_POLICY_README), so that postgrey,
 * policyd-spf and friends plug in: {@code name=value} lines ending with an empty line, answered by
 * {@code action=...} and an empty line. One connection per request (Postfix keeps them open; a later
 * optimisation). Blocking: call on the blocking executor.
 */
public final class PolicyClient {

    /** Closes unix-domain connections that outlive the timeout (a SocketChannel has no read timeout). */
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-timeout");
            t.setDaemon(true);
            return t;
        });

    private PolicyClient() {
    }

    /** The attributes Postfix sends, from a session snapshot. */
    public static Map<String, String> attributes(PolicyRequest r) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("request", "smtpd_access_policy");
        a.put("protocol_state", r.protocolState());
        a.put("protocol_name", r.protocolName());
        a.put("helo_name", nz(r.helo()));
        a.put("queue_id", "");
        a.put("sender", nz(r.sender()));
        a.put("recipient", nz(r.recipient()));
        a.put("recipient_count", Integer.toString(r.recipientCount()));
        a.put("client_address", r.clientAddress());
        a.put("client_name", r.clientName());
        a.put("reverse_client_name", r.clientName());
        a.put("instance", r.instance());
        a.put("sasl_method", nz(r.saslMethod()));
        a.put("sasl_username", nz(r.saslUser()));
        a.put("sasl_sender", "");
        a.put("size", Long.toString(r.size()));
        a.put("ccert_subject", "");
        a.put("ccert_issuer", "");
        a.put("ccert_fingerprint", "");
        a.put("encryption_protocol", nz(r.tlsProtocol()));
        a.put("encryption_cipher", nz(r.tlsCipher()));
        a.put("encryption_keysize", "0");
        a.put("etrn_domain", "");
        a.put("stress", "");
        a.put("server_port", "");
        a.put("policy_context", "");
        a.put("compatibility_level", "3.6");
        return a;
    }

    private static String nz(String s) {
        // The protocol has no way to send a newline inside a value; make sure none gets through.
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Asks the server at {@code inet:host:port} or {@code unix:/path} and returns its action text.
     *
     * @throws IOException when it cannot be reached, times out or answers without an action
     */
    public static String query(String target, Map<String, String> attributes, Duration timeout) throws IOException {
        StringBuilder req = new StringBuilder();
        attributes.forEach((k, v) -> req.append(k).append('=').append(v).append('\n'));
        req.append('\n');
        byte[] bytes = req.toString().getBytes(StandardCharsets.UTF_8);
        if (target.startsWith("unix:")) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                var watchdog = WATCHDOG.schedule(() -> {
                    try {
                        ch.close(); // the blocked read fails with AsynchronousCloseException
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                try {
                    ch.connect(UnixDomainSocketAddress.of(target.substring(5)));
                    OutputStream out = Channels.newOutputStream(ch);
                    out.write(bytes);
                    out.flush();
                    return readAction(new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8)));
                } finally {
                    watchdog.cancel(false);
                }
            }
        }
        String hostPort = target.startsWith("inet:") ? target.substring(5) : target;
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("bad policy service address " + target);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try (Socket s = new Socket()) {
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            s.connect(new InetSocketAddress(host, port), ms);
            s.setSoTimeout(ms);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            return readAction(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
        }
    }

    private static String readAction(BufferedReader in) throws IOException {
        String action = null;
        String line;
        int lines = 0;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (++lines > 100) {
                throw new IOException("policy server answer too long");
            }
            if (line.startsWith("action=") && action == null) {
                action = line.substring(7).trim();
            }
        }
        if (action == null) {
            throw new IOException("policy server sent no action");
        }
        return action;
    }
}
