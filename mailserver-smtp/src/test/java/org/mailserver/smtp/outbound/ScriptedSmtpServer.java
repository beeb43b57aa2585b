package org.mailserver.smtp.outbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.net.ssl.SSLSocket;

/**
 * A scriptable SMTP peer for tests (thread per connection; a test peer, not a model): a configurable
 * greeting, EHLO keywords, STARTTLS with a test certificate, AUTH PLAIN recording, and per-recipient RCPT
 * replies that may depend on how often that recipient was seen (4xx first, then 5xx...).
 */
final class ScriptedSmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final TestCerts certs;
    volatile String greeting = "220 scripted.test ESMTP";
    volatile List<String> extensions = new ArrayList<>(List.of("PIPELINING", "SIZE 10000000", "8BITMIME", "ENHANCEDSTATUSCODES", "DSN"));
    volatile long dataDelayMillis;
    /** Wrapper mode (RFC 8314 implicit TLS): the handshake comes before the greeting. */
    volatile boolean implicitTls;
    /** LMTP (after LHLO): the reply after DATA for each accepted recipient (RFC 2033 4.2). */
    volatile java.util.function.Function<String, String> lmtpDataReply = rcpt -> "250 2.0.0 <" + rcpt + "> Saved";
    volatile BiFunction<String, Integer, String> rcptReply = (rcpt, n) -> "250 2.1.5 Ok";
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    ScriptedSmtpServer(String bindIp, int port, TestCerts certs) throws IOException {
        this.certs = certs;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindIp), port));
        if (certs != null) {
            extensions.add("STARTTLS");
        }
        Thread t = new Thread(this::acceptLoop, "scripted-smtp");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> session(s), "scripted-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (Socket s0 = socket) {
            Socket s = s0;
            s.setSoTimeout(10_000);
            if (implicitTls) {
                SSLSocket t = (SSLSocket) certs.serverContext.getSocketFactory().createSocket(s, null, s.getPort(), false);
                t.setUseClientMode(false);
                t.startHandshake();
                s = t;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            reply(out, greeting);
            if (!greeting.startsWith("2")) {
                // Keep talking after a refusal greeting, as real servers do until QUIT.
            }
            boolean tls = implicitTls;
            boolean lmtp = false;
            List<String> accepted = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO") || upper.startsWith("LHLO")) {
                    lmtp = upper.startsWith("LHLO");
                    List<String> ext = new ArrayList<>(extensions);
                    if (tls) {
                        ext.remove("STARTTLS");
                    }
                    StringBuilder r = new StringBuilder();
                    r.append("250").append(ext.isEmpty() ? " " : "-").append("scripted.test\r\n");
                    for (int i = 0; i < ext.size(); i++) {
                        r.append("250").append(i == ext.size() - 1 ? " " : "-").append(ext.get(i)).append("\r\n");
                    }
                    out.write(r.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 scripted.test");
                } else if (upper.equals("STARTTLS") && certs != null && !tls) {
                    reply(out, "220 2.0.0 Ready to start TLS");
                    SSLSocket t = (SSLSocket) certs.serverContext.getSocketFactory().createSocket(s, null, s.getPort(), false);
                    t.setUseClientMode(false);
                    try {
                        t.startHandshake();
                    } catch (IOException e) {
                        return;
                    }
                    s = t;
                    tls = true;
                    in = new BufferedReader(new InputStreamReader(t.getInputStream(), StandardCharsets.UTF_8));
                    out = t.getOutputStream();
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    auth.add(new String(Base64.getDecoder().decode(line.substring(11).trim()), StandardCharsets.UTF_8).replace('\0', '|'));
                    reply(out, "235 2.7.0 Authentication successful");
                } else if (upper.startsWith("MAIL FROM")) {
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String rcpt = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    int n = seen.computeIfAbsent(rcpt, k -> new AtomicInteger()).incrementAndGet();
                    String r = rcptReply.apply(rcpt, n);
                    if (r.startsWith("2")) {
                        accepted.add(rcpt);
                    }
                    reply(out, r);
                } else if (upper.startsWith("BDAT ")) {
                    String[] w = line.split(" ");
                    int n = Integer.parseInt(w[1]);
                    char[] chunk = new char[n];
                    int got = 0;
                    while (got < n) {
                        int r = in.read(chunk, got, n - got);
                        if (r < 0) {
                            return;
                        }
                        got += r;
                    }
                    messages.add(new String(chunk));
                    reply(out, "250 2.0.0 Ok: " + n + " octets");
                    accepted.clear();
                } else if (upper.equals("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder msg = new StringBuilder();
                    for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                        msg.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                    }
                    if (dataDelayMillis > 0) {
                        try {
                            Thread.sleep(dataDelayMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    messages.add(msg.toString());
                    if (lmtp) {
                        for (String rcpt : accepted) {
                            reply(out, lmtpDataReply.apply(rcpt));
                        }
                    } else {
                        reply(out, "250 2.0.0 Ok: queued as SCRIPTED");
                    }
                    accepted.clear();
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    accepted.clear();
                    reply(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // connection ended
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
