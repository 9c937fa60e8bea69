package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.Quirk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console clicked through in headless Chromium, on H2 (and on PostgreSQL in a subclass), as an operator would: each test syncs a simulated district
 * into a fresh store, then uses the pages. Screenshots of the main pages go to {@code target/screenshots}, and to
 * {@code docs/admin} with {@code -Dhomeroom.admin.screenshots=update}.
 */
class AdminConsoleBrowserTest {
    private static Browser browser;
    private ConsoleFixture fixture;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void closeFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The store the flows run on; {@link AdminConsolePostgresBrowserTest} runs them on PostgreSQL. */
    Vendor vendor() {
        return Vendor.H2;
    }

    private void open(String policies) throws Exception {
        fixture = new ConsoleFixture(vendor(), policies, null, null);
        signIn("ada");
    }

    private void signIn(String user) {
        browser.driver.get(fixture.url("/assets/console.css"));
        browser.driver.manage().deleteAllCookies();
        browser.driver.manage().addCookie(new Cookie(TestAuthorizer.COOKIE, user));
    }

    private WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    private String text(String css) {
        return find(css).getText();
    }

    private void shot(String name) throws Exception {
        if (vendor() != Vendor.H2) {
            return;
        }
        browser.screenshot(Path.of("target/screenshots", name + ".png"));
        if ("update".equals(System.getProperty("homeroom.admin.screenshots"))) {
            browser.screenshot(Path.of("../docs/admin", name + ".png"));
        }
    }

    @Test
    void findASkippedStudentAndReadWhy() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        String classless = fixture.clever.district().idsWith(Quirk.STUDENT_NO_SECTIONS).get(1);
        String last = fixture.clever.district().record(classless).orElseThrow().path("name").path("last").asText();

        browser.driver.get(fixture.url("/"));
        shot("districts");
        clickAndWait("#districts a");
        find("#record-search").sendKeys(last.substring(0, Math.min(4, last.length())));
        clickAndWait("#find");
        clickAndWait("#found a[href$='/records/" + classless + "']");

        assertThat(text("#outcome")).isEqualTo("SKIPPED");
        assertThat(text("#decisions")).contains("P1-SKIP-CLASSLESS-STUDENT").containsIgnoringCase("section");
        assertThat(browser.driver.findElements(By.id("not-provisioned"))).hasSize(1);
        shot("record");
    }

    @Test
    void approveAHaltedPlanAndSeeTheRunApplied() throws Exception {
        open("sync.strategy = MANUAL\n");
        SyncReport halted = fixture.engine.sync(SyncMode.FULL);
        assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        clickAndWait("#runs a[href$='/runs/" + halted.runId() + "']");
        assertThat(text("#run-status")).isEqualTo("HALTED");
        assertThat(text("#guard")).contains("sync.strategy=MANUAL");
        assertThat(text("#kind-counts")).contains("users");
        shot("halted-run");
        clickAndWait("#approve");

        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Approved"));
        assertThat(text("#run-status")).startsWith("SUCCEEDED");
        assertThat(browser.driver.getCurrentUrl()).doesNotEndWith(halted.runId());
        assertThat(fixture.engine.run(halted.runId()).orElseThrow().status()).isEqualTo("APPROVED");
        String student = fixture.clever.district().idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        assertThat(fixture.engine.explain(student).orElseThrow().outcome()).isEqualTo("PROVISIONED");
        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        assertThat(text("#runs")).contains("APPROVED").contains(halted.runId());
        assertThat(text("#runs")).as("who approved, on the halted run and on the run it led to").contains("ada: whole plan");
        assertThat(fixture.engine.approvals(halted.runId())).singleElement().satisfies(a -> {
            assertThat(a.approver()).isEqualTo("ada");
            assertThat(a.decision()).isEqualTo(dev.homeroom.engine.Approval.WHOLE);
        });
        shot("district");
    }

    @Test
    void tickTwoOfFiveChangesApplyExactlyThoseAndTheOtherThreeStayPending() throws Exception {
        open("sync.strategy = MANUAL\n");
        SyncReport first = fixture.engine.sync(SyncMode.FULL);
        fixture.engine.approve(first.runId(), "setup");
        List<String> five = fixture.engine.plannedChanges(first.runId(), "section", null, null, 5).changes().stream()
                .map(dev.homeroom.engine.PlannedChange::key).toList();
        five.forEach(id -> fixture.sectionSuffixes.put(id, " (renamed)"));
        SyncReport halted = fixture.engine.sync(SyncMode.FULL);
        assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);

        browser.driver.get(fixture.url("/runs/" + halted.runId()));
        assertThat(text("#review-changes")).contains("5 changes");
        clickAndWait("#review-changes");
        assertThat(text("#change-counts")).contains("section").contains("UPDATED").contains("5");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#changes tbody tr[data-change]"));
        assertThat(rows).hasSize(5);
        assertThat(rows).as("each change names its rule").allSatisfy(r -> assertThat(r.findElements(By.tagName("td")).get(4).getText()).isNotBlank());
        String a = rows.get(0).getAttribute("data-change");
        String b = rows.get(3).getAttribute("data-change");
        List<String> others = rows.stream().map(r -> r.getAttribute("data-change")).filter(id -> !id.equals(a) && !id.equals(b)).toList();
        rows.get(0).findElement(By.name("change")).click();
        rows.get(3).findElement(By.name("change")).click();
        shot("plan-changes");
        clickAndWait("#apply-ticked");

        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Applied 2 changes"));
        assertThat(text("#run-status")).startsWith("SUCCEEDED");
        assertThat(text("#approvals")).contains("ada").contains("approved 2 changes").contains(a).contains(b);
        assertThat(fixture.engine.approvals(halted.runId())).singleElement().satisfies(x -> {
            assertThat(x.approver()).isEqualTo("ada");
            assertThat(x.decision()).isEqualTo(dev.homeroom.engine.Approval.SELECTED);
            assertThat(x.changeIds()).containsExactlyInAnyOrder(a, b);
        });
        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        assertThat(text("#runs")).contains("ada: 2 changes").contains("setup: whole plan");

        SyncReport next = fixture.engine.sync(SyncMode.FULL);
        assertThat(next.status()).isEqualTo(SyncStatus.HALTED);
        assertThat(fixture.engine.plannedChanges(next.runId())).extracting(dev.homeroom.engine.PlannedChange::id)
                .containsExactlyInAnyOrderElementsOf(others);
        browser.driver.get(fixture.url("/runs/" + next.runId() + "/changes"));
        assertThat(browser.driver.findElements(By.cssSelector("#changes tbody tr[data-change]"))).extracting(r -> r.getAttribute("data-change"))
                .containsExactlyInAnyOrderElementsOf(others);
    }

    @Test
    void theChangesPageIsPagedAndSearched() throws Exception {
        open("sync.strategy = MANUAL\n");
        SyncReport first = fixture.engine.sync(SyncMode.FULL);
        long all = fixture.engine.plannedChangeCounts(first.runId()).stream().mapToLong(dev.homeroom.engine.PlannedChangeCount::count).sum();
        assertThat(all).isGreaterThan(50);
        browser.driver.get(fixture.url("/runs/" + first.runId() + "/changes"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            browser.driver.findElements(By.cssSelector("#changes tbody tr[data-change]")).forEach(r -> assertThat(seen.add(r.getAttribute("data-change"))).isTrue());
            List<WebElement> next = browser.driver.findElements(By.id("next-changes"));
            if (next.isEmpty()) {
                break;
            }
            clickAndWait(next.get(0));
        }
        assertThat(seen).as("the pages hold every change once").hasSize((int) all);

        browser.driver.get(fixture.url("/runs/" + first.runId() + "/changes"));
        String user = fixture.engine.plannedChanges(first.runId(), "user", null, null, 1).changes().get(0).key();
        String prefix = user.substring(0, user.indexOf('/') - 1);
        new Select(find("#change-filter select[name=entity]")).selectByValue("user");
        find("#change-search").sendKeys(prefix);
        // the filter loads a new page: read its rows, not the old page's
        clickAndWait("#filter-changes");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#changes tbody tr[data-change]"));
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).startsWith("user").contains(prefix));
        assertThat(rows).hasSize((int) fixture.engine.plannedChanges(first.runId()).stream()
                .filter(c -> c.entity().equals("user") && c.key().startsWith(prefix)).count());
    }

    @Test
    void rejectAHaltedPlanAndNothingIsApplied() throws Exception {
        open("sync.strategy = MANUAL\n");
        SyncReport halted = fixture.engine.sync(SyncMode.FULL);
        browser.driver.get(fixture.url("/runs/" + halted.runId()));
        clickAndWait("#reject");
        assertThat(text(".notice")).contains("Rejected");
        assertThat(text("#run-status")).isEqualTo("REJECTED");
        assertThat(browser.driver.findElements(By.id("approve"))).isEmpty();
        String student = fixture.clever.district().idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        assertThat(fixture.engine.explain(student).map(e -> e.provisioned())).as("a rejected first plan provisions nothing").isEmpty();
        assertThat(text("#approvals")).contains("ada").contains("rejected");
        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        assertThat(text("#runs")).contains("REJECTED").contains("ada: rejected");
        shot("district-decisions");

        SyncReport next = fixture.engine.sync(SyncMode.FULL);
        assertThat(next.status()).as("the next run plans again").isEqualTo(SyncStatus.HALTED);
        assertThat(fixture.engine.plannedChanges(next.runId())).extracting(dev.homeroom.engine.PlannedChange::id)
                .containsExactlyInAnyOrderElementsOf(fixture.engine.plannedChanges(halted.runId()).stream().map(dev.homeroom.engine.PlannedChange::id).toList());
    }

    @Test
    void selectStagedSectionsAndSeeThemLoadOnTheNextSync() throws Exception {
        open("sections.filter = STAGING\n");
        String before = fixture.engine.sync(SyncMode.FULL).runId();

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        clickAndWait("#staging");
        Select school = new Select(find("#section-filter select[name=school]"));
        school.selectByIndex(1);
        String schoolId = school.getFirstSelectedOption().getAttribute("value");
        // the filter loads a new page: read its rows, not the old page's
        clickAndWait("#filter");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#sections tbody tr[data-section]"));
        assertThat(rows).hasSizeGreaterThan(3);
        String first = rows.get(0).getAttribute("data-section");
        String second = rows.get(1).getAttribute("data-section");
        String waiting = rows.get(2).getAttribute("data-section");
        assertThat(fixture.engine.explain(first).orElseThrow().outcome()).isEqualTo("SKIPPED");
        rows.get(0).findElement(By.name("section")).click();
        rows.get(1).findElement(By.name("section")).click();
        clickAndWait("#select");

        assertThat(text(".notice")).contains("Selected 2 sections");
        assertThat(browser.driver.getCurrentUrl()).contains("school=" + schoolId);
        assertThat(text("#sections tr[data-section='" + first + "'] .sel")).isEqualTo("selected");
        assertThat(text("#sections tr[data-section='" + waiting + "'] .sel")).isEmpty();
        shot("staged-sections");

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        clickAndWait("#sync-now");
        // the page polls the district's latest run: wait for the run this click started to finish
        new WebDriverWait(browser.driver, Duration.ofSeconds(90)).until(d -> {
            WebElement status = d.findElement(By.id("progress-status"));
            return "finished".equals(status.getAttribute("data-state")) && !before.equals(status.getAttribute("data-run"));
        });
        assertThat(text("#progress-kinds")).contains("section").contains("user");
        shot("progress");
        assertThat(fixture.engine.explain(first).orElseThrow().outcome()).isEqualTo("PROVISIONED");
        assertThat(fixture.engine.explain(second).orElseThrow().outcome()).isEqualTo("PROVISIONED");
        assertThat(fixture.engine.explain(waiting).orElseThrow().outcome()).isEqualTo("SKIPPED");
    }

    @Test
    void anEditedDisplayNameSurvivesASyncThatRenamesTheSection() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        var next = fixture.clever.district().next();
        String section = next.changes().get(Change.SECTION_RENAMED).get(0);
        String renamed = next.record(section).orElseThrow().path("name").asText();

        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/records/" + section));
        find("#display-name").sendKeys("Algebra, room 12");
        clickAndWait("#save-display-name");
        assertThat(text(".notice")).contains("Display name saved");
        assertThat(text("#provisioned tr.edited")).contains("display_name").contains("Algebra, room 12").contains("edited");

        fixture.clever.advanceTo(next);
        assertThat(fixture.engine.sync(SyncMode.FULL).status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        browser.driver.navigate().refresh();
        assertThat(text("#provisioned tr.edited")).contains("Algebra, room 12");
        assertThat(text("#provisioned")).contains(renamed);
        shot("edited-section");
    }

    @Test
    void anEditedGraduationYearIsShownAsEditedAndKeptBySyncs() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        String student = fixture.clever.district().idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);

        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/records/" + student));
        assertThat(browser.driver.findElements(By.cssSelector("#provisioned tr.edited"))).isEmpty();
        find("#graduation-year").sendKeys("2031");
        clickAndWait("#save-graduation-year");
        assertThat(text(".notice")).contains("Graduation year saved: 2031");
        assertThat(text("#provisioned tr.edited")).contains("graduation_year").contains("2031").contains("edited");

        fixture.engine.sync(SyncMode.FULL);
        browser.driver.navigate().refresh();
        assertThat(text("#provisioned tr.edited")).contains("2031");

        find("#graduation-year").sendKeys("20x1");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("document.getElementById('graduation-year').removeAttribute('pattern')");
        clickAndWait("#save-graduation-year");
        assertThat(text(".error")).contains("HR-CONFIG-050");
        assertThat(text("#provisioned tr.edited")).contains("2031");
    }

    /** A teacher of the district and one of their sections with 4 to 50 students (one page of members). */
    private record TeacherAndSection(String teacher, dev.homeroom.engine.TeacherSection section) {}

    private TeacherAndSection aTeacherWithASection() {
        var groups = fixture.engine.groups();
        for (var t : groups.teachers(fixture.districtId, null, null, 500)) {
            if (!t.active()) {
                continue;
            }
            for (var s : groups.sections(t.teacherId(), 500)) {
                if (s.active() && s.students() >= 4 && s.students() <= 50) {
                    return new TeacherAndSection(t.teacherId(), s);
                }
            }
        }
        throw new AssertionError("the synthetic district has no teacher with a section of 4 to 50 students");
    }

    private List<String> memberIds() {
        return browser.driver.findElements(By.cssSelector("#members tbody tr[data-member]")).stream().map(r -> r.getAttribute("data-member")).toList();
    }

    /**
     * Clicks a button or link that loads a new page and waits for the old page to go, so what is read next is the new
     * page's (its notice, its rows), not the old one's.
     */
    private void clickAndWait(String css) {
        clickAndWait(find(css));
    }

    private void clickAndWait(WebElement target) {
        // Marks the old page's window, then waits for a loaded page without the mark. Not stalenessOf: while a page
        // unloads, Chromium can answer a question about an old element with "Node with given id does not belong to
        // the document" instead of a stale-element error, and stalenessOf lets that through as a failure.
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        js.executeScript("window.homeroomOldPage = true;");
        target.click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).ignoring(WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return window.homeroomOldPage === undefined && document.readyState === 'complete';")));
    }

    @Test
    void copyASectionIntoAGroupSplitItInTwoAndAddAndRemoveAMember() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        TeacherAndSection ts = aTeacherWithASection();

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        clickAndWait("#custom-groups");
        find("#teacher-search").sendKeys(ts.teacher());
        clickAndWait("#find-teacher");
        assertThat(browser.driver.findElements(By.cssSelector("#teachers tbody tr[data-teacher]"))).extracting(r -> r.getAttribute("data-teacher"))
                .contains(ts.teacher()).allSatisfy(id -> assertThat(id).startsWith(ts.teacher()));
        clickAndWait("#teachers tr[data-teacher='" + ts.teacher() + "'] a");
        assertThat(text("#groups")).contains("has no custom group yet");

        // copy: the group holds the section's students now, each ACTIVE
        new Select(find("#copy-section")).selectByValue(ts.section().sectionId());
        find("#copy-name").sendKeys("Reading circle");
        clickAndWait("#copy-group");
        assertThat(text(".notice")).contains("Created group “Reading circle” with " + ts.section().students() + " members");
        assertThat(text("#group-title")).isEqualTo("Reading circle");
        List<String> copied = memberIds();
        assertThat(copied).hasSize(ts.section().students()).doesNotHaveDuplicates();
        assertThat(browser.driver.findElements(By.cssSelector("#members .member-status"))).extracting(WebElement::getText).containsOnly("ACTIVE");
        String groupUrl = browser.driver.getCurrentUrl();

        // split in two: each student of the section in exactly one of the two groups
        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/groups?teacher=" + ts.teacher()));
        new Select(find("#split-section")).selectByValue(ts.section().sectionId());
        find("#split-count").clear();
        find("#split-count").sendKeys("2");
        find("#split-name").sendKeys("Half");
        clickAndWait("#split-group");
        assertThat(text(".notice")).contains("Created 2 groups");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#groups tbody tr[data-group]"));
        assertThat(rows).extracting(r -> r.findElement(By.tagName("a")).getText()).containsExactly("Reading circle", "Half 1", "Half 2");
        List<String> halves = rows.subList(1, 3).stream().map(r -> r.findElement(By.tagName("a")).getAttribute("href")).toList();
        shot("groups");
        List<String> seen = new java.util.ArrayList<>();
        List<Integer> sizes = new java.util.ArrayList<>();
        for (String half : halves) {
            browser.driver.get(half);
            List<String> ids = memberIds();
            sizes.add(ids.size());
            seen.addAll(ids);
        }
        assertThat(seen).as("each student of the section once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(copied);
        assertThat(Math.abs(sizes.get(0) - sizes.get(1))).isLessThanOrEqualTo(1);

        // remove one member, then add them back; a student who is not the teacher's is refused with one line
        browser.driver.get(groupUrl);
        String leaving = copied.get(0);
        find("#members tr[data-member='" + leaving + "'] input[name=member]").click();
        clickAndWait("#remove-members");
        assertThat(text(".notice")).contains("Removed 1 member").contains("has " + (copied.size() - 1) + " now");
        assertThat(memberIds()).hasSize(copied.size() - 1).doesNotContain(leaving);
        String groupId = groupUrl.substring(groupUrl.lastIndexOf('/') + 1);
        assertThat(fixture.engine.groups().group(groupId).orElseThrow().members()).extracting(dev.homeroom.engine.GroupMember::userId)
                .doesNotContain(leaving);

        find("#add-students").sendKeys(leaving);
        clickAndWait("#add-members");
        assertThat(text(".notice")).contains("Added 1 member").contains("has " + copied.size() + " now");
        assertThat(memberIds()).containsExactlyInAnyOrderElementsOf(copied);
        assertThat(text("#members tr[data-member='" + leaving + "'] .member-status")).isEqualTo("ACTIVE");

        find("#add-students").sendKeys("not-a-student-of-theirs");
        clickAndWait("#add-members");
        assertThat(text(".error")).contains("HR-GROUP-008").doesNotContain("\n").doesNotContain("Exception");
        assertThat(memberIds()).containsExactlyInAnyOrderElementsOf(copied);
    }

    @Test
    void createAManualClassAndStudentJoinThemAndDeactivateTheClass() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        clickAndWait("#manual-resources");
        assertThat(text("#manual-classes")).contains("No manual class");
        find("#class-name").sendKeys("Robotics club");
        find("#class-subject").sendKeys("Technology");
        find("#class-grade").sendKeys("9");
        clickAndWait("#create-class");
        assertThat(text(".notice")).contains("Created manual class “Robotics club”");
        List<WebElement> classes = browser.driver.findElements(By.cssSelector("#manual-classes tbody tr[data-class]"));
        assertThat(classes).hasSize(1);
        String classId = classes.get(0).getAttribute("data-class");
        assertThat(classId).startsWith("manual-");
        assertThat(classes.get(0).getText()).contains("Robotics club").contains("Technology").contains("ACTIVE");

        find("#student-first").sendKeys("Grace");
        find("#student-last").sendKeys("Hopper");
        find("#student-email").sendKeys("grace@example.org");
        clickAndWait("#create-student");
        assertThat(text(".notice")).contains("Created manual student Grace Hopper");
        List<WebElement> students = browser.driver.findElements(By.cssSelector("#manual-students tbody tr[data-student]"));
        assertThat(students).hasSize(1);
        String studentId = students.get(0).getAttribute("data-student");
        assertThat(students.get(0).getText()).contains("Grace Hopper").contains("grace@example.org").contains("ACTIVE");

        find("#join-class").sendKeys(classId);
        find("#join-student").sendKeys(studentId);
        clickAndWait("#join");
        assertThat(text(".notice")).contains("Joined student " + studentId + " to class " + classId);
        String membership = "#manual-memberships tr[data-membership='" + classId + "/" + studentId + "']";
        assertThat(text(membership + " .status-cell")).isEqualTo("ACTIVE");
        assertThat(text(membership)).contains("joined");
        shot("manual");

        clickAndWait("#manual-classes tr[data-class='" + classId + "'] button.deactivate");
        assertThat(text(".notice")).contains("Deactivated class “Robotics club”");
        assertThat(text("#manual-classes tr[data-class='" + classId + "'] .status-cell")).isEqualTo("INACTIVE");
        assertThat(text(membership + " .status-cell")).as("the membership follows its class").isEqualTo("INACTIVE");
        assertThat(fixture.engine.manual().manualClass(fixture.districtId, classId).orElseThrow().active()).isFalse();
        assertThat(fixture.engine.manual().memberships(fixture.districtId)).singleElement().satisfies(m -> {
            assertThat(m.joined()).isTrue();
            assertThat(m.active()).isFalse();
        });

        // the class's own page edits it
        clickAndWait("#manual-classes tr[data-class='" + classId + "'] a");
        assertThat(text("#manual-status")).isEqualTo("INACTIVE");
        find("#class-name").clear();
        find("#class-name").sendKeys("Robotics club (Tuesdays)");
        clickAndWait("#save-class");
        assertThat(text(".notice")).contains("Saved class “Robotics club (Tuesdays)”");
        assertThat(fixture.engine.manual().manualClass(fixture.districtId, classId).orElseThrow().name()).isEqualTo("Robotics club (Tuesdays)");
    }

    @Test
    void underSisLockdownAManualClassIsRefusedWithOneLine() throws Exception {
        open("sync.strategy = SIS_LOCKDOWN\n");
        fixture.engine.sync(SyncMode.FULL);
        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/manual"));
        find("#class-name").sendKeys("Chess");
        clickAndWait("#create-class");
        assertThat(text(".error")).contains("HR-MANUAL-002").contains("SIS_LOCKDOWN");
        assertThat(text("#manual-classes")).contains("No manual class");
        assertThat(fixture.engine.manual().classes(fixture.districtId)).isEmpty();
    }

    @Test
    void aHostileNameRendersAsText() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/records?q=" + java.net.URLEncoder.encode("<scr", "UTF-8")));
        assertThat(text("#found")).contains(ConsoleFixture.HOSTILE);
        clickAndWait("#found a[href$='/records/" + fixture.hostileStudent + "']");

        assertThat(text("#record-title")).contains(ConsoleFixture.HOSTILE);
        assertThat(browser.driver.getPageSource()).doesNotContain(ConsoleFixture.HOSTILE).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(noAlert()).isTrue();
    }

    @Test
    void aRequestWithoutAUserIsRefusedAndChangesNothing() throws Exception {
        open("sync.strategy = MANUAL\n");
        SyncReport halted = fixture.engine.sync(SyncMode.FULL);
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(fixture.url("/runs/" + halted.runId()));
        assertThat(text("h1")).isEqualTo("Sign in");
        assertThat(text("#refusal")).contains("HR-ADMIN-002");
        assertThat(browser.driver.findElements(By.id("approve"))).isEmpty();
        assertThat(fixture.engine.run(halted.runId()).orElseThrow().status()).isEqualTo("HALTED");
    }

    private boolean noAlert() {
        try {
            browser.driver.switchTo().alert();
            return false;
        } catch (NoAlertPresentException e) {
            return true;
        }
    }
}
