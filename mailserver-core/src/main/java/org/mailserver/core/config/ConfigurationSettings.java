package org.mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.mailserver.core.lookup.LookupTables;

/**
 * {@link Settings} backed by a Commons Configuration {@link PropertiesConfiguration} that holds the
 * explicit raw values (from main.cf, a map, or master.cf {@code -o} overrides), with the declared
 * defaults of {@link ParameterRegistry} beneath and {@link PostfixInterpolator} as its interpolator.
 * Remembers where each explicit value came from ({@code file:line}) so every error names it.
 *
 * <p>Immutable after construction (the configuration is never written again), so it is safe to share
 * between threads; a reload builds a new instance. {@link MainCf} loads one from main.cf,
 * {@link MapSettings} builds one from a map.
 */
public class ConfigurationSettings implements Settings {
    private final PropertiesConfiguration config;
    private final Map<String, String> locations;
    private final Path configDirectory;
    private final PostfixInterpolator interpolator;
    private final Map<String, String> expanded = new ConcurrentHashMap<>();
    private final ThreadLocal<Set<String>> computingDefault = ThreadLocal.withInitial(HashSet::new);

    /**
     * @param config          explicit raw values, never modified afterwards
     * @param locations       parameter name to {@code "file:line"}, for the names whose origin is known
     * @param configDirectory where relative paths resolve
     */
    protected ConfigurationSettings(PropertiesConfiguration config, Map<String, String> locations, Path configDirectory) {
        this.config = config;
        this.locations = Map.copyOf(locations);
        this.configDirectory = configDirectory;
        this.interpolator = new PostfixInterpolator(this::raw, this::prefix);
        config.setInterpolator(interpolator);
    }

    /** A configuration that keeps values whole and lets a later definition replace an earlier one (Postfix). */
    static PropertiesConfiguration newConfiguration() {
        PropertiesConfiguration c = new PropertiesConfiguration() {
            @Override
            protected void addPropertyDirect(String key, Object value) {
                if (containsKeyInternal(key)) {
                    clearPropertyDirect(key);
                }
                super.addPropertyDirect(key, value);
            }
        };
        // "include" is not special in main.cf; it must reach the unknown-parameter warning instead.
        c.setIncludesAllowed(false);
        return c;
    }

    static PropertiesConfiguration configurationOf(Map<String, String> values) {
        PropertiesConfiguration c = newConfiguration();
        values.forEach((k, v) -> c.addProperty(k, v));
        return c;
    }

    @Override
    public String get(String name) {
        String cached = expanded.get(name);
        if (cached != null) {
            return cached;
        }
        String value = interpolator.expandParameter(name);
        if (value != null) {
            expanded.put(name, value);
        }
        return value;
    }

    /** The unexpanded value: explicit if set, else the (computed) default; null when neither. */
    public String raw(String name) {
        String explicit = explicitRaw(name);
        return explicit != null ? explicit : defaultValue(name);
    }

    /** The explicitly set unexpanded value, or null. */
    public String explicitRaw(String name) {
        Object v = config.getProperty(name);
        return v == null ? null : v.toString();
    }

    /** The declared default, or Postfix's computed one for myhostname and mydomain; null if undeclared. */
    public String defaultValue(String name) {
        ParameterDefinition def = ParameterRegistry.find(name);
        if (def == null) {
            return null;
        }
        if (def.defaultValue().isEmpty()) {
            // mydomain's default derives from myhostname, which may itself say $mydomain.
            if (!computingDefault.get().add(name)) {
                throw new ConfigException(prefix(name) + name + ": expansion loop through the computed default of " + name);
            }
            try {
                String computed = ComputedDefaults.compute(name, this::get);
                if (computed != null) {
                    return computed;
                }
            } finally {
                computingDefault.get().remove(name);
            }
        }
        return def.defaultValue();
    }

    /** The explicitly set names, in the order they were defined. */
    public List<String> explicitNames() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = config.getKeys(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The explicitly set raw values, in definition order. */
    public Map<String, String> explicitValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : explicitNames()) {
            out.put(name, explicitRaw(name));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Where an explicit value was defined ({@code "main.cf:12"}), or null when not known. */
    public String location(String name) {
        return locations.get(name);
    }

    private String prefix(String name) {
        String loc = locations.get(name);
        return loc == null ? "" : loc + ": ";
    }

    private String where(String name) {
        return prefix(name) + name;
    }

    private String required(String name) {
        String v = get(name);
        if (v == null) {
            throw new ConfigException(name + ": unknown parameter");
        }
        return v;
    }

    @Override
    public int getInt(String name) {
        return ParameterValues.parseInt(where(name), required(name));
    }

    @Override
    public long getLong(String name) {
        return ParameterValues.parseLong(where(name), required(name));
    }

    @Override
    public boolean getBoolean(String name) {
        return ParameterValues.parseBoolean(where(name), required(name));
    }

    @Override
    public Duration getDuration(String name) {
        return ParameterValues.parseDuration(where(name), required(name));
    }

    @Override
    public long getSize(String name) {
        return ParameterValues.parseSize(where(name), required(name));
    }

    @Override
    public List<String> getList(String name) {
        return new ArrayList<>(PostfixListDelimiterHandler.INSTANCE.split(get(name), true));
    }

    @Override
    public Path getPath(String name) {
        String v = required(name).trim();
        Path p = Path.of(v);
        return p.isAbsolute() || configDirectory == null ? p : configDirectory.resolve(p);
    }

    @Override
    public boolean isExplicit(String name) {
        return config.containsKey(name);
    }

    @Override
    public Settings withOverrides(Map<String, String> overrides) {
        return withOverrides(overrides, Map.of());
    }

    /** Overrides on top, with the {@code "file:line"} each came from (master.cf), for error messages. */
    public ConfigurationSettings withOverrides(Map<String, String> overrides, Map<String, String> overrideLocations) {
        Map<String, String> merged = new LinkedHashMap<>(explicitValues());
        merged.putAll(overrides);
        Map<String, String> locs = new LinkedHashMap<>(locations);
        overrides.keySet().forEach(locs::remove);
        locs.putAll(overrideLocations);
        return new ConfigurationSettings(configurationOf(merged), locs, configDirectory);
    }

    @Override
    public Path configDirectory() {
        return configDirectory;
    }

    /**
     * Checks every explicit value: expands it (loops are errors), parses it by its declared type and
     * opens its lookup tables; throws {@link ConfigException} naming file, line and parameter on the
     * first problem. Returns warnings: each unknown parameter and each reference to an undefined one,
     * with the nearest known name.
     */
    public List<String> validate() {
        return validate(explicitNames());
    }

    List<String> validate(List<String> names) {
        List<String> warnings = new ArrayList<>();
        Map<String, ParameterDefinition> known = ParameterRegistry.all();
        for (String name : names) {
            String value = get(name);
            for (String ref : PostfixInterpolator.references(raw(name))) {
                if (raw(ref) == null) {
                    String near = NearestName.find(ref, known.keySet());
                    warnings.add(where(name) + ": $" + ref + " is not defined and expands to nothing"
                        + (near == null ? "" : "; did you mean $" + near + "?"));
                }
            }
            ParameterDefinition def = known.get(name);
            if (def == null) {
                String near = NearestName.find(name, known.keySet());
                warnings.add(where(name) + ": unknown parameter" + (near == null ? "" : "; did you mean " + near + "?"));
            } else if (def.type() == ParameterDefinition.ParameterType.LOOKUP) {
                for (String spec : getList(name)) {
                    try {
                        LookupTables.open(spec, configDirectory);
                    } catch (ConfigException e) {
                        throw new ConfigException(where(name) + ": " + e.getMessage(), e);
                    }
                }
            } else {
                ParameterValues.check(def.type(), where(name), value);
            }
        }
        return warnings;
    }
}
