package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 items 10, 11 and 12 (the store's part): opening and closing an embedded H2 file store. A second user of the
 * same file is never shut down by another's close; a truncated or damaged file is refused in one line instead of
 * opening empty; a locked file, an unwritable path and wrong credentials each say so in one line.
 */
class StoreOpeningTest {
    @TempDir
    Path dir;

    private static void aRun(Store store, String runId) {
        store.transaction(s -> {
            s.runs().ensureDistrict("d1", "District One");
            s.runs().insertRun(runId, "d1", "full", "SUCCEEDED", LocalDateTime.now());
            return null;
        });
    }

    private static int runs(Store store) {
        return store.read(s -> s.runs().runs(null, 100)).size();
    }

    private static void assertOneLine(Throwable e) {
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void aPoolOfOneConnectionIsRefusedInOneLine() {
        // a pool of one cannot migrate the store, which takes two connections at once (Flyway): it used to wait 30 s
        // for a connection that never came, then fail
        assertThatThrownBy(() -> new StoreConfig("jdbc:h2:file:" + dir.resolve("homeroom"), "sa", "", 1))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("maxPoolSize must be at least 2, got 1")
                .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("HR-STORE-002"))
                .satisfies(StoreOpeningTest::assertOneLine);
        try (Store store = Store.open(new StoreConfig("jdbc:h2:file:" + dir.resolve("homeroom"), "sa", "", 2))) {
            assertThat(runs(store)).as("two are enough").isZero();
        }
    }

    // ---- item 10

    @Test
    void closingOneOfTwoStoresOnTheSameFileLeavesTheOtherWorking() {
        StoreConfig config = StoreConfig.of("jdbc:h2:file:" + dir.resolve("homeroom") + ";AUTO_SERVER=TRUE", "sa", "");
        try (Store syncing = Store.open(config)) {
            aRun(syncing, "r1");
            Store reader = Store.open(config); // what `runs` does while a sync is going on
            assertThat(runs(reader)).isEqualTo(1);
            reader.close();

            // the sync goes on: its store was not shut down under it
            aRun(syncing, "r2");
            assertThat(runs(syncing)).isEqualTo(2);
        }
    }

    @Test
    void aStoreUsedAloneIsStillCompactedOnClose() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            for (int i = 0; i < 200; i++) {
                aRun(store, "r" + i);
            }
        }
        long compacted = Files.size(dir.resolve("homeroom.mv.db"));
        try (Store store = Store.open(config)) {
            assertThat(runs(store)).isEqualTo(100); // runs(null, 100) is capped at 100
        }
        // compaction leaves a file no larger than a fresh rewrite of the same data would be
        assertThat(Files.size(dir.resolve("homeroom.mv.db"))).isLessThanOrEqualTo(compacted + 16 * 1024);
    }

    // ---- item 11

    @Test
    void aTruncatedFileThatWouldOpenEmptyIsRefused() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            aRun(store, "r1");
            aRun(store, "r2");
        }
        Path file = dir.resolve("homeroom.mv.db");
        // H2 opens a file cut to its first blocks as a new, empty database
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 8192));

        assertThatThrownBy(() -> Store.open(config)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-STORE-007");
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains(file.toString()).contains("holds 0 runs but held 2").contains("truncated")
                    .contains("Restore it from a backup");
            assertOneLine(e);
        });
        // refusing it left it as it was: no schema was created in it
        assertThatThrownBy(() -> Store.open(config)).isInstanceOf(StoreException.class);
    }

    @Test
    void aDeletedFileIsRefusedToo() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            aRun(store, "r1");
        }
        Files.delete(dir.resolve("homeroom.mv.db"));

        assertThatThrownBy(() -> Store.open(config)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code()).isEqualTo("HR-STORE-007"));
    }

    @Test
    void aFileCutInsideItsHeaderIsReportedDamagedNotAsBadCredentials() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            aRun(store, "r1");
        }
        Path file = dir.resolve("homeroom.mv.db");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 100));

        assertThatThrownBy(() -> Store.open(config)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-STORE-008");
            assertThat(e.getMessage()).contains("is damaged").doesNotContain("--db-password");
            assertOneLine(e);
        });
    }

    @Test
    void aStoreReopensAsOftenAsItIsClosedAndANewDirectoryOpensEmpty() {
        StoreConfig config = StoreConfig.h2File(dir);
        for (int i = 0; i < 3; i++) {
            try (Store store = Store.open(config)) {
                assertThat(runs(store)).isEqualTo(i);
                aRun(store, "r" + i);
            }
        }
        try (Store fresh = Store.open(StoreConfig.h2File(dir.resolve("other")))) {
            assertThat(runs(fresh)).isZero();
        }
    }

    // ---- item 12

    @Test
    void aLockedFileIsReportedAsInUseNotAsBadCredentials() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            aRun(store, "r1");
        }
        Path file = dir.resolve("homeroom.mv.db");
        // what another process's H2 holds on the file while it has the store open
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertThatThrownBy(() -> Store.open(config)).isInstanceOfSatisfying(StoreException.class, e -> {
                assertThat(e.code()).isEqualTo("HR-STORE-006");
                assertThat(e.retriable()).isTrue();
                assertThat(e.getMessage()).contains("in use by another process").contains("AUTO_SERVER=TRUE")
                        .doesNotContain("--db-password");
                assertOneLine(e);
            });
        }
    }

    @Test
    void aPathThatCannotBeCreatedSaysSoInOneLine() {
        StoreConfig config = StoreConfig.h2File(Path.of("/proc/homeroom-cannot-create-this"));

        assertThatThrownBy(() -> Store.open(config)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-STORE-009");
            assertThat(e.getMessage()).contains("cannot create or write").contains("/proc/homeroom-cannot-create-this")
                    .contains("a directory this user can write");
            assertOneLine(e);
        });
    }

    @Test
    void wrongCredentialsSayWhichOptionsToCheck() {
        StoreConfig config = StoreConfig.h2File(dir);
        try (Store store = Store.open(config)) {
            aRun(store, "r1");
        }

        assertThatThrownBy(() -> Store.open(StoreConfig.of(config.jdbcUrl(), "sa", "wrong"))).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-STORE-010");
            assertThat(e.getMessage()).contains("--db-user and --db-password");
            assertOneLine(e);
        });
    }
}
