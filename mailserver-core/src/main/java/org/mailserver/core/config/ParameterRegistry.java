package org.mailserver.core.config;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every declared parameter, collected once from the {@link ParameterProvider}s on the class path. */
public final class ParameterRegistry {
    private static volatile Map<String, ParameterDefinition> all;

    private ParameterRegistry() {
    }

    public static Map<String, ParameterDefinition> all() {
        Map<String, ParameterDefinition> result = all;
        if (result == null) {
            Map<String, ParameterDefinition> map = new TreeMap<>();
            for (ParameterProvider provider : ServiceLoader.load(ParameterProvider.class)) {
                for (ParameterDefinition def : provider.parameters()) {
                    ParameterDefinition previous = map.putIfAbsent(def.name(), def);
                    if (previous != null && !previous.equals(def)) {
                        throw new IllegalStateException("parameter declared twice: " + def.name());
                    }
                }
            }
            result = Collections.unmodifiableMap(map);
            all = result;
        }
        return result;
    }

    public static ParameterDefinition find(String name) {
        return all().get(name);
    }
}
