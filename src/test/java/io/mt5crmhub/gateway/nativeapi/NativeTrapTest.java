package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Pointer;

import io.mt5crmhub.testsupport.Mt5Stub;
import io.mt5crmhub.testsupport.NativeTrapProbe;

/** A slot the stand-in does not implement must fail loudly, naming the interface and the slot. */
class NativeTrapTest {

    private static final int SLOT_NOT_IMPLEMENTED = 400; // ClientRequest
    private static final int DEAL_CREATE = 98;
    private static final int DEAL_PRINT = 3;

    @BeforeEach
    void resetStandIn() {
        Mt5Stub.reset();
    }

    @Test
    void aTrapInRecordingModeNamesTheManagerSlotAndAnswers2() {
        Mt5Stub.control().stub_set_trap_aborts(0);
        ManagerApi manager = ManagerLibrary.load("k", Mt5Stub.library().toString()).createManager();
        try {
            assertThat(manager.object().callInt(SLOT_NOT_IMPLEMENTED)).isEqualTo(2);
            assertThat(Mt5Stub.trapCount()).isEqualTo(1);
            assertThat(Mt5Stub.lastTrap()).isEqualTo("IMTManagerAPI slot 400");
        } finally {
            manager.release();
        }
    }

    @Test
    void aTrapNamesTheInterfaceOfTheObjectItWasCalledOn() {
        Mt5Stub.control().stub_set_trap_aborts(0);
        ManagerApi manager = ManagerLibrary.load("k", Mt5Stub.library().toString()).createManager();
        Pointer deal = manager.object().callPointer(DEAL_CREATE);
        try {
            new ComObject(deal).callPointer(DEAL_PRINT, Pointer.NULL);
            assertThat(Mt5Stub.lastTrap()).isEqualTo("IMTDeal slot 3");
        } finally {
            new ComObject(deal).callVoid(0);
            manager.release();
        }
    }

    @Test
    void byDefaultATrapAbortsTheProcessWithOneLineNamingTheSlot(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process probe = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + dir.resolve("hs_err.log"),
                "-cp", System.getProperty("java.class.path"),
                NativeTrapProbe.class.getName(), Mt5Stub.library().toAbsolutePath().toString(),
                String.valueOf(SLOT_NOT_IMPLEMENTED)))
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM ended").isTrue();
        } finally {
            probe.destroyForcibly();
        }

        assertThat(probe.exitValue()).as("exit code (134 = SIGABRT)").isEqualTo(134);
        assertThat(Files.readString(stderr, StandardCharsets.UTF_8))
                .contains("mt5stub: TRAP: IMTManagerAPI slot 400 is not implemented by the stand-in; aborting");
        assertThat(Files.readString(dir.resolve("stdout.txt"))).doesNotContain("the call returned");
    }
}
