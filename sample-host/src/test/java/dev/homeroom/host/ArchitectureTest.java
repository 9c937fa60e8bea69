package dev.homeroom.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of docs/ARCHITECTURE.md and the house coding rules (no System.out, no field injection, …), checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses all;
    private static JavaClasses libraries;

    @BeforeAll
    static void importClasses() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.homeroom");
        libraries = all.that(com.tngtech.archunit.base.DescribedPredicate.not(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.homeroom.host..")));
    }

    @Test
    void importedEveryModule() {
        // an architecture rule over no classes passes vacuously: make sure each module was really loaded
        for (String pkg : new String[] {"dev.homeroom.spi", "dev.homeroom.engine", "dev.homeroom.engine.internal.clever", "dev.homeroom.store",
                "dev.homeroom.store.internal.jooq", "dev.homeroom.rules", "dev.homeroom.testkit", "dev.homeroom.plugins.springfield",
                "dev.homeroom.plugins.licenses", "dev.homeroom.admin", "dev.homeroom.admin.internal", "dev.homeroom.admin.internal.jte",
                "dev.homeroom.host"}) {
            assertThat(all.stream().filter(c -> c.getPackageName().equals(pkg)).count()).as(pkg).isPositive();
        }
    }

    @Test
    void spiDependsOnTheJdkAlone() {
        noClasses().that().resideInAPackage("dev.homeroom.spi..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.homeroom.spi..", "org.apiguardian..")
                .check(all);
    }

    @Test
    void pluginsDependOnTheSpiOnly() {
        noClasses().that().resideInAPackage("dev.homeroom.plugins..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.homeroom.spi..", "dev.homeroom.plugins..", "org.apiguardian..")
                .check(all);
    }

    @Test
    void storeKnowsNothingOfTheEngineRulesOrHosts() {
        noClasses().that().resideInAPackage("dev.homeroom.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.homeroom.engine..", "dev.homeroom.rules..", "dev.homeroom.testkit..",
                        "dev.homeroom.host..", "dev.homeroom.plugins..", "org.kie..", "org.drools..", "okhttp3..", "com.google.inject..")
                .check(all);
    }

    @Test
    void rulesRuntimeKnowsNothingOfTheEngineOrStore() {
        noClasses().that().resideInAPackage("dev.homeroom.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.homeroom.engine..", "dev.homeroom.store..", "dev.homeroom.testkit..",
                        "dev.homeroom.host..", "dev.homeroom.plugins..", "org.jooq..", "okhttp3..")
                .check(all);
    }

    @Test
    void engineDoesNotReachIntoHostsTestkitOrPlugins() {
        noClasses().that().resideInAPackage("dev.homeroom.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.homeroom.testkit..", "dev.homeroom.host..", "dev.homeroom.plugins..")
                .check(all);
    }

    @Test
    void adminConsoleUsesTheEnginesPublicApiOnly() {
        // the console is a client of SyncEngine like any host: never the engine's internals, the store, the rules runtime
        noClasses().that().resideInAPackage("dev.homeroom.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.homeroom.engine.internal..", "dev.homeroom.store..",
                        "dev.homeroom.rules..", "dev.homeroom.testkit..", "dev.homeroom.host..", "dev.homeroom.plugins..")
                .check(all);
        // and nothing but a host depends on the console
        noClasses().that().resideOutsideOfPackages("dev.homeroom.admin..", "dev.homeroom.host..")
                .should().dependOnClassesThat().resideInAPackage("dev.homeroom.admin..")
                .check(all);
        // the web stack stays in the console
        noClasses().that().resideOutsideOfPackages("dev.homeroom.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "gg.jte..", "org.eclipse.jetty..")
                .check(all);
    }

    @Test
    void jooqStaysInsideTheStoreAndDroolsInsideTheRulesRuntime() {
        noClasses().that().resideOutsideOfPackage("dev.homeroom.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "org.flywaydb..")
                .check(all);
        noClasses().that().resideOutsideOfPackage("dev.homeroom.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("org.kie..", "org.drools..")
                .check(all);
        noClasses().that().resideOutsideOfPackage("dev.homeroom.engine.internal.clever..")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..")
                .check(all);
    }

    @Test
    void dbSchedulerStaysInsideTheSchedulerInternals() {
        noClasses().that().resideOutsideOfPackage("dev.homeroom.engine.internal.schedule..")
                .should().dependOnClassesThat().resideInAnyPackage("com.github.kagkarlsson..")
                .check(all);
    }

    @Test
    void librariesFollowTheCodingRules() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(libraries);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(all);
        NO_CLASSES_SHOULD_USE_FIELD_INJECTION.check(all);
        NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(libraries);
    }
}
