package dev.homeroom.spi;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import org.apiguardian.api.API;

/** Clever's date formats. */
@API(status = API.Status.STABLE)
public final class Dates {
    private Dates() {}

    /** Parses a student {@code dob} in Clever's {@code M/D/YYYY} form (also tolerates ISO {@code YYYY-MM-DD}). */
    public static Optional<LocalDate> parseCleverDob(String dob) {
        if (dob == null || dob.isBlank()) {
            return Optional.empty();
        }
        String s = dob.strip();
        try {
            String[] parts = s.split("/");
            if (parts.length == 3 && parts[2].length() == 4) {
                return Optional.of(LocalDate.of(Integer.parseInt(parts[2]), Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            }
            if (s.length() == 10 && s.charAt(4) == '-') {
                return Optional.of(LocalDate.parse(s));
            }
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Formats a date as Clever writes a {@code dob}: {@code M/D/YYYY}. */
    public static String formatCleverDob(LocalDate date) {
        return date.getMonthValue() + "/" + date.getDayOfMonth() + "/" + date.getYear();
    }
}
