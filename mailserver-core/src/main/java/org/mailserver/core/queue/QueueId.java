package org.mailserver.core.queue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Postfix-style long queue IDs ({@code enable_long_queue_ids = yes}): the arrival time in seconds and a
 * sub-second counter in base 52 (digits and consonants only, so no word can be spelled), then a random
 * tail. IDs sort roughly by arrival, are unique within this JVM through the counter and across
 * restarts through the time and the random tail, and are safe as file names on every file system.
 */
public final class QueueId {
    private static final char[] ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".toCharArray();
    private static final AtomicLong COUNTER = new AtomicLong();

    private QueueId() {
    }

    public static String next() {
        long now = System.currentTimeMillis();
        StringBuilder id = new StringBuilder(16);
        append(id, now / 1000, 6);
        append(id, (now % 1000) * 1000 + (COUNTER.getAndIncrement() % 1000), 4);
        // Uniqueness, not secrecy (the ID is in the 250 reply): ThreadLocalRandom, as SecureRandom read
        // /dev/urandom on the event loop for every message.
        append(id, ThreadLocalRandom.current().nextInt(52 * 52 * 52), 3);
        return id.toString();
    }

    /** True for a string this class could have produced (used to refuse path tricks from admin input). */
    public static boolean isValid(String id) {
        if (id == null || id.length() < 6 || id.length() > 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!Character.isLetterOrDigit(c) || c > 127) {
                return false;
            }
        }
        return true;
    }

    private static void append(StringBuilder out, long value, int width) {
        char[] digits = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = ALPHABET[(int) (value % ALPHABET.length)];
            value /= ALPHABET.length;
        }
        out.append(digits);
    }
}
