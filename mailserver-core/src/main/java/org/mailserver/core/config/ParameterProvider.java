package org.mailserver.core.config;

import java.util.List;

/**
 * Each module declares its parameters through this service-provider interface
 * ({@code META-INF/services/org.mailserver.core.config.ParameterProvider}), so the configuration
 * layer knows every parameter name, type and default without depending on the modules.
 */
public interface ParameterProvider {
    List<ParameterDefinition> parameters();
}
