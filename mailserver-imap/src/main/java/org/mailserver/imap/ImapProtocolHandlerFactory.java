package org.mailserver.imap;

import io.netty.channel.Channel;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.imap.netty.ImapPipeline;
import org.mailserver.imap.session.ServerResources;

/**
 * The IMAP protocol for the listener framework (registered in
 * {@code META-INF/services/org.mailserver.core.server.ProtocolHandlerFactory}, protocol {@code imap}): adds the
 * request decoder and the session handler to each accepted channel. One instance per daemon; it holds the state
 * shared by all IMAP sessions (command registry, user+IP connection counts, MIME renderer).
 */
public final class ImapProtocolHandlerFactory implements ProtocolHandlerFactory {
    private ServerResources resources;

    @Override
    public String protocol() {
        return "imap";
    }

    @Override
    public void initChannel(Channel channel, ListenerContext context) {
        ImapConfig config = ImapConfig.from(context.settings());
        ImapPipeline.install(channel, context, config, resources(config));
    }

    /** Created with the first listener's settings: the work pool is one for the daemon. */
    private synchronized ServerResources resources(ImapConfig config) {
        if (resources == null) {
            resources = ServerResources.load(config);
        }
        return resources;
    }
}
