package dev.homeroom.engine.internal;

import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.School;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import dev.homeroom.store.CleverId;
import dev.homeroom.store.StoredText;
import dev.homeroom.store.SectionEnrollment;
import dev.homeroom.store.ShadowRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Turns a fetched record into its shadow row: the payload, its content hash, and the fields the derive step joins on. */
final class ShadowMapper {
    private ShadowMapper() {}

    static ShadowRecord toShadow(CleverRecord record, String json) {
        return toShadow(record, json, null, null);
    }

    /**
     * {@code json} is what Clever sent; {@code record} the record as the district's plugins made it, whose JSON is
     * {@code pluginPayload} when they changed it (null otherwise). The copied-out fields come from {@code record}, what
     * the rules decide; the hash covers both, so a plugin that now changes a record differently changes its shadow.
     */
    static ShadowRecord toShadow(CleverRecord record, String json, String pluginPayload, String pluginChanges) {
        return toShadow(record, json, null, pluginPayload, pluginChanges);
    }

    /** As above, with {@code json} packed already (null: the store packs it). */
    static ShadowRecord toShadow(CleverRecord record, String json, byte[] packedJson, String pluginPayload, String pluginChanges) {
        String hash = sha256(pluginPayload == null ? json : json + "\n" + pluginPayload);
        ShadowRecord plain = copiedOut(record, json, hash);
        ShadowRecord shadow = pluginPayload == null ? plain : plain.changedByPlugins(hash, pluginPayload, pluginChanges);
        return packedJson == null ? shadow : shadow.withPackedPayload(packedJson);
    }

    private static ShadowRecord copiedOut(CleverRecord record, String json, String hash) {
        // copied-out fields are capped to their columns: a 10,000-character SIS value must not fail the run
        if (record instanceof User u) {
            var student = u.roles().student();
            String school = student != null ? student.school() : u.roles().teacher() != null ? u.roles().teacher().school() : null;
            return new ShadowRecord(u.kind(), u.id(), hash, json, emailKey(u.email()), cap(userSisKey(u), 200),
                    cap(u.name().last(), 1000), null, null, null, ref(school));
        }
        if (record instanceof Section s) {
            return new ShadowRecord(s.kind(), s.id(), hash, json, null, cap(s.sisId(), 200), cap(s.name(), 1000),
                    ref(s.termId()), ref(s.course()),
                    ref(s.teacher() != null ? s.teacher() : s.teachers().isEmpty() ? null : s.teachers().get(0)), ref(s.school()),
                    cap(s.subject(), 200), cap(s.grade(), 200), null, null, null);
        }
        if (record instanceof Term t) {
            return new ShadowRecord(t.kind(), t.id(), hash, json, null, null, cap(t.name(), 1000), null, null, null, null);
        }
        if (record instanceof Course c) {
            return new ShadowRecord(c.kind(), c.id(), hash, json, null, cap(c.number(), 200), cap(c.name(), 1000),
                    null, null, null, null);
        }
        if (record instanceof School s) {
            return new ShadowRecord(s.kind(), s.id(), hash, json, null, cap(s.sisId(), 200), cap(s.name(), 1000),
                    null, null, null, null);
        }
        throw new IllegalArgumentException("not a shadowed kind: " + record.kind());
    }

    static SectionEnrollment enrollment(Section s) {
        return new SectionEnrollment(s.id(), ref(s.school()),
                s.students().stream().filter(ShadowMapper::validId).toList(),
                s.allTeachers().stream().filter(ShadowMapper::validId).toList());
    }

    static boolean validId(String id) {
        return CleverId.isValid(id);
    }

    static String ref(String id) {
        return validId(id) ? id : null;
    }

    /** Fits a copied-out value to its column, and to any database: no NUL, no lone surrogate; a blank value is NULL. */
    private static String cap(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String storable = StoredText.storable(value);
        return storable.length() <= max ? storable : storable.substring(0, max);
    }

    static String emailKey(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        return cap(email.strip().toLowerCase(Locale.ROOT), 1000);
    }

    /** The user's SIS id as Clever sent it: the student's, else the teacher's, else the contact's. */
    static String userSisId(User u) {
        var r = u.roles();
        String sis = r.student() != null ? r.student().sisId()
                : r.teacher() != null ? r.teacher().sisId()
                : r.contact() != null ? r.contact().sisId() : null;
        return sis == null || sis.isBlank() ? null : sis;
    }

    /**
     * What the derive step compares to find users sharing a SIS id: the id qualified by the role whose SIS table it
     * comes from ({@code student:1234}), since a student and a teacher with the same number are different people.
     */
    static String userSisKey(User u) {
        var r = u.roles();
        String role = r.student() != null ? "student" : r.teacher() != null ? "teacher" : "contact";
        String sis = userSisId(u);
        return sis == null ? null : role + ":" + sis;
    }

    static String sha256(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
