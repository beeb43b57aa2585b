package org.mailserver.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.List;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.convert.ListDelimiterHandler;

/**
 * Teaches Commons Configuration's {@link PropertiesConfiguration} the main.cf syntax (postconf(5)):
 * {@code name = value}; {@code #} comment lines; a line that starts with white space continues the
 * previous one; no backslash escapes (a Java properties file would unescape them, main.cf does not).
 * The stock reader would instead treat an indented line as a new key and require {@code \} for
 * continuation, which is why {@link MainCf} installs this reader through {@link Factory}.
 *
 * <p>Each definition is also reported to a {@link DefinitionListener} with its line number, so every
 * later error can name {@code file:line: parameter}. A malformed line throws {@link ConfigException}.
 */
public final class MainCfReader extends PropertiesConfiguration.PropertiesReader {

    /** Receives every definition in file order, duplicates included. */
    @FunctionalInterface
    public interface DefinitionListener {
        void defined(String name, String value, int line);
    }

    /** The {@link PropertiesConfiguration.IOFactory} that makes {@link PropertiesConfiguration} read main.cf. */
    public static final class Factory implements PropertiesConfiguration.IOFactory {
        private final String fileName;
        private final DefinitionListener listener;

        public Factory(String fileName, DefinitionListener listener) {
            this.fileName = fileName;
            this.listener = listener;
        }

        @Override
        public PropertiesConfiguration.PropertiesReader createPropertiesReader(Reader in) {
            return new MainCfReader(in, fileName, listener);
        }

        @Override
        public PropertiesConfiguration.PropertiesWriter createPropertiesWriter(Writer out, ListDelimiterHandler handler) {
            // We never write main.cf back; the stock writer is fine for a programmatic save.
            return new PropertiesConfiguration.PropertiesWriter(out, handler);
        }
    }

    private final String fileName;
    private final DefinitionListener listener;
    private final LogicalLineReader lines;
    private String name;
    private String value;

    public MainCfReader(Reader in, String fileName, DefinitionListener listener) {
        super(in);
        this.fileName = fileName;
        this.listener = listener;
        this.lines = new LogicalLineReader(fileName, this::readLine);
    }

    @Override
    public boolean nextProperty() throws IOException {
        LogicalLineReader.LogicalLine line = lines.next();
        if (line == null) {
            return false;
        }
        String text = line.text();
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(fileName + ":" + line.line() + ": missing '=' after parameter name: \""
                + abbreviate(text) + "\"");
        }
        String n = text.substring(0, eq).strip();
        if (!isParameterName(n)) {
            throw new ConfigException(fileName + ":" + line.line() + ": bad parameter name: \"" + abbreviate(n)
                + "\" (letters, digits and _ only)");
        }
        name = n;
        value = text.substring(eq + 1).strip();
        listener.defined(name, value, line.line());
        return true;
    }

    @Override
    public String readProperty() throws IOException {
        throw new UnsupportedOperationException("main.cf is read through nextProperty()");
    }

    @Override
    public String getPropertyName() {
        return name;
    }

    @Override
    public String getPropertyValue() {
        return value;
    }

    @Override
    public String getPropertySeparator() {
        return " = ";
    }

    @Override
    public List<String> getCommentLines() {
        return lines.skippedLines();
    }

    static boolean isParameterName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
