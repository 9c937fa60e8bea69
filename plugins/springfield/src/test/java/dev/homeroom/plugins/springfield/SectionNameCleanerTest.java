package dev.homeroom.plugins.springfield;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.spi.Section;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SectionNameCleanerTest {
    private final SectionNameCleaner cleaner = new SectionNameCleaner();

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "MATH 7 - SMITH - P3|Math 7",
        "  sci_6  (per 2)|Sci 6",
        "ALGEBRA II - O'BRIEN - Per. 4|Algebra II",
        "ALGEBRA - P3|Algebra",
        "art and music - lee - period 1|Art and Music",
        "AP US HISTORY - NGUYEN - 6|AP US History",
        "PRE-ALGEBRA (P2)|Pre-Algebra",
        "ENGLISH\t9   HONORS|English 9 Honors",
        "Mathematics (Middle) - Smith - 3|Mathematics (Middle)",
        "6TH GRADE SCIENCE - P1|6th Grade Science",
        "ÉTUDES FRANÇAISES - DURAND - P5|Études Françaises",
    })
    void cleansSpringfieldSisNames(String sisName, String expected) {
        Section cleaned = cleaner.transformSection(section(sisName));
        assertThat(cleaned.name()).isEqualTo(expected);
        assertThat(cleaned).usingRecursiveComparison().ignoringFields("name").isEqualTo(section(sisName));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Math 7", "Spanish - Advanced", "iPad Club", "Reading - 3", "Mathematics (Middle) - Smith - 3 (Block B)", "7"})
    void leavesCleanNamesUntouched(String clean) {
        Section section = section(clean);
        assertThat(cleaner.transformSection(section)).isSameAs(section);
    }

    @Test
    void leavesSectionsWithoutANameToTheDefaultRules() {
        Section noName = section(null);
        Section blank = section("   ");
        assertThat(cleaner.transformSection(noName)).isSameAs(noName);
        assertThat(cleaner.transformSection(blank)).isSameAs(blank);
    }

    @Test
    void keepsANameThatWouldCleanToNothing() {
        Section onlyParens = section("(per 2)");
        assertThat(cleaner.transformSection(onlyParens)).isSameAs(onlyParens);
    }

    @Test
    void keepsEmojiWhole() {
        assertThat(cleaner.transformSection(section("🧪 CHEMISTRY - LEE - P2")).name()).isEqualTo("🧪 Chemistry");
        assertThat(cleaner.transformSection(section("🧪🧬 biology lab")).name()).isEqualTo("🧪🧬 Biology Lab");
        String cleaned = cleaner.transformSection(section("ROBOTICS 🤖 - KIM - P7")).name();
        assertThat(cleaned).isEqualTo("Robotics 🤖");
        assertThat(cleaned.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)).as("no split surrogate pair").isTrue();
    }

    @Test
    @Timeout(5)
    void handlesAVeryLongNameQuickly() {
        String word = "GEOMETRY ";
        String longName = word.repeat(10_000 / word.length()) + "- SMITH - P3";
        long t0 = System.nanoTime();
        Section cleaned = cleaner.transformSection(section(longName));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(cleaned).isNotNull();
        assertThat(cleaned.name()).startsWith("Geometry Geometry").doesNotContain("SMITH").doesNotEndWith(" ");

        String noSeparators = "x".repeat(10_000);
        Section plain = section(noSeparators);
        assertThat(cleaner.transformSection(plain).name()).isEqualTo("X" + "x".repeat(9_999));
        String spaces = " (".repeat(5_000);
        assertThat(cleaner.transformSection(section(spaces))).isNotNull();
    }

    static Section section(String name) {
        return new Section("sec-1", "dist-1", name, "2024-08-01T00:00:00.000Z", "2024-08-01T00:00:00.000Z", "course-1",
                "7", "3", "school-1", "1", "SEC-1", List.of("stu-1"), "math", "tea-1", List.of("tea-1"), "term-1",
                Map.of("classroom", "Room 101"));
    }
}
