package io.mt5crmhub.balance;

/**
 * A balance request the hub refuses before storing it: 400 when the body is not a JSON object of the documented
 * fields (malformed JSON, an unknown or repeated field), 422 when a field's value is wrong. {@code field} names the
 * field at fault, or is null when the body as a whole is.
 */
public class InvalidBalanceRequestException extends Exception {

    private final int status;
    private final String field;

    public InvalidBalanceRequestException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
