package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.testsupport.Mt5Stub;

class NativeLibraryLoadingTest {

    private static final String KEY = "mt5.server.live1.library";

    @BeforeEach
    void resetStandIn() {
        Mt5Stub.reset();
    }

    @Test
    void loadsTheLibraryAndCreatesAManagerForTheBuildOurSlotsComeFrom() {
        ManagerLibrary library = ManagerLibrary.load(KEY, Mt5Stub.library().toString());

        assertThat(library.apiBuild()).isEqualTo(5264);
        ManagerApi manager = library.createManager();
        manager.release();
        assertThat(Mt5Stub.control().stub_requested_api_version()).isEqualTo(ApiBuildGuard.REQUIRED_BUILD);
    }

    @Test
    void refusesALibraryOlderThanTheMethodsWeCallInOneLine() {
        Mt5Stub.control().stub_set_build(1657);

        assertThatThrownBy(() -> ManagerLibrary.load(KEY, Mt5Stub.library().toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(KEY + ": ")
                .hasMessageContaining("build 1657")
                .hasMessageContaining("older than build 3661")
                .hasMessageNotContaining("\n");
    }

    @Test
    void acceptsExactlyTheRequiredBuild() {
        Mt5Stub.control().stub_set_build(ApiBuildGuard.REQUIRED_BUILD);

        assertThat(ManagerLibrary.load(KEY, Mt5Stub.library().toString()).apiBuild()).isEqualTo(3661);
    }

    @Test
    void aMissingLibraryStopsWithOneLineNamingTheKey(@TempDir Path dir) {
        String missing = dir.resolve("MT5APIManager64.dll").toString();

        assertThatThrownBy(() -> ManagerLibrary.load(KEY, missing))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + ": " + missing + " does not exist or is not a file");
    }

    @Test
    void anUnsetLibraryStopsWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> ManagerLibrary.load(KEY, " "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(KEY + " is not set");
    }

    @Test
    void aFileThatIsNoLibraryStopsWithOneLineNamingTheKeyAndTheLoaderCause(@TempDir Path dir) throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("MT5APIManager64.dll"), "not a shared object");

        assertThatThrownBy(() -> ManagerLibrary.load(KEY, notALibrary.toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(KEY + ": cannot load " + notALibrary + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aLibraryLackingAnExportStopsWithOneLineNamingTheKeyAndTheExport() {
        String other = Mt5Stub.libraryWithoutExports().toString();

        assertThatThrownBy(() -> ManagerLibrary.load(KEY, other))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + ": " + other + " lacks the export MTManagerCreateExt; is it MT5APIManager64.dll?");
    }
}
