package org.mailserver.core.daemon;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.BlockingExecutor;
import org.mailserver.core.server.ControlCommandRegistry;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.EventLoops;
import org.mailserver.core.server.ListenerGroup;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.core.server.Services;
import org.mailserver.core.server.SocketAddresses;
import org.mailserver.core.tls.TlsManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mail server: loads the configuration, starts the {@link DaemonModule}s in order, binds
 * the listeners of master.cf, and serves the control socket. Called by {@code mailserver start-fg}
 * (and tests).
 *
 * <p>Lifecycle guarantees: start either completes or undoes what it started and throws; reload
 * validates the whole new configuration before applying it and keeps the old one on any error;
 * stop stops accepting, gives connections {@code daemon_shutdown_timeout} to finish, stops the modules in
 * reverse order and removes the control socket and the pid file. Nothing here writes mail, so an
 * abrupt kill loses no data (the queue's own files are crash-safe).
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final Duration TLS_FILE_CHECK = Duration.ofSeconds(60);

    private final Path configDirectory;
    private final Map<String, ProtocolHandlerFactory> factories;
    private final Services services = new Services();
    private final ControlCommandRegistry control = new ControlCommandRegistry();
    private final List<DaemonModule> modules = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Instant started = Instant.now();

    private volatile DaemonConfig config;
    private volatile TlsManager tls;
    private EventLoops loops;
    private BlockingExecutor blocking;
    private ListenerGroup listeners;
    private ControlServer controlServer;
    private ScheduledFuture<?> tlsCheck;
    private Path pidFile;
    private boolean stopping;

    public Daemon(Path configDirectory) {
        this(configDirectory, discoverFactories());
    }

    /** With explicit protocol factories (tests plug in their own). */
    public Daemon(Path configDirectory, Map<String, ProtocolHandlerFactory> factories) {
        this.configDirectory = configDirectory.toAbsolutePath();
        this.factories = Map.copyOf(factories);
    }

    static Map<String, ProtocolHandlerFactory> discoverFactories() {
        Map<String, ProtocolHandlerFactory> found = new HashMap<>();
        for (ProtocolHandlerFactory f : ServiceLoader.load(ProtocolHandlerFactory.class)) {
            found.putIfAbsent(f.protocol(), f);
        }
        return found;
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public synchronized void start() throws Exception {
        DaemonConfig loaded = DaemonConfig.load(configDirectory);
        Settings settings = loaded.settings();
        refuseIfRunning(ControlServer.socketPath(settings));
        try {
            Path data = prepareDirectories(settings);
            loops = EventLoops.create(settings.getInt("daemon_event_loop_threads"));
            blocking = new BlockingExecutor(settings.getInt("daemon_blocking_threads"), settings.getInt("daemon_blocking_queue_size"));
            services.register(ControlCommandRegistry.class, control);
            services.register(EventLoops.class, loops);
            services.register(BlockingExecutor.class, blocking);
            registerBuiltinCommands();
            List<DaemonModule> discovered = new ArrayList<>();
            ServiceLoader.load(DaemonModule.class).forEach(discovered::add);
            discovered.sort(Comparator.comparingInt(DaemonModule::order));
            for (DaemonModule module : discovered) {
                module.start(settings, services);
                modules.add(module);
                log.debug("started module {}", module.getClass().getName());
            }
            TlsManager newTls = new TlsManager();
            listeners = new ListenerGroup(loops, services, blocking, factories);
            listeners.apply(loaded.listeners(), settings, newTls);
            tls = newTls;
            config = loaded;
            log.info("TLS served by {}", newTls.describeProviders());
            controlServer = ControlServer.start(ControlServer.socketPath(settings), control, blocking);
            tlsCheck = loops.group().next().scheduleAtFixedRate(this::checkCertificateFiles,
                TLS_FILE_CHECK.toSeconds(), TLS_FILE_CHECK.toSeconds(), TimeUnit.SECONDS);
            pidFile = data.resolve("mailserver.pid");
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            log.info("daemon started: {} listener(s), {} module(s), config {}", listeners.listeners().size(),
                modules.size(), configDirectory);
        } catch (Exception | Error e) {
            shutdown(Duration.ZERO);
            throw e;
        }
    }

    /** A second daemon on the same data_directory would steal the first one's sockets: refuse before touching them. */
    private static void refuseIfRunning(Path controlSocket) throws IOException {
        if (!Files.exists(controlSocket)) {
            return;
        }
        try {
            new ControlClient(controlSocket).send(List.of("status"));
        } catch (ControlClient.NotRunningException e) {
            return; // a stale socket from an unclean stop; it is replaced
        }
        throw new IOException("mailserver is already running (its control socket " + controlSocket + " answers)");
    }

    private void checkCertificateFiles() {
        TlsManager current = tls;
        if (current != null && blocking != null) {
            try {
                blocking.execute(current::reloadChanged);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("blocking pool busy, certificate check skipped");
            }
        }
    }

    private static Path prepareDirectories(Settings settings) throws IOException {
        Path data = settings.getPath("data_directory");
        if (!Files.isDirectory(data)) {
            Files.createDirectories(data);
            try {
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX; nothing to restrict
            }
        }
        Files.createDirectories(settings.getPath("queue_directory"));
        return data;
    }

    private void registerBuiltinCommands() {
        control.register("status", args -> status());
        control.register("reload", args -> {
            reload();
            return "configuration reloaded";
        });
        control.register("stop", args -> {
            Thread stopper = new Thread(this::stop, "stop");
            stopper.start(); // after this reply is sent: stop closes the control socket
            return "stopping";
        });
    }

    /**
     * Re-reads main.cf, master.cf and certificates and applies them; modules re-read their tables and
     * users through {@link DaemonModule#reload}. Throws {@link ConfigException} (old config kept) when invalid.
     */
    public synchronized void reload() throws Exception {
        if (stopping) {
            throw new IllegalStateException("daemon is stopping");
        }
        DaemonConfig next;
        TlsManager nextTls = new TlsManager();
        try {
            next = DaemonConfig.load(configDirectory);
            ListenerGroup.validate(next.listeners(), next.settings(), nextTls);
            for (DaemonModule module : modules) {
                module.reload(next.settings(), services);
            }
            listeners.apply(next.listeners(), next.settings(), nextTls);
        } catch (Exception e) {
            log.warn("reload refused, keeping the running configuration: {}", e.getMessage());
            throw e;
        }
        config = next;
        String before = tls.describeProviders();
        tls = nextTls;
        if (!before.equals(nextTls.describeProviders())) {
            log.info("TLS now served by {}", nextTls.describeProviders());
        }
        log.info("configuration reloaded from {}", configDirectory);
    }

    /** Reload from a signal (SIGHUP): errors are logged, never thrown. */
    public void reloadQuietly() {
        try {
            reload();
        } catch (Exception e) {
            // already logged by reload
        }
    }

    /** Graceful stop; idempotent. */
    public void stop() {
        Duration grace;
        synchronized (this) {
            if (stopping) {
                return;
            }
            DaemonConfig current = config;
            grace = current == null ? Duration.ZERO : current.settings().getDuration("daemon_shutdown_timeout");
        }
        shutdown(grace);
    }

    private void shutdown(Duration grace) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        log.info("daemon stopping");
        if (tlsCheck != null) {
            tlsCheck.cancel(false);
        }
        if (listeners != null) {
            listeners.stopAccepting();
            listeners.drain(grace);
        }
        for (int i = modules.size() - 1; i >= 0; i--) {
            try {
                modules.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("module {} failed to stop cleanly", modules.get(i).getClass().getName(), e);
            }
        }
        if (controlServer != null) {
            controlServer.close();
        }
        if (loops != null) {
            loops.close();
        }
        if (blocking != null) {
            blocking.shutdown();
            try {
                blocking.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.debug("cannot remove {}: {}", pidFile, e.toString());
            }
        }
        log.info("daemon stopped");
        stopped.countDown();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGHUP reloads; SIGTERM and SIGINT (through the JVM's shutdown hook) stop gracefully. */
    public void installSignalHandlers() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> new Thread(this::reloadQuietly, "sighup").start());
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP not available on this platform; use 'mailserver reload'");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shutdown"));
    }

    /** The text of the {@code status} control command. */
    public String status() {
        StringBuilder out = new StringBuilder();
        out.append("pid: ").append(ProcessHandle.current().pid()).append('\n');
        out.append("uptime: ").append(Duration.between(started, Instant.now()).toSeconds()).append("s\n");
        out.append("config: ").append(configDirectory).append('\n');
        out.append("jvm: ").append(ManagementFactory.getRuntimeMXBean().getVmVersion())
            .append(", heap used ").append((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20)
            .append(" MiB of max ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        for (ListenerGroup.BoundListener l : listeners().listeners()) {
            out.append("listener: ").append(l.serviceName()).append(' ').append(l.protocol()).append(' ')
                .append(String.join(",", l.addresses().stream().map(SocketAddresses::describe).toList()))
                .append(l.implicitTls() ? " implicit-tls" : "")
                .append(" connections=").append(l.openConnections()).append('\n');
        }
        return out.toString();
    }

    public ListenerGroup listeners() {
        return listeners;
    }

    public Settings settings() {
        return config.settings();
    }

    public Services services() {
        return services;
    }

    public TlsManager tls() {
        return tls;
    }
}
