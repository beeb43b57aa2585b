package org.mailserver.core.server;

import java.util.concurrent.Executor;
import org.mailserver.core.config.ListenerDefinition;
import org.mailserver.core.config.Settings;
import org.mailserver.core.tls.TlsProvider;

/**
 * The {@link ListenerContext} of one master.cf line. A reload replaces its {@link Configured} state
 * in one volatile write, so a new connection sees either the old or the new settings, never a mix.
 */
final class ServiceListenerContext implements ListenerContext {

    /** Everything a reload changes, swapped as a unit. */
    record Configured(Settings settings, TlsProvider tls, boolean implicitTls, ListenerLimits limits, Refusals refusals) {
    }

    private volatile ListenerDefinition spec;
    private final Services services;
    private final Executor blockingExecutor;
    private volatile Configured configured;

    ServiceListenerContext(ListenerDefinition spec, Configured configured, Services services, Executor blockingExecutor) {
        this.spec = spec;
        this.configured = configured;
        this.services = services;
        this.blockingExecutor = blockingExecutor;
    }

    Configured configured() {
        return configured;
    }

    /** Installs a reloaded configuration: same name, protocol and address; overrides may differ. */
    void update(ListenerDefinition nextSpec, Configured next) {
        spec = nextSpec;
        configured = next;
    }

    ListenerDefinition spec() {
        return spec;
    }

    @Override
    public String serviceName() {
        return spec.serviceName();
    }

    @Override
    public String protocol() {
        return spec.protocol();
    }

    @Override
    public Settings settings() {
        return configured.settings();
    }

    @Override
    public TlsProvider tls() {
        return configured.tls();
    }

    @Override
    public boolean implicitTls() {
        return configured.implicitTls();
    }

    @Override
    public Services services() {
        return services;
    }

    @Override
    public Executor blockingExecutor() {
        return blockingExecutor;
    }
}
