package org.mailserver.dist.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mailserver.core.daemon.Daemon;
import org.mailserver.core.server.ListenerGroup.BoundListener;
import org.mailserver.core.tls.SelfSignedCertificate;

/**
 * The whole server as an administrator runs it, for end-to-end tests: a config directory written into a
 * temporary directory (main.cf, master.cf with every listener on loopback, a passwd-file with two users,
 * domain {@code example.test}, Maildirs, queue and data under the same directory), and the real
 * {@link Daemon} started on it, in this JVM ({@link #start}) or in a child JVM ({@link CrashableDaemon}).
 *
 * <p>Listeners are on port 0 for an in-process daemon (the bound ports are read back from the daemon);
 * a child JVM that is killed and restarted needs the same ports every time, so {@link #fixedPorts} picks
 * free ones up front.
 */
public final class TestMailServer implements AutoCloseable {
    public static final String DOMAIN = "example.test";
    public static final String ALICE = "alice@example.test";
    public static final String ALICE_PASSWORD = "alice-secret-1";
    public static final String BOB = "bob@example.test";
    public static final String BOB_PASSWORD = "bob-secret-2";

    /** The services of master.cf, in order: name, protocol, options. */
    static final List<String[]> SERVICES = List.of(
        new String[] {"smtp", "smtp", ""},
        new String[] {"submission", "smtp", "-o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes"},
        new String[] {"submissions", "smtp", "-o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes"},
        new String[] {"imap", "imap", ""},
        new String[] {"imaps", "imap", "-o imap_tls_wrappermode=yes"},
        new String[] {"lmtp", "lmtp", ""});

    private final Path dir;
    private Daemon daemon;

    private TestMailServer(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes the configuration into {@code dir}. {@code ports} maps a service name to its port (absent: 0);
     * {@code extraMain} is appended to main.cf (later lines win, as in Postfix).
     */
    public static TestMailServer configure(Path dir, Map<String, Integer> ports, String extraMain) throws IOException {
        Files.createDirectories(dir);
        String main = String.join("\n",
            "myhostname = mail.example.test",
            "mydomain = example.test",
            "mydestination = localhost",
            "virtual_mailbox_domains = example.test",
            "inet_interfaces = loopback-only",
            // Not 127.0.0.0/8: the tests connect from loopback and must not be trusted relays.
            "mynetworks = 192.0.2.0/24",
            "data_directory = " + dir.resolve("data"),
            "queue_directory = " + dir.resolve("queue"),
            "mail_location = maildir:" + dir.resolve("mail") + "/%d/%n",
            "passdb = passwd-file:" + dir.resolve("users"),
            "userdb = passwd-file:" + dir.resolve("users"),
            "daemon_shutdown_timeout = 2s",
            // Retries come quickly in tests; the defaults are minutes.
            "queue_run_delay = 1s",
            "minimal_backoff_time = 1s",
            "maximal_backoff_time = 2s",
            "") + extraMain + "\n";
        Files.writeString(dir.resolve("main.cf"), main);
        StringBuilder master = new StringBuilder();
        for (String[] s : SERVICES) {
            master.append(s[0]).append(' ').append(s[1]).append(" 127.0.0.1:").append(ports.getOrDefault(s[0], 0))
                .append(s[2].isEmpty() ? "" : " " + s[2]).append('\n');
        }
        Files.writeString(dir.resolve("master.cf"), master.toString());
        Files.writeString(dir.resolve("users"), ALICE + ":{PLAIN}" + ALICE_PASSWORD + "\n"
            + BOB + ":{PLAIN}" + BOB_PASSWORD + "\n");
        return new TestMailServer(dir);
    }

    /** A free loopback port for every service (for a daemon that must come back on the same ports). */
    public static Map<String, Integer> fixedPorts() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String[] s : SERVICES) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(socket);
                ports.put(s[0], socket.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    /** Starts the daemon in this JVM, discovering every protocol and module on the class path as the launcher does. */
    public TestMailServer start() throws Exception {
        daemon = new Daemon(dir);
        daemon.start();
        return this;
    }

    public Daemon daemon() {
        return daemon;
    }

    public Path dir() {
        return dir;
    }

    /** The bound loopback port of a master.cf service of the in-process daemon. */
    public int port(String service) {
        BoundListener l = daemon.listeners().listeners().stream().filter(b -> b.serviceName().equals(service))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("no listener " + service));
        return ((InetSocketAddress) l.addresses().get(0)).getPort();
    }

    /** The Maildir of a user of example.test: {@code mail/example.test/<local part>}. */
    public Path maildir(String user) {
        return dir.resolve("mail").resolve(DOMAIN).resolve(user.substring(0, user.indexOf('@')));
    }

    /** The message files of a user's INBOX, new/ and cur/. */
    public List<Path> inboxFiles(String user) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = maildir(user).resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        return files;
    }

    /**
     * Waits until a file in the user's INBOX contains {@code marker}; returns its content. Maildir files hold
     * LF line ends (as Dovecot writes them), whatever the wire had.
     */
    public String awaitInbox(String user, String marker, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Path f : inboxFiles(user)) {
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.ISO_8859_1);
                } catch (java.nio.file.NoSuchFileException moved) {
                    continue; // moved from new/ to cur/ meanwhile
                }
                if (text.contains(marker)) {
                    return text;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no message containing '" + marker + "' in " + maildir(user) + " after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Number of files in the queue directory's message states (everything but the queue's own bookkeeping),
     * without the empty spare files the queue keeps ready in incoming/ (docs/queue.md).
     */
    public long queuedFiles() throws IOException {
        Path queue = dir.resolve("queue");
        long n = 0;
        for (String state : List.of("incoming", "active", "deferred", "hold")) {
            Path d = queue.resolve(state);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    n += s.filter(f -> Files.isRegularFile(f) && !(state.equals("incoming") && isEmpty(f))).count();
                }
            }
        }
        return n;
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return true; // gone meanwhile (a spare taken and aborted)
        }
    }

    /** An SSL context that trusts exactly the certificate the daemon generated for itself (data/tls/). */
    public SSLContext trustingServerCertificate() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(SelfSignedCertificate.certFile(dir.resolve("data")))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.stop();
        }
    }
}
