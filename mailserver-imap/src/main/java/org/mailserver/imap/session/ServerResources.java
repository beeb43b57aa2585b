package org.mailserver.imap.session;

import java.util.ServiceLoader;
import org.mailserver.imap.command.CommandRegistry;
import org.mailserver.imap.fetch.BasicContentRenderer;
import org.mailserver.imap.fetch.MessageContentRenderer;
import org.mailserver.imap.search.BasicSearchEvaluator;
import org.mailserver.imap.search.SearchEvaluator;

/**
 * What all IMAP sessions of the daemon share: the command registry, the per-user+IP connection counts, and
 * the content renderer and search evaluator (the MIME layer's when present on the class path, else the basic
 * fallbacks). Created once by the protocol handler factory.
 */
public record ServerResources(CommandRegistry registry, ConnectionLimiter limiter, MessageContentRenderer renderer,
                              SearchEvaluator searchEvaluator, boolean mimeRenderer, boolean mimeSearch) {

    public static ServerResources load() {
        MessageContentRenderer r = find(MessageContentRenderer.class);
        SearchEvaluator s = find(SearchEvaluator.class);
        return new ServerResources(CommandRegistry.standard(), new ConnectionLimiter(),
            r == null ? new BasicContentRenderer() : r, s == null ? new BasicSearchEvaluator() : s, r != null, s != null);
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
