package dev.homeroom.store.migration;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.homeroom.store.internal.PackedText;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Packs the JSON of every record already in the shadow into {@code clever_record.body} ({@link PackedText}), and copies
 * each section's subject and grade into their columns (V016 made them; V018 drops the text column). Read by keyset in
 * pages of {@value #PAGE} rows, so a store of millions of records is never held at once. It runs in one transaction of
 * its own: a crash in it leaves every row as it was, and the next open runs it again.
 */
public class V017__PackPayloads extends BaseJavaMigration {
    static final int PAGE = 2_000;
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void migrate(Context context) throws SQLException, IOException {
        Connection c = context.getConnection();
        String[] after = {"", "", ""}; // the last key read: every key is greater than three empty strings
        try (PreparedStatement read = c.prepareStatement("select district_id, kind, clever_id, payload from clever_record"
                + " where (district_id, kind, clever_id) > (?, ?, ?)"
                + " order by district_id, kind, clever_id limit " + PAGE);
             PreparedStatement write = c.prepareStatement("update clever_record set body = ?, section_subject = ?, section_grade = ?"
                     + " where district_id = ? and kind = ? and clever_id = ?")) {
            int rows;
            do {
                for (int i = 0; i < 3; i++) {
                    read.setString(i + 1, after[i]);
                }
                rows = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after[0] = rs.getString(1);
                        after[1] = rs.getString(2);
                        after[2] = rs.getString(3);
                        String payload = rs.getString(4);
                        String[] subjectAndGrade = "section".equals(after[1]) ? subjectAndGrade(payload) : new String[2];
                        write.setBytes(1, PackedText.pack(payload));
                        write.setString(2, subjectAndGrade[0]);
                        write.setString(3, subjectAndGrade[1]);
                        write.setString(4, after[0]);
                        write.setString(5, after[1]);
                        write.setString(6, after[2]);
                        write.addBatch();
                    }
                }
                if (rows > 0) {
                    write.executeBatch();
                }
            } while (rows == PAGE);
        }
    }

    /** The top-level {@code subject} and {@code grade} of a section's JSON (nulls when absent or not strings). */
    static String[] subjectAndGrade(String json) throws IOException {
        String[] out = new String[2];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && ("subject".equals(name) || "grade".equals(name))) {
                    out["subject".equals(name) ? 0 : 1] = cap(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    private static String cap(String value) {
        return value.isBlank() ? null : value.length() > 200 ? value.substring(0, 200) : value;
    }
}
