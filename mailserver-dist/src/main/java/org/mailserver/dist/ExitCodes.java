package org.mailserver.dist;

/** Exit codes of {@code bin/mailserver} (LSB init-script conventions where they apply). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOT_RUNNING = 3;

    private ExitCodes() {
    }
}
