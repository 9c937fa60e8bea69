package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product team edits the rules directory while the host runs: the next run uses the edit without a restart, and each
 * run records which rules and policies decided it.
 */
class EditedRulesTest {

    @Test
    void theNextRunPicksUpEditedPoliciesAndRuleFiles(@TempDir Path rules) throws Exception {
        for (RuleFile f : RuleFiles.defaults()) {
            Path target = rules.resolve(Path.of(f.name()).getFileName().toString());
            Files.writeString(target, f.content());
        }
        Files.copy(SyncEngine.class.getClassLoader().getResourceAsStream("homeroom/rules/policies.properties"), rules.resolve("policies.properties"));
        SyntheticDistrict district = SyntheticDistrict.demo();
        String classless = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(StoreConfig.h2Memory("edited" + UUID.randomUUID().toString().replace("-", "")))
                     .rulesDirectory(rules).discoverPlugins(false).build()) {

            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(engine.explain(classless).orElseThrow().outcome()).isEqualTo("SKIPPED");

            // a policy change, no DRL touched
            Path policies = rules.resolve("policies.properties");
            Files.writeString(policies, Files.readString(policies) + "\nclassless.students = PROVISION_LIMITED\n");
            SyncReport second = engine.sync(SyncMode.FULL);
            Explanation limited = engine.explain(classless).orElseThrow();
            assertThat(limited.outcome()).isEqualTo("PROVISIONED");
            assertThat(limited.provisioned()).containsEntry("flags", "NO_CLASSES");
            assertThat(second.rulesHash()).isNotEqualTo(first.rulesHash());
            assertThat(second.counts("users").created()).isEqualTo(district.idsWith(Quirk.STUDENT_NO_SECTIONS).size());

            // a rule file removed: classless teachers are no longer skipped
            Files.delete(rules.resolve("classless-users.drl"));
            SyncReport third = engine.sync(SyncMode.FULL);
            assertThat(third.rulesHash()).isNotEqualTo(second.rulesHash());
            String teacher = district.idsWith(Quirk.TEACHER_NO_SECTIONS).get(0);
            assertThat(engine.explain(teacher).orElseThrow().outcome()).isEqualTo("PROVISIONED");

            // and a broken edit stops the next run with the file and line, changing nothing
            Files.writeString(rules.resolve("broken.drl"), "package homeroom.rules;\nrule \"X\" when then oops end\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.sync(SyncMode.FULL))
                    .hasMessageContaining("broken.drl:2");
            assertThat(engine.explain(teacher).orElseThrow().outcome()).isEqualTo("PROVISIONED");
        }
    }
}
