package org.mailserver.dist.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain-text SMTP/LMTP client for wire assertions: sends a line, returns the whole (multi-line) reply
 * as text, so that tests can assert on exact codes. Loopback only, 10 s timeouts.
 */
final class RawSmtp implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawSmtp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    /** The reply to the connection (the greeting). */
    String greeting() throws IOException {
        return reply();
    }

    /** Sends one command line and returns its reply. */
    String send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** Sends message content (already dot-stuffed, CRLF lines) followed by the final dot; returns the reply. */
    String data(String content) throws IOException {
        String body = content.endsWith("\r\n") ? content : content + "\r\n";
        out.write((body + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** Reads one reply: lines up to the one whose fourth character is a space. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after: " + all);
            }
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return all.toString().strip();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
