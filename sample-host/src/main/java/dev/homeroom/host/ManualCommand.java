package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.DistrictInfo;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "manual", description = "A host's manual classes, students and memberships (P21 PARTIAL_LOCKDOWN): made through"
        + " SyncEngine.manual(), never changed by a sync.", subcommands = {ManualCommand.ListCommand.class,
        picocli.CommandLine.HelpCommand.class})
final class ManualCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "use 'manual list'");
    }

    @Command(name = "list", description = "List a district's manual classes, students and memberships.")
    static final class ListCommand extends StoreCommand {
        @Option(names = "--district", paramLabel = "DISTRICT_ID", description = "the district (default: the only one in the store)")
        String district;

        @Override
        public Integer call() throws JsonProcessingException {
            PrintWriter out = out();
            try (SyncEngine engine = store.readOnlyEngine()) {
                String d = district != null ? district : onlyDistrict(engine);
                ManualResources manual = engine.manual();
                var classes = manual.classes(d);
                var students = manual.students(d);
                var memberships = manual.memberships(d);
                if (json) {
                    Map<String, Object> all = new LinkedHashMap<>();
                    all.put("districtId", d);
                    all.put("classes", classes);
                    all.put("students", students);
                    all.put("memberships", memberships);
                    out.println(ReportJson.mapper().writeValueAsString(all));
                    return HomeroomCli.OK;
                }
                classes.forEach(c -> out.printf("class       %s  %-8s %s%s%s%n", c.id(), c.active() ? "active" : "inactive", c.name(),
                        c.subject() == null ? "" : "  subject " + c.subject(), c.grade() == null ? "" : "  grade " + c.grade()));
                students.forEach(s -> out.printf("student     %s  %-8s %s %s%s%s%n", s.id(), s.active() ? "active" : "inactive", s.firstName(),
                        s.lastName(), s.email() == null ? "" : "  " + s.email(), s.grade() == null ? "" : "  grade " + s.grade()));
                memberships.forEach(m -> out.printf("membership  %s/%s  %s%s%n", m.classId(), m.studentId(),
                        m.active() ? "active" : "inactive", m.joined() ? (m.active() ? "" : " (its class or student is inactive)") : " (taken out)"));
                out.println(classes.size() + " manual classes, " + students.size() + " manual students, " + memberships.size()
                        + " manual memberships in district " + d);
                return HomeroomCli.OK;
            }
        }

        private static String onlyDistrict(SyncEngine engine) {
            List<DistrictInfo> districts = engine.districts(2, 0);
            if (districts.size() != 1) {
                throw new ConfigurationException("HR-MANUAL-014", "the store holds " + (districts.isEmpty() ? "no district"
                        : "several districts") + ": name one with --district DISTRICT_ID (see the districts in: runs)");
            }
            return districts.get(0).districtId();
        }
    }
}
