package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.time.Instant;

import io.mt5crmhub.event.Account;

/** A login on the simulated server's books ({@code IMTUser} plus its money). Guarded by the simulator lock. */
final class SimLogin {

    final long login;
    final String clientId;
    final GroupSpec group;
    final Instant registeredAt;
    String name;
    String email;
    int leverage;
    BigDecimal balance;
    BigDecimal credit;
    long agent;
    Instant updatedAt;

    SimLogin(long login, String clientId, GroupSpec group, String name, String email, int leverage,
            BigDecimal balance, BigDecimal credit, long agent, Instant registeredAt, Instant updatedAt) {
        this.login = login;
        this.clientId = clientId;
        this.group = group;
        this.name = name;
        this.email = email;
        this.leverage = leverage;
        this.balance = balance;
        this.credit = credit;
        this.agent = agent;
        this.registeredAt = registeredAt;
        this.updatedAt = updatedAt;
    }

    String currency() {
        return group.currency();
    }

    Account toAccount() {
        return new Account(group.groupName(), name, email, leverage, currency(), balance, credit, agent, registeredAt,
                updatedAt);
    }
}
