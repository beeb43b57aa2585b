package org.mailserver.smtp.outbound.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 3.3): HTTPS with PKIX
 * validation and host name check, no redirects (any non-200 status is a failure), a size cap of 64 KiB,
 * one overall timeout. A deliberately small HTTP/1.0 client on an {@link SSLSocket} rather than
 * java.net.http.HttpClient: the host is resolved through our own resolver ({@code dns_resolver}), which
 * HttpClient cannot be given, and HTTP/1.0 keeps chunked encoding out. The {@link SSLContext}, the address
 * lookup and the port are injected so tests trust a test CA and reach a loopback server. Blocking.
 */
public final class MtaStsFetcher {
    public static final int MAX_POLICY_BYTES = 64 * 1024;

    /** Host name to addresses (our DNS resolver in production). */
    public interface AddressLookup {
        List<InetAddress> addresses(String host) throws IOException;
    }

    private final SSLContext ssl;
    private final AddressLookup lookup;
    private final int port;
    private final Duration timeout;

    public MtaStsFetcher(SSLContext ssl, AddressLookup lookup, int port, Duration timeout) {
        this.ssl = ssl;
        this.lookup = lookup;
        this.port = port;
        this.timeout = timeout;
    }

    /** The policy body; IOException with the reason when it cannot be fetched. */
    public String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain.toLowerCase(Locale.ROOT);
        IOException last = new IOException("no address for " + host);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (InetAddress a : lookup.addresses(host)) {
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                return get(host, new InetSocketAddress(a, port), left);
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw last;
    }

    private String get(String host, InetSocketAddress address, int timeoutMillis) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(plain, host, address.getPort(), true)) {
                SSLParameters p = s.getSSLParameters();
                // RFC 8461 3.3: the HTTPS server's certificate must be PKIX-valid for mta-sts.<domain>.
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(host)));
                s.setSSLParameters(p);
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(("GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: mailserver\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return parseResponse(readCapped(s.getInputStream(), System.nanoTime() + timeoutMillis * 1_000_000L));
            }
        }
    }

    private static byte[] readCapped(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        // Headers get 8 KiB on top of the 64 KiB body cap.
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > MAX_POLICY_BYTES + 8192) {
                throw new IOException("policy larger than " + MAX_POLICY_BYTES + " bytes");
            }
            // The socket timeout bounds each read; this bounds a server that trickles bytes.
            if (System.nanoTime() > deadline) {
                throw new IOException("policy fetch timed out");
            }
        }
        return buf.toByteArray();
    }

    /** Status 200 and text/plain required (RFC 8461 3.3); redirects are not followed. */
    static String parseResponse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("malformed HTTP response");
        }
        String[] head = text.substring(0, end).split("\r\n");
        String[] status = head[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP status line: " + head[0]);
        }
        if (!"200".equals(status[1])) {
            throw new IOException("HTTP status " + status[1] + " (redirects are not followed)");
        }
        boolean plainText = false;
        for (int i = 1; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            if (h.startsWith("content-type:") && h.substring(13).strip().startsWith("text/plain")) {
                plainText = true;
            } else if (h.startsWith("transfer-encoding:")) {
                throw new IOException("unexpected Transfer-Encoding in an HTTP/1.0 response");
            }
        }
        if (!plainText) {
            throw new IOException("policy is not served as text/plain");
        }
        byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
        if (body.length > MAX_POLICY_BYTES) {
            throw new IOException("policy larger than " + MAX_POLICY_BYTES + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
