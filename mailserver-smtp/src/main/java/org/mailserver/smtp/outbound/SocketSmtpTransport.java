package org.mailserver.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@link SmtpTransport} over a blocking socket, used from delivery worker threads (never from an event
 * loop). Every read has a deadline; a reply line is limited to 2000 octets and a reply to 100 lines
 * (RFC 5321 4.5.3.1.5 allows 512; servers send longer ones), so a broken peer cannot exhaust memory.
 */
final class SocketSmtpTransport implements SmtpTransport {
    private static final int MAX_LINE = 2000;
    private static final int MAX_LINES = 100;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String peer;
    private final InetSocketAddress address;

    private SocketSmtpTransport(Socket socket, InetSocketAddress address, String hostName) throws IOException {
        this.socket = socket;
        this.address = address;
        this.peer = hostName + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects; with {@code implicitTls} the handshake runs before the greeting (RFC 8314). */
    static SocketSmtpTransport connect(InetSocketAddress address, String hostName, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) Math.max(1, timeout.toMillis()));
            s.setTcpNoDelay(true);
            return new SocketSmtpTransport(s, address, hostName);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public SmtpReply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        List<String> lines = new ArrayList<>();
        int code = -1;
        try {
            while (true) {
                String line = readLine();
                if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2))) {
                    throw new IOException("malformed reply from " + peer + ": " + sanitize(line));
                }
                int c = Integer.parseInt(line.substring(0, 3));
                if (code >= 0 && c != code) {
                    throw new IOException("inconsistent multi-line reply from " + peer);
                }
                code = c;
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) != '-') {
                    return new SmtpReply(code, lines);
                }
                if (lines.size() > MAX_LINES) {
                    throw new IOException("reply from " + peer + " too long");
                }
            }
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("conversation with " + peer + " timed out");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("lost connection with " + peer);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("reply line from " + peer + " too long");
            }
            line.write(b);
        }
    }

    private static String sanitize(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    @Override
    public void send(String... lines) throws IOException {
        for (String l : lines) {
            out.write(l.getBytes(StandardCharsets.UTF_8));
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    @Override
    public long sendData(InputStream content) throws IOException {
        InputStream src = new BufferedInputStream(content, 64 * 1024);
        long n = 0;
        boolean lineStart = true;
        int prev = -1;
        int b;
        while ((b = src.read()) >= 0) {
            // RFC 5321 4.5.2: a line starting with "." gets one more ".".
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            n++;
            lineStart = b == '\n';
            prev = b;
        }
        if (prev != '\n' && n > 0) {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
        return n;
    }

    @Override
    public TlsOutcome startTls(String peerName, TlsPolicy policy) throws IOException {
        try {
            TlsPolicy.Context ctx = policy.newContext();
            SSLSocket tls = (SSLSocket) ctx.ssl().getSocketFactory()
                .createSocket(socket, peerName, address.getPort(), true);
            SSLParameters params = tls.getSSLParameters();
            // The name check of verify/secure (RFC 6125), and SNI so the server can pick its certificate.
            params.setEndpointIdentificationAlgorithm("HTTPS");
            try {
                params.setServerNames(List.of(new SNIHostName(peerName)));
            } catch (IllegalArgumentException e) {
                // not a valid SNI name (an address literal): send none
            }
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            tls.setSSLParameters(params);
            tls.setUseClientMode(true);
            tls.startHandshake();
            socket = tls;
            in = new BufferedInputStream(tls.getInputStream());
            out = new BufferedOutputStream(tls.getOutputStream(), 64 * 1024);
            return ctx.outcome()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing useful to do
        }
    }
}
