package dev.homeroom.store;

/**
 * JVM-wide settings of H2 that the store chooses before H2 first loads. H2 reads its system properties once, when its
 * classes load, so they are set when an H2 store is first opened; a host that sets one itself (with {@code -D} or
 * before opening the store) keeps its own value.
 * <ul>
 * <li>{@code h2.objectCache=false}: H2 by default looks every value it decodes from a page up in a small table of
 * recent values (1,024 slots), hashing each string for it, to share equal values. Reading the store's pages back is
 * most of an incremental run on H2, and the lookups and hashes were about a tenth of its samples (a 10,000-event run
 * at 100,000 students: 8.5-8.9 s with the table, 7.6 s without; docs/BENCHMARKS.md).</li>
 * </ul>
 */
final class H2Settings {
    static final String OBJECT_CACHE = "h2.objectCache";

    private H2Settings() {
    }

    /** Sets the store's choices where the host set none; returns whether the object cache was turned off here. */
    static boolean choose() {
        synchronized (System.getProperties()) {
            if (System.getProperty(OBJECT_CACHE) != null) {
                return false;
            }
            System.setProperty(OBJECT_CACHE, "false");
            return true;
        }
    }
}
