package org.mailserver.core.server;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** The client IP of a connection as log lines print it; {@code unix} for unix-domain sockets. */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String ip(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "unix";
    }
}
