package org.mailserver.core.config;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;

/** Parameters of every type, declared for the configuration tests only (test class path). */
public final class TestParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("test_integer", INTEGER, "10", "", "An integer for tests."),
            of("test_boolean", BOOLEAN, "no", "", "A boolean for tests."),
            of("test_duration", DURATION, "5m", "", "A time value for tests."),
            of("test_path", PATH, "data", "", "A path for tests."),
            of("test_wrappermode", BOOLEAN, "no", "", "Overridden per listener in the master.cf tests.")
        );
    }
}
