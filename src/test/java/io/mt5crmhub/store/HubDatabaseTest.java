package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import io.mt5crmhub.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings the hub adds to an H2 URL, and that a URL's own settings win. */
class HubDatabaseTest {

    @Test
    void anH2UrlGetsTheHubsCachesAndStaysOpenUntilTheHubClosesIt() {
        assertThat(HubDatabase.tunedUrl("jdbc:h2:file:./data/hub"))
                .isEqualTo("jdbc:h2:file:./data/hub;CACHE_SIZE=65536;QUERY_CACHE_SIZE=32;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void settingsTheUrlGivesAreKept() {
        assertThat(HubDatabase.tunedUrl("jdbc:h2:file:./data/hub;cache_size=1024"))
                .isEqualTo("jdbc:h2:file:./data/hub;cache_size=1024;QUERY_CACHE_SIZE=32;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        assertThat(HubDatabase.tunedUrl("jdbc:postgresql://127.0.0.1:5432/test"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    }

    @Test
    void anH2UserWithoutAdminRightsIsRefusedAtStartInOneLine(@TempDir Path dir) throws Exception {
        // the settings the hub adds to the URL, and the CHECKPOINT after each balance change, need them
        String url = "jdbc:h2:file:" + dir.resolve("hub");
        HubDatabase.open(new StoreSettings(url, "sa", "", 2, Duration.ZERO)).close(); // made and migrated by its admin
        try (Connection admin = DriverManager.getConnection(url, "sa", ""); Statement s = admin.createStatement()) {
            s.execute("CREATE USER clerk PASSWORD 'clerk-pw'");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO clerk");
        }

        assertThatThrownBy(() -> HubDatabase.open(new StoreSettings(url, "clerk", "clerk-pw", 2, Duration.ZERO)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("hub.db.url='" + url + "': cannot connect: Admin rights are required")
                .hasMessageNotContaining("clerk-pw");
    }
}
