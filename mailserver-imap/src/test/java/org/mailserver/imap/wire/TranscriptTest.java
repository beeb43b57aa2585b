package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the transcripts under {@code src/test/resources/transcripts/imap/}: {@code C:} lines are sent with
 * CRLF; {@code S:} lines are regular expressions each matching one physical response line, in order;
 * consecutive {@code S~:} lines match the same number of response lines in any order. A named group
 * {@code (?<name>...)} captures a value that later lines use as {@code ${name}}. Lines starting with # are
 * comments. Runs against every store of {@link TestStores} with plaintext login allowed.
 */
@Timeout(20)
class TranscriptTest {
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    private static final Pattern VAR = Pattern.compile("\\$\\{([a-zA-Z][a-zA-Z0-9]*)}");

    static Stream<org.junit.jupiter.params.provider.Arguments> transcripts() throws Exception {
        Path dir = Path.of(TranscriptTest.class.getResource("/transcripts/imap").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (TestStores.Kind kind : TestStores.all()) {
            for (Path f : files) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(f.getFileName().toString(), kind, f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("transcripts")
    void replay(String name, TestStores.Kind store, Path transcript) throws Exception {
        List<String> lines = Files.readAllLines(transcript, StandardCharsets.UTF_8);
        Map<String, String> vars = new HashMap<>();
        try (ImapTestServer server = new ImapTestServer(store.create().call(), Map.of(), false, true);
             ImapTestClient c = new ImapTestClient(server.port())) {
            int i = 0;
            while (i < lines.size()) {
                String line = lines.get(i);
                String where = transcript.getFileName() + ":" + (i + 1);
                if (line.startsWith("C: ") || line.equals("C:")) {
                    c.send(substitute(line.length() > 3 ? line.substring(3) : "", vars, false) + "\r\n");
                    i++;
                } else if (line.startsWith("S~: ")) {
                    List<String> group = new ArrayList<>();
                    while (i < lines.size() && lines.get(i).startsWith("S~: ")) {
                        group.add(substitute(lines.get(i).substring(4), vars, true));
                        i++;
                    }
                    List<String> got = new ArrayList<>();
                    for (int k = 0; k < group.size(); k++) {
                        got.add(c.rawLine());
                    }
                    for (String regex : group) {
                        String hit = got.stream().filter(g -> g.matches(regex)).findFirst().orElse(null);
                        assertNotNull(hit, where + ": no line of " + got + " matches " + regex);
                        got.remove(hit);
                    }
                } else if (line.startsWith("S: ") || line.equals("S:")) {
                    String regex = substitute(line.length() > 3 ? line.substring(3) : "", vars, true);
                    String got = c.rawLine();
                    Matcher m = Pattern.compile(regex).matcher(got);
                    assertTrue(m.matches(), where + ": expected /" + regex + "/ but got: " + got);
                    Matcher g = GROUP.matcher(regex);
                    while (g.find()) {
                        vars.put(g.group(1), m.group(g.group(1)));
                    }
                    i++;
                } else if (line.isBlank() || line.startsWith("#")) {
                    i++;
                } else {
                    fail(where + ": not a transcript line: " + line);
                }
            }
        }
    }

    private static String substitute(String text, Map<String, String> vars, boolean regex) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            assertNotNull(v, "undefined ${" + m.group(1) + "}");
            m.appendReplacement(sb, Matcher.quoteReplacement(regex ? Pattern.quote(v) : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
