package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import io.mt5crmhub.config.ConfigurationException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which Kamelets the jar can run, decided before any route starts, from what each Kamelet declares. */
class KameletRequirementsTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    KameletRequirementsTest() {
        Properties properties = new Properties();
        properties.setProperty("camel.component.kamelet.location", "file:connectors,classpath:kamelets");
        context.getPropertiesComponent().setInitialProperties(properties);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private void routeTo(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("events-out").to(uri);
            }
        });
    }

    @Test
    void theCatalogSinksTheJarCarriesPass() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("kamelet:http-sink?url=http://crm.example/events");
                from("direct:b").to("kamelet:postgresql-sink?serverName=db&databaseName=crm&username=u&password=p"
                        + "&query=SELECT 1");
                from("direct:c").to("kamelet:spring-rabbitmq-sink?host=h&port=5672&exchangeName=x");
                from("direct:d").to("kamelet:crm-rest-sink/crm?url=http://crm.example");
            }
        });
        assertThatCode(() -> KameletRequirements.check(context)).doesNotThrowAnyException();
        assertThat(KameletRequirements.kameletsCalled(context)).containsOnlyKeys("http-sink", "postgresql-sink",
                "spring-rabbitmq-sink", "crm-rest-sink");
    }

    @Test
    void aKameletWhoseComponentIsMissingIsNamedWithTheRouteCallingIt() throws Exception {
        routeTo("kamelet:salesforce-create-sink?sObjectName=Account");
        assertThatThrownBy(() -> KameletRequirements.check(context)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Kamelet salesforce-create-sink (called by route events-out) needs camel:salesforce,"
                        + " which this jar does not include");
    }

    @Test
    void aJdbcDriverNoKameletDeclaresIsFoundMissingBeforeTheFirstEvent() throws Exception {
        routeTo("kamelet:mariadb-sink?serverName=db&databaseName=crm&username=u&password=p&query=SELECT 1");
        assertThatThrownBy(() -> KameletRequirements.check(context)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("needs the JDBC driver org.mariadb.jdbc.Driver");
    }

    @Test
    void theKameletsNameIsTakenFromItsUriAndTheTemplatesOwnEndsAreNone() {
        assertThat(KameletRequirements.kameletName("kamelet:source")).isEmpty();
        assertThat(KameletRequirements.kameletName("kamelet:sink")).isEmpty();
        assertThat(KameletRequirements.kameletName("kamelet://http-sink/out?url=x")).contains("http-sink");
        assertThat(KameletRequirements.kameletName("kamelet:http-sink?url=x")).contains("http-sink");
        assertThat(KameletRequirements.kameletName("direct:x")).isEmpty();
    }

    @Test
    void aKameletThatDoesNotExistIsLeftToCamelsOwnError() throws Exception {
        routeTo("kamelet:no-such-sink");
        assertThatCode(() -> KameletRequirements.check(context)).doesNotThrowAnyException();
    }
}
