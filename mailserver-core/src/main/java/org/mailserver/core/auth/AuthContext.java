package org.mailserver.core.auth;

import java.net.InetSocketAddress;

/**
 * Who is asking to authenticate, and over what: the service ({@code smtp}, {@code imap}, ...),
 * the remote and local addresses and whether the connection is protected by TLS. Used for
 * {@code disable_plaintext_auth}, {@code allow_nets}, the guessing protection and the log lines.
 */
public record AuthContext(String service, InetSocketAddress remote, InetSocketAddress local, boolean secured) {
}
