package org.mailserver.core.auth.guard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map that forgets its least recently used entry beyond a fixed size, so a flood of distinct IPs or user
 * names costs bounded memory (the price: the oldest attackers are forgotten first). Synchronized.
 */
final class BoundedLru<K, V> {
    private final LinkedHashMap<K, V> map;

    BoundedLru(int maxEntries) {
        this.map = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized V computeIfAbsent(K key, Function<K, V> create) {
        return map.computeIfAbsent(key, create);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
