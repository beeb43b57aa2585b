package org.mailserver.core.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies the repository's dev configuration ({@code config/}) into a temporary directory with every port set to 0. */
final class DevConfig {
    private DevConfig() {
    }

    /** The dev config without its demo user (whose password hashing costs a second per start). */
    static Path copyTo(Path dir) throws IOException {
        copyWithDemoUser(dir);
        Path main = dir.resolve("main.cf");
        Files.writeString(main, Files.readString(main).replaceAll("(?m)^demo_user\\s*=.*$", "#demo_user ="));
        return dir;
    }

    /** The dev config as it is. */
    static Path copyWithDemoUser(Path dir) throws IOException {
        Path source = locate();
        Files.writeString(dir.resolve("main.cf"), Files.readString(source.resolve("main.cf")));
        String master = Files.readString(source.resolve("master.cf")).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:0");
        Files.writeString(dir.resolve("master.cf"), master);
        return dir;
    }

    static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/master.cf"))) {
                return p.resolve("config");
            }
        }
        throw new IllegalStateException("config/master.cf not found above " + Path.of("").toAbsolutePath());
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + text);
    }
}
