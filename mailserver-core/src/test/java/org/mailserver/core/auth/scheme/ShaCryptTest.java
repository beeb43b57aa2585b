package org.mailserver.core.auth.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ShaCrypt} computes exactly the strings commons-codec computes (random keys of 0-200 bytes, so that
 * keys longer than a digest are covered, random salts of 1-16 characters, default and custom rounds), matches
 * Drepper's published vectors, and leaves non-canonical settings to commons-codec.
 */
@Timeout(30)
class ShaCryptTest {
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void sameStringsAsCommonsCodec() {
        Random random = new Random(42);
        for (int i = 0; i < 120; i++) {
            byte[] key = new byte[random.nextInt(i < 60 ? 20 : 200)];
            random.nextBytes(key);
            StringBuilder setting = new StringBuilder(random.nextBoolean() ? "$6$" : "$5$");
            if (i % 3 != 0) {
                setting.append("rounds=").append(1000 + random.nextInt(500)).append('$');
            }
            int saltLength = 1 + random.nextInt(16);
            for (int j = 0; j < saltLength; j++) {
                setting.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
            }
            String expected = Crypt.crypt(key.clone(), setting.toString()); // commons-codec wipes the key it is given
            assertEquals(expected, ShaCrypt.crypt(key, expected), "setting " + setting);
        }
    }

    @Test
    void drepperVectors() {
        byte[] key = "Hello world!".getBytes(StandardCharsets.US_ASCII);
        assertEquals("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
            ShaCrypt.crypt(key, "$6$saltstring$"));
        assertEquals("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
            ShaCrypt.crypt(key, "$5$saltstring$"));
        assertEquals("$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
            ShaCrypt.crypt(key, "$6$rounds=10000$saltstringsaltst$"));
    }

    @Test
    void nonCanonicalSettingsAreLeftToCommonsCodec() {
        byte[] key = "secret".getBytes(StandardCharsets.US_ASCII);
        assertNull(ShaCrypt.crypt(key, "$1$abcdefgh$xyz"));
        assertNull(ShaCrypt.crypt(key, "$6$rounds=10$salt$x"), "rounds below the minimum are clamped by commons-codec");
        assertNull(ShaCrypt.crypt(key, "$6$rounds=05000$salt$x"));
        assertNull(ShaCrypt.crypt(key, "$6$saltsaltsaltsaltsalt$x"), "salt longer than 16 characters");
        assertNull(ShaCrypt.crypt(key, "$6$sa*t$x"));
        assertNull(ShaCrypt.crypt(key, "$6$nodollar"));
    }

    @Test
    void verificationThroughTheSchemeStillWorks() {
        String stored = Crypt.crypt("Passw0rd!".getBytes(StandardCharsets.UTF_8), "$6$abcdefghijklmnop");
        assertTrue(CryptScheme.verifyCrypt("Passw0rd!", stored));
        assertFalse(CryptScheme.verifyCrypt("Passw0rd?", stored));
        assertFalse(CryptScheme.verifyCrypt("Passw0rd!", stored.substring(0, stored.length() - 1) + "x"));
    }
}
