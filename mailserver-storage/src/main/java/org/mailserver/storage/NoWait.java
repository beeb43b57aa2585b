package org.mailserver.storage;

import java.util.concurrent.Callable;

/**
 * Storage calls that must not wait for a mailbox's lock: IMAP renders a small FETCH on its network thread
 * (imap_inline_fetch_max_size), where waiting for another session's STORE of 10,000 flags or a Maildir rescan
 * would stall every connection that thread serves. Inside {@link #call}, taking a mailbox lock that another
 * thread holds throws {@link WouldBlockException} instead of waiting; the caller then runs the same call on a
 * thread that may wait. Only for calls that change nothing (they may be run twice).
 */
public final class NoWait {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private NoWait() {
    }

    /** A mailbox lock was held by another thread inside {@link #call}. */
    public static final class WouldBlockException extends RuntimeException {
        public WouldBlockException() {
            super("mailbox lock busy", null, false, false); // expected and frequent: no stack trace
        }
    }

    /** Runs {@code call} so that a busy mailbox lock throws {@link WouldBlockException} rather than waiting. */
    public static <T> T call(Callable<T> call) throws Exception {
        Boolean outer = ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            return call.call();
        } finally {
            if (outer == null) {
                ACTIVE.remove();
            }
        }
    }

    /** Whether the current thread is inside {@link #call}. */
    public static boolean active() {
        return ACTIVE.get() != null;
    }
}
