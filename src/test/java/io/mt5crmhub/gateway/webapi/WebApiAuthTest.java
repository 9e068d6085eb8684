package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The authentication arithmetic pinned to a worked example computed independently with Python's hashlib:
 * <pre>
 * import hashlib
 * ph = hashlib.md5(hashlib.md5("Pa55w0rd!".encode("utf-16-le")).digest() + b"WebAPI").digest()
 * ph.hex()                                                                    # 2d82b9cc2de9d6e3c3a9cf1d5f9e9891
 * hashlib.md5(ph + bytes.fromhex("3a0b5c7d9e1f20314253647586970a1b")).hexdigest()  # e17464782ffea4dd8d227ad80e35429f
 * hashlib.md5(ph + bytes.fromhex("00112233445566778899aabbccddeeff")).hexdigest()  # d4cb7f3f7ba44008da298290ee406a64
 * hashlib.md5(hashlib.md5("Пароль1".encode("utf-16-le")).digest() + b"WebAPI").hexdigest()
 *                                                                             # b7d9d02c7211f531ea3499d166944851
 * </pre>
 */
class WebApiAuthTest {

    private static final String PASSWORD = "Pa55w0rd!";
    private static final String SRV_RAND = "3a0b5c7d9e1f20314253647586970a1b";
    private static final String CLI_RAND = "00112233445566778899aabbccddeeff";

    @Test
    void passwordHashIsMd5OfTheUtf16leDigestAndTheWebApiSalt() {
        assertThat(hex(WebApiAuth.passwordHash(PASSWORD))).isEqualTo("2d82b9cc2de9d6e3c3a9cf1d5f9e9891");
        assertThat(hex(WebApiAuth.passwordHash("Пароль1"))).isEqualTo("b7d9d02c7211f531ea3499d166944851");
    }

    @Test
    void answersHashThePasswordHashWithTheRawBytesOfTheChallenge() {
        byte[] hash = WebApiAuth.passwordHash(PASSWORD);

        assertThat(WebApiAuth.answer(hash, SRV_RAND)).isEqualTo("e17464782ffea4dd8d227ad80e35429f");
        assertThat(WebApiAuth.answer(hash, CLI_RAND)).isEqualTo("d4cb7f3f7ba44008da298290ee406a64");
        assertThat(WebApiAuth.answer(hash, SRV_RAND.toUpperCase())).as("hex case does not matter")
                .isEqualTo("e17464782ffea4dd8d227ad80e35429f");
    }

    @Test
    void verifyAcceptsOnlyTheRightAnswer() {
        byte[] hash = WebApiAuth.passwordHash(PASSWORD);

        assertThat(WebApiAuth.verify(hash, CLI_RAND, "d4cb7f3f7ba44008da298290ee406a64")).isTrue();
        assertThat(WebApiAuth.verify(hash, CLI_RAND, "D4CB7F3F7BA44008DA298290EE406A64")).isTrue();
        assertThat(WebApiAuth.verify(hash, CLI_RAND, "e17464782ffea4dd8d227ad80e35429f")).isFalse();
        assertThat(WebApiAuth.verify(WebApiAuth.passwordHash("pa55w0rd!"), CLI_RAND,
                "d4cb7f3f7ba44008da298290ee406a64")).isFalse();
        assertThat(WebApiAuth.verify(hash, CLI_RAND, null)).isFalse();
    }

    @Test
    void hashingHexTextInsteadOfRawDigestsGivesADifferentAnswer() throws Exception {
        // the documented pitfall (servers answer 403): MD5 over the hex string of the inner digest
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        String innerHex = hex(md5.digest(PASSWORD.getBytes(StandardCharsets.UTF_16LE)));
        byte[] wrongHash = md5.digest((innerHex + "WebAPI").getBytes(StandardCharsets.US_ASCII));

        assertThat(WebApiAuth.answer(wrongHash, SRV_RAND)).isNotEqualTo("e17464782ffea4dd8d227ad80e35429f");
    }

    @Test
    void aChallengeThatIsNotHexIsRejected() {
        assertThatThrownBy(() -> WebApiAuth.answer(WebApiAuth.passwordHash(PASSWORD), "not-hex"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not hex");
    }

    @Test
    void randomChallengesAre16BytesOfHex() {
        String a = WebApiAuth.randomHex();
        assertThat(a).matches("[0-9a-f]{32}").isNotEqualTo(WebApiAuth.randomHex());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
