package dev.homeroom.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldTextTest {
    @Test
    void validUtf8NamesSurviveByteForByte() {
        for (String name : new String[] {"Núñez", "O'Brien-Smith", "José à la", "李小龙", "Zoë 😀", "e\u0301"}) {
            assertThat(FieldText.needsCleaning(name)).as(name).isFalse();
            assertThat(FieldText.clean(name).getBytes(StandardCharsets.UTF_8)).isEqualTo(name.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void stripsControlsInvalidCodePointsAndEdgeSpace() {
        assertThat(FieldText.clean("  Ana\u0000 María\t")).isEqualTo("Ana María");
        assertThat(FieldText.clean("\uFEFFBob")).isEqualTo("Bob");
        assertThat(FieldText.clean("Bo\uD800b")).isEqualTo("Bob");
        assertThat(FieldText.clean("x\uFFFF")).isEqualTo("x");
        assertThat(FieldText.hasInvalidCharacters(" padded ")).isFalse();
        assertThat(FieldText.needsCleaning(" padded ")).isTrue();
        assertThat(FieldText.clean(null)).isNull();
    }

    @Test
    void lengthsCountCodePointsAndTruncationKeepsPairsWhole() {
        String emoji = "😀".repeat(5);
        assertThat(FieldText.length(emoji)).isEqualTo(5);
        assertThat(FieldText.tooLong(emoji, 5)).isFalse();
        assertThat(FieldText.truncate(emoji, 3)).isEqualTo("😀😀😀");
        assertThat(FieldText.tooLong("a".repeat(101), 100)).isTrue();
        assertThat(FieldText.tooLong(" " + "a".repeat(100) + " ", 100)).isFalse();
        assertThat(FieldText.cleanAndTruncate("  abcdef ", 3)).isEqualTo("abc");
    }
}
