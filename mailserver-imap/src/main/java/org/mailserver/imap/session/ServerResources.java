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
        MessageContentRenderer r = ServiceLoader.load(MessageContentRenderer.class).findFirst().orElse(null);
        SearchEvaluator s = ServiceLoader.load(SearchEvaluator.class).findFirst().orElse(null);
        return new ServerResources(CommandRegistry.standard(), new ConnectionLimiter(),
            r == null ? new BasicContentRenderer() : r, s == null ? new BasicSearchEvaluator() : s, r != null, s != null);
    }
}
