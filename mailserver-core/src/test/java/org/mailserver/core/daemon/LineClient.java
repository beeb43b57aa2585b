package org.mailserver.core.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny line-based test client over a plain or TLS socket. */
final class LineClient implements AutoCloseable {
    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    static LineClient connect(SocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        return new LineClient(s);
    }

    static int port(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    String readLine() throws IOException {
        return in.readLine();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
