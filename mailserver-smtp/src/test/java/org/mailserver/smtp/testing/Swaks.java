package org.mailserver.smtp.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the swaks binary (installed by .ci/run) against a test listener; tests skip when it is absent. */
public final class Swaks {

    public record Result(int exitCode, String output) {
    }

    private Swaks() {
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(path() != null, "swaks is not installed");
    }

    private static String path() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "swaks");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    public static Result run(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--server", "127.0.0.1:" + port));
        all.addAll(List.of(args));
        return runArgs(all.toArray(new String[0]));
    }

    /** Runs swaks with exactly these arguments (plus a timeout). */
    public static Result runArgs(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(path());
        cmd.add("--timeout");
        cmd.add("10");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("swaks did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
