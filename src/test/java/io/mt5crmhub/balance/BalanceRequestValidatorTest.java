package io.mt5crmhub.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a balance request can be wrong gets its status and names the field at fault. */
class BalanceRequestValidatorTest {

    private final BalanceRequestValidator validator = new BalanceRequestValidator(Set.of("sim", "live1"),
            (server, login) -> login == 777 ? Optional.of("JPY") : login == 888 ? Optional.of("USD") : Optional.empty());

    @Test
    void aValidRequestIsRead() throws Exception {
        BalanceRequest r = validator.parse("{\"crmTxnId\":\"TX-1001\",\"server\":\"sim\",\"login\":50012,"
                + "\"type\":\"DEPOSIT\",\"amount\":\"250.00\",\"comment\":\"optional\"}");

        assertThat(r.crmTxnId()).isEqualTo("TX-1001");
        assertThat(r.server()).isEqualTo("sim");
        assertThat(r.login()).isEqualTo(50012);
        assertThat(r.type()).isEqualTo(BalanceType.DEPOSIT);
        assertThat(r.amount()).isEqualByComparingTo("250.00");
        assertThat(r.comment()).isEqualTo("optional");
    }

    @Test
    void anAmountMayBeAJsonNumberReadExactly() throws Exception {
        BalanceRequest r = validator.parse("{\"crmTxnId\":\"a\",\"server\":\"sim\",\"login\":1,\"type\":\"BONUS\","
                + "\"amount\":0.1}");
        assertThat(r.amount().toPlainString()).isEqualTo("0.1");
    }

    @Test
    void aCorrectionMayBeNegative() throws Exception {
        BalanceRequest r = validator.parse("{\"crmTxnId\":\"c\",\"server\":\"sim\",\"login\":1,\"type\":\"CORRECTION\","
                + "\"amount\":\"-12.50\"}");
        assertThat(r.type().mt5Amount(r.amount())).isEqualByComparingTo("-12.50");
    }

    @Test
    void typesMapToMt5ActionsWithTheirSign() {
        assertThat(BalanceType.WITHDRAWAL.action().name()).isEqualTo("BALANCE");
        assertThat(BalanceType.WITHDRAWAL.mt5Amount(new java.math.BigDecimal("5"))).isEqualByComparingTo("-5");
        assertThat(BalanceType.DEPOSIT.mt5Amount(new java.math.BigDecimal("5"))).isEqualByComparingTo("5");
        assertThat(BalanceType.CREDIT_OUT.action().name()).isEqualTo("CREDIT");
        assertThat(BalanceType.CREDIT_OUT.mt5Amount(new java.math.BigDecimal("5"))).isEqualByComparingTo("-5");
        assertThat(BalanceType.CREDIT_IN.action().name()).isEqualTo("CREDIT");
        assertThat(BalanceType.BONUS.action().name()).isEqualTo("BONUS");
        assertThat(BalanceType.CORRECTION.action().name()).isEqualTo("CORRECTION");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                  | {"crmTxnId":                                                                          | 400 |
            not an object             | ["TX-1"]                                                                              | 400 |
            trailing garbage          | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1"} x            | 400 |
            unknown field             | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1","currency":"USD"} | 400 | currency
            repeated field            | {"crmTxnId":"T","crmTxnId":"U","server":"sim","login":1,"type":"DEPOSIT","amount":"1"} | 400 | crmTxnId
            id missing                | {"server":"sim","login":1,"type":"DEPOSIT","amount":"1"}                              | 422 | crmTxnId
            id empty                  | {"crmTxnId":"","server":"sim","login":1,"type":"DEPOSIT","amount":"1"}                | 422 | crmTxnId
            id too long               | {"crmTxnId":"12345678901234567890123456789012345678901234567890123456789012345","server":"sim","login":1,"type":"DEPOSIT","amount":"1"} | 422 | crmTxnId
            id unsafe characters      | {"crmTxnId":"TX 1/2","server":"sim","login":1,"type":"DEPOSIT","amount":"1"}          | 422 | crmTxnId
            id a number               | {"crmTxnId":1001,"server":"sim","login":1,"type":"DEPOSIT","amount":"1"}              | 422 | crmTxnId
            server unknown            | {"crmTxnId":"T","server":"nope","login":1,"type":"DEPOSIT","amount":"1"}              | 422 | server
            server missing            | {"crmTxnId":"T","login":1,"type":"DEPOSIT","amount":"1"}                              | 422 | server
            login zero                | {"crmTxnId":"T","server":"sim","login":0,"type":"DEPOSIT","amount":"1"}               | 422 | login
            login negative            | {"crmTxnId":"T","server":"sim","login":-5,"type":"DEPOSIT","amount":"1"}              | 422 | login
            login a string            | {"crmTxnId":"T","server":"sim","login":"50012","type":"DEPOSIT","amount":"1"}         | 422 | login
            login a fraction          | {"crmTxnId":"T","server":"sim","login":1.5,"type":"DEPOSIT","amount":"1"}             | 422 | login
            login too large           | {"crmTxnId":"T","server":"sim","login":99999999999999999999,"type":"DEPOSIT","amount":"1"} | 422 | login
            type unknown              | {"crmTxnId":"T","server":"sim","login":1,"type":"TRANSFER","amount":"1"}              | 422 | type
            type lower case           | {"crmTxnId":"T","server":"sim","login":1,"type":"deposit","amount":"1"}               | 422 | type
            amount missing            | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT"}                            | 422 | amount
            amount zero               | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"0.00"}            | 422 | amount
            amount negative           | {"crmTxnId":"T","server":"sim","login":1,"type":"WITHDRAWAL","amount":"-5"}           | 422 | amount
            amount above 1e9          | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1000000000.01"}   | 422 | amount
            amount not a number       | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"ten"}             | 422 | amount
            amount exponent string    | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1e3"}             | 422 | amount
            amount three decimals     | {"crmTxnId":"T","server":"sim","login":888,"type":"DEPOSIT","amount":"1.005"}         | 422 | amount
            amount decimals for JPY   | {"crmTxnId":"T","server":"sim","login":777,"type":"DEPOSIT","amount":"100.5"}         | 422 | amount
            amount a boolean          | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":true}              | 422 | amount
            correction zero           | {"crmTxnId":"T","server":"sim","login":1,"type":"CORRECTION","amount":"0"}            | 422 | amount
            comment too long          | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1","comment":"%s"} | 422 | comment
            comment a number          | {"crmTxnId":"T","server":"sim","login":1,"type":"DEPOSIT","amount":"1","comment":5}   | 422 | comment
            """)
    void anInvalidRequestIsRefusedNamingTheField(String name, String body, int status, String field) {
        String json = body.replace("%s", "c".repeat(257));
        assertThatThrownBy(() -> validator.parse(json))
                .isInstanceOfSatisfying(InvalidBalanceRequestException.class, e -> {
                    assertThat(e.status()).as(name).isEqualTo(status);
                    assertThat(e.field()).as(name).isEqualTo(field);
                    if (field != null) {
                        assertThat(e.getMessage()).as(name).contains(field);
                    }
                });
    }

    @Test
    void trailingZerosBeyondTheCurrencyDigitsAreTheSameAmount() throws Exception {
        assertThat(validator.parse("{\"crmTxnId\":\"T\",\"server\":\"sim\",\"login\":777,\"type\":\"DEPOSIT\","
                + "\"amount\":\"100.00\"}").amount()).isEqualByComparingTo("100");
    }

    @Test
    void referencesFitMt5sCommentAndMapBack() {
        assertThat(BalanceReference.of("TX-1001")).isEqualTo("crm:TX-1001");
        assertThat(BalanceReference.of("a".repeat(27))).hasSize(31).startsWith("crm:");
        String hashed = BalanceReference.of("a".repeat(28)); // "crm:" + 28 would be cut by the Manager API DLL
        assertThat(hashed).hasSize(26).startsWith("crm#").isEqualTo(BalanceReference.of("a".repeat(28)));
        assertThat(BalanceReference.of("b".repeat(64))).isNotEqualTo(BalanceReference.of("c".repeat(64)))
                .hasSizeLessThanOrEqualTo(31);
    }
}
