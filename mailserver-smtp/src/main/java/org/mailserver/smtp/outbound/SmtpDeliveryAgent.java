package org.mailserver.smtp.outbound;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.mailserver.core.delivery.DeliveryAgent;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.outbound.tls.DestinationTls;
import org.mailserver.smtp.outbound.tls.TlsaLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code smtp} and {@code lmtp} transports (Postfix's smtp(8)/lmtp(8)): finds the servers of the
 * next hop (MX records, or the host itself for {@code [host]}), tries their addresses in order until one
 * accepts a session, and runs the transaction with {@link SmtpClientSession}. Outcomes follow RFC 5321:
 * 2xx sent, 4xx and network or DNS trouble deferred, 5xx bounced for that recipient only; a null MX
 * (RFC 7505) bounces at once. Runs on delivery worker threads; blocking.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(SmtpDeliveryAgent.class);

    private final String transport;
    private final OutboundConfig config;
    private final DnsResolver dns;
    private final ConnectionCache cache;
    /** The port for an address found through MX/A lookup (tests map loopback addresses to their servers). */
    private final ToIntFunction<InetAddress> mxPort;
    /** The client's event loop: replies are decoded there; workers only wait for them. */
    private final EventLoopGroup group;
    /** Whether {@link #stop()} shuts the group down (tests); the daemon's group outlives agent generations. */
    private final boolean ownsGroup;
    /** dane and MTA-STS per MX host; the static factories install the configured one (with MTA-STS). */
    private volatile DestinationTls destinationTls;

    SmtpDeliveryAgent(String transport, OutboundConfig config, DnsResolver dns, ToIntFunction<InetAddress> mxPort) {
        this(transport, config, dns, mxPort, newGroup(), true);
    }

    SmtpDeliveryAgent(String transport, OutboundConfig config, DnsResolver dns, ToIntFunction<InetAddress> mxPort,
                      EventLoopGroup group, boolean ownsGroup) {
        this.transport = transport;
        this.config = config;
        this.dns = dns;
        this.cache = new ConnectionCache(config.cacheTime());
        this.mxPort = mxPort;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.destinationTls = new DestinationTls(new TlsaLookup(dns.resolver()), null);
    }

    /** Replaces the DANE/MTA-STS evaluation (the factories, and tests with their own MTA-STS fetcher). */
    SmtpDeliveryAgent destinationTls(DestinationTls d) {
        this.destinationTls = d;
        return this;
    }

    /** One event loop thread is plenty: it only decodes replies and moves bytes. */
    static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-client", true), NioIoHandler.newFactory());
    }

    /** The {@code smtp} transport over a shared event loop group (owned by the caller). */
    public static SmtpDeliveryAgent smtp(org.mailserver.core.config.Settings s, EventLoopGroup group) throws Exception {
        OutboundConfig c = OutboundConfig.from(s);
        return new SmtpDeliveryAgent("smtp", c, DnsResolver.create(s.getString("dns_resolver"), c.timeouts().connect()),
            a -> c.smtpPort(), group, false).withSecurity(s);
    }

    /** The {@code lmtp} transport over a shared event loop group (owned by the caller). */
    public static SmtpDeliveryAgent lmtp(org.mailserver.core.config.Settings s, EventLoopGroup group) throws Exception {
        OutboundConfig c = OutboundConfig.from(s);
        return new SmtpDeliveryAgent("lmtp", c, DnsResolver.create(s.getString("dns_resolver"), c.timeouts().connect()),
            a -> c.lmtpPort(), group, false).withSecurity(s);
    }

    /** The {@code smtp} transport with its own event loop, shut down by {@link #stop()}. */
    public static SmtpDeliveryAgent smtp(org.mailserver.core.config.Settings s) throws Exception {
        OutboundConfig c = OutboundConfig.from(s);
        return new SmtpDeliveryAgent("smtp", c, DnsResolver.create(s.getString("dns_resolver"), c.timeouts().connect()),
            a -> c.smtpPort()).withSecurity(s);
    }

    private SmtpDeliveryAgent withSecurity(org.mailserver.core.config.Settings s) throws Exception {
        return destinationTls(DestinationTls.create(s, dns));
    }

    @Override
    public String transport() {
        return transport;
    }

    /** Closes idle cached connections (and the event loop when this agent owns it). */
    public void stop() {
        cache.expire(true);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
        cache.expire(false);
        boolean lmtp = "lmtp".equals(transport);
        String nexthopText = request.route().nexthop();
        Nexthop hop = Nexthop.parse(nexthopText, lmtp ? config.lmtpPort() : config.smtpPort(), lmtp);
        List<DeliveryRequest.Rcpt> rcpts = request.recipients();
        long start = System.nanoTime();

        // SMTPUTF8 without the server's support is decided per session; non-ASCII addresses need it (RFC 6531 3.2).
        List<java.net.SocketAddress> addresses;
        List<String> names = new ArrayList<>();
        try {
            addresses = resolve(hop, names);
        } catch (DnsResolver.DnsException e) {
            for (DeliveryRequest.Rcpt r : rcpts) {
                journal.report(e.permanent() ? RecipientResult.bounced(r.index(), "5.1.2", e.getMessage(), "none")
                    : RecipientResult.deferred(r.index(), "4.4.3", e.getMessage(), "none"));
            }
            return;
        } catch (NullMxException e) {
            for (DeliveryRequest.Rcpt r : rcpts) {
                journal.report(RecipientResult.bounced(r.index(), "5.1.10", e.getMessage(), "none"));
            }
            return;
        }

        String lastError = "no address to deliver to";
        String lastDsn = "4.4.1";
        TlsPolicy policy = hop.unixPath() != null ? config.tls().withLevel(TlsPolicy.Level.NONE) : config.tlsFor(nexthopText, hop);
        DestinationTls.Plan tlsPlan = destinationTls.plan(request.queueId(), hop.host(), hop.mxLookup(), hop.port(), policy);
        String[] credentials = config.credentialsFor(nexthopText, hop);
        String cacheKey = transport + ":" + nexthopText;
        for (int i = 0; i < addresses.size(); i++) {
            java.net.SocketAddress address = addresses.get(i);
            String name = names.get(i);
            // DANE (RFC 7672) and MTA-STS (RFC 8461) decide per MX host; see DestinationTls.
            DestinationTls.Decision decision = tlsPlan.forHost(name);
            if (decision.policy() == null) {
                lastError = decision.refusal();
                lastDsn = decision.dsn();
                log.info("{}: {}", request.queueId(), lastError);
                continue;
            }
            TlsPolicy hostPolicy = decision.policy();
            SmtpClientSession session = i == 0 ? cache.take(cacheKey) : null;
            if (session != null && !session.reset()) {
                // The server closed the idle connection: open a new one rather than defer on a stale one.
                session.close();
                session = null;
            }
            try {
                if (session == null) {
                    NettySmtpTransport t = NettySmtpTransport.connect(group, address, name, config.timeouts().connect());
                    session = new SmtpClientSession(t, name, lmtp, config.timeouts());
                    try {
                        session.open(config.heloName(), hostPolicy, config.wrapperMode(), credentials,
                            config.plaintextAuthWithoutTls());
                    } catch (IOException e) {
                        session.close();
                        throw e;
                    }
                }
            } catch (SmtpClientSession.SetupException e) {
                lastError = e.getMessage();
                lastDsn = e.dsn.startsWith("5") ? "4" + e.dsn.substring(1) : e.dsn;
                log.info("{}: {}", request.queueId(), lastError);
                continue;
            } catch (IOException e) {
                lastError = "connect to " + (address instanceof InetSocketAddress inet
                    ? name + "[" + inet.getAddress().getHostAddress() + "]:" + inet.getPort() : name)
                    + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                lastDsn = "4.4.1";
                log.info("{}: {}", request.queueId(), lastError);
                continue;
            }
            double setup = (System.nanoTime() - start) / 1e9;
            transact(request, journal, session, setup);
            if (session.usable()) {
                cache.put(cacheKey, session);
            } else {
                session.close();
            }
            return;
        }
        for (DeliveryRequest.Rcpt r : rcpts) {
            journal.report(RecipientResult.deferred(r.index(), lastDsn, lastError, "none"));
        }
    }

    private void transact(DeliveryRequest request, DeliveryJournal journal, SmtpClientSession session, double setup)
        throws IOException {
        long t0 = System.nanoTime();
        String tls = session.tls() == null ? null : session.tls().label();
        String relay = session.peer();
        Envelope env = request.envelope();
        EightBitDowngrader.Plan downgrade = null;
        String[] eightBitRefusal = null;
        long size = request.contentSize();
        if ("8BITMIME".equalsIgnoreCase(env.bodyType()) && !session.supports("8BITMIME")) {
            // RFC 6152 3: 8-bit content to a server without 8BITMIME must be converted to 7 bit or returned.
            try (InputStream in = request.content().open()) {
                downgrade = EightBitDowngrader.scan(in);
            }
            String why = " host " + relay + " does not offer 8BITMIME";
            if (!downgrade.eightBit()) {
                downgrade = null; // 7-bit clean despite BODY=8BITMIME: sent as it is, without the parameter
            } else if (!config.mimeOutputConversion()) {
                eightBitRefusal = new String[] {"5.6.3", "message has 8-bit content, but" + why
                    + " (disable_mime_output_conversion = yes)"};
            } else if (!downgrade.convertible()) {
                eightBitRefusal = new String[] {env.smtpUtf8() ? "5.6.7" : "5.6.3", downgrade.refusal() + ", and" + why};
            } else {
                size = downgrade.convertedSize();
            }
        }
        List<DeliveryRequest.Rcpt> sendable = new ArrayList<>();
        for (DeliveryRequest.Rcpt r : request.recipients()) {
            if (session.sizeLimit() > 0 && size > session.sizeLimit()) {
                // RFC 1870 6: do not send what the server already said it will refuse.
                journal.report(result(r.index(), "5.3.4", "message size " + size + " exceeds size limit "
                    + session.sizeLimit() + " of server " + relay, relay, tls, setup, 0));
            } else if (eightBitRefusal != null) {
                journal.report(result(r.index(), eightBitRefusal[0], eightBitRefusal[1], relay, tls, setup, 0));
            } else if ("BINARYMIME".equalsIgnoreCase(env.bodyType())
                && !(session.supports("CHUNKING") && session.supports("BINARYMIME"))) {
                // RFC 3030 3: binary content cannot be sent to a server without BINARYMIME; no conversion here.
                journal.report(result(r.index(), "5.6.3", "BINARYMIME content, but host " + relay
                    + " does not offer CHUNKING and BINARYMIME", relay, tls, setup, 0));
            } else if (env.smtpUtf8() && !session.supports("SMTPUTF8") && (!ascii(env.sender()) || !ascii(r.address()))) {
                // RFC 6531 3.2: non-ASCII addresses cannot be downgraded.
                journal.report(result(r.index(), "5.6.7", "SMTPUTF8 is required, but was not offered by host " + relay,
                    relay, tls, setup, 0));
            } else {
                sendable.add(r);
            }
        }
        if (sendable.isEmpty()) {
            return;
        }
        List<Envelope.Recipient> list = sendable.stream().map(DeliveryRequest.Rcpt::recipient).toList();
        SmtpClientSession.TransactionResult tr;
        try (InputStream raw = request.content().open();
             InputStream content = downgrade == null ? raw : EightBitDowngrader.converting(raw, downgrade)) {
            tr = session.send(env, list, content, size);
        } catch (IOException e) {
            session.close();
            for (DeliveryRequest.Rcpt r : sendable) {
                journal.report(result(r.index(), "4.4.2", "lost connection with " + relay + " while sending message: "
                    + e.getMessage(), relay, tls, setup, (System.nanoTime() - t0) / 1e9));
            }
            return;
        }
        double transmit = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < sendable.size(); i++) {
            SmtpReply reply = tr.replies().get(i);
            String text = reply.positive() ? reply.text() : "host " + relay + " said: " + reply.text();
            journal.report(result(sendable.get(i).index(), reply.enhanced(), text, relay, tls, setup, transmit));
        }
    }

    private static RecipientResult result(int index, String dsn, String text, String relay, String tls, double setup, double transmit) {
        return RecipientResult.of(index, dsn, text, relay).withRemote(tls, setup, transmit);
    }

    private static boolean ascii(String s) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(s);
    }

    /** RFC 7505 null MX. */
    static final class NullMxException extends Exception {
        NullMxException(String message) {
            super(message);
        }
    }

    /** The addresses to try, in order, with the host name of each (for logs and TLS name checks). */
    private List<java.net.SocketAddress> resolve(Nexthop hop, List<String> names) throws DnsResolver.DnsException, NullMxException {
        List<java.net.SocketAddress> out = new ArrayList<>();
        if (hop.unixPath() != null) {
            out.add(java.net.UnixDomainSocketAddress.of(hop.unixPath()));
            names.add(hop.unixPath());
            return out;
        }
        if (hop.literal()) {
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(hop.host()), hop.port()));
            } catch (java.net.UnknownHostException e) {
                throw new DnsResolver.DnsException("bad address literal: " + hop.host(), true);
            }
            names.add(hop.host());
            return out;
        }
        List<String> hosts;
        boolean viaMx = hop.mxLookup();
        if (viaMx) {
            DnsResolver.MxList mx = dns.mx(hop.host());
            if (mx.nullMx()) {
                throw new NullMxException("Domain " + hop.host() + " does not accept mail (nullMX)");
            }
            hosts = mx.hosts();
            viaMx = !mx.implicit();
        } else {
            hosts = List.of(hop.host());
        }
        DnsResolver.DnsException firstError = null;
        for (String host : hosts) {
            if (host.equalsIgnoreCase(config.myHostname()) && !config.myHostname().isEmpty()) {
                // Postfix: "mail for domain loops back to myself".
                throw new DnsResolver.DnsException("mail for " + hop.host() + " loops back to myself", true);
            }
            try {
                for (InetAddress a : dns.addresses(host, config.ipv6First())) {
                    int port = hop.mxLookup() ? mxPort.applyAsInt(a) : hop.port();
                    out.add(new InetSocketAddress(a, port));
                    names.add(host.toLowerCase(Locale.ROOT));
                }
            } catch (DnsResolver.DnsException e) {
                // One MX host without addresses must not stop delivery to the others.
                firstError = firstError == null ? e : firstError;
            }
            if (config.addressLimit() > 0 && out.size() >= config.addressLimit()) {
                break;
            }
        }
        if (out.isEmpty()) {
            throw firstError != null && (firstError.permanent() && !viaMx || !firstError.permanent()) ? firstError
                : new DnsResolver.DnsException("no usable address for the MX hosts of " + hop.host(), false);
        }
        while (config.addressLimit() > 0 && out.size() > config.addressLimit()) {
            out.remove(out.size() - 1);
            names.remove(names.size() - 1);
        }
        return out;
    }
}
