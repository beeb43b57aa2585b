package org.mailserver.imap.netty;

import io.netty.channel.Channel;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.imap.ImapConfig;
import org.mailserver.imap.codec.ImapRequestDecoder;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.ServerResources;

/** Adds the IMAP handlers to a channel (after the framework's TLS handler in wrapper mode). */
public final class ImapPipeline {
    private ImapPipeline() {
    }

    public static ImapSession install(Channel channel, ListenerContext context, ImapConfig config, ServerResources resources) {
        NettyImapTransport transport = new NettyImapTransport(channel, context.tls(), config.maxLineLength(), config.appendLimit());
        ImapSession session = new ImapSession(transport, context, config, resources);
        channel.pipeline().addLast(NettyImapTransport.DECODER, new ImapRequestDecoder(config.maxLineLength(), config.appendLimit()));
        channel.pipeline().addLast(NettyImapTransport.SESSION, new ImapChannelHandler(session, transport));
        if (channel.isActive()) {
            // the framework may add us to an already active channel: greet now
            channel.eventLoop().execute(session::start);
        }
        return session;
    }
}
