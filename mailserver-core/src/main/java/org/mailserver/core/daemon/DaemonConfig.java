package org.mailserver.core.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.config.ListenerDefinition;
import org.mailserver.core.config.MainCf;
import org.mailserver.core.config.MasterCf;
import org.mailserver.core.config.Settings;

/**
 * What the daemon runs from: main.cf as {@link Settings} and the listeners of master.cf, read by the
 * configuration layer ({@link MainCf}, {@link MasterCf}). Loading throws
 * {@link org.mailserver.core.config.ConfigException} naming file and line; warnings (unknown
 * parameters) are kept for {@code check}.
 */
public record DaemonConfig(Settings settings, List<ListenerDefinition> listeners, List<String> warnings) {

    public static DaemonConfig load(Path dir) {
        Path absolute = dir.toAbsolutePath();
        MainCf main = MainCf.load(absolute);
        MasterCf master = MasterCf.load(absolute);
        List<String> warnings = new ArrayList<>(main.warnings());
        warnings.addAll(master.warnings());
        return new DaemonConfig(main, master.listeners(), List.copyOf(warnings));
    }
}
