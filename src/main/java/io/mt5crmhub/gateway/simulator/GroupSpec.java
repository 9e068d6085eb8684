package io.mt5crmhub.gateway.simulator;

/** The MT5 groups of the simulated server: account currency and margin mode (hedging or netting). */
enum GroupSpec {
    REAL_USD("real\\usd", "USD", true, true),
    REAL_EUR("real\\eur", "EUR", true, true),
    REAL_NETTING("real\\netting", "USD", false, true),
    DEMO_USD("demo\\usd", "USD", true, false),
    DEMO_EUR("demo\\eur", "EUR", true, false);

    private final String groupName;
    private final String currency;
    private final boolean hedging;
    private final boolean real;

    GroupSpec(String groupName, String currency, boolean hedging, boolean real) {
        this.groupName = groupName;
        this.currency = currency;
        this.hedging = hedging;
        this.real = real;
    }

    String groupName() {
        return groupName;
    }

    String currency() {
        return currency;
    }

    boolean hedging() {
        return hedging;
    }

    boolean real() {
        return real;
    }

    static GroupSpec ofName(String name) {
        for (GroupSpec group : values()) {
            if (group.groupName.equals(name)) {
                return group;
            }
        }
        throw new IllegalArgumentException("unknown simulator group '" + name + "'");
    }
}
