package org.mailserver.storage.maildir;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir file names as Dovecot writes them:
 * {@code <time>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>:2,<flags>}. The part before
 * {@code :} is the base name, which never changes and is what {@code dovecot-uidlist} records;
 * {@code S=} is the size on disk (LF line endings), {@code W=} the RFC822.SIZE with CRLF; the
 * {@code :2,} info part carries the flag letters (see {@link MaildirFlags}).
 */
final class MaildirFileName {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String PID = String.valueOf(ProcessHandle.current().pid());
    private static final String HOST = hostName();

    private MaildirFileName() {
    }

    /** A new unique base name with the sizes in it. */
    static String newBase(long size, long vsize) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        long sec = micros / 1_000_000;
        return sec + ".M" + (micros % 1_000_000) + "P" + PID + "Q" + COUNTER.incrementAndGet() + "." + HOST
            + ",S=" + size + ",W=" + vsize;
    }

    /** The base name: everything before the {@code :} info separator. */
    static String base(String fileName) {
        int colon = fileName.indexOf(':');
        return colon < 0 ? fileName : fileName.substring(0, colon);
    }

    /** The flag letters of {@code :2,XYZ}, or "" when there is no info part. */
    static String flagLetters(String fileName) {
        int i = fileName.indexOf(":2,");
        return i < 0 ? "" : fileName.substring(i + 3);
    }

    static String withFlags(String base, String letters) {
        return base + ":2," + letters;
    }

    /** The value of a {@code ,X=} field of the base name, or -1. */
    static long field(String fileName, char key) {
        String base = base(fileName);
        String marker = "," + key + "=";
        int i = base.indexOf(marker);
        if (i < 0) {
            return -1;
        }
        int start = i + marker.length();
        int end = start;
        while (end < base.length() && Character.isDigit(base.charAt(end))) {
            end++;
        }
        if (end == start) {
            return -1;
        }
        try {
            return Long.parseLong(base.substring(start, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Dovecot escapes / and : in the host part so they cannot break the name. */
    private static String hostName() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            h = ManagementFactory.getRuntimeMXBean().getName();
            int at = h.indexOf('@');
            h = at < 0 ? "localhost" : h.substring(at + 1);
        }
        return h.replace("/", "\\057").replace(":", "\\072");
    }
}
