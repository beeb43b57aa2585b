package org.mailserver.core.config;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.mailserver.core.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailserver -c DIR conf}: the configuration as postconf(1) shows Postfix's. Values are printed
 * as written ({@code $name} unexpanded, like postconf) unless {@code -x}. Exit status 1 when a named
 * parameter is unknown or the configuration does not load (the error names file and line).
 */
@Command(name = "conf",
    description = {"Print the configuration (postconf habits).",
        "conf: every parameter; conf -n: only those set in main.cf; conf -d: defaults; conf NAME...: those;",
        "conf -M: master.cf listeners; conf --markdown: the parameter reference in Markdown."})
public final class ConfCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "-n", description = "Only parameters set explicitly in main.cf.")
    boolean explicitOnly;

    @Option(names = "-d", description = "Default values instead of the configured ones (main.cf is not read).")
    boolean defaults;

    @Option(names = "-x", description = "Expand $name references in the values.")
    boolean expand;

    @Option(names = "-M", description = "Print the master.cf listeners.")
    boolean master;

    @Option(names = "--markdown", description = "Print the parameter reference (docs/configuration.md) in Markdown.")
    boolean markdown;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Parameters to print.")
    List<String> names = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (markdown) {
                out.print(ParameterReference.markdown());
                return 0;
            }
            CliContext cli = (CliContext) spec.root().userObject();
            if (master) {
                for (ListenerDefinition l : MasterCf.load(cli.configDirectory()).listeners()) {
                    StringBuilder line = new StringBuilder(l.serviceName() + " " + l.protocol() + " " + l.address());
                    l.overrides().forEach((k, v) -> line.append(" -o ").append(k).append('=').append(v));
                    out.println(line);
                }
                return 0;
            }
            Settings settings = defaults ? Settings.of(Map.of(), cli.configDirectory()) : cli.settings();
            return print(settings, out, err);
        } catch (ConfigException e) {
            err.println("conf: error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int print(Settings settings, PrintWriter out, PrintWriter err) {
        ConfigurationSettings cs = settings instanceof ConfigurationSettings c ? c : null;
        int status = 0;
        TreeSet<String> selected = new TreeSet<>();
        if (names.isEmpty()) {
            if (!explicitOnly) {
                selected.addAll(ParameterRegistry.all().keySet());
            }
            if (cs != null) {
                selected.addAll(cs.explicitNames());
            }
        } else {
            for (String name : names) {
                if (ParameterRegistry.find(name) == null && !settings.isExplicit(name)) {
                    err.println("conf: warning: " + name + ": unknown parameter" + suggestion(name));
                    status = 1;
                } else {
                    selected.add(name);
                }
            }
        }
        for (String name : selected) {
            if (explicitOnly && !settings.isExplicit(name)) {
                continue;
            }
            String value;
            if (expand || cs == null) {
                value = settings.get(name);
            } else {
                value = defaults ? cs.defaultValue(name) : cs.raw(name);
            }
            out.println(value == null || value.isEmpty() ? name + " =" : name + " = " + value);
        }
        return status;
    }

    private static String suggestion(String name) {
        String near = NearestName.find(name, ParameterRegistry.all().keySet());
        return near == null ? "" : "; did you mean " + near + "?";
    }
}
