package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A tiny authoritative DNS server for tests, on UDP 127.0.0.1 with an ephemeral port, built from
 * dnsjava's message classes: serves the MX, A and AAAA records a test adds, NXDOMAIN for unknown
 * names, SERVFAIL for names marked failing, NODATA for known names without the asked type. With
 * {@link #authenticated} set it plays a validating resolver: the AD bit on every answer except for names
 * marked {@link #insecure} (DANE tests); {@link #record} serves any other record (TLSA, TXT).
 */
final class TestDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    /** Set AD on answers, as a DNSSEC-validating resolver would for a signed zone. */
    volatile boolean authenticated;
    private final Set<String> insecure = ConcurrentHashMap.newKeySet();

    TestDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private static Name name(String n) throws IOException {
        return Name.fromString(n.endsWith(".") ? n : n + ".");
    }

    TestDnsServer mx(String domain, int preference, String host) throws IOException {
        add(new MXRecord(name(domain), DClass.IN, 60, preference, name(host)));
        return this;
    }

    /** RFC 7505 null MX: preference 0, target ".". */
    TestDnsServer nullMx(String domain) throws IOException {
        add(new MXRecord(name(domain), DClass.IN, 60, 0, Name.root));
        return this;
    }

    TestDnsServer a(String host, String ip) throws IOException {
        add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
        return this;
    }

    TestDnsServer aaaa(String host, String ip) throws IOException {
        add(new AAAARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
        return this;
    }

    TestDnsServer servfail(String name) {
        failing.add(name.toLowerCase() + ".");
        return this;
    }

    /** Any record (TLSA, TXT...). */
    TestDnsServer record(Record r) {
        add(r);
        return this;
    }

    /** Answers for this name come without AD even when {@link #authenticated}. */
    TestDnsServer insecure(String name) {
        insecure.add(name.toLowerCase() + ".");
        return this;
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName().toString().toLowerCase(), k -> new ArrayList<>()).add(r);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (running) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                String qname = question.getName().toString().toLowerCase();
                if (authenticated && !insecure.contains(qname) && !failing.contains(qname)) {
                    r.getHeader().setFlag(Flags.AD);
                }
                if (failing.contains(qname)) {
                    r.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (!records.containsKey(qname)) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    for (Record rec : records.get(qname)) {
                        // RRSIGs go with the RRset they cover (signed zones for the DNSSEC tests).
                        if (rec.getType() == question.getType()
                            || rec instanceof org.xbill.DNS.RRSIGRecord sig && sig.getTypeCovered() == question.getType()) {
                            r.addRecord(rec, Section.ANSWER);
                        }
                    }
                }
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
    }
}
