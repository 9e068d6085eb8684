package io.mt5crmhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mt5crmhub.app.RouteFlags;
import io.mt5crmhub.component.Mt5Component;
import io.mt5crmhub.component.Mt5Endpoint;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.testsupport.Mt5Stub;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md cannot drift from the code: every key the hub has is documented there, and every key
 * documented there is one the hub has. The page documents one key per table row, {@code | `key` | default |
 * meaning |}, under {@code ##}/{@code ###} headings; per-server keys are written {@code mt5.server.<id>.<name>}.
 */
class ConfigurationReferenceTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Path PROPERTIES = Path.of("application.properties");
    private static final String SERVER = "probe";
    /** {@code mt5.server.<id>.<name>} with a real id. */
    private static final Pattern PER_SERVER_KEY = Pattern.compile("mt5\\.server\\.[A-Za-z0-9_-]+\\.(.+)");
    /** The headings whose tables hold the mt5: endpoint options, the keys of every gateway, the flags. */
    private static final String ENDPOINT_SECTION = "The `mt5:` endpoint options";
    private static final String SERVERS_SECTION = "MT5 servers";
    private static final String FLAGS_SECTION = "Set by the hub at start";
    private static final List<String> GATEWAYS = List.of("simulator", "replay", "webapi", "native");

    private static final Pattern HEADING = Pattern.compile("#{2,3}\\s+(.+)");
    private static final Pattern ROW = Pattern.compile("\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|.*\\|");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??(hub\\.[A-Za-z0-9._-]+)(?::[^}]*)?}}");

    /** One documented row: the heading it sits under, its key and its default column. */
    private record Row(String section, String key, String defaultValue) {
    }

    private static List<Row> documented;
    private static Properties properties;

    @TempDir
    static Path work;

    @BeforeAll
    static void read() throws IOException {
        documented = rows(Files.readAllLines(DOC, StandardCharsets.UTF_8));
        properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
    }

    @Test
    void everyKeyOfApplicationPropertiesIsDocumentedWithItsDefault() {
        Map<String, String> defaults = new HashMap<>();
        settingRows().forEach(row -> defaults.put(row.key(), row.defaultValue()));
        assertNoneMissing(properties.stringPropertyNames().stream().map(ConfigurationReferenceTest::generic).toList(),
                defaults.keySet(), "keys of " + PROPERTIES + " that " + DOC + " lacks");
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            if (!generic(key).equals(key)) {
                continue; // the file configures the demo server "sim": its values are that server's, not defaults
            }
            String documentedDefault = defaults.get(key);
            boolean same = value.isEmpty() ? documentedDefault.startsWith("empty")
                    : documentedDefault.contains("`" + value + "`");
            assertThat(same).as("%s: the documented default '%s' is not the value '%s' of %s", key, documentedDefault,
                    value, PROPERTIES).isTrue();
        }
    }

    @Test
    void everyDocumentedKeyIsOneTheHubHas() throws IOException {
        Set<String> known = new TreeSet<>(properties.stringPropertyNames());
        known.addAll(flagsTheHubSets());
        known.addAll(componentKeys());
        for (String gateway : GATEWAYS) {
            known.addAll(keysReadBy(gateway));
        }
        assertNoneMissing(settingRows().map(Row::key).toList(), known,
                "keys in " + DOC + " that are not in application.properties nor read or set by the code");
    }

    @Test
    void everyFlagTheHubSetsAtStartIsDocumented() throws IOException {
        Set<String> flags = flagsTheHubSets();
        assertThat(flags).as("the flags the hub sets for the routes (RouteFlags)")
                .isNotEmpty();
        assertNoneMissing(flags, keysIn(FLAGS_SECTION), "flags the hub sets that '" + FLAGS_SECTION + "' lacks");
    }

    @Test
    void everyPlaceholderOfTheRoutesAndConnectorsIsAKey() throws IOException {
        Set<String> keys = new TreeSet<>(properties.stringPropertyNames());
        keys.addAll(flagsTheHubSets());
        Map<String, Set<String>> used = new HashMap<>();
        for (Path file : yamlFiles()) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                used.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(file.toString());
            }
        }
        assertThat(used).as("no {{hub.*}} placeholder found in routes/ and connectors/").isNotEmpty();
        used.forEach((key, files) -> assertThat(keys)
                .as("%s, used in %s, is neither in application.properties nor set by the hub", key, files)
                .contains(key));
    }

    @Test
    void everyKeyAGatewayReadsIsDocumentedUnderThatGatewayAndNothingElse() {
        Set<String> common = keysIn(SERVERS_SECTION);
        for (String gateway : GATEWAYS) {
            Set<String> read = keysReadBy(gateway);
            Set<String> section = keysIn("Gateway `" + gateway + "`");
            assertThat(section).as("the section 'Gateway `%s`' of %s", gateway, DOC).isNotEmpty();
            Set<String> documentedForIt = new TreeSet<>(common);
            documentedForIt.addAll(section);
            assertNoneMissing(read, documentedForIt, "keys the " + gateway + " gateway reads that " + DOC
                    + " documents neither under '" + SERVERS_SECTION + "' nor under 'Gateway `" + gateway + "`'");
            assertNoneMissing(section, read, "keys documented for the " + gateway + " gateway that it does not read");
        }
        assertThat(common).as("the common MT5 server keys").contains(ConfiguredGatewayFactory.SERVERS_KEY);
    }

    @Test
    void everyOptionOfTheMt5EndpointIsDocumentedAndNothingElse() {
        Set<String> options = endpointOptions(Mt5Endpoint.class);
        assertThat(options).as("the @UriPath and @UriParam options of Mt5Endpoint").contains("stream", "server");
        assertThat(keysIn(ENDPOINT_SECTION)).as("the options documented in '%s' of %s", ENDPOINT_SECTION, DOC)
                .containsExactlyInAnyOrderElementsOf(options);
    }

    private static void assertNoneMissing(Collection<String> keys, Set<String> from, String description) {
        Set<String> missing = new TreeSet<>(keys);
        missing.removeAll(from);
        assertThat(missing).as(description).isEmpty();
    }

    /** The keys a gateway of this kind asks for when the factory reads its minimal valid settings. */
    private static Set<String> keysReadBy(String gateway) {
        String prefix = "mt5.server." + SERVER + ".";
        Map<String, String> values = new HashMap<>(Map.of(ConfiguredGatewayFactory.SERVERS_KEY, SERVER,
                prefix + "gateway", gateway));
        switch (gateway) {
            case "replay" -> values.put(prefix + "file", replayFile().toString());
            case "webapi" -> values.putAll(Map.of(prefix + "address", "mt5.example.com:443", prefix + "login", "1000",
                    prefix + "password", "secret"));
            // the factory loads the library while it reads the settings: the stand-in's serves
            case "native" -> values.putAll(Map.of(prefix + "library", Mt5Stub.library().toAbsolutePath().toString(),
                    prefix + "address", "mt5.example.com:443", prefix + "login", "1000", prefix + "password", "secret"));
            default -> { }
        }
        Set<String> asked = new TreeSet<>();
        new ConfiguredGatewayFactory(Settings.of(key -> {
            asked.add(key);
            return Optional.ofNullable(values.get(key));
        }));
        return asked.stream().map(ConfigurationReferenceTest::generic).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code mt5.server.live1.rate} as documented: {@code mt5.server.<id>.rate}. */
    private static String generic(String key) {
        Matcher m = PER_SERVER_KEY.matcher(key);
        return m.matches() ? "mt5.server.<id>." + m.group(1) : key;
    }

    private static Path replayFile() {
        try {
            Path file = work.resolve("events.jsonl");
            return Files.exists(file) ? file : Files.createFile(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flags the hub derives at start for the routes. */
    private static Set<String> flagsTheHubSets() {
        return new TreeSet<>(RouteFlags.ALL);
    }

    /** {@code camel.component.mt5.<option>} for every option of the mt5: component. */
    private static Set<String> componentKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field field : Mt5Component.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(Metadata.class)) {
                keys.add("camel.component.mt5." + field.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                        .toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    /** The endpoint's own options: Camel's inherited ones (bridgeErrorHandler, ...) are Camel's to document. */
    private static Set<String> endpointOptions(Class<?> type) {
        Set<String> options = new TreeSet<>();
        for (Class<?> c = type; c != null && c.getName().startsWith("io.mt5crmhub."); c = c.getSuperclass()) {
            List<AnnotatedElement> members = new ArrayList<>(List.of(c.getDeclaredFields()));
            members.addAll(List.of(c.getDeclaredMethods()));
            for (AnnotatedElement member : members) {
                String name = member instanceof Field f ? f.getName() : propertyName((Method) member);
                UriPath path = member.getAnnotation(UriPath.class);
                UriParam param = member.getAnnotation(UriParam.class);
                if (path != null) {
                    options.add(path.name().isEmpty() ? name : path.name());
                }
                if (param != null) {
                    options.add(param.name().isEmpty() ? name : param.name());
                }
                if (member instanceof Field f && f.getType().isAnnotationPresent(UriParams.class)) {
                    options.addAll(endpointOptions(f.getType()));
                }
            }
        }
        return options;
    }

    private static String propertyName(Method setter) {
        String name = setter.getName().replaceFirst("^(set|get|is)", "");
        return name.isEmpty() ? setter.getName() : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static List<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("routes", "connectors")) {
            try (Stream<Path> list = Files.list(Path.of(dir))) {
                list.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static Stream<Row> settingRows() {
        return documented.stream().filter(row -> row.key().matches("(hub|camel|mt5)\\..+"));
    }

    private static Set<String> keysIn(String section) {
        return documented.stream().filter(row -> row.section().equals(section)).map(Row::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        String section = "";
        for (String line : lines) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                section = heading.group(1).trim();
                continue;
            }
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                rows.add(new Row(section, row.group(1).trim(), row.group(2).trim()));
            }
        }
        return rows;
    }
}
