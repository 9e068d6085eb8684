package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.JarURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The catalog sinks docs/routes-and-connectors.md says the jar runs are exactly those whose needs the jar meets. */
class CatalogSinksDocTest {

    private static final String RUNS = "Catalog sinks this jar runs:";

    @Test
    void theDocumentedListIsWhatTheJarCanRun() throws Exception {
        Set<String> runnable = new TreeSet<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.setProperty("camel.component.kamelet.location", "classpath:kamelets");
            context.getPropertiesComponent().setInitialProperties(properties);
            for (String name : catalogSinks()) {
                Map<?, ?> spec = KameletRequirements.spec(context, name).orElseThrow();
                if (KameletRequirements.missing(context, spec).isEmpty()) {
                    runnable.add(name);
                }
            }
        }
        assertThat(documented()).as("the list after '%s' in docs/routes-and-connectors.md", RUNS)
                .isEqualTo(runnable);
    }

    /** Every Kamelet of type sink in the catalog jar on the class path. */
    private static Set<String> catalogSinks() throws Exception {
        var url = CatalogSinksDocTest.class.getClassLoader().getResource("kamelets/http-sink.kamelet.yaml");
        Set<String> sinks = new TreeSet<>();
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        try (JarFile jar = new JarFile(connection.getJarFileURL().getPath())) {
            for (var entries = jar.entries(); entries.hasMoreElements();) {
                var entry = entries.nextElement();
                if (entry.getName().startsWith("kamelets/") && entry.getName().endsWith("-sink.kamelet.yaml")) {
                    String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                    if (text.contains("camel.apache.org/kamelet.type: \"sink\"")) {
                        sinks.add(entry.getName().substring("kamelets/".length(),
                                entry.getName().length() - ".kamelet.yaml".length()));
                    }
                }
            }
        }
        assertThat(sinks).hasSizeGreaterThan(50);
        return sinks;
    }

    private static Set<String> documented() throws Exception {
        String doc = Files.readString(Path.of("docs/routes-and-connectors.md"));
        int at = doc.indexOf(RUNS);
        assertThat(at).as("'%s' in docs/routes-and-connectors.md", RUNS).isNotNegative();
        String line = doc.substring(at, doc.indexOf("\n\n", at));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("`([a-z0-9-]+-sink)`").matcher(line);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
