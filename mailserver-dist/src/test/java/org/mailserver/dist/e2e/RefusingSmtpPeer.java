package org.mailserver.dist.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote MX that refuses every recipient with {@code 550 5.1.1} (GreenMail accepts everyone), so the
 * outbound tests can provoke a permanent failure and a bounce. One thread, loopback, port 0.
 */
final class RefusingSmtpPeer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    final AtomicInteger refusedRecipients = new AtomicInteger();

    RefusingSmtpPeer() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "refusing-peer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                session(s);
            } catch (IOException e) {
                // closed, or the client went away: next connection
            }
        }
    }

    private void session(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        reply(out, "220 refuser.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO" -> reply(out, "250-refuser.test\r\n250 ENHANCEDSTATUSCODES");
                case "RCPT" -> {
                    refusedRecipients.incrementAndGet();
                    reply(out, "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table");
                }
                case "DATA" -> reply(out, "554 5.5.1 Error: no valid recipients");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "250 2.0.0 Ok");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
