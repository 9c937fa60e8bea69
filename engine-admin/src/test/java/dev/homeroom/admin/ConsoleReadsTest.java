package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.IssueCount;
import dev.homeroom.engine.IssuePage;
import dev.homeroom.engine.RecordMatch;
import dev.homeroom.engine.SectionFilter;
import dev.homeroom.engine.StagedSection;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Quirk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's reads behind the console's pages, on H2 and PostgreSQL: search, paging, filters, counts. */
class ConsoleReadsTest {
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void pagesSearchesAndFilters(Vendor vendor) throws Exception {
        try (ConsoleFixture f = new ConsoleFixture(vendor, "sections.filter = STAGING\n", null, null)) {
            SyncReport run = f.engine.sync(SyncMode.FULL);
            var district = f.clever.district();

            // a record by Clever id, and by the start of its last name typed in lower case
            String student = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(1);
            String last = district.record(student).orElseThrow().path("name").path("last").asText().strip();
            assertThat(f.engine.findRecords(f.districtId, student, 10)).extracting(RecordMatch::cleverId).containsExactly(student);
            String typed = last.substring(0, 3).toLowerCase(Locale.ROOT);
            List<RecordMatch> byName = f.engine.findRecords(f.districtId, typed, 500);
            assertThat(byName).extracting(RecordMatch::cleverId).contains(student);
            assertThat(byName).allSatisfy(m -> assertThat(m.label().toLowerCase(Locale.ROOT)).startsWith(typed));
            assertThat(f.engine.findRecords(f.districtId, "zzzz-nobody", 10)).isEmpty();
            assertThat(f.engine.findRecords("another-district", student, 10)).isEmpty();
            assertThat(f.engine.explain("another-district", student)).isEmpty();

            // a run's issues page by page: every issue once, and a filter agrees with the counts
            List<DataIssue> all = new ArrayList<>();
            int after = 0;
            do {
                IssuePage page = f.engine.issues(run.runId(), null, null, null, after, 7);
                assertThat(page.issues()).hasSizeLessThanOrEqualTo(7);
                all.addAll(page.issues());
                after = page.next();
            } while (after > 0);
            assertThat(all).hasSize((int) (run.warnings() + run.errors()));
            List<IssueCount> counts = f.engine.issueCounts(run.runId());
            assertThat(counts.stream().mapToLong(IssueCount::count).sum()).isEqualTo(all.size());
            IssueCount some = counts.get(0);
            List<DataIssue> filtered = f.engine.issues(run.runId(), some.kind(), some.code(), null, 0, 500).issues();
            assertThat(filtered).hasSize((int) some.count()).allSatisfy(i -> assertThat(i.code()).isEqualTo(some.code()));
            String withIssue = all.stream().filter(i -> i.cleverId() != null).findFirst().orElseThrow().cleverId();
            assertThat(f.engine.issues(run.runId(), null, null, withIssue, 0, 500).issues())
                    .isNotEmpty().allSatisfy(i -> assertThat(i.cleverId()).isEqualTo(withIssue));

            // sections filtered by subject (clever_record.section_subject), school, and selection; keyset pages
            List<StagedSection> sections = f.engine.sections(f.districtId, SectionFilter.ANY, null, 500);
            assertThat(sections).hasSize((int) run.counts("sections").fetched());
            String subject = sections.stream().map(StagedSection::subject).filter(s -> s != null).findFirst().orElseThrow();
            List<StagedSection> bySubject = f.engine.sections(f.districtId, new SectionFilter(null, null, null, subject, null, null), null, 500);
            assertThat(bySubject).isNotEmpty().allSatisfy(s -> assertThat(s.subject()).isEqualTo(subject));
            assertThat(bySubject).hasSize((int) sections.stream().filter(s -> subject.equals(s.subject())).count());
            String school = sections.get(0).schoolId();
            assertThat(f.engine.sections(f.districtId, new SectionFilter(school, null, null, null, null, null), null, 500))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.schoolId()).isEqualTo(school));
            Set<String> paged = new HashSet<>();
            String cursor = null;
            for (List<StagedSection> page; !(page = f.engine.sections(f.districtId, SectionFilter.ANY, cursor, 5)).isEmpty(); ) {
                page.forEach(s -> paged.add(s.cleverId()));
                cursor = page.get(page.size() - 1).cleverId();
            }
            assertThat(paged).hasSize(sections.size());

            List<String> two = List.of(sections.get(0).cleverId(), sections.get(1).cleverId());
            assertThat(f.engine.selectSections(f.districtId, two, true)).isEqualTo(2);
            assertThat(f.engine.sections(f.districtId, new SectionFilter(null, null, null, null, null, true), null, 500))
                    .extracting(StagedSection::cleverId).containsExactlyInAnyOrderElementsOf(two);
            assertThatThrownBy(() -> f.engine.selectSections(f.districtId, List.of(two.get(0), "000000000000000000000000"), false))
                    .hasMessageContaining("000000000000000000000000")
                    .satisfies(e -> assertThat(((dev.homeroom.spi.HomeroomException) e).code()).isEqualTo("HR-CONFIG-051"));
            assertThat(f.engine.sections(f.districtId, new SectionFilter(null, null, null, null, null, true), null, 500))
                    .as("a refused selection changes nothing").hasSize(2);

            assertThat(f.engine.districts("demo", 10, 0)).extracting(d -> d.districtId()).containsExactly(f.districtId);
            assertThat(f.engine.districts("no such district", 10, 0)).isEmpty();
            assertThat(f.engine.runs(f.districtId, 10, 0)).extracting(r -> r.runId()).containsExactly(run.runId());
        }
    }
}
