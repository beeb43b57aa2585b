package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.server.DaemonModule;

/** The start-up crypto warm-up: does all its work without failing, and is found as a daemon module. */
@Timeout(60)
class CryptoWarmupModuleTest {
    @Test
    void runsEveryStepWithoutFailing() {
        // 384 AES-GCM records + 4 SHA512-CRYPT verifications; a failure would stop it early.
        assertEquals(384 + 4, CryptoWarmupModule.run());
    }

    @Test
    void isRegisteredAsADaemonModuleAndStartsLast() {
        int highestOther = Integer.MIN_VALUE;
        boolean found = false;
        for (DaemonModule m : ServiceLoader.load(DaemonModule.class)) {
            if (m instanceof CryptoWarmupModule) {
                found = true;
            } else {
                highestOther = Math.max(highestOther, m.order());
            }
        }
        assertTrue(found, "META-INF/services registers it");
        assertTrue(new CryptoWarmupModule().order() > highestOther, "after every other module");
    }
}
