package io.mt5crmhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mt5crmhub.bench.NativeBench.Burst;
import io.mt5crmhub.bench.NativeBench.Probe;
import io.mt5crmhub.testsupport.Mt5Stub;

/**
 * The bench's NATIVE part runs only on the stand-in, says in one line why it is skipped otherwise, and delivers
 * every deal of its bursts on both sides. No figure is asserted: speed comes from the bench command itself.
 */
class NativeBenchTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheOptionThePartIsSkippedInOneLine() throws Exception {
        assertThat(NativeBench.probe("").skipped()).startsWith("no --native-library given")
                .contains("target/native/libmt5stub.so");

        String printed = run("", 100);
        assertThat(printed.lines()).singleElement().asString().startsWith("native: skipped, no --native-library");
    }

    @Test
    void aMissingFileOrOneThatIsNoLibraryIsSkippedSayingSo() throws Exception {
        assertThat(NativeBench.probe(dir.resolve("absent.so").toString()).skipped()).endsWith(
                "absent.so does not exist or is not a file");

        Path text = Files.writeString(dir.resolve("text.so"), "not a library");
        assertThat(NativeBench.probe(text.toString()).skipped()).startsWith("cannot load " + text);
    }

    @Test
    void aLibraryWithoutTheControlExportsIsSkippedNamingThem() throws Exception {
        String library = Mt5Stub.libraryWithoutExports().toString();

        Probe probe = NativeBench.probe(library);

        assertThat(probe.control()).isNull();
        assertThat(probe.skipped()).startsWith(library + " lacks the stand-in's control exports (")
                .contains(NativeBench.controlExports());
        assertThat(run(library, 100).lines()).singleElement().asString()
                .startsWith("native: skipped, " + library + " lacks");
    }

    @Test
    void theStandInIsDrivenOnBothSidesAndEachBurstArrivesWhole() throws Exception {
        assertThat(NativeBench.probe(Mt5Stub.library().toString()).control()).isNotNull();

        String printed = run(Mt5Stub.library().toString(), 500);

        assertThat(printed).contains("measured native reference, a bare JNA callback reading each deal: ")
                .contains("measured native gateway as shipped, to a listener that counts: ")
                .contains("gateway/reference: ");
        assertThat(Mt5Stub.violationCount()).as(Mt5Stub.lastViolation()).isZero();
        assertThat(Mt5Stub.trapCount()).as(Mt5Stub.lastTrap()).isZero();
        Mt5Stub.reset();
    }

    @Test
    void theTablePutsTheGatewayBesideTheReference() {
        String table = NativeBench.table(new Burst(100_000, 1.0), new Burst(100_000, 2.5));

        assertThat(table).contains("100,000 deals timed")
                .containsPattern("reference: bare JNA callback, reads each deal +100,000 +10\\.00")
                .containsPattern("native gateway as shipped, listener counts +40,000 +25\\.00")
                .contains("gateway/reference: 0.40 of the reference's deals/s (2.50× its µs per deal)");
    }

    private static String run(String library, int deals) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NativeBench.run(library, deals, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
