package io.mt5crmhub.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * How every handler of the hub's HTTP API answers: JSON bodies, errors as {@code {"error":"...","field":"..."}},
 * none of the request's headers echoed back (the Authorization header above all), 401 without a valid key.
 */
public final class ApiAnswers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiAnswers() {
    }

    /** True when the request carries a configured key; otherwise answers 401 and returns false. */
    public static boolean authorised(Exchange exchange, ApiKeys keys) {
        if (keys.allows(exchange.getMessage().getHeader("Authorization", String.class))) {
            return true;
        }
        respond(exchange, 401, error("a valid API key is required: Authorization: Bearer <key>", null));
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        return false;
    }

    public static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            exchange.getMessage().setBody(MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an API answer as JSON: " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> error(String message, String field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (field != null) {
            m.put("field", field);
        }
        return m;
    }
}
