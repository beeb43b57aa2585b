package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw IMAP client for wire tests: sends lines, reads responses (inlining literals into the line they belong
 * to), and can switch to TLS. Every read has a socket timeout so a missing response fails the test quickly.
 */
final class ImapTestClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    ImapTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static ImapTestClient tls(int port) throws Exception {
        ImapTestClient c = new ImapTestClient(port);
        c.startTls();
        return c;
    }

    void startTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
        }}, null);
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        in = new java.io.BufferedInputStream(ssl.getInputStream());
        out = ssl.getOutputStream();
    }

    /** RFC 4978: raw DEFLATE both ways from now on. */
    void startCompression() {
        out = new java.util.zip.DeflaterOutputStream(out, new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true), true);
        in = new java.util.zip.InflaterInputStream(in, new java.util.zip.Inflater(true), 1);
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendLine(String line) throws IOException {
        send(line + "\r\n");
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One response line with any literals it announces appended (with their {n} markers kept). */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = rawLine();
            sb.append(line);
            int open = line.lastIndexOf('{');
            if (line.endsWith("}") && open >= 0 && line.substring(open + 1, line.length() - 1).matches("\\d+")) {
                int n = Integer.parseInt(line.substring(open + 1, line.length() - 1));
                sb.append("\r\n").append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                continue;
            }
            return sb.toString();
        }
    }

    /** One physical line, literals not interpreted (transcripts match literal content line by line). */
    String rawLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            buf.write(c);
        }
        throw new IOException("connection closed; partial: " + buf);
    }

    /** Reads lines up to and including the tagged response of {@code tag}. */
    List<String> readUntil(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Sends a command and returns all lines through its tagged response. */
    List<String> command(String tag, String command) throws IOException {
        sendLine(tag + " " + command);
        return readUntil(tag);
    }

    /** Sends a command and asserts it completed OK. */
    List<String> ok(String tag, String command) throws IOException {
        List<String> lines = command(tag, command);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(tag + " OK"), "expected OK for " + command + " but got " + lines);
        return lines;
    }

    /** True when the server closed the connection (EOF within the timeout). */
    boolean closedByServer() {
        try {
            while (true) {
                if (in.read() == -1) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && !e.getMessage().contains("timed out");
        }
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
