package io.mt5crmhub.balance;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mt5crmhub.api.ApiAnswers;

/** The JSON the hub shows of a balance operation (API answers and outcome events). Money as decimal strings. */
public final class BalanceJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private BalanceJson() {
    }

    public static Map<String, Object> operation(BalanceOperation op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("crmTxnId", op.crmTxnId());
        m.put("server", op.server());
        m.put("login", op.login());
        m.put("type", op.type().name());
        m.put("amount", op.amount().toPlainString());
        m.put("comment", op.comment());
        m.put("state", op.state().name());
        m.put("reference", op.reference());
        m.put("dealTicket", op.dealTicket());
        m.put("retcode", op.retcode());
        m.put("reason", op.reason());
        m.put("createdAt", op.createdAt().toString());
        m.put("updatedAt", op.updatedAt().toString());
        return m;
    }

    public static Map<String, Object> error(String message, String field) {
        return ApiAnswers.error(message, field);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
