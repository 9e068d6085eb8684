package io.mt5crmhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
