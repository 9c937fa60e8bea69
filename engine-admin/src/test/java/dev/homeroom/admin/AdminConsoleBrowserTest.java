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
import org.openqa.selenium.NoAlertPresentException;
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
        find("#districts a").click();
        find("#record-search").sendKeys(last.substring(0, Math.min(4, last.length())));
        find("#find").click();
        find("#found a[href$='/records/" + classless + "']").click();

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
        find("#runs a[href$='/runs/" + halted.runId() + "']").click();
        assertThat(text("#run-status")).isEqualTo("HALTED");
        assertThat(text("#guard")).contains("sync.strategy=MANUAL");
        assertThat(text("#kind-counts")).contains("users");
        shot("halted-run");
        find("#approve").click();

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
        find("#review-changes").click();
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
        find("#apply-ticked").click();

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
            next.get(0).click();
        }
        assertThat(seen).as("the pages hold every change once").hasSize((int) all);

        browser.driver.get(fixture.url("/runs/" + first.runId() + "/changes"));
        String user = fixture.engine.plannedChanges(first.runId(), "user", null, null, 1).changes().get(0).key();
        String prefix = user.substring(0, user.indexOf('/') - 1);
        new Select(find("#change-filter select[name=entity]")).selectByValue("user");
        find("#change-search").sendKeys(prefix);
        WebElement unfiltered = find("#changes");
        find("#filter-changes").click();
        // the filter loads a new page: read its rows, not the old page's
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(unfiltered));
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
        find("#reject").click();
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
        find("#staging").click();
        Select school = new Select(find("#section-filter select[name=school]"));
        school.selectByIndex(1);
        String schoolId = school.getFirstSelectedOption().getAttribute("value");
        WebElement unfiltered = find("#sections");
        find("#filter").click();
        // the filter loads a new page: read its rows, not the old page's
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(unfiltered));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#sections tbody tr[data-section]"));
        assertThat(rows).hasSizeGreaterThan(3);
        String first = rows.get(0).getAttribute("data-section");
        String second = rows.get(1).getAttribute("data-section");
        String waiting = rows.get(2).getAttribute("data-section");
        assertThat(fixture.engine.explain(first).orElseThrow().outcome()).isEqualTo("SKIPPED");
        rows.get(0).findElement(By.name("section")).click();
        rows.get(1).findElement(By.name("section")).click();
        find("#select").click();

        assertThat(text(".notice")).contains("Selected 2 sections");
        assertThat(browser.driver.getCurrentUrl()).contains("school=" + schoolId);
        assertThat(text("#sections tr[data-section='" + first + "'] .sel")).isEqualTo("selected");
        assertThat(text("#sections tr[data-section='" + waiting + "'] .sel")).isEmpty();
        shot("staged-sections");

        browser.driver.get(fixture.url("/districts/" + fixture.districtId));
        find("#sync-now").click();
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
        find("#save-display-name").click();
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
        find("#save-graduation-year").click();
        assertThat(text(".notice")).contains("Graduation year saved: 2031");
        assertThat(text("#provisioned tr.edited")).contains("graduation_year").contains("2031").contains("edited");

        fixture.engine.sync(SyncMode.FULL);
        browser.driver.navigate().refresh();
        assertThat(text("#provisioned tr.edited")).contains("2031");

        find("#graduation-year").sendKeys("20x1");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("document.getElementById('graduation-year').removeAttribute('pattern')");
        find("#save-graduation-year").click();
        assertThat(text(".error")).contains("HR-CONFIG-050");
        assertThat(text("#provisioned tr.edited")).contains("2031");
    }

    @Test
    void aHostileNameRendersAsText() throws Exception {
        open("");
        fixture.engine.sync(SyncMode.FULL);
        browser.driver.get(fixture.url("/districts/" + fixture.districtId + "/records?q=" + java.net.URLEncoder.encode("<scr", "UTF-8")));
        assertThat(text("#found")).contains(ConsoleFixture.HOSTILE);
        find("#found a[href$='/records/" + fixture.hostileStudent + "']").click();

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
