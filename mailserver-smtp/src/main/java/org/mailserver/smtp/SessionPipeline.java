package org.mailserver.smtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.smtp.codec.SmtpDecoder;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.codec.SmtpReplyEncoder;
import org.mailserver.smtp.session.SessionConfig;
import org.mailserver.smtp.session.SessionServices;
import org.mailserver.smtp.session.SmtpDialect;
import org.mailserver.smtp.session.SmtpSession;
import org.mailserver.smtp.transport.SmtpChannelHandler;

/** Adds the SMTP/LMTP handlers (decoder, reply encoder, session) to an accepted channel. Shared with LMTP. */
public final class SessionPipeline {

    private SessionPipeline() {
    }

    public static void install(Channel channel, SessionConfig config, SessionServices services, SmtpDialect dialect,
                               String serviceName, TlsProvider tls) {
        SmtpDecoder decoder = new SmtpDecoder(config.lineLengthLimit(), config.newlines());
        channel.pipeline().addLast("smtp-decoder", decoder);
        channel.pipeline().addLast("smtp-encoder", SmtpReplyEncoder.INSTANCE);
        channel.pipeline().addLast("smtp-session", new SmtpChannelHandler(decoder, tls,
            transport -> new SmtpSession(transport, config, services, dialect, serviceName)));
    }

    /** For a listener whose configuration is unusable: a clean temporary refusal, then close. */
    public static void refuse(Channel channel, String text) {
        channel.pipeline().addLast("smtp-encoder", SmtpReplyEncoder.INSTANCE);
        channel.writeAndFlush(SmtpReply.of(421, "4.3.5", text)).addListener(ChannelFutureListener.CLOSE);
    }
}
