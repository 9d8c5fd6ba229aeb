package io.tiergate.router.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's dependencies point one way: the HTTP layer ({@code api}) on the pipeline, the pipeline on capabilities'
 * seams, and those on translation, routing, dispatch, providers and configuration, never back.
 */
class PackageRulesTest {

    private static final String ROOT = "io.tiergate.router";
    private static JavaClasses router;

    @BeforeAll
    static void importRouter() {
        router = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    private static String pkg(String name) {
        return ROOT + "." + name + "..";
    }

    @Test
    void nothingBelowTheHttpLayerImportsIt() {
        noClasses().that().resideInAnyPackage(pkg("providers"), pkg("scoring"), pkg("routing"), pkg("dispatch"), pkg("pipeline"),
                        pkg("capability"), pkg("translation"), pkg("config"), pkg("health"), pkg("metrics"))
                .should().dependOnClassesThat().resideInAPackage(pkg("api"))
                .check(router);
    }

    @Test
    void thePipelineKnowsNoCapabilityByName() {
        noClasses().that().resideInAnyPackage(pkg("pipeline"), pkg("translation"), pkg("routing"), pkg("dispatch"),
                        pkg("scoring"), pkg("providers"))
                .should().dependOnClassesThat().resideInAPackage(pkg("capability"))
                .check(router);
    }

    @Test
    void routingDispatchAndTranslationDoNotReachBackIntoThePipeline() {
        noClasses().that().resideInAnyPackage(pkg("translation"), pkg("routing"), pkg("dispatch"), pkg("scoring"), pkg("providers"))
                .should().dependOnClassesThat().resideInAPackage(pkg("pipeline"))
                .check(router);
    }

    @Test
    void configurationIsTheBottomLayer() {
        noClasses().that().resideInAPackage(pkg("config"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("pipeline"), pkg("capability"), pkg("translation"),
                        pkg("routing"), pkg("dispatch"), pkg("scoring"), pkg("providers"), pkg("health"), pkg("metrics"))
                .check(router);
    }

    @Test
    void providersDependOnConfigurationOnly() {
        noClasses().that().resideInAPackage(pkg("providers"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("routing"), pkg("dispatch"), pkg("scoring"), pkg("translation"))
                .check(router);
    }
}
