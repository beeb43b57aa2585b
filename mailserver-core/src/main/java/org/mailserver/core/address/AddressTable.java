package org.mailserver.core.address;

import java.util.Optional;

/**
 * A key-to-value lookup used by address rewriting and the SMTP access checks. A stand-in with the
 * same idea as the configuration layer's lookup tables ({@code type:name}); {@link AddressTables}
 * reads the common types until those land, and adapting them is a one-line wrapper.
 * Keys are compared without case. Lookups may block briefly (a file re-read); never call them on an event loop.
 */
public interface AddressTable {

    /** The value for the key, empty when absent. */
    Optional<String> lookup(String key);

    /** A table that never matches (an empty parameter). */
    AddressTable EMPTY = key -> Optional.empty();
}
