package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.spi.RecordKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress for people at a terminal: per kind, fetched and decided with rate and time left; never for scripts. */
class ProgressListenerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void showsFetchedAndDecidedPerKindWithRateAndTimeLeft() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong(0);
        ProgressListener progress = new ProgressListener(new PrintWriter(text, true), clock::get);

        progress.runStarted("run-1", "d-1", SyncMode.FULL);
        clock.set(2 * SECOND);
        progress.pageFetched(RecordKind.USER, 10_000, 0);
        clock.set(4 * SECOND);
        progress.pageFetched(RecordKind.USER, 10_000, 0);
        assertThat(last(text)).isEqualTo("users    fetched 20,000 (5,000/s)");

        clock.set(6 * SECOND);
        progress.recordsDecided(RecordKind.USER, 5_000);
        assertThat(last(text)).isEqualTo("users    fetched 20,000 (5,000/s) · decided 5,000 of 20,000 (2,500/s, 6 s left)");

        clock.set(6 * SECOND + SECOND / 10);
        progress.recordsDecided(RecordKind.USER, 5_000);
        assertThat(last(text)).as("redrawn at most twice a second").endsWith("(2,500/s, 6 s left)");

        clock.set(10 * SECOND);
        progress.recordsDecided(RecordKind.USER, 10_000);
        progress.kindDecided(RecordKind.USER, new KindCounts(20_000, 0, 0, 0, 0, 0, 0, 0));
        assertThat(text.toString()).contains("decided 20,000 of 20,000 (3,333/s, done)");
        assertThat(text.toString()).endsWith("\n");

        clock.set(11 * SECOND);
        progress.pageFetched(RecordKind.SECTION, 300, 0);
        assertThat(last(text)).isEqualTo("sections fetched 300 (300/s)");
    }

    @Test
    void isOffUnderJsonAndWhenStdoutIsNotATerminal() {
        assertThat(ProgressListener.wanted(false, true)).isTrue();
        assertThat(ProgressListener.wanted(true, true)).isFalse();
        assertThat(ProgressListener.wanted(false, false)).isFalse();
        // the tests' stdout is a pipe, so a command run here prints no progress into its output
        assertThat(ProgressListener.stdoutIsTerminal()).isFalse();
    }

    /** The line as a terminal shows it now: the text after the last carriage return, without padding. */
    private static String last(StringWriter text) {
        String s = text.toString();
        return s.substring(s.lastIndexOf('\r') + 1).strip();
    }
}
