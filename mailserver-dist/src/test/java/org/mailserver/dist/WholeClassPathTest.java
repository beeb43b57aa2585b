package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.config.ParameterRegistry;
import org.mailserver.core.server.EventLoops;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.ProtocolHandlerFactory;

/**
 * What only shows when every module is on one class path, as in the shipped {@code lib/}: each parameter
 * declared once across all modules' providers (a second declaration stops the daemon at start), and every
 * protocol of master.cf served by a handler with the daemon modules registered, and the native epoll transport
 * loading on Linux x86_64 (its jar must be of the same Netty release as the classes; with 4.2.20 classes and
 * the 4.2.18 library the daemon ran on NIO without anyone noticing). (ParameterReferenceDocTest
 * keeps docs/configuration.md in step with the declarations.)
 */
@Timeout(30)
class WholeClassPathTest {
    @Test
    void everyParameterOfEveryModuleIsDeclaredOnce() {
        assertTrue(ParameterRegistry.all().size() > 100, "providers of all modules found");
        for (String name : List.of("smtpd_tls_wrappermode", "imap_tls_wrappermode", "mail_location", "relayhost",
            "smtpd_relay_restrictions", "lmtp_rcpt_check_quota", "passdb")) {
            assertTrue(ParameterRegistry.find(name) != null, name);
        }
    }

    @Test
    void everyProtocolOfMasterCfHasAHandlerAndTheModulesAreRegistered() {
        Set<String> protocols = new HashSet<>();
        ServiceLoader.load(ProtocolHandlerFactory.class).forEach(f -> protocols.add(f.protocol()));
        assertEquals(Set.of("smtp", "lmtp", "imap"), protocols);
        Set<String> modules = new HashSet<>();
        ServiceLoader.load(DaemonModule.class).stream().forEach(p -> modules.add(p.type().getSimpleName()));
        assertTrue(modules.containsAll(Set.of("AuthDaemonModule", "StorageDaemonModule", "QueueModule", "QueueRunnerModule",
            "LocalDeliveryModule", "OutboundModule", "SmtpModule")), modules.toString());
    }

    @Test
    void onLinuxX8664TheListenersUseTheNativeEpollTransport() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"), "the native epoll jar shipped is for Linux x86_64");
        try (EventLoops loops = EventLoops.create(1)) {
            assertTrue(loops.epoll(), "the daemon's class path falls back to NIO; see pom.xml, netty.version");
        }
    }
}
