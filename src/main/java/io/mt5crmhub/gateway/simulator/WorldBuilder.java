package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealReason;

/**
 * Creates the population of the simulated server: CRM clients {@code C-1001}, {@code C-1002}, ... each owning
 * one or more logins, and later new logins for existing clients. Every eighth client is an introducing broker:
 * its first login (in real\\usd) is the agent of some real logins of other clients.
 */
final class WorldBuilder {

    private static final String[] FIRST_NAMES = { "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Grace",
        "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maria", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara",
        "Umar", "Vera", "Wei", "Yara", "Zoe" };
    private static final String[] LAST_NAMES = { "Alvarez", "Becker", "Costa", "Dubois", "Evans", "Fischer",
        "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lambert", "Moreau", "Nowak", "Okafor", "Petrov",
        "Rossi", "Schmidt", "Tanaka", "Weber" };
    private static final int IB_EVERY = 8;
    private static final int FIRST_CLIENT = 1001;

    private final Books books;
    private final TradeDesk desk;

    WorldBuilder(Books books, TradeDesk desk) {
        this.books = books;
        this.desk = desk;
    }

    /** The fresh world: {@code clients} clients with 1..{@code maxLogins} logins each, all funded. */
    void create(BookTransaction tx, int clients, int maxLogins, SplittableRandom random) {
        for (int i = 0; i < clients; i++) {
            String clientId = "C-" + (FIRST_CLIENT + i);
            String name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " "
                    + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
            int logins = 1 + random.nextInt(maxLogins);
            for (int j = 0; j < logins; j++) {
                addLogin(tx, clientId, name, j == 0, random);
                tx.flushAccounts();
            }
        }
    }

    /** Opens one more login for an existing client: account.added, its first deposit, account.updated. */
    SimLogin addLogin(BookTransaction tx, String clientId, String name, boolean firstOfClient, SplittableRandom random) {
        boolean ib = firstOfClient && isIbClient(clientId);
        GroupSpec group = ib ? GroupSpec.REAL_USD : pickGroup(firstOfClient, random);
        long number = books.takeLoginNumber();
        SimLogin login = new SimLogin(number, clientId, group, name, email(name, clientId, number),
                pickLeverage(group, random), TradeMath.ZERO, TradeMath.ZERO, ib ? 0 : pickAgent(group, clientId, random),
                tx.time(), tx.time());
        tx.accountAdded(login);
        tx.balanceDeal(login, DealAction.BALANCE, initialDeposit(group, ib, random), DealReason.DEALER,
                "Initial deposit");
        return login;
    }

    private static boolean isIbClient(String clientId) {
        return (Integer.parseInt(clientId.substring(2)) - FIRST_CLIENT) % IB_EVERY == 0;
    }

    private static GroupSpec pickGroup(boolean firstOfClient, SplittableRandom random) {
        if (!firstOfClient) {
            return GroupSpec.values()[random.nextInt(GroupSpec.values().length)];
        }
        int roll = random.nextInt(100);
        if (roll < 45) {
            return GroupSpec.REAL_USD;
        } else if (roll < 65) {
            return GroupSpec.REAL_EUR;
        } else if (roll < 77) {
            return GroupSpec.REAL_NETTING;
        } else if (roll < 90) {
            return GroupSpec.DEMO_USD;
        }
        return GroupSpec.DEMO_EUR;
    }

    static int pickLeverage(GroupSpec group, SplittableRandom random) {
        int[] choices = leverages(group);
        return choices[random.nextInt(choices.length)];
    }

    static int[] leverages(GroupSpec group) {
        return switch (group) {
            case REAL_EUR -> new int[] { 30, 30, 100 };
            case REAL_NETTING -> new int[] { 50, 100 };
            case REAL_USD -> new int[] { 100, 200, 500 };
            case DEMO_USD, DEMO_EUR -> new int[] { 100, 500 };
        };
    }

    /** Some real logins were brought by an IB of another client. */
    private long pickAgent(GroupSpec group, String clientId, SplittableRandom random) {
        if (!group.real() || random.nextInt(100) >= 35) {
            return 0;
        }
        List<Long> agents = new ArrayList<>();
        for (int client = FIRST_CLIENT; ; client += IB_EVERY) {
            List<SimLogin> ibLogins = books.loginsOf("C-" + client);
            if (ibLogins.isEmpty()) {
                break;
            }
            if (!ibLogins.get(0).clientId.equals(clientId)) {
                agents.add(ibLogins.get(0).login);
            }
        }
        return agents.isEmpty() ? 0 : agents.get(random.nextInt(agents.size()));
    }

    private static BigDecimal initialDeposit(GroupSpec group, boolean ib, SplittableRandom random) {
        if (ib) {
            return new BigDecimal("1000.00");
        }
        if (!group.real()) {
            return new BigDecimal(random.nextBoolean() ? "10000.00" : "100000.00");
        }
        int units = random.nextInt(100) < 85 ? 200 + 50 * random.nextInt(60) : 5000 + 1000 * random.nextInt(46);
        return TradeMath.money(BigDecimal.valueOf(units));
    }

    static String email(String name, String clientId, long login) {
        return name.toLowerCase(Locale.ROOT).replace(' ', '.') + "." + clientId.substring(2) + "." + login
                + "@example.com";
    }
}
