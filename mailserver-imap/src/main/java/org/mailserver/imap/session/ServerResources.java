package org.mailserver.imap.session;

import java.util.ServiceLoader;
import org.mailserver.imap.ImapConfig;
import org.mailserver.imap.command.CommandRegistry;
import org.mailserver.imap.fetch.BasicContentRenderer;
import org.mailserver.imap.fetch.MessageContentRenderer;
import org.mailserver.imap.search.BasicSearchEvaluator;
import org.mailserver.imap.search.SearchEvaluator;

/**
 * What all IMAP sessions of the daemon share: the command registry, the per-user+IP connection counts, the
 * content renderer and search evaluator (the MIME layer's when present on the class path, else the basic
 * fallbacks), and the {@link FairWorkPool} their blocking work runs on. Created once by the protocol handler
 * factory.
 */
public record ServerResources(CommandRegistry registry, ConnectionLimiter limiter, MessageContentRenderer renderer,
                              SearchEvaluator searchEvaluator, boolean mimeRenderer, boolean mimeSearch,
                              FairWorkPool workers) {

    /** Most sessions' tasks waiting for a first slot of the work pool before new ones are refused. */
    static final int MAX_QUEUED_TASKS = 4096;

    /** The same resources with a work pool of default size (tests). */
    public ServerResources(CommandRegistry registry, ConnectionLimiter limiter, MessageContentRenderer renderer,
                           SearchEvaluator searchEvaluator, boolean mimeRenderer, boolean mimeSearch) {
        this(registry, limiter, renderer, searchEvaluator, mimeRenderer, mimeSearch, defaultPool());
    }

    /** With a work pool of default size (tests). */
    public static ServerResources load() {
        return load(defaultPool());
    }

    /** With the work pool sized by {@code imap_worker_threads} and {@code imap_worker_slots}. */
    public static ServerResources load(ImapConfig config) {
        return load(new FairWorkPool("imap-worker", config.workerThreads(),
            config.workerSlots() > 0 ? config.workerSlots() : FairWorkPool.defaultSlots(), MAX_QUEUED_TASKS));
    }

    private static ServerResources load(FairWorkPool pool) {
        MessageContentRenderer r = find(MessageContentRenderer.class);
        SearchEvaluator s = find(SearchEvaluator.class);
        return new ServerResources(CommandRegistry.standard(), new ConnectionLimiter(),
            r == null ? new BasicContentRenderer() : r, s == null ? new BasicSearchEvaluator() : s, r != null, s != null,
            pool);
    }

    private static FairWorkPool defaultPool() {
        return new FairWorkPool("imap-worker", 64, FairWorkPool.defaultSlots(), MAX_QUEUED_TASKS);
    }

    /** The first provider, or null; a broken registration is logged and treated as none (IMAP keeps working). */
    private static <T> T find(Class<T> type) {
        try {
            return ServiceLoader.load(type).findFirst().orElse(null);
        } catch (java.util.ServiceConfigurationError e) {
            org.slf4j.LoggerFactory.getLogger(ServerResources.class).error("imap: cannot load {}: {}", type.getName(), e.toString());
            return null;
        }
    }
}
