package io.mt5crmhub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EmbeddedHub;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Apache Kamelet catalog from YAML alone: the example route of docs/examples/deals-to-postgresql-table.yaml, as
 * written, puts MT5's deals into a broker's own PostgreSQL table through the catalog's postgresql-sink; a route
 * calling a catalog Kamelet whose component the jar lacks stops the start with one line naming it.
 */
class CatalogKameletIT {

    private static final String EXAMPLE = "docs/examples/deals-to-postgresql-table.yaml";

    @TempDir
    Path dir;

    @Test
    void theExampleRoutePutsEachDealOnceIntoTheBrokersTable() throws Exception {
        Mt5Event deposit = EventSamples.deposit("acme", 1_000_001, 50001, "250.00", "crm:TX-1");
        Mt5Event buy = EventSamples.buy("acme", 1_000_002, 50002, 5_000_002, "0.50");
        // MT5 re-reads: the same events again, as after a reconnect's back-fill overlap
        Path file = EventSamples.writeJsonl(dir.resolve("acme.jsonl"), List.of(EventSamples.json(deposit),
                EventSamples.json(buy), EventSamples.json(deposit), EventSamples.json(buy)));

        try (PostgresTestDatabase db = new PostgresTestDatabase()) {
            sql(db, "CREATE TABLE acme_deals (event_id VARCHAR(200) PRIMARY KEY, type VARCHAR(40) NOT NULL,"
                    + " server VARCHAR(64) NOT NULL, login BIGINT NOT NULL, client_id VARCHAR(100), ticket BIGINT NOT NULL,"
                    + " action VARCHAR(40) NOT NULL, profit NUMERIC(20, 2) NOT NULL, occurred_at VARCHAR(40) NOT NULL)");
            try (EmbeddedHub hub = new EmbeddedHub()
                    .with("camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + EXAMPLE)
                    .replay("acme", file)
                    .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"))
                    .with("acme.db.host", "127.0.0.1")
                    .with("acme.db.name", "test?currentSchema=" + db.schema())
                    .with("acme.db.user", PostgresTestDatabase.USER)
                    .with("acme.db.password", "")
                    .start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> rows(db).size() == 2);
                var consumer = (io.mt5crmhub.component.Mt5Consumer) hub.context().getRoute("acme-deals-table")
                        .getConsumer();
                await().atMost(Duration.ofSeconds(30)).until(() -> consumer.getPendingExchangesSize() == 0
                        && hub.context().getInflightRepository().size() == 0);
            }
            assertThat(rows(db)).containsExactlyInAnyOrder(
                    List.of(deposit.eventId(), "deal.added", "acme", "50001", "1000001", "BALANCE", "250.00"),
                    List.of(buy.eventId(), "deal.added", "acme", "50002", "1000002", "BUY", "0.00"));
        }
    }

    @Test
    void aCatalogKameletWhoseComponentTheJarLacksStopsTheStartWithOneLineNamingIt() throws Exception {
        Path route = Files.writeString(dir.resolve("to-slack.yaml"), """
                - route:
                    id: deals-to-slack
                    from:
                      uri: mt5:deals
                      steps:
                        - to:
                            uri: kamelet:slack-sink
                            parameters:
                              channel: "#deals"
                              webhookUrl: "https://hooks.example/x"
                """);
        EmbeddedHub hub = new EmbeddedHub()
                .with("camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + route)
                .with("hub.db.url", "jdbc:h2:file:" + dir.resolve("hub"));
        assertThatThrownBy(hub::start).satisfies(failure -> assertThat(StartupFailures.describe(failure, "8080"))
                .isEqualTo("Kamelet slack-sink (called by route deals-to-slack) needs camel:slack, which this jar does"
                        + " not include; the Kamelets it runs are listed in"
                        + " docs/routes-and-connectors.md#the-apache-kamelet-catalog"));
        hub.close();
    }

    private static void sql(PostgresTestDatabase db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<List<String>> rows(PostgresTestDatabase db) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT event_id, type, server, login, ticket, action, profit"
                        + " FROM acme_deals")) {
            while (r.next()) {
                rows.add(List.of(r.getString(1), r.getString(2), r.getString(3), Long.toString(r.getLong(4)),
                        Long.toString(r.getLong(5)), r.getString(6), r.getBigDecimal(7).setScale(2).toPlainString()));
            }
        }
        return rows;
    }
}
