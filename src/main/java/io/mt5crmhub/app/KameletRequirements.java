package io.mt5crmhub.app;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.mt5crmhub.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Refuses to start, with one line, when a route calls a Kamelet that needs what this jar does not carry.
 * <p>
 * Why: camel-main does not download a Kamelet's {@code spec.dependencies} (only Camel JBang does), so a catalog
 * Kamelet whose component is missing would fail deep inside the route's start with "No component found with scheme"
 * and a long stack, or, for a JDBC driver no Kamelet declares, only on its first event. Checked before any route
 * starts: every {@code camel:<name>} dependency (a {@code camel-<name>} artifact, or a component, data format or
 * language of that name) and, when those are all there, every class the Kamelet's beans name ({@code #class:...},
 * {@code driverClassName}). {@code mvn:} dependencies are checked through those classes: a jar does not always say
 * which artifact it is (the PostgreSQL driver carries no Maven metadata).
 */
final class KameletRequirements extends LifecycleStrategySupport {

    private static final Set<String> ALWAYS_THERE = Set.of("core", "kamelet");
    private static final String DOCS = "docs/routes-and-connectors.md#the-apache-kamelet-catalog";

    @Override
    public void onContextInitializing(CamelContext context) {
        check(context);
    }

    static void check(CamelContext context) {
        Map<String, String> callers = kameletsCalled(context);
        for (Map.Entry<String, String> called : callers.entrySet()) {
            String kamelet = called.getKey();
            Optional<Map<?, ?>> spec = spec(context, kamelet);
            if (spec.isEmpty()) {
                continue; // Camel's own error names a Kamelet that does not exist
            }
            Set<String> missing = missing(context, spec.get());
            if (!missing.isEmpty()) {
                throw new ConfigurationException("Kamelet " + kamelet + " (called by route " + called.getValue()
                        + ") needs " + String.join(" and ", missing) + ", which this jar does not include; the"
                        + " Kamelets it runs are listed in " + DOCS);
            }
        }
    }

    /** Kamelet name to the first route calling it, in route order. */
    static Map<String, String> kameletsCalled(CamelContext context) {
        Map<String, String> found = new LinkedHashMap<>();
        for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
            List<String> uris = new ArrayList<>();
            if (route.getInput() != null) {
                uris.add(route.getInput().getEndpointUri());
            }
            collect(route.getOutputs(), uris);
            for (String uri : uris) {
                String caller = route.getRouteId() != null ? route.getRouteId()
                        : "from " + route.getInput().getEndpointUri();
                kameletName(uri).ifPresent(name -> found.putIfAbsent(name, caller));
            }
        }
        return found;
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, List<String> uris) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof EndpointRequiredDefinition endpoint && endpoint.getEndpointUri() != null) {
                uris.add(endpoint.getEndpointUri());
            }
            collect(output.getOutputs(), uris);
        }
    }

    static Optional<String> kameletName(String uri) {
        if (uri == null || !uri.startsWith("kamelet:")) {
            return Optional.empty();
        }
        String rest = uri.substring("kamelet:".length());
        rest = rest.startsWith("//") ? rest.substring(2) : rest;
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        String name = rest.substring(0, end);
        return name.isEmpty() || name.equals("source") || name.equals("sink") ? Optional.empty() : Optional.of(name);
    }

    static Optional<Map<?, ?>> spec(CamelContext context, String kamelet) {
        String locations = context.getPropertiesComponent().resolveProperty("camel.component.kamelet.location")
                .orElse("classpath:kamelets");
        for (String location : locations.split(",")) {
            Resource resource = PluginHelper.getResourceLoader(context)
                    .resolveResource(location.strip() + "/" + kamelet + ".kamelet.yaml");
            if (resource == null || !resource.exists()) {
                continue;
            }
            try (InputStream in = resource.getInputStream()) {
                Object document = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
                if (document instanceof Map<?, ?> root && root.get("spec") instanceof Map<?, ?> spec) {
                    return Optional.of(spec);
                }
                return Optional.empty();
            } catch (Exception e) {
                throw new ConfigurationException("Kamelet " + kamelet + " (" + resource.getLocation()
                        + ") cannot be read: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** What the Kamelet's spec asks for that this class path lacks, each as the spec names it. */
    static Set<String> missing(CamelContext context, Map<?, ?> spec) {
        Set<String> missing = new LinkedHashSet<>();
        if (spec.get("dependencies") instanceof List<?> dependencies) {
            for (Object dependency : dependencies) {
                String d = String.valueOf(dependency).strip();
                if (!present(context, d)) {
                    missing.add(d);
                }
            }
        }
        if (missing.isEmpty() && spec.get("template") instanceof Map<?, ?> template
                && template.get("beans") instanceof List<?> beans) {
            for (Object bean : beans) {
                if (bean instanceof Map<?, ?> b) {
                    classNamed(b.get("type")).filter(c -> !loadable(context, c))
                            .ifPresent(c -> missing.add("the class " + c));
                    if (b.get("properties") instanceof Map<?, ?> properties
                            && properties.get("driverClassName") instanceof String driver
                            && !driver.contains("{{") && !loadable(context, driver)) {
                        missing.add("the JDBC driver " + driver);
                    }
                }
            }
        }
        return missing;
    }

    private static boolean present(CamelContext context, String dependency) {
        if (dependency.startsWith("camel:")) {
            String name = dependency.substring("camel:".length());
            return ALWAYS_THERE.contains(name) || artifact(context, "org.apache.camel", "camel-" + name)
                    || resource(context, "META-INF/services/org/apache/camel/component/" + name)
                    || resource(context, "META-INF/services/org/apache/camel/dataformat/" + name)
                    || resource(context, "META-INF/services/org/apache/camel/language/" + name);
        }
        return true; // mvn: through the classes the beans name; github: and other forms are JBang's business
    }

    private static Optional<String> classNamed(Object type) {
        return type instanceof String t && t.startsWith("#class:") && !t.contains("{{")
                ? Optional.of(t.substring("#class:".length()).strip()) : Optional.empty();
    }

    private static boolean artifact(CamelContext context, String group, String artifact) {
        return resource(context, "META-INF/maven/" + group + "/" + artifact + "/pom.properties");
    }

    private static boolean resource(CamelContext context, String path) {
        return classLoader(context).getResource(path) != null;
    }

    private static boolean loadable(CamelContext context, String className) {
        try {
            Class.forName(className, false, classLoader(context));
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static ClassLoader classLoader(CamelContext context) {
        ClassLoader application = context.getApplicationContextClassLoader();
        return application != null ? application : KameletRequirements.class.getClassLoader();
    }
}
