package org.mailserver.storage.support;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Read-only {@link SortedMap} and {@link SortedSet} views of lists already in ascending key order, only for
 * handing to an empty {@code TreeMap.putAll} or {@code TreeSet.addAll}: given a sorted collection with the
 * natural order, those build the tree in one linear pass instead of one insertion (and rebalancing) per
 * element. Only iteration, size and {@code comparator()} (null: natural order) are supported; the caller
 * guarantees strictly ascending keys. Used by {@link MailboxState#loadAscending}.
 */
final class SortedListViews {
    private SortedListViews() {
    }

    /** The UIDs of ascending metas as a map to the metas. */
    static <V> SortedMap<Long, V> map(List<V> ascending, java.util.function.ToLongFunction<V> key) {
        return new ListMap<>(ascending, key);
    }

    /** Ascending UIDs as a set. */
    static SortedSet<Long> set(List<Long> ascending) {
        return new ListSet(ascending);
    }

    private static final class ListMap<V> extends AbstractMap<Long, V> implements SortedMap<Long, V> {
        private final List<V> values;
        private final java.util.function.ToLongFunction<V> key;

        ListMap(List<V> values, java.util.function.ToLongFunction<V> key) {
            this.values = values;
            this.key = key;
        }

        @Override
        public Set<Map.Entry<Long, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<Long, V>> iterator() {
                    Iterator<V> it = values.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<Long, V> next() {
                            V v = it.next();
                            return Map.entry(key.applyAsLong(v), v);
                        }
                    };
                }

                @Override
                public int size() {
                    return values.size();
                }
            };
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public Comparator<? super Long> comparator() {
            return null;
        }

        @Override
        public SortedMap<Long, V> subMap(Long fromKey, Long toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<Long, V> headMap(Long toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<Long, V> tailMap(Long fromKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long firstKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long lastKey() {
            throw new UnsupportedOperationException();
        }
    }

    private static final class ListSet extends AbstractSet<Long> implements SortedSet<Long> {
        private final List<Long> values;

        ListSet(List<Long> values) {
            this.values = values;
        }

        @Override
        public Iterator<Long> iterator() {
            return values.iterator();
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public Comparator<? super Long> comparator() {
            return null;
        }

        @Override
        public SortedSet<Long> subSet(Long fromElement, Long toElement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Long> headSet(Long toElement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Long> tailSet(Long fromElement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long first() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long last() {
            throw new UnsupportedOperationException();
        }
    }
}
