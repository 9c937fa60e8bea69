package dev.homeroom.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 7 (store size): a record's JSON packed for the shadow comes back exactly, and a user takes far fewer bytes. */
class PackedTextTest {
    private static final String STUDENT = "{\"created\":\"2025-07-02T08:14:58.000Z\",\"district\":\"5f0c1e2a9b3d4c0012ab34cd\","
            + "\"email\":\"maria.garcia@students.example.org\",\"id\":\"5f0c1e2a9b3d4c0012ab9f01\",\"last_modified\":"
            + "\"2025-09-12T11:02:40.000Z\",\"lms_status\":{\"synced_in_lms\":false},\"name\":{\"first\":\"María\","
            + "\"last\":\"García-López\",\"middle\":\"J\"},\"roles\":{\"student\":{\"credentials\":{\"district_username\":"
            + "\"mgarcia27\"},\"dob\":\"3/14/2010\",\"email\":\"maria.garcia@students.example.org\",\"enrollments\":[{\"end_date\":"
            + "null,\"school\":\"5f0c1e2a9b3d4c0012ab0007\",\"start_date\":\"2025-08-15\"}],\"ext\":{},\"gender\":\"F\",\"grade\":"
            + "\"9\",\"graduation_year\":\"2029\",\"hispanic_ethnicity\":\"Y\",\"location\":{\"address\":\"12 Elm Street\",\"city\":"
            + "\"Springfield\",\"state\":\"IL\",\"zip\":\"62704\"},\"school\":\"5f0c1e2a9b3d4c0012ab0007\",\"schools\":"
            + "[\"5f0c1e2a9b3d4c0012ab0007\"],\"sis_id\":\"1002387\",\"state_id\":\"IL10023870\",\"student_number\":\"1002387\"}}}";

    @Test
    void aRecordComesBackExactly() {
        for (String text : new String[] {STUDENT, "", "{}", "ü", "emoji \uD83D\uDE00 and \u0000 nul", "{\"name\":\"" + "x".repeat(100_000) + "\"}"}) {
            assertThat(PackedText.unpack(PackedText.pack(text))).isEqualTo(text);
        }
        assertThat(PackedText.pack(null)).isNull();
        assertThat(PackedText.unpack(null)).isNull();
    }

    @Test
    void aStudentTakesUnderHalfItsText() {
        byte[] packed = PackedText.pack(STUDENT);
        assertThat(packed[0]).as("deflated with dictionary 1").isEqualTo((byte) 1);
        assertThat(packed.length).as("%d bytes of text packed", STUDENT.length()).isLessThan(STUDENT.length() * 45 / 100);
    }

    @Test
    void textDeflatingCannotShrinkIsKeptAsIs() {
        String random = new Random(11).ints(400, 0x4E00, 0x9FFF).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        for (String t : new String[] {random, "a", "ab"}) {
            byte[] packed = PackedText.pack(t);
            assertThat(PackedText.unpack(packed)).isEqualTo(t);
            assertThat(packed.length).isLessThanOrEqualTo(t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1);
        }
        assertThat(PackedText.pack("a")[0]).as("one byte does not deflate smaller: kept as UTF-8").isEqualTo((byte) 0);
    }

    @Test
    void aDamagedOrForeignValueIsRefusedInOneLine() {
        byte[] packed = PackedText.pack(STUDENT);
        byte[] cut = java.util.Arrays.copyOf(packed, packed.length / 2);
        assertThatThrownBy(() -> PackedText.unpack(cut)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> PackedText.unpack(new byte[] {9, 1, 2})).hasMessageContaining("unknown kind 9");
        assertThatThrownBy(() -> PackedText.unpack(new byte[0])).hasMessageContaining("empty");
    }

    /** Values stored with dictionary 1 must stay readable: the file may never change (a new one is dictionary 2). */
    @Test
    void dictionaryOneNeverChanges() throws Exception {
        try (InputStream in = PackedText.class.getResourceAsStream("payload-dictionary-1.json")) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
            assertThat(sha).isEqualTo("fd12549ba88cedd75cf72aaaa213b5f7e06dd1508414f26927388f19672ee38a");
        }
    }
}
