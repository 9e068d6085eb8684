/*
 * The binary surface of MT5APIManager64.dll that the native gateway uses, written as C data so that a gcc
 * build on Linux presents the same vtables as the real DLL: one struct of function pointers per interface,
 * members in MSVC slot order (the appendix of shared/reference/mt5-manager-api-abi.md), never the order of
 * the MetaQuotes C++ headers (gcc would lay their overloads out differently).
 *
 * Calling convention: plain SysV on purpose, no __attribute__((ms_abi)). The Java binding wraps every slot
 * with JNA's default convention, which is the platform's C convention: Microsoft x64 on Windows (the real DLL)
 * and SysV on Linux. A stand-in built with ms_abi would receive JNA's arguments in the wrong registers; the
 * unchanged binding works against this library only because both sides use the platform default.
 */
#ifndef MT5STUB_H
#define MT5STUB_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

typedef uint32_t MTAPIRES;
typedef void (*slot_fn)(void);

/* Slots a..b-1 that the stand-in does not implement; they hold traps. */
#define GAP(a, b) slot_fn gap_##a[(b) - (a)]
#define SLOT_AT(vtbl, member, slot) \
    _Static_assert(offsetof(vtbl, member) == (slot) * sizeof(void *), #vtbl "." #member " must be slot " #slot)

enum { MANAGER_SLOTS = 557, DEAL_SLOTS = 107, POSITION_SLOTS = 88, USER_SLOTS = 104, ARRAY_SLOTS = 22 };

typedef struct Manager Manager;
typedef struct Deal Deal;
typedef struct Position Position;
typedef struct User User;
typedef struct Array Array;

/* ---- objects the library creates ---- */

typedef struct {
    void (*Release)(Deal *);                     /* 0 */
    GAP(1, 4);
    uint64_t (*Deal)(Deal *);                    /* 4 ticket */
    GAP(5, 6);
    const char16_t *(*ExternalID)(Deal *);       /* 6 */
    GAP(7, 8);
    uint64_t (*Login)(Deal *);                   /* 8 */
    GAP(9, 10);
    uint64_t (*Dealer)(Deal *);                  /* 10 */
    GAP(11, 12);
    uint64_t (*Order)(Deal *);                   /* 12 */
    GAP(13, 14);
    uint32_t (*Action)(Deal *);                  /* 14 */
    GAP(15, 16);
    uint32_t (*Entry)(Deal *);                   /* 16 */
    GAP(17, 18);
    uint32_t (*Digits)(Deal *);                  /* 18 */
    GAP(19, 22);
    double (*ContractSize)(Deal *);              /* 22 */
    GAP(23, 24);
    int64_t (*Time)(Deal *);                     /* 24 */
    GAP(25, 26);
    const char16_t *(*Symbol)(Deal *);           /* 26 */
    GAP(27, 28);
    double (*Price)(Deal *);                     /* 28 */
    GAP(29, 30);
    uint64_t (*Volume)(Deal *);                  /* 30 */
    GAP(31, 32);
    double (*Profit)(Deal *);                    /* 32 */
    GAP(33, 34);
    double (*Storage)(Deal *);                   /* 34 */
    GAP(35, 36);
    double (*Commission)(Deal *);                /* 36 */
    GAP(37, 46);
    uint64_t (*PositionID)(Deal *);              /* 46 */
    GAP(47, 48);
    const char16_t *(*Comment)(Deal *);          /* 48 */
    GAP(49, 62);
    uint64_t (*VolumeClosed)(Deal *);            /* 62 */
    GAP(63, 68);
    uint64_t (*Flags)(Deal *);                   /* 68 */
    GAP(69, 70);
    int64_t (*TimeMsc)(Deal *);                  /* 70 */
    uint32_t (*Reason)(Deal *);                  /* 71 */
    const char16_t *(*Gateway)(Deal *);          /* 72 */
    GAP(73, 90);
    uint64_t (*VolumeExt)(Deal *);               /* 90 */
    GAP(91, 94);
    double (*Fee)(Deal *);                       /* 94 */
    GAP(95, DEAL_SLOTS);
} IMTDealVtbl;

typedef struct {
    void (*Release)(Position *);                 /* 0 */
    GAP(1, 4);
    uint64_t (*Login)(Position *);               /* 4 */
    GAP(5, 6);
    const char16_t *(*Symbol)(Position *);       /* 6 */
    GAP(7, 8);
    uint32_t (*Action)(Position *);              /* 8 */
    GAP(9, 10);
    uint32_t (*Digits)(Position *);              /* 10 */
    GAP(11, 16);
    int64_t (*TimeCreate)(Position *);           /* 16 */
    GAP(17, 18);
    int64_t (*TimeUpdate)(Position *);           /* 18 */
    GAP(19, 20);
    double (*PriceOpen)(Position *);             /* 20 */
    GAP(21, 22);
    double (*PriceCurrent)(Position *);          /* 22 */
    GAP(23, 24);
    double (*PriceSL)(Position *);               /* 24 */
    GAP(25, 26);
    double (*PriceTP)(Position *);               /* 26 */
    GAP(27, 28);
    uint64_t (*Volume)(Position *);              /* 28 */
    GAP(29, 30);
    double (*Profit)(Position *);                /* 30 */
    GAP(31, 32);
    double (*Storage)(Position *);               /* 32 */
    GAP(33, 44);
    const char16_t *(*Comment)(Position *);      /* 44 */
    GAP(45, 62);
    int64_t (*TimeCreateMsc)(Position *);        /* 62 */
    GAP(63, 64);
    int64_t (*TimeUpdateMsc)(Position *);        /* 64 */
    GAP(65, 74);
    uint64_t (*Position)(Position *);            /* 74 ticket */
    GAP(75, 78);
    uint32_t (*Reason)(Position *);              /* 78 */
    GAP(79, 80);
    uint64_t (*VolumeExt)(Position *);           /* 80 */
    GAP(81, POSITION_SLOTS);
} IMTPositionVtbl;

typedef struct {
    void (*Release)(User *);                     /* 0 */
    GAP(1, 4);
    uint64_t (*Login)(User *);                   /* 4 */
    GAP(5, 6);
    const char16_t *(*Group)(User *);            /* 6 */
    GAP(7, 10);
    int64_t (*Registration)(User *);             /* 10 */
    int64_t (*LastAccess)(User *);               /* 11 */
    GAP(12, 14);
    const char16_t *(*Name)(User *);             /* 14 */
    GAP(15, 20);
    const char16_t *(*Country)(User *);          /* 20 */
    GAP(21, 34);
    const char16_t *(*EMail)(User *);            /* 34 */
    GAP(35, 40);
    const char16_t *(*Comment)(User *);          /* 40 */
    GAP(41, 46);
    uint32_t (*Leverage)(User *);                /* 46 */
    GAP(47, 48);
    uint64_t (*Agent)(User *);                   /* 48 IB login */
    double (*Balance)(User *);                   /* 49 */
    double (*Credit)(User *);                    /* 50 */
    GAP(51, 89);
    uint64_t (*ClientID)(User *);                /* 89 */
    GAP(90, 91);
    const char16_t *(*FirstName)(User *);        /* 91 */
    GAP(92, 93);
    const char16_t *(*LastName)(User *);         /* 93 */
    GAP(94, USER_SLOTS);
} IMTUserVtbl;

/* IMTDealArray, IMTPositionArray and IMTUserArray share this layout; `item` is the element's pointer. */
typedef struct {
    void (*Release)(Array *);                    /* 0 */
    GAP(1, 2);
    MTAPIRES (*Clear)(Array *);                  /* 2 */
    GAP(3, 12);
    uint32_t (*Total)(Array *);                  /* 12 */
    void *(*Next)(Array *, uint32_t);            /* 13 */
    GAP(14, ARRAY_SLOTS);
} IMTArrayVtbl;

typedef struct {
    void (*Release)(Manager *);                                                                   /* 0 */
    GAP(1, 5);
    MTAPIRES (*Connect)(Manager *, const char16_t *, uint64_t, const char16_t *, const char16_t *,
                        uint64_t, uint32_t);                                                      /* 5 */
    void (*Disconnect)(Manager *);                                                                /* 6 */
    MTAPIRES (*Subscribe)(Manager *, void *);                                                     /* 7 */
    MTAPIRES (*Unsubscribe)(Manager *, void *);                                                   /* 8 */
    GAP(9, 20);
    int64_t (*TimeServer)(Manager *);                                                             /* 20 */
    GAP(21, 75);
    User *(*UserCreate)(Manager *);                                                               /* 75 */
    GAP(76, 77);
    MTAPIRES (*UserSubscribe)(Manager *, void *);                                                 /* 77 */
    MTAPIRES (*UserUnsubscribe)(Manager *, void *);                                               /* 78 */
    GAP(79, 84);
    MTAPIRES (*UserRequest)(Manager *, uint64_t, User *);                                         /* 84 */
    GAP(85, 98);
    Deal *(*DealCreate)(Manager *);                                                               /* 98 */
    Array *(*DealCreateArray)(Manager *);                                                         /* 99 */
    MTAPIRES (*DealRequestByLogin)(Manager *, uint64_t, int64_t, int64_t, Array *);               /* 100 */
    MTAPIRES (*DealRequestByTicket)(Manager *, uint64_t, Deal *);                                 /* 101 */
    MTAPIRES (*DealSubscribe)(Manager *, void *);                                                 /* 102 */
    MTAPIRES (*DealUnsubscribe)(Manager *, void *);                                               /* 103 */
    GAP(104, 107);
    Array *(*PositionCreateArray)(Manager *);                                                     /* 107 */
    MTAPIRES (*PositionSubscribe)(Manager *, void *);                                             /* 108 */
    MTAPIRES (*PositionUnsubscribe)(Manager *, void *);                                           /* 109 */
    GAP(110, 116);
    MTAPIRES (*PositionGetByGroup)(Manager *, const char16_t *, Array *);                         /* 116 */
    GAP(117, 192);
    MTAPIRES (*DealerBalance)(Manager *, uint64_t, double, uint32_t, const char16_t *, uint64_t *); /* 192 */
    GAP(193, 226);
    Array *(*UserCreateArray)(Manager *);                                                         /* 226 */
    GAP(227, 228);
    MTAPIRES (*UserRequestArray)(Manager *, const char16_t *, Array *);                           /* 228 */
    GAP(229, 321);
    MTAPIRES (*DealRequestByGroup)(Manager *, const char16_t *, int64_t, int64_t, Array *);       /* 321 */
    GAP(322, 323);
    MTAPIRES (*DealRequestByTickets)(Manager *, const uint64_t *, uint32_t, Array *);             /* 323 */
    GAP(324, 334);
    MTAPIRES (*PositionRequestByGroup)(Manager *, const char16_t *, Array *);                     /* 334 */
    GAP(335, 459);
    MTAPIRES (*UserGetByGroup)(Manager *, const char16_t *, Array *);                             /* 459 */
    GAP(460, MANAGER_SLOTS);
} IMTManagerAPIVtbl;

/* ---- sinks the binding provides: the library only calls them ---- */

typedef struct {
    void (*OnDisconnect)(void *);                                       /* 0 */
    void (*OnTradeAccountSet)(void *, uint32_t, int64_t, void *, void *, void *, void *); /* 1 */
    void (*OnConnect)(void *);                                          /* 2 */
} IMTManagerSinkVtbl;

typedef struct {
    void (*OnDealAdd)(void *, Deal *);           /* 0 */
    void (*OnDealUpdate)(void *, Deal *);        /* 1 */
    void (*OnDealDelete)(void *, Deal *);        /* 2 */
    void (*OnDealClean)(void *, uint64_t);       /* 3 */
    void (*OnDealSync)(void *);                  /* 4 */
} IMTDealSinkVtbl;

typedef struct {
    void (*OnPositionAdd)(void *, Position *);   /* 0 */
    void (*OnPositionUpdate)(void *, Position *);/* 1 */
    void (*OnPositionDelete)(void *, Position *);/* 2 */
    void (*OnPositionClean)(void *, uint64_t);   /* 3 */
    void (*OnPositionSync)(void *);              /* 4 */
} IMTPositionSinkVtbl;

typedef struct {
    void (*OnUserAdd)(void *, User *);           /* 0 */
    void (*OnUserUpdate)(void *, User *);        /* 1 */
    void (*OnUserDelete)(void *, User *);        /* 2 */
    void (*OnUserClean)(void *, uint64_t);       /* 3 */
    void (*OnUserLogin)(void *, const char16_t *, User *, uint32_t); /* 4 */
    void (*OnUserSync)(void *);                  /* 5 */
} IMTUserSinkVtbl;

/* Every object starts with its vtable pointer, as a C++ object with virtual methods does. */
typedef struct { const void *vtbl; } SinkObject;

#endif
