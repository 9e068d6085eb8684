package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.event.PositionAction;

/**
 * The traders, dealers and back office of the simulated server. One generated action is: the market ticks,
 * the server fires SL/TP and stop-outs, then one activity picked by weight happens. An activity that is not
 * possible right now (nobody has a position to close, the login cannot afford the trade) falls back to opening
 * a trade, and failing that to a deposit, so every action changes something.
 * <p>
 * All randomness comes from the action's own generator and all candidates come from ordered collections, so
 * an action depends only on the seed, its number and the books before it.
 */
final class ActivityGenerator {

    private static final int MAX_POSITIONS_PER_LOGIN = 8;
    private static final BigDecimal MAX_LOTS = new BigDecimal("50.00");

    enum Activity {
        OPEN(24), CLOSE(10), PARTIAL_CLOSE(6), CLOSE_BY(4), MODIFY_SL_TP(8), MARK_TO_MARKET(10), DEPOSIT(10),
        WITHDRAWAL(6), CREDIT_IN(3), CREDIT_OUT(2), BONUS(3), FEE(3), NEW_LOGIN(2), PROFILE(3);

        final int weight;

        Activity(int weight) {
            this.weight = weight;
        }
    }

    private static final int TOTAL_WEIGHT;

    static {
        int total = 0;
        for (Activity activity : Activity.values()) {
            total += activity.weight;
        }
        TOTAL_WEIGHT = total;
    }

    private final Books books;
    private final TradeDesk desk;
    private final TradeMath math;
    private final WorldBuilder world;
    private final int maxLoginsPerClient;

    ActivityGenerator(Books books, TradeDesk desk, WorldBuilder world, int maxLoginsPerClient) {
        this.books = books;
        this.desk = desk;
        this.math = desk.math();
        this.world = world;
        this.maxLoginsPerClient = maxLoginsPerClient;
    }

    void perform(BookTransaction tx, SplittableRandom random) {
        books.market.tick(random);
        desk.runTriggers(tx);
        Activity activity = pick(random);
        if (!run(activity, tx, random) && !run(Activity.OPEN, tx, random)) {
            run(Activity.DEPOSIT, tx, random);
        }
    }

    private static Activity pick(SplittableRandom random) {
        int roll = random.nextInt(TOTAL_WEIGHT);
        for (Activity activity : Activity.values()) {
            roll -= activity.weight;
            if (roll < 0) {
                return activity;
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    private boolean run(Activity activity, BookTransaction tx, SplittableRandom random) {
        return switch (activity) {
            case OPEN -> open(tx, random);
            case CLOSE -> close(tx, random);
            case PARTIAL_CLOSE -> partialClose(tx, random);
            case CLOSE_BY -> closeBy(tx, random);
            case MODIFY_SL_TP -> modify(tx, random);
            case MARK_TO_MARKET -> markToMarket(tx, random);
            case DEPOSIT -> deposit(tx, random);
            case WITHDRAWAL -> withdraw(tx, random);
            case CREDIT_IN -> creditIn(tx, random);
            case CREDIT_OUT -> creditOut(tx, random);
            case BONUS -> bonus(tx, random);
            case FEE -> fee(tx, random);
            case NEW_LOGIN -> newLogin(tx, random);
            case PROFILE -> profile(tx, random);
        };
    }

    private boolean open(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        if (login.balance.signum() <= 0 || books.positionsOf(login.login).size() >= MAX_POSITIONS_PER_LOGIN) {
            return false;
        }
        SymbolSpec symbol = any(List.of(SymbolSpec.values()), random);
        SimPosition netted = login.group.hedging() ? null : desk.nettingPosition(login, symbol);
        PositionAction side = random.nextBoolean() ? PositionAction.BUY : PositionAction.SELL;
        BigDecimal volume;
        if (netted != null && random.nextInt(100) < 60) {
            // a netting trader works against the position: part of it, all of it, or past it (a reversal)
            side = netted.action.opposite();
            volume = TradeMath.lots(netted.volume.multiply(fraction(random, 0.3, 2.0))).max(TradeMath.LOT_STEP);
        } else {
            volume = sizeByMargin(login, symbol, side, random);
        }
        if (volume == null) {
            return false;
        }
        BigDecimal price = books.market.openPrice(symbol, side);
        BigDecimal sl = random.nextInt(100) < 40 ? stopLevel(symbol, side, price, random, true) : null;
        BigDecimal tp = random.nextInt(100) < 40 ? stopLevel(symbol, side, price, random, false) : null;
        DealReason reason = tradingReason(random);
        return desk.trade(tx, login, symbol, side, volume, reason, sl, tp,
                reason == DealReason.EXPERT ? "expert " + (1000 + random.nextInt(9000)) : "");
    }

    /** Volume whose margin uses a slice of the free margin; some logins trade far bigger than is wise. */
    private BigDecimal sizeByMargin(SimLogin login, SymbolSpec symbol, PositionAction side, SplittableRandom random) {
        BigDecimal free = math.freeMargin(books, login);
        if (free.signum() <= 0) {
            return null;
        }
        boolean reckless = login.login % 5 == 0;
        BigDecimal slice = free.multiply(reckless ? fraction(random, 0.1, 0.7) : fraction(random, 0.02, 0.25));
        BigDecimal perLot = math.margin(symbol, side, BigDecimal.ONE, login.currency(), login.leverage);
        BigDecimal volume = TradeMath.lots(slice.divide(perLot, MathContext.DECIMAL64)).min(MAX_LOTS);
        return volume.signum() > 0 ? volume : null;
    }

    private BigDecimal stopLevel(SymbolSpec symbol, PositionAction side, BigDecimal price, SplittableRandom random,
            boolean stopLoss) {
        BigDecimal distance = price.multiply(fraction(random, 0.001, 0.008));
        boolean below = (side == PositionAction.BUY) == stopLoss;
        return symbol.round(below ? price.subtract(distance) : price.add(distance));
    }

    private boolean close(BookTransaction tx, SplittableRandom random) {
        SimPosition position = anyPosition(random);
        if (position == null) {
            return false;
        }
        desk.close(tx, position, position.volume, tradingReason(random), "");
        return true;
    }

    private boolean partialClose(BookTransaction tx, SplittableRandom random) {
        SimPosition position = anyPosition(random);
        if (position == null || position.volume.compareTo(new BigDecimal("0.02")) < 0) {
            return false;
        }
        BigDecimal part = TradeMath.lots(position.volume.multiply(fraction(random, 0.2, 0.8)))
                .max(TradeMath.LOT_STEP).min(position.volume.subtract(TradeMath.LOT_STEP));
        desk.close(tx, position, part, tradingReason(random), "");
        return true;
    }

    /** Closes a hedge with close-by; without one to close, a hedging trader opens one instead. */
    private boolean closeBy(BookTransaction tx, SplittableRandom random) {
        List<Long> holders = books.loginsWithPositions();
        if (holders.isEmpty()) {
            return false;
        }
        int start = random.nextInt(holders.size());
        for (int i = 0; i < holders.size(); i++) {
            SimLogin login = books.login(holders.get((start + i) % holders.size()));
            if (!login.group.hedging()) {
                continue;
            }
            for (SimPosition first : books.positionsOf(login.login)) {
                for (SimPosition second : books.positionsOf(login.login)) {
                    if (first.symbol == second.symbol && first.action != second.action) {
                        desk.closeBy(tx, first, second);
                        return true;
                    }
                }
            }
        }
        for (int i = 0; i < holders.size(); i++) {
            SimLogin login = books.login(holders.get((start + i) % holders.size()));
            if (login.group.hedging() && books.positionsOf(login.login).size() < MAX_POSITIONS_PER_LOGIN) {
                SimPosition hedged = books.positionsOf(login.login).iterator().next();
                BigDecimal volume = TradeMath.lots(hedged.volume.multiply(fraction(random, 0.3, 1.0)))
                        .max(TradeMath.LOT_STEP);
                return desk.trade(tx, login, hedged.symbol, hedged.action.opposite(), volume, DealReason.CLIENT, null,
                        null, "hedge");
            }
        }
        return false;
    }

    private boolean modify(BookTransaction tx, SplittableRandom random) {
        SimPosition position = anyPosition(random);
        if (position == null) {
            return false;
        }
        BigDecimal price = books.market.closePrice(position.symbol, position.action);
        BigDecimal sl = random.nextInt(100) < 80 ? stopLevel(position.symbol, position.action, price, random, true)
                : position.symbol.zeroPrice();
        BigDecimal tp = random.nextInt(100) < 70 ? stopLevel(position.symbol, position.action, price, random, false)
                : position.symbol.zeroPrice();
        desk.modify(tx, position, sl, tp);
        return true;
    }

    private boolean markToMarket(BookTransaction tx, SplittableRandom random) {
        List<Long> holders = books.loginsWithPositions();
        if (holders.isEmpty()) {
            return false;
        }
        for (SimPosition position : books.positionsOf(any(holders, random))) {
            desk.markToMarket(tx, position);
        }
        return true;
    }

    private boolean deposit(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        BigDecimal amount = login.group.real() ? wholeMoney(50 + 10 * random.nextInt(500))
                : wholeMoney(1000 * (1 + random.nextInt(10)));
        desk.balanceDeal(tx, login, DealAction.BALANCE, amount, "dep:PSP-" + (100000 + random.nextInt(900000)));
        return true;
    }

    private boolean withdraw(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        BigDecimal available = login.balance.min(math.freeMargin(books, login));
        BigDecimal amount = available.multiply(fraction(random, 0.1, 0.6)).setScale(0, RoundingMode.DOWN);
        if (amount.compareTo(BigDecimal.TEN) < 0) {
            return false;
        }
        desk.balanceDeal(tx, login, DealAction.BALANCE, TradeMath.money(amount.negate()),
                "wd:PSP-" + (100000 + random.nextInt(900000)));
        return true;
    }

    private boolean creditIn(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        if (!login.group.real()) {
            return false;
        }
        desk.balanceDeal(tx, login, DealAction.CREDIT, wholeMoney(100 * (1 + random.nextInt(10))), "Credit line");
        return true;
    }

    private boolean creditOut(BookTransaction tx, SplittableRandom random) {
        List<SimLogin> withCredit = new ArrayList<>();
        for (SimLogin login : books.logins()) {
            if (login.credit.signum() > 0) {
                withCredit.add(login);
            }
        }
        if (withCredit.isEmpty()) {
            return false;
        }
        SimLogin login = any(withCredit, random);
        BigDecimal amount = random.nextBoolean() ? login.credit
                : TradeMath.money(login.credit.multiply(fraction(random, 0.3, 1.0)));
        if (amount.signum() <= 0 || math.freeMargin(books, login).compareTo(amount) < 0) {
            return false;
        }
        desk.balanceDeal(tx, login, DealAction.CREDIT, amount.negate(), "Credit line removed");
        return true;
    }

    private boolean bonus(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        desk.balanceDeal(tx, login, DealAction.BONUS, wholeMoney(20 + 10 * random.nextInt(49)),
                random.nextBoolean() ? "Loyalty bonus" : "Trading contest prize");
        return true;
    }

    /** A back-office fee: the monthly account commission or an inactivity charge. */
    private boolean fee(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        BigDecimal amount = wholeMoney(1 + random.nextInt(25));
        if (login.balance.compareTo(amount) < 0) {
            return false;
        }
        boolean commission = random.nextBoolean();
        desk.balanceDeal(tx, login, commission ? DealAction.COMMISSION : DealAction.CHARGE, amount.negate(),
                commission ? "Monthly account fee" : "Inactivity fee");
        return true;
    }

    private boolean newLogin(BookTransaction tx, SplittableRandom random) {
        List<String> clients = new ArrayList<>();
        for (String clientId : books.clientIds()) {
            if (books.loginsOf(clientId).size() < maxLoginsPerClient) {
                clients.add(clientId);
            }
        }
        if (clients.isEmpty()) {
            return false;
        }
        String clientId = any(clients, random);
        world.addLogin(tx, clientId, books.loginsOf(clientId).get(0).name, false, random);
        return true;
    }

    /** The back office edits a login: a new leverage, or a corrected name. */
    private boolean profile(BookTransaction tx, SplittableRandom random) {
        SimLogin login = any(books.logins(), random);
        if (random.nextBoolean()) {
            int[] choices = WorldBuilder.leverages(login.group);
            int leverage = choices[random.nextInt(choices.length)];
            if (leverage == login.leverage) {
                return false;
            }
            login.leverage = leverage;
        } else {
            String[] parts = login.name.split(" ");
            String first = parts[0];
            String last = parts[parts.length - 1];
            login.name = parts.length == 2 ? first + " " + (char) ('A' + random.nextInt(26)) + ". " + last
                    : first + " " + last;
        }
        tx.accountChanged(login);
        return true;
    }

    private SimPosition anyPosition(SplittableRandom random) {
        Collection<SimPosition> open = books.positions();
        return open.isEmpty() ? null : any(open, random);
    }

    private static DealReason tradingReason(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return DealReason.CLIENT;
        } else if (roll < 75) {
            return DealReason.EXPERT;
        } else if (roll < 90) {
            return DealReason.MOBILE;
        }
        return DealReason.WEB;
    }

    private static BigDecimal fraction(SplittableRandom random, double from, double to) {
        return BigDecimal.valueOf(Math.round((from + random.nextDouble() * (to - from)) * 10_000), 4);
    }

    private static BigDecimal wholeMoney(long units) {
        return TradeMath.money(BigDecimal.valueOf(units));
    }

    private static <T> T any(Collection<T> items, SplittableRandom random) {
        int index = random.nextInt(items.size());
        if (items instanceof List<T> list) {
            return list.get(index);
        }
        for (T item : items) {
            if (index-- == 0) {
                return item;
            }
        }
        throw new IllegalStateException("collection changed while picking");
    }
}
