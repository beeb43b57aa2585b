package org.mailserver.imap.wire;

import java.io.IOException;
import java.util.List;

/** Lets tests in other packages use the raw wire client. */
public final class ImapTestClientAccess implements AutoCloseable {
    private final ImapTestClient client;

    private ImapTestClientAccess(ImapTestClient client) {
        this.client = client;
    }

    public static ImapTestClientAccess tls(int port) throws Exception {
        return new ImapTestClientAccess(ImapTestClient.tls(port));
    }

    public static ImapTestClientAccess plain(int port) throws Exception {
        return new ImapTestClientAccess(new ImapTestClient(port));
    }

    public void startTls() throws Exception {
        client.startTls();
    }

    public String readLine() throws IOException {
        return client.readLine();
    }

    public List<String> ok(String tag, String command) throws IOException {
        return client.ok(tag, command);
    }

    public List<String> command(String tag, String command) throws IOException {
        return client.command(tag, command);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
