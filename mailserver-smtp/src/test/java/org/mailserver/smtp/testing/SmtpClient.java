package org.mailserver.smtp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A raw SMTP client for wire tests: exact bytes out, replies parsed into code and lines. */
public final class SmtpClient implements AutoCloseable {

    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        public String last() {
            return lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpClient(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SmtpClient connect(int port) {
        try {
            return new SmtpClient(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SmtpClient connectTls(int port) {
        try {
            SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
            s.startHandshake();
            return new SmtpClient(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        return ctx;
    }

    /** Upgrades the connection after a 220 to STARTTLS. */
    public void startTls() {
        try {
            SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            s.startHandshake();
            use(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upgrades the connection after a 220 to STARTTLS, offering only the given protocol version. */
    public void startTls(String protocol) {
        try {
            SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            use(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String tlsCipher() {
        return socket instanceof SSLSocket s ? s.getSession().getCipherSuite() : null;
    }

    public String tlsProtocol() {
        return socket instanceof SSLSocket s ? s.getSession().getProtocol() : null;
    }

    public void raw(String text) {
        raw(text.getBytes(StandardCharsets.UTF_8));
    }

    public void raw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void send(String line) {
        raw(line + "\r\n");
    }

    public Reply cmd(String line) {
        send(line);
        return read();
    }

    /** Reads one (possibly multi-line) reply. */
    public Reply read() {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IllegalStateException("connection closed; got " + lines);
            }
            if (line.length() < 3) {
                throw new IllegalStateException("bad reply line: " + line);
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** One raw reply line without its CRLF, or null at end of stream. */
    public String readLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = buf.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                buf.write(b);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    public void setTimeout(int ms) {
        try {
            socket.setSoTimeout(ms);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
