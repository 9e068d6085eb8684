package io.mt5crmhub;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house's layering, from the bottom: the event model and the configuration helpers depend on nothing of ours;
 * gateways only on those; the mt5: component on gateways, never on what consumes its exchanges; then the store,
 * the pipeline's processors, the sinks, balance operations, the sharing of servers between instances
 * ({@code cluster}), what ops watch ({@code ops}); the wiring ({@code app}) and the commands on top.
 * docs/architecture.md draws the same map.
 */
@AnalyzeClasses(packages = "io.mt5crmhub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Event").definedBy("io.mt5crmhub.event..")
            .layer("Config").definedBy("io.mt5crmhub.config..")
            .layer("Gateway").definedBy("io.mt5crmhub.gateway..")
            .layer("Component").definedBy("io.mt5crmhub.component..")
            .layer("Store").definedBy("io.mt5crmhub.store..")
            .layer("Api").definedBy("io.mt5crmhub.api..")
            .layer("Pipeline").definedBy("io.mt5crmhub.pipeline..")
            .layer("Sinks").definedBy("io.mt5crmhub.rabbitmq..", "io.mt5crmhub.redis..", "io.mt5crmhub.kafka..",
                    "io.mt5crmhub.crm..",
                    "io.mt5crmhub.deadletter..")
            .layer("Balance").definedBy("io.mt5crmhub.balance..")
            .layer("Cluster").definedBy("io.mt5crmhub.cluster..")
            .layer("Ops").definedBy("io.mt5crmhub.ops..")
            .layer("App").definedBy("io.mt5crmhub.app..")
            .layer("Bench").definedBy("io.mt5crmhub.bench..")
            .layer("Cli").definedBy("io.mt5crmhub.cli..")

            .whereLayer("Event").mayNotAccessAnyLayer()
            .whereLayer("Config").mayNotAccessAnyLayer()
            .whereLayer("Gateway").mayOnlyAccessLayers("Event", "Config")
            .whereLayer("Component").mayOnlyAccessLayers("Event", "Config", "Gateway")
            .whereLayer("Store").mayOnlyAccessLayers("Event", "Config")
            .whereLayer("Api").mayOnlyAccessLayers("Config")
            .whereLayer("Pipeline").mayOnlyAccessLayers("Event", "Config", "Component", "Store")
            .whereLayer("Sinks").mayOnlyAccessLayers("Event", "Config", "Component", "Store", "Api", "Pipeline")
            .whereLayer("Balance").mayOnlyAccessLayers("Event", "Config", "Gateway", "Component", "Store", "Api",
                    "Pipeline", "Sinks")
            .whereLayer("Cluster").mayOnlyAccessLayers("Event", "Config", "Component", "Store", "Pipeline", "Sinks",
                    "Balance")
            .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Ops", "App", "Bench", "Cli")
            .whereLayer("Ops").mayOnlyAccessLayers("Event", "Config", "Gateway", "Component", "Store", "Api",
                    "Pipeline", "Sinks", "Balance", "Cluster")
            .whereLayer("Ops").mayOnlyBeAccessedByLayers("App", "Bench", "Cli")
            .whereLayer("App").mayOnlyBeAccessedByLayers("Bench", "Cli")
            .whereLayer("Bench").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.mt5crmhub.(*)..").should().beFreeOfCycles();
}
