package org.mailserver.smtp.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.mailserver.core.server.ProtocolHandlerFactory;

/**
 * Replays transcript files against a fresh test listener. Format, one directive per line:
 * <pre>
 * # comment
 * @service submission          master.cf service name (role); default smtp
 * @implicit-tls                 wrap the connection in TLS from the first byte
 * @set name = value             a main.cf parameter for this transcript
 * C: text                       send text + CRLF
 * C~ text                       send text as is, with \r, \n, \0 and \\ escapes (no CRLF added)
 * S: regex                      read one reply line; it must match the regex entirely
 * TLS                           upgrade the connection (after a 220 to STARTTLS)
 * CLOSED                        the server must have closed the connection
 * </pre>
 */
public final class TranscriptRunner {

    private TranscriptRunner() {
    }

    /** One dynamic test per {@code *.txt} under the class-path directory. */
    public static Stream<DynamicTest> tests(String resourceDir, java.util.function.Supplier<ProtocolHandlerFactory> factory,
                                            Consumer<TestServer> setup) throws IOException, URISyntaxException {
        Path dir = Path.of(TranscriptRunner.class.getClassLoader().getResource(resourceDir).toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f, factory.get(), setup)));
    }

    static void run(Path file, ProtocolHandlerFactory factory, Consumer<TestServer> setup) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> settings = TestServer.defaults();
        String service = factory.protocol();
        boolean implicitTls = false;
        List<String> script = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@service ")) {
                service = line.substring(9).trim();
            } else if (line.equals("@implicit-tls")) {
                implicitTls = true;
            } else if (line.startsWith("@set ")) {
                String kv = line.substring(5);
                int eq = kv.indexOf('=');
                settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            } else {
                script.add(line);
            }
        }
        try (TestServer server = new TestServer(factory, service, implicitTls, settings)) {
            setup.accept(server);
            try (SmtpClient c = implicitTls ? SmtpClient.connectTls(server.port()) : server.client()) {
                int n = 0;
                for (String step : script) {
                    n++;
                    String where = file.getFileName() + " step " + n + " (" + step + ")";
                    if (step.startsWith("C: ")) {
                        c.send(step.substring(3));
                    } else if (step.startsWith("C~ ")) {
                        c.raw(unescape(step.substring(3)));
                    } else if (step.startsWith("S: ")) {
                        String got = c.readLine();
                        assertNotNull(got, where + ": connection closed");
                        assertTrue(got.matches(step.substring(3)), where + ": got \"" + got + "\"");
                    } else if (step.equals("TLS")) {
                        c.startTls();
                    } else if (step.equals("CLOSED")) {
                        assertTrue(c.closedByServer(), where);
                    } else {
                        fail(where + ": unknown directive");
                    }
                }
            }
        }
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                out.append(e == 'r' ? '\r' : e == 'n' ? '\n' : e == '0' ? '\0' : e);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
