/*
 * A Linux stand-in for MT5APIManager64.dll, for the native gateway's tests: the same exports and vtables
 * (mt5stub.h), one in-memory "trade server", events fired from a network thread of its own, and a control
 * API (stub_*) for tests. Section 11 of shared/reference/mt5-manager-api-abi.md is its specification.
 */
#define _GNU_SOURCE
#include "mt5stub.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

enum {
    RES_OK = 0, RES_ERROR = 2, RES_ERR_PARAMS = 3, RES_ERR_CONNECTION = 10, RES_ERR_NOTFOUND = 13,
    RES_ERR_DUPLICATE = 17, RES_AUTH_INVALID = 1001, RES_TRADE_MAX_MONEY = 4005, RES_REQUEST_DONE = 10009,
    RES_REQUEST_TIMEOUT = 10012, RES_REQUEST_NO_MONEY = 10019, RES_REQUEST_CONNECTION = 10031
};

/* ---- the compile-time slot checks: one per slot the stand-in implements or calls ---- */

SLOT_AT(IMTDealVtbl, Release, 0);        SLOT_AT(IMTDealVtbl, Deal, 4);
SLOT_AT(IMTDealVtbl, ExternalID, 6);     SLOT_AT(IMTDealVtbl, Login, 8);
SLOT_AT(IMTDealVtbl, Dealer, 10);        SLOT_AT(IMTDealVtbl, Order, 12);
SLOT_AT(IMTDealVtbl, Action, 14);        SLOT_AT(IMTDealVtbl, Entry, 16);
SLOT_AT(IMTDealVtbl, Digits, 18);        SLOT_AT(IMTDealVtbl, ContractSize, 22);
SLOT_AT(IMTDealVtbl, Time, 24);          SLOT_AT(IMTDealVtbl, Symbol, 26);
SLOT_AT(IMTDealVtbl, Price, 28);         SLOT_AT(IMTDealVtbl, Volume, 30);
SLOT_AT(IMTDealVtbl, Profit, 32);        SLOT_AT(IMTDealVtbl, Storage, 34);
SLOT_AT(IMTDealVtbl, Commission, 36);    SLOT_AT(IMTDealVtbl, PositionID, 46);
SLOT_AT(IMTDealVtbl, Comment, 48);       SLOT_AT(IMTDealVtbl, VolumeClosed, 62);
SLOT_AT(IMTDealVtbl, Flags, 68);         SLOT_AT(IMTDealVtbl, TimeMsc, 70);
SLOT_AT(IMTDealVtbl, Reason, 71);        SLOT_AT(IMTDealVtbl, Gateway, 72);
SLOT_AT(IMTDealVtbl, VolumeExt, 90);     SLOT_AT(IMTDealVtbl, Fee, 94);
_Static_assert(sizeof(IMTDealVtbl) == DEAL_SLOTS * sizeof(void *), "IMTDeal has 107 slots");

SLOT_AT(IMTPositionVtbl, Release, 0);    SLOT_AT(IMTPositionVtbl, Login, 4);
SLOT_AT(IMTPositionVtbl, Symbol, 6);     SLOT_AT(IMTPositionVtbl, Action, 8);
SLOT_AT(IMTPositionVtbl, Digits, 10);    SLOT_AT(IMTPositionVtbl, TimeCreate, 16);
SLOT_AT(IMTPositionVtbl, TimeUpdate, 18); SLOT_AT(IMTPositionVtbl, PriceOpen, 20);
SLOT_AT(IMTPositionVtbl, PriceCurrent, 22); SLOT_AT(IMTPositionVtbl, Volume, 28);
SLOT_AT(IMTPositionVtbl, PriceSL, 24);   SLOT_AT(IMTPositionVtbl, PriceTP, 26);
SLOT_AT(IMTPositionVtbl, Profit, 30);    SLOT_AT(IMTPositionVtbl, Storage, 32);
SLOT_AT(IMTPositionVtbl, Comment, 44);   SLOT_AT(IMTPositionVtbl, TimeCreateMsc, 62);
SLOT_AT(IMTPositionVtbl, TimeUpdateMsc, 64); SLOT_AT(IMTPositionVtbl, Position, 74);
SLOT_AT(IMTPositionVtbl, Reason, 78);    SLOT_AT(IMTPositionVtbl, VolumeExt, 80);
_Static_assert(sizeof(IMTPositionVtbl) == POSITION_SLOTS * sizeof(void *), "IMTPosition has 88 slots");

SLOT_AT(IMTUserVtbl, Release, 0);        SLOT_AT(IMTUserVtbl, Login, 4);
SLOT_AT(IMTUserVtbl, Group, 6);          SLOT_AT(IMTUserVtbl, Registration, 10);
SLOT_AT(IMTUserVtbl, LastAccess, 11);    SLOT_AT(IMTUserVtbl, Name, 14);
SLOT_AT(IMTUserVtbl, Country, 20);       SLOT_AT(IMTUserVtbl, EMail, 34);
SLOT_AT(IMTUserVtbl, Comment, 40);       SLOT_AT(IMTUserVtbl, Leverage, 46);
SLOT_AT(IMTUserVtbl, Balance, 49);       SLOT_AT(IMTUserVtbl, Credit, 50);
SLOT_AT(IMTUserVtbl, ClientID, 89);      SLOT_AT(IMTUserVtbl, Agent, 48);
SLOT_AT(IMTUserVtbl, FirstName, 91);     SLOT_AT(IMTUserVtbl, LastName, 93);
_Static_assert(sizeof(IMTUserVtbl) == USER_SLOTS * sizeof(void *), "IMTUser has 104 slots");

SLOT_AT(IMTArrayVtbl, Release, 0);       SLOT_AT(IMTArrayVtbl, Clear, 2);
SLOT_AT(IMTArrayVtbl, Total, 12);        SLOT_AT(IMTArrayVtbl, Next, 13);
_Static_assert(sizeof(IMTArrayVtbl) == ARRAY_SLOTS * sizeof(void *), "the arrays have 22 slots");

SLOT_AT(IMTManagerAPIVtbl, Release, 0);  SLOT_AT(IMTManagerAPIVtbl, Connect, 5);
SLOT_AT(IMTManagerAPIVtbl, Disconnect, 6); SLOT_AT(IMTManagerAPIVtbl, Subscribe, 7);
SLOT_AT(IMTManagerAPIVtbl, Unsubscribe, 8); SLOT_AT(IMTManagerAPIVtbl, TimeServer, 20);
SLOT_AT(IMTManagerAPIVtbl, UserSubscribe, 77); SLOT_AT(IMTManagerAPIVtbl, UserUnsubscribe, 78);
SLOT_AT(IMTManagerAPIVtbl, UserCreate, 75); SLOT_AT(IMTManagerAPIVtbl, UserRequest, 84);
SLOT_AT(IMTManagerAPIVtbl, DealCreate, 98); SLOT_AT(IMTManagerAPIVtbl, DealCreateArray, 99);
SLOT_AT(IMTManagerAPIVtbl, DealRequestByLogin, 100); SLOT_AT(IMTManagerAPIVtbl, DealRequestByTicket, 101);
SLOT_AT(IMTManagerAPIVtbl, DealSubscribe, 102); SLOT_AT(IMTManagerAPIVtbl, DealUnsubscribe, 103);
SLOT_AT(IMTManagerAPIVtbl, PositionCreateArray, 107); SLOT_AT(IMTManagerAPIVtbl, PositionSubscribe, 108);
SLOT_AT(IMTManagerAPIVtbl, PositionUnsubscribe, 109); SLOT_AT(IMTManagerAPIVtbl, PositionGetByGroup, 116);
SLOT_AT(IMTManagerAPIVtbl, DealerBalance, 192); SLOT_AT(IMTManagerAPIVtbl, UserCreateArray, 226);
SLOT_AT(IMTManagerAPIVtbl, UserRequestArray, 228); SLOT_AT(IMTManagerAPIVtbl, DealRequestByGroup, 321);
SLOT_AT(IMTManagerAPIVtbl, DealRequestByTickets, 323); SLOT_AT(IMTManagerAPIVtbl, PositionRequestByGroup, 334);
SLOT_AT(IMTManagerAPIVtbl, UserGetByGroup, 459);
_Static_assert(sizeof(IMTManagerAPIVtbl) == MANAGER_SLOTS * sizeof(void *), "IMTManagerAPI has 557 slots");

SLOT_AT(IMTManagerSinkVtbl, OnDisconnect, 0); SLOT_AT(IMTManagerSinkVtbl, OnConnect, 2);
SLOT_AT(IMTDealSinkVtbl, OnDealAdd, 0);  SLOT_AT(IMTDealSinkVtbl, OnDealUpdate, 1);
SLOT_AT(IMTDealSinkVtbl, OnDealDelete, 2); SLOT_AT(IMTDealSinkVtbl, OnDealSync, 4);
SLOT_AT(IMTPositionSinkVtbl, OnPositionAdd, 0); SLOT_AT(IMTPositionSinkVtbl, OnPositionDelete, 2);
SLOT_AT(IMTPositionSinkVtbl, OnPositionSync, 4);
SLOT_AT(IMTUserSinkVtbl, OnUserAdd, 0);  SLOT_AT(IMTUserSinkVtbl, OnUserDelete, 2);
SLOT_AT(IMTUserSinkVtbl, OnUserSync, 5);

/* ---- objects ---- */

#define TEXT 64 /* UTF-16 units per stored string, terminator included */

struct Deal {
    const IMTDealVtbl *vt;
    int owned_by_caller;
    uint64_t ticket, login, order, position_id, volume, dealer, flags;
    uint32_t action, entry, digits, reason;
    int64_t time_msc;
    double price, profit, storage, commission, fee, contract_size;
    char16_t symbol[TEXT], comment[TEXT], external_id[TEXT], gateway[TEXT];
};

struct Position {
    const IMTPositionVtbl *vt;
    int owned_by_caller;
    uint64_t ticket, login, volume;
    uint32_t action, digits, reason;
    int64_t time_create_msc, time_update_msc;
    double price_open, price_current, price_sl, price_tp, profit, storage;
    char16_t symbol[TEXT], comment[TEXT];
};

struct User {
    const IMTUserVtbl *vt;
    int owned_by_caller;
    uint64_t login, client_id, agent;
    uint32_t leverage;
    int64_t registration, last_access;
    double balance, credit;
    char16_t group[TEXT], name[TEXT], country[TEXT], email[TEXT], comment[TEXT];
};

typedef enum { KIND_DEAL, KIND_POSITION, KIND_USER } Kind;

struct Array {
    const IMTArrayVtbl *vt;
    Kind kind;
    void **items;
    uint32_t total, capacity;
};

struct Manager {
    const IMTManagerAPIVtbl *vt;
    int logged_in;
    uint64_t id; /* never reused, unlike the address: sinks and events name their manager by it */
};

/* ---- traps: every slot the stand-in does not implement ---- */

static int trap_aborts = 1;
static pthread_mutex_t trap_lock = PTHREAD_MUTEX_INITIALIZER;
static int trap_count;
static char trap_last[96];

static uint64_t trap_hit(const char *iface, int slot) {
    pthread_mutex_lock(&trap_lock);
    trap_count++;
    snprintf(trap_last, sizeof trap_last, "%s slot %d", iface, slot);
    int aborts = trap_aborts;
    pthread_mutex_unlock(&trap_lock);
    fprintf(stderr, "mt5stub: TRAP: %s slot %d is not implemented by the stand-in%s\n", iface, slot,
            aborts ? "; aborting" : "; returning 2");
    fflush(stderr);
    if (aborts) {
        abort();
    }
    return RES_ERROR;
}

/* One distinct function per (interface, slot), so the trap can name the slot it was called through. */
#define TRAP_FN(I, a, b, c) \
    static uint64_t trap_##I##_##a##b##c(void) { return trap_hit(#I, (a) * 100 + (b) * 10 + (c)); }
#define TRAP_PTR(I, a, b, c) (slot_fn) trap_##I##_##a##b##c,
#define T10(M, I, a, b) M(I, a, b, 0) M(I, a, b, 1) M(I, a, b, 2) M(I, a, b, 3) M(I, a, b, 4) \
    M(I, a, b, 5) M(I, a, b, 6) M(I, a, b, 7) M(I, a, b, 8) M(I, a, b, 9)
#define T100(M, I, a) T10(M, I, a, 0) T10(M, I, a, 1) T10(M, I, a, 2) T10(M, I, a, 3) T10(M, I, a, 4) \
    T10(M, I, a, 5) T10(M, I, a, 6) T10(M, I, a, 7) T10(M, I, a, 8) T10(M, I, a, 9)
#define T200(M, I) T100(M, I, 0) T100(M, I, 1)
#define T600(M, I) T100(M, I, 0) T100(M, I, 1) T100(M, I, 2) T100(M, I, 3) T100(M, I, 4) T100(M, I, 5)

T600(TRAP_FN, IMTManagerAPI)
T200(TRAP_FN, IMTDeal)
T100(TRAP_FN, IMTPosition, 0)
T200(TRAP_FN, IMTUser)
T100(TRAP_FN, IMTDealArray, 0)
T100(TRAP_FN, IMTPositionArray, 0)
T100(TRAP_FN, IMTUserArray, 0)

static const slot_fn traps_manager[] = {T600(TRAP_PTR, IMTManagerAPI)};
static const slot_fn traps_deal[] = {T200(TRAP_PTR, IMTDeal)};
static const slot_fn traps_position[] = {T100(TRAP_PTR, IMTPosition, 0)};
static const slot_fn traps_user[] = {T200(TRAP_PTR, IMTUser)};
static const slot_fn traps_deal_array[] = {T100(TRAP_PTR, IMTDealArray, 0)};
static const slot_fn traps_position_array[] = {T100(TRAP_PTR, IMTPositionArray, 0)};
static const slot_fn traps_user_array[] = {T100(TRAP_PTR, IMTUserArray, 0)};

/* ---- UTF-16 helpers ---- */

static void u16copy(char16_t *dst, const char16_t *src, size_t units) {
    size_t i = 0;
    for (; src != NULL && i + 1 < units && src[i] != 0; i++) {
        dst[i] = src[i];
    }
    dst[i] = 0;
}

static void u16ascii(char16_t *dst, const char *src, size_t units) {
    size_t i = 0;
    for (; i + 1 < units && src[i] != 0; i++) {
        dst[i] = (char16_t) (unsigned char) src[i];
    }
    dst[i] = 0;
}

static char16_t fold(char16_t c) { return c >= 'A' && c <= 'Z' ? (char16_t) (c + 32) : c; }

/* '*' matches any run of units; case-insensitive for ASCII letters. */
static int wildcard(const char16_t *p, size_t plen, const char16_t *s) {
    if (plen == 0) {
        return *s == 0;
    }
    if (*p == '*') {
        for (;; s++) {
            if (wildcard(p + 1, plen - 1, s)) {
                return 1;
            }
            if (*s == 0) {
                return 0;
            }
        }
    }
    return *s != 0 && fold(*p) == fold(*s) && wildcard(p + 1, plen - 1, s + 1);
}

/* A group mask: comma list of patterns, '!' excludes. Matches when some plain pattern matches and no '!' one. */
static int group_matches(const char16_t *mask, const char16_t *group) {
    int included = 0;
    const char16_t *p = mask;
    while (p != NULL && *p != 0) {
        const char16_t *end = p;
        while (*end != 0 && *end != ',') {
            end++;
        }
        const char16_t *start = p;
        while (start < end && *start == ' ') {
            start++;
        }
        int negate = start < end && *start == '!';
        if (negate) {
            start++;
        }
        if (wildcard(start, (size_t) (end - start), group)) {
            if (negate) {
                return 0;
            }
            included = 1;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return included;
}

/* ---- the in-memory trade server ---- */

typedef enum {
    EV_CONNECT, EV_DISCONNECT, EV_DEAL_SYNC, EV_POSITION_SYNC, EV_USER_SYNC,
    EV_DEAL, EV_POSITION, EV_USER
} EventType;

typedef struct Event {
    EventType type;
    int change; /* 0 add, 1 update, 2 delete */
    uint64_t manager; /* the id of the manager whose sinks hear it: each manager has its own connection */
    Deal deal;
    Position position;
    User user;
    struct Event *next;
} Event;

#define MAX_SINKS 8

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_mutex_t dispatch; /* held while a callback runs: Unsubscribe waits for it */
    pthread_t network;
    int network_started;
    int busy;
    Event *head, *tail;

    uint32_t build;
    uint32_t requested_api_version;
    uint64_t accepted_login;
    char16_t accepted_password[TEXT];
    int reachable;
    int connected;
    Manager *manager;
    uint32_t callback_delay_us;

    void *manager_sinks[MAX_SINKS], *deal_sinks[MAX_SINKS], *position_sinks[MAX_SINKS], *user_sinks[MAX_SINKS];
    /* the id of the manager each sink was subscribed through, slot by slot */
    uint64_t manager_owners[MAX_SINKS], deal_owners[MAX_SINKS], position_owners[MAX_SINKS], user_owners[MAX_SINKS];
    uint64_t manager_ids;

    Deal *deals; size_t deal_count, deal_capacity;
    Position *positions; size_t position_count, position_capacity;
    User *users; size_t user_count, user_capacity;
    uint64_t next_ticket;
    uint64_t max_deal_ticket;
    int held;                  /* the network thread delivers nothing while set */

    uint32_t balance_refusal;  /* non-zero: the next DealerBalance returns it */
    int balance_timeout;       /* the next DealerBalance books the deal but answers 10012 */
    uint32_t injected[MANAGER_SLOTS];
    uint64_t calls[MANAGER_SLOTS];
    int violations;
    char violation_last[128];
} S = {
    .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER,
    .dispatch = PTHREAD_MUTEX_INITIALIZER, .build = 5264, .reachable = 1, .next_ticket = 1000000
};

static void violation(const char *what) {
    S.violations++;
    snprintf(S.violation_last, sizeof S.violation_last, "%s", what);
    fprintf(stderr, "mt5stub: VIOLATION: %s\n", what);
    fflush(stderr);
}

static int on_network_thread(void) {
    return S.network_started && pthread_equal(pthread_self(), S.network);
}

/* Common entry of the manager's methods: counts the call and answers an injected code. Caller holds S.lock. */
static uint32_t enter(int slot, int is_request) {
    S.calls[slot]++;
    if (is_request && on_network_thread()) {
        char what[96];
        snprintf(what, sizeof what, "IMTManagerAPI slot %d requested from inside a sink callback", slot);
        violation(what);
        return RES_ERROR;
    }
    uint32_t code = S.injected[slot];
    S.injected[slot] = 0;
    return code;
}

static int64_t now_msc(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *grow(void *items, size_t *capacity, size_t count, size_t size) {
    if (count < *capacity) {
        return items;
    }
    *capacity = *capacity == 0 ? 64 : *capacity * 2;
    void *bigger = realloc(items, *capacity * size);
    if (bigger == NULL) {
        abort();
    }
    return bigger;
}

static void enqueue(EventType type, int change, const Deal *d, const Position *p, const User *u) {
    Event *e = calloc(1, sizeof *e);
    if (e == NULL) {
        abort();
    }
    e->type = type;
    e->change = change;
    e->manager = S.manager != NULL ? S.manager->id : 0;
    if (d) e->deal = *d;
    if (p) e->position = *p;
    if (u) e->user = *u;
    if (S.tail) S.tail->next = e; else S.head = e;
    S.tail = e;
    pthread_cond_broadcast(&S.changed);
}

static User *find_user(uint64_t login) {
    for (size_t i = 0; i < S.user_count; i++) {
        if (S.users[i].login == login) return &S.users[i];
    }
    return NULL;
}

static const char16_t *group_of(uint64_t login) {
    User *u = find_user(login);
    static const char16_t none[] = {0};
    return u ? u->group : none;
}

/* ---- object vtables ---- */

static void deal_release(Deal *d) {
    if (!d->owned_by_caller) {
        violation("IMTDeal released by the binding although the API owns it");
        return;
    }
    free(d);
}
static uint64_t deal_ticket(Deal *d) { return d->ticket; }
static const char16_t *deal_external_id(Deal *d) { return d->external_id; }
static uint64_t deal_login(Deal *d) { return d->login; }
static uint64_t deal_dealer(Deal *d) { return d->dealer; }
static uint64_t deal_order(Deal *d) { return d->order; }
static uint32_t deal_action(Deal *d) { return d->action; }
static uint32_t deal_entry(Deal *d) { return d->entry; }
static uint32_t deal_digits(Deal *d) { return d->digits; }
static double deal_contract_size(Deal *d) { return d->contract_size; }
static int64_t deal_time(Deal *d) { return d->time_msc / 1000; }
static const char16_t *deal_symbol(Deal *d) { return d->symbol; }
static double deal_price(Deal *d) { return d->price; }
static uint64_t deal_volume(Deal *d) { return d->volume; }
static double deal_profit(Deal *d) { return d->profit; }
static double deal_storage(Deal *d) { return d->storage; }
static double deal_commission(Deal *d) { return d->commission; }
static uint64_t deal_position_id(Deal *d) { return d->position_id; }
static const char16_t *deal_comment(Deal *d) { return d->comment; }
static uint64_t deal_volume_closed(Deal *d) { (void) d; return 0; }
static uint64_t deal_flags(Deal *d) { return d->flags; }
static int64_t deal_time_msc(Deal *d) { return d->time_msc; }
static uint32_t deal_reason(Deal *d) { return d->reason; }
static const char16_t *deal_gateway(Deal *d) { return d->gateway; }
static uint64_t deal_volume_ext(Deal *d) { return d->volume * 10000; }
static double deal_fee(Deal *d) { return d->fee; }

static void position_release(Position *p) {
    if (!p->owned_by_caller) {
        violation("IMTPosition released by the binding although the API owns it");
        return;
    }
    free(p);
}
static uint64_t position_login(Position *p) { return p->login; }
static const char16_t *position_symbol(Position *p) { return p->symbol; }
static uint32_t position_action(Position *p) { return p->action; }
static uint32_t position_digits(Position *p) { return p->digits; }
static int64_t position_time_create(Position *p) { return p->time_create_msc / 1000; }
static int64_t position_time_update(Position *p) { return p->time_update_msc / 1000; }
static double position_price_open(Position *p) { return p->price_open; }
static double position_price_current(Position *p) { return p->price_current; }
static double position_price_sl(Position *p) { return p->price_sl; }
static double position_price_tp(Position *p) { return p->price_tp; }
static uint64_t position_volume(Position *p) { return p->volume; }
static double position_profit(Position *p) { return p->profit; }
static double position_storage(Position *p) { return p->storage; }
static const char16_t *position_comment(Position *p) { return p->comment; }
static int64_t position_time_create_msc(Position *p) { return p->time_create_msc; }
static int64_t position_time_update_msc(Position *p) { return p->time_update_msc; }
static uint64_t position_ticket(Position *p) { return p->ticket; }
static uint32_t position_reason(Position *p) { return p->reason; }
static uint64_t position_volume_ext(Position *p) { return p->volume * 10000; }

static void user_release(User *u) {
    if (!u->owned_by_caller) {
        violation("IMTUser released by the binding although the API owns it");
        return;
    }
    free(u);
}
static uint64_t user_login(User *u) { return u->login; }
static const char16_t *user_group(User *u) { return u->group; }
static int64_t user_registration(User *u) { return u->registration; }
static int64_t user_last_access(User *u) { return u->last_access; }
static const char16_t *user_name(User *u) { return u->name; }
static const char16_t *user_country(User *u) { return u->country; }
static const char16_t *user_email(User *u) { return u->email; }
static const char16_t *user_comment(User *u) { return u->comment; }
static uint32_t user_leverage(User *u) { return u->leverage; }
static double user_balance(User *u) { return u->balance; }
static double user_credit(User *u) { return u->credit; }
static uint64_t user_client_id(User *u) { return u->client_id; }
static uint64_t user_agent(User *u) { return u->agent; }
static const char16_t *user_no_text(User *u) { (void) u; static const char16_t none[] = {0}; return none; }

static IMTDealVtbl deal_vt;
static IMTPositionVtbl position_vt;
static IMTUserVtbl user_vt;
static IMTArrayVtbl deal_array_vt, position_array_vt, user_array_vt;
static IMTManagerAPIVtbl manager_vt;

/* ---- arrays ---- */

static void array_clear_items(Array *a) {
    for (uint32_t i = 0; i < a->total; i++) {
        free(a->items[i]); /* elements belong to the array */
    }
    a->total = 0;
}
static int64_t live_arrays; /* created and not yet released: a binding that leaks arrays shows here */
static void array_release(Array *a) {
    array_clear_items(a);
    free(a->items);
    free(a);
    __atomic_sub_fetch(&live_arrays, 1, __ATOMIC_SEQ_CST);
}
static MTAPIRES array_clear(Array *a) { array_clear_items(a); return RES_OK; }
static uint32_t array_total(Array *a) { return a->total; }
static void *array_next(Array *a, uint32_t i) { return i < a->total ? a->items[i] : NULL; }

static Array *array_new(Kind kind, const IMTArrayVtbl *vt) {
    Array *a = calloc(1, sizeof *a);
    if (a == NULL) abort();
    a->vt = vt;
    a->kind = kind;
    __atomic_add_fetch(&live_arrays, 1, __ATOMIC_SEQ_CST);
    return a;
}

static void array_append(Array *a, const void *item, size_t size) {
    if (a->total == a->capacity) {
        a->capacity = a->capacity == 0 ? 16 : a->capacity * 2;
        a->items = realloc(a->items, a->capacity * sizeof(void *));
        if (a->items == NULL) abort();
    }
    void *copy = malloc(size);
    if (copy == NULL) abort();
    memcpy(copy, item, size);
    ((Deal *) copy)->owned_by_caller = 0; /* every element type has owned_by_caller right after its vtable */
    a->items[a->total++] = copy;
}

/* ---- the manager ---- */

static void manager_release(Manager *m) {
    pthread_mutex_lock(&S.lock);
    S.calls[0]++;
    if (S.manager == m) {
        S.manager = NULL;
        S.connected = 0;
    }
    pthread_mutex_unlock(&S.lock);
    free(m);
}

static void queue_syncs(void) {
    enqueue(EV_CONNECT, 0, NULL, NULL, NULL);
    enqueue(EV_USER_SYNC, 0, NULL, NULL, NULL);
    enqueue(EV_POSITION_SYNC, 0, NULL, NULL, NULL);
    enqueue(EV_DEAL_SYNC, 0, NULL, NULL, NULL);
}

static MTAPIRES manager_connect(Manager *m, const char16_t *server, uint64_t login, const char16_t *password,
                                const char16_t *cert_password, uint64_t pump_mode, uint32_t timeout_ms) {
    (void) server; (void) cert_password; (void) pump_mode;
    pthread_mutex_lock(&S.lock);
    uint32_t code = enter(5, 1);
    if (code == 0 && !S.reachable) {
        pthread_mutex_unlock(&S.lock);
        usleep((useconds_t) (timeout_ms < 200 ? timeout_ms : 200) * 1000u); /* honours the timeout, bounded */
        return RES_ERR_CONNECTION;
    }
    if (code == 0 && S.accepted_login != 0) {
        int same = password != NULL;
        for (size_t i = 0; same && i < TEXT; i++) {
            if (password[i] != S.accepted_password[i]) same = 0;
            if (password[i] == 0) break;
        }
        if (login != S.accepted_login || !same) code = RES_AUTH_INVALID;
    }
    if (code == 0) {
        m->logged_in = 1;
        S.manager = m;
        S.connected = 1;
        queue_syncs();
    }
    pthread_mutex_unlock(&S.lock);
    return code;
}

static void manager_disconnect(Manager *m) {
    pthread_mutex_lock(&S.lock);
    S.calls[6]++;
    if (m->logged_in) {
        m->logged_in = 0;
        S.connected = 0;
        enqueue(EV_DISCONNECT, 0, NULL, NULL, NULL);
        S.tail->manager = m->id; /* its own sinks hear it, never those of a manager created since */
    }
    pthread_mutex_unlock(&S.lock);
}

static MTAPIRES subscribe_to(void **sinks, uint64_t *owners, const Manager *m, void *sink, int slot) {
    pthread_mutex_lock(&S.lock);
    uint32_t code = enter(slot, 0);
    if (code == 0 && sink == NULL) code = RES_ERR_PARAMS;
    for (int i = 0; code == 0 && i < MAX_SINKS; i++) {
        if (sinks[i] == sink) code = RES_ERR_DUPLICATE;
    }
    if (code == 0) {
        code = RES_ERROR;
        for (int i = 0; i < MAX_SINKS; i++) {
            if (sinks[i] == NULL) { sinks[i] = sink; owners[i] = m->id; code = RES_OK; break; }
        }
    }
    pthread_mutex_unlock(&S.lock);
    return code;
}

/* After it returns no callback of `sink` runs or starts, unless called from a callback itself. */
static MTAPIRES unsubscribe_from(void **sinks, void *sink, int slot) {
    int nested = on_network_thread();
    if (!nested) pthread_mutex_lock(&S.dispatch);
    pthread_mutex_lock(&S.lock);
    uint32_t code = enter(slot, 0);
    if (code == 0) {
        code = RES_ERR_NOTFOUND;
        for (int i = 0; i < MAX_SINKS; i++) {
            if (sinks[i] == sink && sink != NULL) { sinks[i] = NULL; code = RES_OK; }
        }
    }
    pthread_mutex_unlock(&S.lock);
    if (!nested) pthread_mutex_unlock(&S.dispatch);
    return code;
}

static MTAPIRES manager_subscribe(Manager *m, void *s) { return subscribe_to(S.manager_sinks, S.manager_owners, m, s, 7); }
static MTAPIRES manager_unsubscribe(Manager *m, void *s) { (void) m; return unsubscribe_from(S.manager_sinks, s, 8); }
static MTAPIRES user_subscribe(Manager *m, void *s) { return subscribe_to(S.user_sinks, S.user_owners, m, s, 77); }
static MTAPIRES user_unsubscribe(Manager *m, void *s) { (void) m; return unsubscribe_from(S.user_sinks, s, 78); }
static MTAPIRES deal_subscribe(Manager *m, void *s) { return subscribe_to(S.deal_sinks, S.deal_owners, m, s, 102); }
static MTAPIRES deal_unsubscribe(Manager *m, void *s) { (void) m; return unsubscribe_from(S.deal_sinks, s, 103); }
static MTAPIRES position_subscribe(Manager *m, void *s) {
    return subscribe_to(S.position_sinks, S.position_owners, m, s, 108);
}
static MTAPIRES position_unsubscribe(Manager *m, void *s) { (void) m; return unsubscribe_from(S.position_sinks, s, 109); }

static int64_t manager_time_server(Manager *m) { (void) m; return now_msc() / 1000; }

static Deal *manager_deal_create(Manager *m) {
    (void) m;
    Deal *d = calloc(1, sizeof *d);
    if (d == NULL) abort();
    d->vt = &deal_vt;
    d->owned_by_caller = 1;
    return d;
}

static User *manager_user_create(Manager *m) {
    (void) m;
    User *u = calloc(1, sizeof *u);
    if (u == NULL) abort();
    u->vt = &user_vt;
    u->owned_by_caller = 1;
    return u;
}

static Array *manager_deal_create_array(Manager *m) { (void) m; return array_new(KIND_DEAL, &deal_array_vt); }
static Array *manager_position_create_array(Manager *m) { (void) m; return array_new(KIND_POSITION, &position_array_vt); }
static Array *manager_user_create_array(Manager *m) { (void) m; return array_new(KIND_USER, &user_array_vt); }

/* Common start of a request: injected code, callback check, connection, array kind. Takes S.lock on success. */
static uint32_t begin_request(int slot, Array *a, Kind kind) {
    pthread_mutex_lock(&S.lock);
    uint32_t code = enter(slot, 1);
    if (code == 0 && !S.connected) code = RES_ERR_CONNECTION;
    if (code == 0 && a != NULL && a->kind != kind) code = RES_ERR_PARAMS;
    if (code != 0) {
        pthread_mutex_unlock(&S.lock);
        return code;
    }
    if (a != NULL) array_clear_items(a);
    return 0;
}

static MTAPIRES manager_deal_request_by_login(Manager *m, uint64_t login, int64_t from, int64_t to, Array *a) {
    (void) m;
    uint32_t code = begin_request(100, a, KIND_DEAL);
    if (code) return code;
    for (size_t i = 0; i < S.deal_count; i++) {
        Deal *d = &S.deals[i];
        int64_t t = d->time_msc / 1000;
        if (d->login == login && t >= from && t <= to) array_append(a, d, sizeof *d);
    }
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}

static MTAPIRES manager_deal_request_by_ticket(Manager *m, uint64_t ticket, Deal *out) {
    (void) m;
    uint32_t code = begin_request(101, NULL, KIND_DEAL);
    if (code) return code;
    code = RES_ERR_NOTFOUND;
    for (size_t i = 0; i < S.deal_count; i++) {
        if (S.deals[i].ticket == ticket) {
            int owned = out->owned_by_caller;
            *out = S.deals[i];
            out->owned_by_caller = owned;
            code = RES_OK;
            break;
        }
    }
    pthread_mutex_unlock(&S.lock);
    return code;
}

static MTAPIRES manager_deal_request_by_group(Manager *m, const char16_t *mask, int64_t from, int64_t to, Array *a) {
    (void) m;
    uint32_t code = begin_request(321, a, KIND_DEAL);
    if (code) return code;
    for (size_t i = 0; i < S.deal_count; i++) {
        Deal *d = &S.deals[i];
        int64_t t = d->time_msc / 1000;
        if (t >= from && t <= to && group_matches(mask, group_of(d->login))) array_append(a, d, sizeof *d);
    }
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}

static MTAPIRES manager_deal_request_by_tickets(Manager *m, const uint64_t *tickets, uint32_t count, Array *a) {
    (void) m;
    uint32_t code = begin_request(323, a, KIND_DEAL);
    if (code) return code;
    for (uint32_t k = 0; k < count; k++) {
        for (size_t i = 0; i < S.deal_count; i++) {
            if (S.deals[i].ticket == tickets[k]) array_append(a, &S.deals[i], sizeof S.deals[i]);
        }
    }
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}

static MTAPIRES positions_by_group(int slot, const char16_t *mask, Array *a) {
    uint32_t code = begin_request(slot, a, KIND_POSITION);
    if (code) return code;
    for (size_t i = 0; i < S.position_count; i++) {
        Position *p = &S.positions[i];
        if (group_matches(mask, group_of(p->login))) array_append(a, p, sizeof *p);
    }
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}
static MTAPIRES manager_position_get_by_group(Manager *m, const char16_t *mask, Array *a) {
    (void) m;
    return positions_by_group(116, mask, a);
}
static MTAPIRES manager_position_request_by_group(Manager *m, const char16_t *mask, Array *a) {
    (void) m;
    return positions_by_group(334, mask, a);
}

static MTAPIRES users_by_group(int slot, const char16_t *mask, Array *a) {
    uint32_t code = begin_request(slot, a, KIND_USER);
    if (code) return code;
    for (size_t i = 0; i < S.user_count; i++) {
        if (group_matches(mask, S.users[i].group)) array_append(a, &S.users[i], sizeof S.users[i]);
    }
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}
/* One user from the "server" into the caller's object (made by UserCreate); 13 when the login does not exist. */
static MTAPIRES manager_user_request(Manager *m, uint64_t login, User *out) {
    (void) m;
    uint32_t code = begin_request(84, NULL, KIND_USER);
    if (code) return code;
    User *u = find_user(login);
    if (u != NULL) {
        int owned = out->owned_by_caller;
        *out = *u;
        out->vt = &user_vt;
        out->owned_by_caller = owned;
    }
    pthread_mutex_unlock(&S.lock);
    return u != NULL ? RES_OK : RES_ERR_NOTFOUND;
}
static MTAPIRES manager_user_request_array(Manager *m, const char16_t *g, Array *a) { (void) m; return users_by_group(228, g, a); }
static MTAPIRES manager_user_get_by_group(Manager *m, const char16_t *g, Array *a) { (void) m; return users_by_group(459, g, a); }

static void store_deal(const Deal *d, int change); /* below */

/* Section 9 of the reference: codes, limits, the 31-unit comment, 10009 plus the new ticket. */
static MTAPIRES manager_dealer_balance(Manager *m, uint64_t login, double value, uint32_t type,
                                       const char16_t *comment, uint64_t *deal_id) {
    (void) m;
    pthread_mutex_lock(&S.lock);
    uint32_t code = enter(192, 1);
    int timeout = 0;
    if (code == 0 && !S.connected) code = RES_REQUEST_CONNECTION;
    if (code == 0 && S.balance_refusal != 0) { code = S.balance_refusal; S.balance_refusal = 0; }
    if (code == 0 && (login == 0 || !((type >= 2 && type <= 7) || (type >= 15 && type <= 18)) || fabs(value) > 1e11))
        code = RES_ERR_PARAMS;
    if (code == 0 && fabs(value) > 1e9) code = RES_TRADE_MAX_MONEY;
    User *u = code == 0 ? find_user(login) : NULL;
    if (code == 0 && u == NULL) code = RES_ERR_NOTFOUND; /* the reference names no code for this: ours */
    if (code == 0 && value < 0 && type != 5 && -value > (type == 3 ? u->credit : u->balance)) code = RES_REQUEST_NO_MONEY;
    if (code == 0) {
        timeout = S.balance_timeout;
        S.balance_timeout = 0;
        Deal d = {0};
        d.ticket = S.next_ticket++;
        d.login = login;
        d.action = type;
        d.entry = 0;
        d.profit = value;
        d.reason = 2; /* DEALER */
        d.time_msc = now_msc();
        u16copy(d.comment, comment, 32); /* 31 units kept, like the 1657 DLL */
        if (type == 3) u->credit += value; else u->balance += value;
        store_deal(&d, 0);
        if (!timeout && deal_id != NULL) *deal_id = d.ticket;
        code = timeout ? RES_REQUEST_TIMEOUT : RES_REQUEST_DONE;
    }
    pthread_mutex_unlock(&S.lock);
    return code;
}

/* ---- the network thread ---- */

static void dispatch(Event *e) {
    void *sinks[MAX_SINKS];
    uint64_t owners[MAX_SINKS];
    pthread_mutex_lock(&S.lock);
    int manager_event = e->type == EV_CONNECT || e->type == EV_DISCONNECT;
    int deal_event = e->type == EV_DEAL || e->type == EV_DEAL_SYNC;
    int position_event = e->type == EV_POSITION || e->type == EV_POSITION_SYNC;
    void **source = manager_event ? S.manager_sinks : deal_event ? S.deal_sinks
                  : position_event ? S.position_sinks : S.user_sinks;
    memcpy(sinks, source, sizeof sinks);
    memcpy(owners, manager_event ? S.manager_owners : deal_event ? S.deal_owners
                   : position_event ? S.position_owners : S.user_owners, sizeof owners);
    pthread_mutex_unlock(&S.lock);
    for (int i = 0; i < MAX_SINKS; i++) {
        SinkObject *sink = sinks[i];
        if (sink == NULL || owners[i] != e->manager) continue;
        pthread_mutex_lock(&S.lock); /* skip a sink unsubscribed since the copy */
        int still = source[i] == sink;
        pthread_mutex_unlock(&S.lock);
        if (!still) continue;
        switch (e->type) {
        case EV_CONNECT: ((const IMTManagerSinkVtbl *) sink->vtbl)->OnConnect(sink); break;
        case EV_DISCONNECT: ((const IMTManagerSinkVtbl *) sink->vtbl)->OnDisconnect(sink); break;
        case EV_DEAL_SYNC: ((const IMTDealSinkVtbl *) sink->vtbl)->OnDealSync(sink); break;
        case EV_POSITION_SYNC: ((const IMTPositionSinkVtbl *) sink->vtbl)->OnPositionSync(sink); break;
        case EV_USER_SYNC: ((const IMTUserSinkVtbl *) sink->vtbl)->OnUserSync(sink); break;
        case EV_DEAL: {
            /* a fresh object per call, poisoned and freed right after: a binding that keeps it reads garbage */
            Deal *d = malloc(sizeof *d);
            if (d == NULL) abort();
            *d = e->deal;
            d->vt = &deal_vt;
            d->owned_by_caller = 0;
            const IMTDealSinkVtbl *vt = sink->vtbl;
            (e->change == 0 ? vt->OnDealAdd : e->change == 1 ? vt->OnDealUpdate : vt->OnDealDelete)(sink, d);
            memset(d, 0xDD, sizeof *d);
            free(d);
            break;
        }
        case EV_POSITION: {
            Position *p = malloc(sizeof *p);
            if (p == NULL) abort();
            *p = e->position;
            p->vt = &position_vt;
            p->owned_by_caller = 0;
            const IMTPositionSinkVtbl *vt = sink->vtbl;
            (e->change == 0 ? vt->OnPositionAdd : e->change == 1 ? vt->OnPositionUpdate : vt->OnPositionDelete)(sink, p);
            memset(p, 0xDD, sizeof *p);
            free(p);
            break;
        }
        case EV_USER: {
            User *u = malloc(sizeof *u);
            if (u == NULL) abort();
            *u = e->user;
            u->vt = &user_vt;
            u->owned_by_caller = 0;
            const IMTUserSinkVtbl *vt = sink->vtbl;
            (e->change == 0 ? vt->OnUserAdd : e->change == 1 ? vt->OnUserUpdate : vt->OnUserDelete)(sink, u);
            memset(u, 0xDD, sizeof *u);
            free(u);
            break;
        }
        }
    }
}

static void *network_loop(void *unused) {
    (void) unused;
    for (;;) {
        pthread_mutex_lock(&S.dispatch);
        pthread_mutex_lock(&S.lock);
        while (S.head == NULL || S.held) {
            S.busy = 0;
            pthread_cond_broadcast(&S.changed);
            pthread_mutex_unlock(&S.dispatch); /* let Unsubscribe in while idle */
            pthread_cond_wait(&S.changed, &S.lock);
            pthread_mutex_unlock(&S.lock);
            pthread_mutex_lock(&S.dispatch);
            pthread_mutex_lock(&S.lock);
        }
        Event *e = S.head;
        S.head = e->next;
        if (S.head == NULL) S.tail = NULL;
        S.busy = 1;
        uint32_t delay = S.callback_delay_us;
        pthread_mutex_unlock(&S.lock);
        if (delay) usleep(delay);
        dispatch(e);
        free(e);
        pthread_mutex_unlock(&S.dispatch);
    }
    return NULL;
}

static void init_vtables(void) {
    memcpy(&deal_vt, traps_deal, sizeof deal_vt);
    deal_vt.Release = deal_release; deal_vt.Deal = deal_ticket; deal_vt.ExternalID = deal_external_id;
    deal_vt.Login = deal_login; deal_vt.Dealer = deal_dealer; deal_vt.Order = deal_order;
    deal_vt.Action = deal_action; deal_vt.Entry = deal_entry; deal_vt.Digits = deal_digits;
    deal_vt.ContractSize = deal_contract_size; deal_vt.Time = deal_time; deal_vt.Symbol = deal_symbol;
    deal_vt.Price = deal_price; deal_vt.Volume = deal_volume; deal_vt.Profit = deal_profit;
    deal_vt.Storage = deal_storage; deal_vt.Commission = deal_commission; deal_vt.PositionID = deal_position_id;
    deal_vt.Comment = deal_comment; deal_vt.VolumeClosed = deal_volume_closed; deal_vt.Flags = deal_flags;
    deal_vt.TimeMsc = deal_time_msc; deal_vt.Reason = deal_reason; deal_vt.Gateway = deal_gateway;
    deal_vt.VolumeExt = deal_volume_ext; deal_vt.Fee = deal_fee;

    memcpy(&position_vt, traps_position, sizeof position_vt);
    position_vt.Release = position_release; position_vt.Login = position_login; position_vt.Symbol = position_symbol;
    position_vt.Action = position_action; position_vt.Digits = position_digits;
    position_vt.TimeCreate = position_time_create; position_vt.TimeUpdate = position_time_update;
    position_vt.PriceOpen = position_price_open; position_vt.PriceCurrent = position_price_current;
    position_vt.PriceSL = position_price_sl; position_vt.PriceTP = position_price_tp;
    position_vt.Volume = position_volume; position_vt.Profit = position_profit; position_vt.Storage = position_storage;
    position_vt.Comment = position_comment; position_vt.TimeCreateMsc = position_time_create_msc;
    position_vt.TimeUpdateMsc = position_time_update_msc; position_vt.Position = position_ticket;
    position_vt.Reason = position_reason; position_vt.VolumeExt = position_volume_ext;

    memcpy(&user_vt, traps_user, sizeof user_vt);
    user_vt.Release = user_release; user_vt.Login = user_login; user_vt.Group = user_group;
    user_vt.Registration = user_registration; user_vt.LastAccess = user_last_access; user_vt.Name = user_name;
    user_vt.Country = user_country; user_vt.EMail = user_email; user_vt.Comment = user_comment;
    user_vt.Leverage = user_leverage; user_vt.Balance = user_balance; user_vt.Credit = user_credit;
    user_vt.ClientID = user_client_id;
    user_vt.Agent = user_agent; user_vt.FirstName = user_no_text; user_vt.LastName = user_no_text;

    IMTArrayVtbl *arrays[] = {&deal_array_vt, &position_array_vt, &user_array_vt};
    const slot_fn *array_traps[] = {traps_deal_array, traps_position_array, traps_user_array};
    for (int i = 0; i < 3; i++) {
        memcpy(arrays[i], array_traps[i], sizeof *arrays[i]);
        arrays[i]->Release = array_release; arrays[i]->Clear = array_clear;
        arrays[i]->Total = array_total; arrays[i]->Next = array_next;
    }

    memcpy(&manager_vt, traps_manager, sizeof manager_vt);
    manager_vt.Release = manager_release; manager_vt.Connect = manager_connect;
    manager_vt.Disconnect = manager_disconnect; manager_vt.Subscribe = manager_subscribe;
    manager_vt.Unsubscribe = manager_unsubscribe; manager_vt.TimeServer = manager_time_server;
    manager_vt.UserSubscribe = user_subscribe; manager_vt.UserUnsubscribe = user_unsubscribe;
    manager_vt.DealCreate = manager_deal_create; manager_vt.DealCreateArray = manager_deal_create_array;
    manager_vt.UserCreate = manager_user_create; manager_vt.UserRequest = manager_user_request;
    manager_vt.DealRequestByLogin = manager_deal_request_by_login;
    manager_vt.DealRequestByTicket = manager_deal_request_by_ticket;
    manager_vt.DealSubscribe = deal_subscribe; manager_vt.DealUnsubscribe = deal_unsubscribe;
    manager_vt.PositionCreateArray = manager_position_create_array;
    manager_vt.PositionSubscribe = position_subscribe; manager_vt.PositionUnsubscribe = position_unsubscribe;
    manager_vt.PositionGetByGroup = manager_position_get_by_group;
    manager_vt.DealerBalance = manager_dealer_balance; manager_vt.UserCreateArray = manager_user_create_array;
    manager_vt.UserRequestArray = manager_user_request_array;
    manager_vt.DealRequestByGroup = manager_deal_request_by_group;
    manager_vt.DealRequestByTickets = manager_deal_request_by_tickets;
    manager_vt.PositionRequestByGroup = manager_position_request_by_group;
    manager_vt.UserGetByGroup = manager_user_get_by_group;
}

__attribute__((constructor)) static void stub_load(void) {
    init_vtables();
    if (pthread_create(&S.network, NULL, network_loop, NULL) != 0) {
        fprintf(stderr, "mt5stub: cannot start the network thread: %s\n", strerror(errno));
        abort();
    }
    pthread_detach(S.network);
    S.network_started = 1;
}

/* ---- the exports of MT5APIManager64.dll (section 1) ---- */

EXPORT MTAPIRES MTManagerVersion(uint32_t *version) {
    if (version == NULL) return RES_ERR_PARAMS;
    pthread_mutex_lock(&S.lock);
    *version = S.build;
    pthread_mutex_unlock(&S.lock);
    return RES_OK;
}

EXPORT MTAPIRES MTManagerCreateExt(uint32_t api_version, const char16_t *datapath, Manager **out) {
    (void) datapath;
    if (out == NULL) return RES_ERR_PARAMS;
    Manager *m = calloc(1, sizeof *m);
    if (m == NULL) return RES_ERROR;
    m->vt = &manager_vt;
    pthread_mutex_lock(&S.lock);
    m->id = ++S.manager_ids;
    S.requested_api_version = api_version;
    pthread_mutex_unlock(&S.lock);
    *out = m;
    return RES_OK;
}

EXPORT MTAPIRES MTManagerCreate(uint32_t api_version, Manager **out) { return MTManagerCreateExt(api_version, NULL, out); }
EXPORT MTAPIRES MTAdminCreate(uint32_t api_version, void **out) { (void) api_version; (void) out; return RES_ERROR; }
EXPORT MTAPIRES MTAdminCreateExt(uint32_t api_version, const char16_t *path, void **out) {
    (void) api_version; (void) path; (void) out;
    return RES_ERROR;
}

/* ---- the control API for tests ---- */

static void store_deal(const Deal *d, int change) { /* caller holds S.lock */
    Deal copy = *d;
    copy.vt = &deal_vt;
    copy.owned_by_caller = 0;
    size_t i = 0;
    if (change == 0 && copy.ticket > S.max_deal_ticket) {
        i = S.deal_count; /* a new highest ticket: no need to look (keeps bursts linear) */
    } else {
        while (i < S.deal_count && S.deals[i].ticket != copy.ticket) i++;
    }
    if (copy.ticket > S.max_deal_ticket) S.max_deal_ticket = copy.ticket;
    if (change == 2) {
        if (i < S.deal_count) S.deals[i] = S.deals[--S.deal_count];
    } else if (i < S.deal_count) {
        S.deals[i] = copy;
    } else {
        S.deals = grow(S.deals, &S.deal_capacity, S.deal_count, sizeof *S.deals);
        S.deals[S.deal_count++] = copy;
    }
    if (copy.ticket >= S.next_ticket) S.next_ticket = copy.ticket + 1;
    if (S.connected) enqueue(EV_DEAL, change, &copy, NULL, NULL); /* while disconnected: history only */
}

/* change: 0 add, 1 update, 2 delete. Strings are UTF-16, NUL-terminated, may be NULL. Every field the gateway
   reads, so that a simulator's deals go through the stand-in as they are (SimulatorFedStandIn). */
EXPORT void stub_deal_event_full(int change, uint64_t ticket, uint64_t login, uint64_t order, uint64_t position_id,
                                 uint32_t action, uint32_t entry, uint32_t reason, uint64_t volume, double price,
                                 double profit, double commission, double storage, const char16_t *symbol,
                                 const char16_t *comment, int64_t time_msc) {
    Deal d = {0};
    d.ticket = ticket; d.login = login; d.order = order; d.position_id = position_id;
    d.action = action; d.entry = entry; d.reason = reason; d.volume = volume;
    d.price = price; d.profit = profit; d.commission = commission; d.storage = storage; d.time_msc = time_msc;
    d.digits = 5; d.contract_size = 100000;
    u16copy(d.symbol, symbol, TEXT);
    u16copy(d.comment, comment, 32);
    u16ascii(d.gateway, "", TEXT);
    pthread_mutex_lock(&S.lock);
    store_deal(&d, change);
    pthread_mutex_unlock(&S.lock);
}

EXPORT void stub_deal_event(int change, uint64_t ticket, uint64_t login, uint32_t action, uint32_t entry,
                            uint64_t volume, double price, double profit, const char16_t *symbol,
                            const char16_t *comment, int64_t time_msc, uint64_t position_id) {
    stub_deal_event_full(change, ticket, login, 0, position_id, action, entry, 0, volume, price, profit, 0, 0,
                         symbol, comment, time_msc);
}

/* Every field the gateway reads of a position; time_create_msc 0 keeps a stored position's opening time. */
EXPORT void stub_position_event_full(int change, uint64_t ticket, uint64_t login, const char16_t *symbol,
                                     uint32_t action, uint64_t volume, double price_open, double price_current,
                                     double price_sl, double price_tp, double profit, double storage,
                                     const char16_t *comment, int64_t time_create_msc, int64_t time_update_msc) {
    Position p = {0};
    p.vt = &position_vt; p.ticket = ticket; p.login = login; p.action = action; p.volume = volume;
    p.price_open = price_open; p.price_current = price_current; p.price_sl = price_sl; p.price_tp = price_tp;
    p.profit = profit; p.storage = storage; p.digits = 5;
    p.time_create_msc = time_create_msc != 0 ? time_create_msc : time_update_msc; p.time_update_msc = time_update_msc;
    u16copy(p.symbol, symbol, TEXT);
    u16copy(p.comment, comment, 32);
    pthread_mutex_lock(&S.lock);
    size_t i = 0;
    while (i < S.position_count && S.positions[i].ticket != ticket) i++;
    if (change == 2) {
        if (i < S.position_count) S.positions[i] = S.positions[--S.position_count];
    } else if (i < S.position_count) {
        if (time_create_msc == 0) p.time_create_msc = S.positions[i].time_create_msc;
        S.positions[i] = p;
    } else {
        S.positions = grow(S.positions, &S.position_capacity, S.position_count, sizeof *S.positions);
        S.positions[S.position_count++] = p;
    }
    if (S.connected) enqueue(EV_POSITION, change, NULL, &p, NULL);
    pthread_mutex_unlock(&S.lock);
}

EXPORT void stub_position_event(int change, uint64_t ticket, uint64_t login, const char16_t *symbol, uint32_t action,
                                uint64_t volume, double price_open, double profit, int64_t time_update_msc) {
    stub_position_event_full(change, ticket, login, symbol, action, volume, price_open, price_open, 0, 0, profit, 0,
                             NULL, 0, time_update_msc);
}

/* Every field the gateway reads of a user; registration 0 keeps a stored user's, or takes now for a new one. */
EXPORT void stub_user_event_full(int change, uint64_t login, const char16_t *group, const char16_t *name,
                                 const char16_t *email, const char16_t *country, uint32_t leverage, double balance,
                                 double credit, uint64_t client_id, uint64_t agent, int64_t registration) {
    User u = {0};
    u.vt = &user_vt; u.login = login; u.leverage = leverage; u.balance = balance; u.credit = credit;
    u.client_id = client_id; u.agent = agent;
    u.registration = registration != 0 ? registration : now_msc() / 1000; u.last_access = u.registration;
    u16copy(u.group, group, TEXT); u16copy(u.name, name, TEXT);
    u16copy(u.email, email, TEXT); u16copy(u.country, country, TEXT);
    pthread_mutex_lock(&S.lock);
    size_t i = 0;
    while (i < S.user_count && S.users[i].login != login) i++;
    if (change == 2) {
        if (i < S.user_count) S.users[i] = S.users[--S.user_count];
    } else if (i < S.user_count) {
        if (registration == 0) u.registration = S.users[i].registration;
        S.users[i] = u;
    } else {
        S.users = grow(S.users, &S.user_capacity, S.user_count, sizeof *S.users);
        S.users[S.user_count++] = u;
    }
    if (S.connected) enqueue(EV_USER, change, NULL, NULL, &u);
    pthread_mutex_unlock(&S.lock);
}

EXPORT void stub_user_event(int change, uint64_t login, const char16_t *group, const char16_t *name,
                            const char16_t *email, const char16_t *country, uint32_t leverage, double balance,
                            double credit, uint64_t client_id) {
    stub_user_event_full(change, login, group, name, email, country, leverage, balance, credit, client_id, 0, 0);
}

/* Tickets of the deals DealerBalance makes start here: above a fed world's own, so the two never meet. */
EXPORT void stub_set_next_ticket(uint64_t ticket) {
    pthread_mutex_lock(&S.lock);
    S.next_ticket = ticket;
    pthread_mutex_unlock(&S.lock);
}

/* Waits until every queued event has been delivered. 0 when drained, 9 (timeout) otherwise. */
EXPORT MTAPIRES stub_drain(uint32_t timeout_ms) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&S.lock);
    int rc = 0;
    while ((S.head != NULL || S.busy) && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&S.changed, &S.lock, &deadline);
    int drained = S.head == NULL && !S.busy;
    pthread_mutex_unlock(&S.lock);
    return drained ? RES_OK : 9;
}

/* Forgets every subscription, object and setting; events still queued are dropped. */
EXPORT void stub_reset(void) {
    pthread_mutex_lock(&S.dispatch);
    pthread_mutex_lock(&S.lock);
    while (S.head) { Event *e = S.head; S.head = e->next; free(e); }
    S.tail = NULL;
    memset(S.manager_sinks, 0, sizeof S.manager_sinks); memset(S.deal_sinks, 0, sizeof S.deal_sinks);
    memset(S.position_sinks, 0, sizeof S.position_sinks); memset(S.user_sinks, 0, sizeof S.user_sinks);
    S.deal_count = S.position_count = S.user_count = 0;
    S.build = 5264; S.requested_api_version = 0; S.accepted_login = 0; S.accepted_password[0] = 0;
    S.reachable = 1; S.connected = 0; S.manager = NULL; S.callback_delay_us = 0;
    S.balance_refusal = 0; S.balance_timeout = 0; S.next_ticket = 1000000; S.max_deal_ticket = 0; S.held = 0;
    memset(S.injected, 0, sizeof S.injected); memset(S.calls, 0, sizeof S.calls);
    S.violations = 0; S.violation_last[0] = 0;
    pthread_mutex_unlock(&S.lock);
    pthread_mutex_unlock(&S.dispatch);
    pthread_mutex_lock(&trap_lock);
    trap_aborts = 1; trap_count = 0; trap_last[0] = 0;
    pthread_mutex_unlock(&trap_lock);
}

EXPORT void stub_set_build(uint32_t build) { pthread_mutex_lock(&S.lock); S.build = build; pthread_mutex_unlock(&S.lock); }
EXPORT uint32_t stub_requested_api_version(void) { return S.requested_api_version; }

/* Login 0 accepts any credentials (the default). */
EXPORT void stub_set_credentials(uint64_t login, const char16_t *password) {
    pthread_mutex_lock(&S.lock);
    S.accepted_login = login;
    u16copy(S.accepted_password, password, TEXT);
    pthread_mutex_unlock(&S.lock);
}

EXPORT void stub_set_reachable(int reachable) { pthread_mutex_lock(&S.lock); S.reachable = reachable; pthread_mutex_unlock(&S.lock); }

/* The "server" goes away: OnDisconnect, requests answer 10 / 10031, new deals reach the history only. */
EXPORT void stub_drop_connection(void) {
    pthread_mutex_lock(&S.lock);
    if (S.connected) { S.connected = 0; enqueue(EV_DISCONNECT, 0, NULL, NULL, NULL); }
    pthread_mutex_unlock(&S.lock);
}

/* The "server" is back: OnConnect and the sync events again, if a manager had logged in. */
EXPORT void stub_restore_connection(void) {
    pthread_mutex_lock(&S.lock);
    if (!S.connected && S.manager != NULL && S.manager->logged_in) { S.connected = 1; queue_syncs(); }
    pthread_mutex_unlock(&S.lock);
}

EXPORT int stub_is_connected(void) { return S.connected; }

EXPORT void stub_balance_refuse_next(uint32_t retcode) { pthread_mutex_lock(&S.lock); S.balance_refusal = retcode; pthread_mutex_unlock(&S.lock); }

/* The next DealerBalance books its deal but answers 10012, as a real timeout may. */
EXPORT void stub_balance_timeout_next(void) { pthread_mutex_lock(&S.lock); S.balance_timeout = 1; pthread_mutex_unlock(&S.lock); }

/* The next call of an implemented IMTManagerAPI slot answers `retcode` and does nothing. */
EXPORT void stub_fail_next(uint32_t slot, uint32_t retcode) {
    if (slot >= MANAGER_SLOTS) return;
    pthread_mutex_lock(&S.lock); S.injected[slot] = retcode; pthread_mutex_unlock(&S.lock);
}

/* 1: the network thread holds every event (a burst builds up); 0: it delivers them again. */
EXPORT void stub_hold_events(int hold) {
    pthread_mutex_lock(&S.lock);
    S.held = hold;
    pthread_cond_broadcast(&S.changed);
    pthread_mutex_unlock(&S.lock);
}

EXPORT void stub_set_callback_delay_us(uint32_t us) { pthread_mutex_lock(&S.lock); S.callback_delay_us = us; pthread_mutex_unlock(&S.lock); }

EXPORT uint64_t stub_calls(uint32_t slot) { return slot < MANAGER_SLOTS ? S.calls[slot] : 0; }

/* 1: an unimplemented slot aborts the process (default); 0: it is recorded and answers 2. */
EXPORT void stub_set_trap_aborts(int aborts) { pthread_mutex_lock(&trap_lock); trap_aborts = aborts; pthread_mutex_unlock(&trap_lock); }

/* How many traps fired; copies "<interface> slot <n>" of the last one into buf. */
EXPORT int stub_traps(char *buf, int size) {
    pthread_mutex_lock(&trap_lock);
    int count = trap_count;
    if (buf != NULL && size > 0) snprintf(buf, (size_t) size, "%s", trap_last);
    pthread_mutex_unlock(&trap_lock);
    return count;
}

/* How many rule breaks the binding made (a request from a callback, releasing an object it does not own). */
EXPORT int stub_violations(char *buf, int size) {
    pthread_mutex_lock(&S.lock);
    int count = S.violations;
    if (buf != NULL && size > 0) snprintf(buf, (size_t) size, "%s", S.violation_last);
    pthread_mutex_unlock(&S.lock);
    return count;
}

EXPORT uint64_t stub_deal_count(void) { return S.deal_count; }

/* Arrays the binding created (DealCreateArray, PositionCreateArray, UserCreateArray) and has not released yet. */
EXPORT int64_t stub_live_arrays(void) { return __atomic_load_n(&live_arrays, __ATOMIC_SEQ_CST); }
