package dev.homeroom.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through Selenium, with Debian's {@code chromium} and {@code chromium-driver} packages (paths
 * from {@code HOMEROOM_TEST_CHROMIUM} and {@code HOMEROOM_TEST_CHROMEDRIVER}, default /usr/bin/chromium and
 * /usr/bin/chromedriver). Without them the calling test is skipped with a message; with {@code CI=true} it fails, so CI
 * never passes without running the browser tests. One browser per test class: start it in {@code @BeforeAll}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(env("HOMEROOM_TEST_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(env("HOMEROOM_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "no headless browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + ": CI=true requires the browser tests to run (.ci/run installs chromium and chromium-driver)");
            }
            Assumptions.abort(why + "; apt-get install chromium chromium-driver to run the browser tests");
        }
        Path profile = Files.createTempDirectory("homeroom-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        return new Browser(driver, profile);
    }

    /** Saves a screenshot of the page now shown (the README's pictures come from here). */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
