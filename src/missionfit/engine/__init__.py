"""The compiled core: one simulated day of collection, reporting, transmission, fusion and use.

The Mesa agents (`missionfit.model.agents.Unit`) are the model's units; for speed, their daily processes run
here over all units at once on flat arrays, compiled with numba. Every process names the passage of
Rietjens & Ruffa (2019) it models. Time is continuous inside a day: a report created at an indicator's
time crosses edges with their latencies and may make several hops in one day.

Vocabulary:
    message: a report or an assessment crossing edges. A raw report is created when a unit reports an
        observation; an assessment when a fusion branch disseminates. A message is *delivered* when it
        reaches a unit that acts on it (a fusion branch, a consumer, or a dead end), *withheld* when a
        sender declines to share it, *lost* when the channel fails, and *in flight* otherwise; so
        created = delivered + withheld + lost + in flight (report conservation).
    hop: one attempt to pass one message across one edge (counted before the share decision).

Randomness: `rng` in every function is the behaviour stream's PCG64 state (`missionfit.engine.pcg64`), advanced
inline; the model reads it from and writes it back to its Mesa `rng` around each compiled call.

Layout: attributes are rows of a few packed 2-D arrays (e.g. `net.uf[U_THRESHOLD, unit]`), because numba
passes every array argument separately; the per-message functions take only the small `Net` (what the
network is) and `Flow` (what moves on it) bundles.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from missionfit.engine.pcg64 import random as _random

# edge type codes (schema.EDGE_TYPES order), horizons, the security line
COMMAND, INTEL, COMMANDER_CHAIN, LIAISON, INFORMAL, BOARD = 0, 1, 2, 3, 4, 5
IMMINENT, MID, LONG = 0, 1, 2
SECURITY = 0
# message status and kind
IN_FLIGHT, DELIVERED, WITHHELD, LOST = 0, 1, 2, 3
RAW, ASSESSMENT = 0, 1
MAX_TTL = 8
N_DOMAINS = 6  # PMESII domains (schema.DOMAINS)
TASK_SLOTS = 4

# unit rows: floats `uf` and ints `ui`
UNIT_FLOAT_ROWS = (
    "analysts", "proactive", "responsive", "bypass", "threshold", "focus_horizon", "tasking_rate",
    "report_quality", "consumer_lead",
)
U_ANALYSTS, U_PROACTIVE, U_RESPONSIVE, U_BYPASS, U_THRESHOLD, U_FOCUS_H, U_TASKING, U_QUALITY, U_LEAD = range(9)
UNIT_INT_ROWS = (
    "sector", "security", "focus_domains", "rotation_day", "consumer_lines", "consumer_horizons",
    "consumer_scoped", "is_consumer", "is_peer", "is_sf_isr", "is_s2", "g2_of", "branch_slot",
    "unit_sector_count",
)
(
    U_SECTOR, U_SECURITY, U_FOCUS_DOM, U_ROTATION, U_LINES, U_HORIZONS, U_SCOPED, U_CONSUMER, U_PEER, U_SFISR,
    U_S2, U_G2OF, U_SLOT, U_NSECTORS,
) = range(14)
# edge rows
EDGE_INT_ROWS = ("edge_src", "edge_dst", "edge_type", "edge_board_period", "edge_directive")
E_SRC, E_DST, E_TYPE, E_PERIOD, E_DIRECTIVE = range(5)
EDGE_FLOAT_ROWS = ("edge_latency", "edge_ok", "edge_quality", "edge_share", "edge_authority")
E_LATENCY, E_OK, E_QUALITY, E_SHARE, E_AUTHORITY = range(5)
# event rows
EV_TIME, EV_SEVERITY, EV_DRAW = range(3)
EV_SECTOR, EV_LINE, EV_DOMAIN, EV_HORIZON = range(4)
# message fields: the columns of `mi` (ints) and `mf` (floats), which hold one message per row
(M_EVENT, M_ORIGIN, M_SENDER, M_DST, M_EDGE, M_KIND, M_HORIZON, M_CLASS, M_STATUS, M_AUTHORITY, M_TTL,
 M_SFROOT) = range(12)
M_QUALITY, M_READY, M_BORN = range(3)
# fusion queue rows
Q_UNIT, Q_EVENT, Q_SFROOT, Q_FROM_PEER = range(4)
Q_QUALITY, Q_BORN, Q_TIME, Q_KEY = range(4)
# per-event state rows
ES_BEST, ES_FC_WARNED, ES_ASIFU_KNOWN = range(3)
ES_INDEPENDENT, ES_PEER_ASSESSED, ES_MITIGATED = range(3)
# per (branch slot, event): `bi` (uint8, the horizon of the branch's assessment in the low two bits, and the
# flags below) and `bf` (float32, the quality of its assessment, set when it assesses and read only after);
# `bi` starts at zero and `bf` uninitialised, so the pages of pairs a branch never meets are never touched
# (they are most pairs in a large hierarchy)
B_HORIZON, B_RECEIVED_PEER, B_DECONFLICTED, B_ASSESSED = 3, 4, 8, 16
# roles
R_FC, R_ASIFU, R_JMAC, R_ROTATION, R_U2 = range(5)

#: Mechanism parameters the engine reads, in this order, in `Net.params` (`tasking_boost` is not among them:
#: compile folds it into the coverage entries' tasked probabilities, `cover_prob_tasked`).
PARAM_NAMES = (
    "share_steepness", "trust_gain", "trust_loss", "withhold_noticed", "board_trust_gain",
    "sanitize_delay_days", "sanitize_quality_loss", "task_days", "product_cycle_days",
    "fusion_gain", "escalation_quality", "baseline_mitigation", "max_mitigation", "fusion_delay_days",
)
(
    P_STEEP, P_GAIN, P_LOSS, P_NOTICED, P_BOARD_GAIN, P_SAN_DELAY, P_SAN_LOSS, P_TASK_DAYS,
    P_CYCLE, P_FUSION, P_ESCALATION, P_BASE_MIT, P_MAX_MIT, P_FUSION_DELAY,
) = range(len(PARAM_NAMES))

#: Counters, in this order, in `Flow.counters`.
COUNTER_NAMES = (
    "n_messages", "n_pending", "n_queue", "reports_created", "raw_reports", "assessments", "hops",
    "delivered", "withheld", "lost", "sanitized", "observations", "observations_reported", "tasks_issued",
    "consumer_deliveries", "consumer_relevant", "consumer_used", "asifu_to_fc_delivered", "asifu_to_fc_used",
    "s2_created", "s2_to_g2_delivered", "n_sf_reports", "event_cursor", "indicator_cursor", "overflow",
    "assessment_log",
)
(
    C_NMSG, C_NPEND, C_NQUEUE, C_CREATED, C_RAW, C_ASSESS, C_HOPS, C_DELIVERED, C_WITHHELD, C_LOST,
    C_SANITIZED, C_OBS, C_OBS_REPORTED, C_TASKS, C_CONS_DELIV, C_CONS_RELEVANT, C_CONS_USED, C_ASIFU_FC_DELIV,
    C_ASIFU_FC_USED, C_S2_CREATED, C_S2_G2, C_NSF, C_EVENT_CUR, C_IND_CUR, C_OVERFLOW, C_ASSESS_LOG,
) = range(len(COUNTER_NAMES))

#: Columns of the per-day record.
DAY_COLUMNS = (
    "events", "severity", "severity_mitigated", "reports_created", "reports_delivered", "reports_dropped",
    "hops", "fc_warned", "imminent_threats", "mean_trust", "fusion_queue",
)
D_CREATED = DAY_COLUMNS.index("reports_created")


class Net(NamedTuple):
    """What the mission and its world are: units, edges, parameters, events (read-only)."""

    ui: np.ndarray
    uf: np.ndarray
    ei: np.ndarray
    ef: np.ndarray
    adj_ptr: np.ndarray  # [edge type, unit]: CSR offsets of each unit's out-edges of a type
    params: np.ndarray
    roles: np.ndarray
    evi: np.ndarray
    evf: np.ndarray


class Flow(NamedTuple):
    """What moves: messages, trust, counters, and what consumers and cells come to know."""

    mi: np.ndarray
    mf: np.ndarray
    pending: np.ndarray  # binary min-heap of in-flight messages on arrival time
    pending_time: np.ndarray  # ... and the arrival time of each heap entry
    counters: np.ndarray
    edge_counts: np.ndarray  # per edge: hops, delivered (crossed), withheld, sanitized, lost
    trust: np.ndarray
    esi: np.ndarray
    esf: np.ndarray
    sf_reached: np.ndarray  # per SOLTG/ISR report: bit 0 reached JMAC, bit 1 reached U2 or ASIFU
    qi: np.ndarray
    qf: np.ndarray
    bi: np.ndarray


class Static(NamedTuple):
    """Read-only inputs of a replicate."""

    net: Net
    cover_ptr: np.ndarray  # [sector * n_domains + domain]: CSR offsets of the sensors covering it
    cover_prob: np.ndarray  # detection probability at full effort
    cover_prob_tasked: np.ndarray  # ... and under an open collection task
    cover_slot: np.ndarray  # the sensor's unit's observer slot in the sector (a column of `observed`)
    cover_unit: np.ndarray  # the sensor's unit
    cover_available: np.ndarray  # the day the sensor becomes available
    cover_group: np.ndarray  # the entry's (unit, cell) pair: its index in `State.task_until`
    cover_none_bound: np.ndarray  # a lower bound on the chance that no entry from this one on detects
    unit_sector_ptr: np.ndarray  # CSR offsets of each unit's covered sectors in `unit_sectors`
    unit_sectors: np.ndarray
    unit_cell_group: np.ndarray  # [(unit_sector_ptr[unit] + k) * N_DOMAINS + domain]: the group a task hits
    trust_prior: np.ndarray
    ind_time: np.ndarray
    ind_event: np.ndarray


class State(NamedTuple):
    """Everything a replicate changes."""

    flow: Flow
    day_record: np.ndarray
    line_severity: np.ndarray  # per mandate line: total, mitigated severity
    budget: np.ndarray
    observed: np.ndarray  # [event, observer slot]: that unit already observed the event
    bf: np.ndarray
    lanes: np.ndarray  # [branch slot, domain]: 1 = this cell leaves the domain to another board member
    assessment_log: np.ndarray  # [(branch, event, next), k]: every assessment in the order made, for boards;
    # `next` is the branch's next entry (-1: none yet), so a board member's entries are walked directly
    branch_log: np.ndarray  # [(first, last), unit]: a branch's first and last entry in the log (-1: none)
    queue_order: np.ndarray  # scratch for ordering the fusion queue: [2, capacity] (order, merge buffer)
    board_cursor: np.ndarray  # per board edge: the last log entry of its source offered so far (-1: none)
    task: np.ndarray  # [unit, slot]: the (unit, cell) group a task is on (-1: none, or no coverage there)
    task_expiry: np.ndarray
    task_until: np.ndarray  # per (unit, cell) pair that has coverage: latest expiry of its open tasks there


def pack_net(arrays: dict, mechanisms: dict) -> dict[str, np.ndarray]:
    """The scenario's part of the engine's `Net` from a compiled scenario's arrays and mechanisms."""

    def rows(names: tuple[str, ...], dtype: type) -> np.ndarray:
        return np.array([arrays[name] for name in names], dtype=dtype).reshape(len(names), -1)

    return {
        "ui": rows(UNIT_INT_ROWS, np.int64),
        "uf": rows(UNIT_FLOAT_ROWS, np.float64),
        "ei": rows(EDGE_INT_ROWS, np.int64),
        "ef": rows(EDGE_FLOAT_ROWS, np.float64),
        "adj_ptr": arrays["adj_ptr"],
        "params": np.array([float(mechanisms[name]) for name in PARAM_NAMES]),
        "roles": np.array(
            [arrays["fc"], arrays["asifu"], arrays["jmac"], arrays["rotation_period"], arrays["u2"]], dtype=np.int64
        ),
    }


def new_state(st: Static, n_branches: int, capacity: int, days: int) -> State:
    """Fresh state for one replicate."""
    net = st.net
    n = net.ui.shape[1]
    m = net.evf.shape[1]
    cap = int(capacity)
    esf = np.zeros((3, m))
    esf[ES_FC_WARNED:] = np.inf
    # the message, queue and log stores are written before they are read (a slot is filled when it is
    # taken), so they are left uninitialised: no page of unused capacity is ever touched
    flow = Flow(
        mi=np.empty((cap, 12), np.int32),
        mf=np.empty((cap, 3)),
        pending=np.empty(cap, np.int32),
        pending_time=np.empty(cap),
        counters=np.zeros(len(COUNTER_NAMES), np.int64),
        edge_counts=np.zeros((net.ei.shape[1], 5), np.int64),
        trust=st.trust_prior.copy(),
        esi=np.zeros((3, m), np.int64),
        esf=esf,
        sf_reached=np.empty(cap, np.int8),  # an entry is zeroed when its report is numbered
        qi=np.empty((4, cap), np.int32),
        qf=np.empty((4, cap)),
        bi=np.zeros((n_branches, m), np.uint8),
    )
    bf = np.empty((n_branches, m), np.float32)
    return State(
        flow=flow,
        day_record=np.zeros((days, len(DAY_COLUMNS))),
        line_severity=np.zeros((5, 2)),
        budget=np.zeros(n),
        observed=np.zeros((m, max(1, int(st.cover_slot.max(initial=0)) + 1)), np.bool_),
        bf=bf,
        lanes=np.zeros((n_branches, 6), np.int8),
        assessment_log=np.empty((3, cap), np.int32),
        branch_log=np.full((2, n), -1, np.int64),
        queue_order=np.empty((2, cap), np.int32),
        board_cursor=np.full(net.ei.shape[1], -1, np.int64),
        task=np.full((n, TASK_SLOTS), -1, np.int64),
        task_expiry=np.full((n, TASK_SLOTS), -1.0),
        task_until=np.full(int(st.cover_group.max(initial=-1)) + 1, -1.0),
    )


def grow_state(state: State) -> State:
    """A copy of `state` with twice the message and queue capacity."""
    fl = state.flow

    def wider(a: np.ndarray) -> np.ndarray:
        out = np.empty(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        out[..., : a.shape[-1]] = a
        return out

    def longer(a: np.ndarray) -> np.ndarray:
        out = np.empty((2 * a.shape[0],) + a.shape[1:], a.dtype)
        out[: a.shape[0]] = a
        return out

    flow = fl._replace(
        mi=longer(fl.mi), mf=longer(fl.mf), pending=wider(fl.pending), pending_time=wider(fl.pending_time),
        sf_reached=wider(fl.sf_reached),
        qi=wider(fl.qi), qf=wider(fl.qf),
    )
    return state._replace(
        flow=flow, assessment_log=wider(state.assessment_log), queue_order=wider(state.queue_order)
    )


def capacity(state: State) -> int:
    """Messages (and queue items, and logged assessments) the state can hold."""
    return state.flow.mi.shape[0]


def used(state: State) -> int:
    """The fullest of the growable stores."""
    c = state.flow.counters
    return int(max(c[C_NMSG], c[C_NQUEUE], c[C_NPEND], c[C_NSF], c[C_ASSESS_LOG]))


# Compilation. numba passes every array of a namedtuple argument as ~9 scalars and, with its reference
# counting (NRT) on, increfs and decrefs each array on entry to and exit from every non-inlined call: with
# ~20 arrays per call that dominated the per-message cost (docs/performance.md). So the per-message
# functions are inlined into their callers by LLVM (`forceinline`) and every function that allocates
# nothing runs without reference counting (`_nrt=False`; the arrays are owned by the caller, as always).
# Nothing in a replicate's run allocates (scratch, such as the fusion queue's ordering, lives in `State`),
# so no compiled function needs NRT. The flags are explicit on every function because numba lets a callee
# inherit unset flags from whichever caller compiles it first.
_inlined = numba.njit(cache=True, _nrt=False, forceinline=True)
_kernel = numba.njit(cache=True, _nrt=False, forceinline=False)


# --------------------------------------------------------------------------------------------------
# messages in flight: a binary min-heap on arrival time


@_inlined
def _heap_push(fl, k):
    # the heap keeps each entry's arrival time beside it, so sifting compares without a lookup per level
    i = fl.counters[C_NPEND]
    fl.counters[C_NPEND] = i + 1
    t = fl.mf[k, M_READY]
    while i > 0:
        parent = (i - 1) // 2
        if fl.pending_time[parent] <= t:
            break
        fl.pending[i] = fl.pending[parent]
        fl.pending_time[i] = fl.pending_time[parent]
        i = parent
    fl.pending[i] = k
    fl.pending_time[i] = t


@_inlined
def _heap_pop(fl):
    n = fl.counters[C_NPEND] - 1
    top = fl.pending[0]
    last = fl.pending[n]
    t = fl.pending_time[n]
    fl.counters[C_NPEND] = n
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and fl.pending_time[child + 1] < fl.pending_time[child]:
            child += 1
        if fl.pending_time[child] >= t:
            break
        fl.pending[i] = fl.pending[child]
        fl.pending_time[i] = fl.pending_time[child]
        i = child
    if n > 0:
        fl.pending[i] = last
        fl.pending_time[i] = t
    return top


# --------------------------------------------------------------------------------------------------
# creating and sending messages


@_inlined
def _new_message(net, fl, event, origin, kind, horizon, quality, klass, born, authority, sfroot):
    k = fl.counters[C_NMSG]
    if k >= fl.mi.shape[0]:
        fl.counters[C_OVERFLOW] = 1
        return -1
    fl.counters[C_NMSG] = k + 1
    fl.counters[C_CREATED] += 1
    if kind == RAW:
        fl.counters[C_RAW] += 1
    if net.ui[U_S2, origin]:
        fl.counters[C_S2_CREATED] += 1
    mi = fl.mi
    mi[k, M_EVENT] = event
    mi[k, M_ORIGIN] = origin
    mi[k, M_SENDER] = origin
    mi[k, M_DST] = -1
    mi[k, M_EDGE] = -1
    mi[k, M_KIND] = kind
    mi[k, M_HORIZON] = horizon
    mi[k, M_CLASS] = klass
    mi[k, M_STATUS] = IN_FLIGHT
    mi[k, M_AUTHORITY] = authority
    mi[k, M_TTL] = 0
    mi[k, M_SFROOT] = sfroot
    fl.mf[k, M_QUALITY] = quality
    fl.mf[k, M_READY] = born
    fl.mf[k, M_BORN] = born
    return k


@_inlined
def _clone(net, fl, k):
    mi = fl.mi
    c = _new_message(
        net, fl, mi[k, M_EVENT], mi[k, M_ORIGIN], mi[k, M_KIND], mi[k, M_HORIZON], fl.mf[k, M_QUALITY],
        mi[k, M_CLASS], fl.mf[k, M_BORN], mi[k, M_AUTHORITY], mi[k, M_SFROOT],
    )
    if c >= 0:
        mi[c, M_TTL] = mi[k, M_TTL]
    return c


@_inlined
def _send(net, fl, rng, k, edge, t):
    """One hop: message `k` leaves its holder over `edge` at time `t`.

    The three filters of MODEL.md §3.4, in order:
    1. the sender shares (trust above threshold, lowered by rivalry and the civil-military distance,
       pp. 394-397), unless a tasking's authority or a directive board overrides its reluctance (p. 395: ASIFU
       "did not have the authority to send out data collection tasks"; p. 396: the JCB "had no directive
       powers");
    2. the receiver may hold the classification, else the sender sanitizes: delay and loss of metadata
       (p. 400: the "UN-classified" network; only sanitized INTREPs were shared);
    3. the channel works: latency and loss from both ends' tech level, a missing common language and a
       procedure mismatch (pp. 398-400).
    """
    ei, ef, mi, mf = net.ei, net.ef, fl.mi, fl.mf
    sender = ei[E_SRC, edge]
    receiver = ei[E_DST, edge]
    fl.counters[C_HOPS] += 1
    fl.edge_counts[edge, 0] += 1
    authority = (mi[k, M_AUTHORITY] != 0 and sender == mi[k, M_ORIGIN]) or _random(rng) < ef[E_AUTHORITY, edge]
    if not authority:
        # p. 394: "intelligence is a trust sport, which you only play with those you trust"
        gap = fl.trust[sender, receiver] - net.uf[U_THRESHOLD, sender]
        p_share = ef[E_SHARE, edge] / (1.0 + np.exp(-net.params[P_STEEP] * gap))
        if _random(rng) >= p_share:
            mi[k, M_STATUS] = WITHHELD
            fl.counters[C_WITHHELD] += 1
            fl.edge_counts[edge, 2] += 1
            if _random(rng) < net.params[P_NOTICED]:
                # withholding, when noticed, costs the sender the receiver's trust (pp. 395-396)
                fl.trust[receiver, sender] -= net.params[P_LOSS] * fl.trust[receiver, sender]
            return
    latency = ef[E_LATENCY, edge]
    if mi[k, M_CLASS] > net.ui[U_SECURITY, receiver]:
        latency += net.params[P_SAN_DELAY]
        mf[k, M_QUALITY] *= 1.0 - net.params[P_SAN_LOSS]
        mi[k, M_CLASS] = net.ui[U_SECURITY, receiver]
        fl.counters[C_SANITIZED] += 1
        fl.edge_counts[edge, 3] += 1
    if _random(rng) >= ef[E_OK, edge]:
        mi[k, M_STATUS] = LOST
        fl.counters[C_LOST] += 1
        fl.edge_counts[edge, 4] += 1
        return
    mf[k, M_QUALITY] *= ef[E_QUALITY, edge]
    mi[k, M_SENDER] = sender
    mi[k, M_DST] = receiver
    mi[k, M_EDGE] = edge
    mi[k, M_TTL] += 1
    mf[k, M_READY] = t + latency
    fl.edge_counts[edge, 1] += 1
    _heap_push(fl, k)


@_inlined
def _send_along(net, fl, rng, k, holder, etype, t, exclude):
    """Send message `k` over every out-edge of `holder` of type `etype`, cloning for the second and later.

    Returns how many edges it went out on; 0 leaves `k` untouched.
    """
    sent = 0
    for edge in range(net.adj_ptr[etype, holder], net.adj_ptr[etype, holder + 1]):
        if net.ei[E_DST, edge] == exclude:
            continue
        msg = k if sent == 0 else _clone(net, fl, k)
        if msg < 0:
            return sent
        _send(net, fl, rng, msg, edge, t)
        sent += 1
    return sent


@_inlined
def _out_degree(net, unit, etype):
    return net.adj_ptr[etype, unit + 1] - net.adj_ptr[etype, unit]


# --------------------------------------------------------------------------------------------------
# decision and use


@_inlined
def _decide(net, fl, rng, v, event, horizon, quality, origin, kind, t):
    """A consumer meets a piece of intelligence and uses it or not (MODEL.md §3.8).

    It is used when relevant to the consumer's need (mandate line, horizon, sector), timely (arrives before
    the event minus the action lead time) and trusted. p. 394: ASIFU's products "became rather detached
    from the Force Commander's main interest and were therefore only used to a limited extent". Using
    useful, accurate intelligence raises the consumer's trust in its producer; wrong intelligence lowers it.
    """
    ui, uf = net.ui, net.uf
    fc = net.roles[R_FC]
    ev_time = net.evf[EV_TIME, event]
    fl.counters[C_CONS_DELIV] += 1
    asifu_to_fc = v == fc and kind == ASSESSMENT and origin == net.roles[R_ASIFU]
    if asifu_to_fc:
        fl.counters[C_ASIFU_FC_DELIV] += 1
    if v == fc and horizon == IMMINENT and t <= ev_time - uf[U_LEAD, fc] and t < fl.esf[ES_FC_WARNED, event]:
        fl.esf[ES_FC_WARNED, event] = t
    line_ok = (ui[U_LINES, v] >> net.evi[EV_LINE, event]) & 1
    horizon_ok = (ui[U_HORIZONS, v] >> horizon) & 1
    sector_ok = ui[U_SCOPED, v] == 0 or net.evi[EV_SECTOR, event] == ui[U_SECTOR, v]
    if not (line_ok and horizon_ok and sector_ok):
        return
    fl.counters[C_CONS_RELEVANT] += 1
    if t > ev_time - uf[U_LEAD, v]:
        return
    if origin != v:
        gap = fl.trust[v, origin] - uf[U_THRESHOLD, v]
        if _random(rng) >= 1.0 / (1.0 + np.exp(-net.params[P_STEEP] * gap)):
            return
    fl.counters[C_CONS_USED] += 1
    if asifu_to_fc:
        fl.counters[C_ASIFU_FC_USED] += 1
    if quality > fl.esf[ES_BEST, event]:
        fl.esf[ES_BEST, event] = quality
    if origin != v:
        if _random(rng) < quality:
            fl.trust[v, origin] += net.params[P_GAIN] * (1.0 - fl.trust[v, origin])
        else:
            fl.trust[v, origin] -= net.params[P_LOSS] * fl.trust[v, origin]


# --------------------------------------------------------------------------------------------------
# fusion


@_inlined
def _enqueue(net, fl, b, event, quality, born, t, sfroot, from_peer):
    """A fusion branch receives something to analyse."""
    q = fl.counters[C_NQUEUE]
    if q >= fl.qi.shape[1]:
        fl.counters[C_OVERFLOW] = 1
        return
    fl.counters[C_NQUEUE] = q + 1
    fl.qi[Q_UNIT, q] = b
    fl.qi[Q_EVENT, q] = event
    fl.qi[Q_SFROOT, q] = sfroot
    fl.qi[Q_FROM_PEER, q] = from_peer
    fl.qf[Q_QUALITY, q] = quality
    fl.qf[Q_BORN, q] = born
    fl.qf[Q_TIME, q] = t
    if from_peer:
        fl.bi[net.ui[U_SLOT, b], event] |= B_RECEIVED_PEER
    if b == net.roles[R_ASIFU] and t < fl.esf[ES_ASIFU_KNOWN, event]:
        fl.esf[ES_ASIFU_KNOWN, event] = t


@_inlined
def _disseminate(net, fl, rng, b, event, horizon, quality, born, sfroot, t):
    """Send a branch's assessment to everyone it reports to: its intel, informal and liaison out-edges."""
    fl.counters[C_ASSESS] += 1
    if sfroot < 0 and net.ui[U_SFISR, b]:
        sfroot = fl.counters[C_NSF]
        fl.counters[C_NSF] += 1
        fl.sf_reached[sfroot] = 0
    for etype in (INTEL, INFORMAL, LIAISON):
        for edge in range(net.adj_ptr[etype, b], net.adj_ptr[etype, b + 1]):
            k = _new_message(net, fl, event, b, ASSESSMENT, horizon, quality, net.ui[U_SECURITY, b], born, 0, sfroot)
            if k < 0:
                return
            _send(net, fl, rng, k, edge, t)
    if net.ui[U_CONSUMER, b]:
        _decide(net, fl, rng, b, event, horizon, quality, b, ASSESSMENT, t)


@_inlined
def _log_assessment(s, b, e):
    n = s.flow.counters[C_ASSESS_LOG]
    if n >= s.assessment_log.shape[1]:
        s.flow.counters[C_OVERFLOW] = 1
        return
    s.assessment_log[0, n] = b
    s.assessment_log[1, n] = e
    s.assessment_log[2, n] = -1
    last = s.branch_log[1, b]
    if last < 0:
        s.branch_log[0, b] = n
    else:
        s.assessment_log[2, last] = n
    s.branch_log[1, b] = n
    s.flow.counters[C_ASSESS_LOG] = n + 1


@_kernel
def _refill_budgets(st, s):
    """Each day a branch can analyse `analysts` items; unused capacity carries over a little."""
    uf = st.net.uf
    for b in range(uf.shape[1]):
        if uf[U_ANALYSTS, b] > 0:
            s.budget[b] = min(s.budget[b] + uf[U_ANALYSTS, b], 2.0 * uf[U_ANALYSTS, b] + 1.0)


@_kernel
def _stable_order(keys, n, order, buffer):
    """Fill `order[:n]` with `0 .. n-1` sorted by `keys`, ties in index (arrival) order: a stable sort.

    Allocation-free (`buffer` is scratch of the same size), so fusion runs without reference counting:
    runs of 16 are insertion-sorted, then merged bottom-up, alternating between `order` and `buffer`.
    """
    run = 16
    for i in range(n):
        order[i] = i
    for lo in range(0, n, run):
        for i in range(lo + 1, min(lo + run, n)):
            v = order[i]
            j = i - 1
            while j >= lo and keys[order[j]] > keys[v]:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = v
    width = run
    in_buffer = False
    while width < n:
        src, dst = (buffer, order) if in_buffer else (order, buffer)
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a, b = lo, mid
            for k in range(lo, hi):
                if b < hi and (a >= mid or keys[src[b]] < keys[src[a]]):
                    dst[k] = src[b]
                    b += 1
                else:
                    dst[k] = src[a]
                    a += 1
        in_buffer = not in_buffer
        width *= 2
    if in_buffer:
        for i in range(n):
            order[i] = buffer[i]


@_kernel
def _fuse(st, s, rng, day):
    """Intelligence branches turn what they received into assessments, capacity-limited (MODEL.md §3.5).

    p. 394: S2, G2 and U2 were "understaffed"; ASIFU "largely maintained its original focus on
    comprehensive intelligence on the mid- and long-term", so a current threat it assesses is, with
    probability equal to its long-term focus, folded into a periodic long-term product instead of a current
    warning. Items are taken by priority (the branch's horizon and domain focus), an assessment leaves
    `fusion_delay_days` after its input arrived (or after the day began, for a backlog), items about events
    that already happened are dropped (overtaken by events), and what exceeds the day's capacity waits.
    A mission-level cell skips items of a domain a board gave to another cell (its "lane"), unless the item is
    that cell's assessment. Two mission-level cells assessing the same event without having received the
    other's assessment is duplication (p. 396). Returns the number of assessments made.
    """
    net, fl = st.net, s.flow
    ui, uf, qi, qf = net.ui, net.uf, fl.qi, fl.qf
    nq = fl.counters[C_NQUEUE]
    if nq == 0:
        return 0
    for q in range(nq):
        b = qi[Q_UNIT, q]
        e = qi[Q_EVENT, q]
        fh = uf[U_FOCUS_H, b]
        priority = (1.0 - fh) if net.evi[EV_HORIZON, e] == IMMINENT else fh
        if (ui[U_FOCUS_DOM, b] >> net.evi[EV_DOMAIN, e]) & 1:
            priority += 1.0
        # branch first, then descending priority, then arrival time
        qf[Q_KEY, q] = b * 16.0 + (3.0 - priority) * 4.0 + min(max(qf[Q_TIME, q] - day, 0.0), 3.99) * 0.25
    order = s.queue_order[0]
    _stable_order(qf[Q_KEY], nq, order, s.queue_order[1])
    # what waits for capacity is marked by a negative key (keys are >= 0)
    made = 0
    for idx in range(nq):
        q = order[idx]
        b = qi[Q_UNIT, q]
        e = qi[Q_EVENT, q]
        slot = ui[U_SLOT, b]
        start = max(qf[Q_TIME, q], float(day))
        if net.evf[EV_TIME, e] <= start:
            continue  # overtaken by events
        if fl.bi[slot, e] & B_ASSESSED:
            if qf[Q_QUALITY, q] > s.bf[slot, e]:
                s.bf[slot, e] = qf[Q_QUALITY, q]
            continue
        if not qi[Q_FROM_PEER, q] and ((fl.bi[slot, e] & B_DECONFLICTED) or s.lanes[slot, net.evi[EV_DOMAIN, e]]):
            continue  # a board gave this event, or this domain, to another cell
        if s.budget[b] < 1.0:
            qf[Q_KEY, q] = -1.0
            continue
        s.budget[b] -= 1.0
        made += 1
        t_out = start + net.params[P_FUSION_DELAY]
        fl.bi[slot, e] |= B_ASSESSED
        if ui[U_PEER, b]:
            fl.esi[ES_PEER_ASSESSED, e] = 1
            if not (fl.bi[slot, e] & B_RECEIVED_PEER):
                fl.esi[ES_INDEPENDENT, e] += 1
        horizon = net.evi[EV_HORIZON, e]
        if horizon == IMMINENT and _random(rng) < uf[U_FOCUS_H, b]:
            horizon = LONG
            t_out += net.params[P_CYCLE]
        quality = qf[Q_QUALITY, q] + (1.0 - qf[Q_QUALITY, q]) * net.params[P_FUSION]
        fl.bi[slot, e] |= horizon  # (the horizon bits are still zero: a branch assesses an event once)
        s.bf[slot, e] = quality
        _log_assessment(s, b, e)
        _disseminate(net, fl, rng, b, e, horizon, quality, qf[Q_BORN, q], qi[Q_SFROOT, q], t_out)
    # keep only what waits for capacity
    w = 0
    for q in range(nq):
        if qf[Q_KEY, q] < 0.0:
            for r in range(4):
                qi[r, w] = qi[r, q]
                qf[r, w] = qf[r, q]
            w += 1
    fl.counters[C_NQUEUE] = w
    return made


# --------------------------------------------------------------------------------------------------
# arrival of a message


@_inlined
def _arrive(net, fl, rng, k):
    """Message `k` reaches its receiver: delivered to a branch, a consumer or a dead end, else relayed."""
    mi, mf, ui = fl.mi, fl.mf, net.ui
    v = mi[k, M_DST]
    t = mf[k, M_READY]
    edge = mi[k, M_EDGE]
    etype = net.ei[E_TYPE, edge]
    is_branch = net.uf[U_ANALYSTS, v] > 0
    is_consumer = ui[U_CONSUMER, v] != 0
    if not (is_branch or is_consumer) and mi[k, M_TTL] < MAX_TTL:
        # a relay (e.g. a liaison officer) passes the message on along the same kind of edge
        if _send_along(net, fl, rng, k, v, etype, t, mi[k, M_SENDER]) > 0:
            return
    mi[k, M_STATUS] = DELIVERED
    fl.counters[C_DELIVERED] += 1
    e = mi[k, M_EVENT]
    origin = mi[k, M_ORIGIN]
    if ui[U_S2, origin] and v == ui[U_G2OF, origin]:
        fl.counters[C_S2_G2] += 1
    sfroot = mi[k, M_SFROOT]
    if sfroot >= 0:
        if v == net.roles[R_JMAC]:
            fl.sf_reached[sfroot] |= 1
        if v == net.roles[R_U2] or v == net.roles[R_ASIFU]:
            fl.sf_reached[sfroot] |= 2
    if v == net.roles[R_ASIFU] and t < fl.esf[ES_ASIFU_KNOWN, e]:
        fl.esf[ES_ASIFU_KNOWN, e] = t
    if is_consumer:
        _decide(net, fl, rng, v, e, mi[k, M_HORIZON], mf[k, M_QUALITY], origin, mi[k, M_KIND], t)
    if is_branch:
        from_peer = mi[k, M_KIND] == ASSESSMENT and ui[U_PEER, origin] != 0 and origin != v
        if etype == BOARD and net.ei[E_DIRECTIVE, edge]:
            fl.bi[ui[U_SLOT, v], e] |= B_DECONFLICTED
        _enqueue(net, fl, v, e, mf[k, M_QUALITY], mf[k, M_BORN], t, mi[k, M_SFROOT], from_peer)
    if etype == COMMANDER_CHAIN and is_consumer and _out_degree(net, v, COMMANDER_CHAIN) > 0:
        # the commander passes it up his own chain: "if you are unlucky the Sector commander reports it to
        # the Force Commander" (p. 399)
        up = _new_message(
            net, fl, e, origin, RAW, mi[k, M_HORIZON], mf[k, M_QUALITY], mi[k, M_CLASS], mf[k, M_BORN], 0,
            mi[k, M_SFROOT],
        )
        if up >= 0:
            mi[up, M_SENDER] = v
            if _send_along(net, fl, rng, up, v, COMMANDER_CHAIN, t, -1) == 0:
                mi[up, M_STATUS] = DELIVERED
                fl.counters[C_DELIVERED] += 1


@_kernel
def _process_arrivals(net, fl, rng, day):
    """Deliver or relay every message that arrives before the end of `day`, in arrival order."""
    end = day + 1.0
    while fl.counters[C_NPEND] > 0 and fl.pending_time[0] < end:
        _arrive(net, fl, rng, _heap_pop(fl))


# --------------------------------------------------------------------------------------------------
# collection and reporting


@_inlined
def _report(net, fl, rng, u, e, t, tasked):
    """The reporting decision of MODEL.md §3.3.

    A proactive unit reports; an on-request unit reports only when tasked (p. 398: "they really have to be
    tasked"; p. 397: in West-African command culture intelligence is "to find out little things for the
    commander when asked"). Quality is report-writing skill, raised by formats (p. 400). A unit with a low
    intelligence culture sends the report up the commander chain instead of to its S2 (p. 399), where it
    stays unfused and the intelligence branch never learns of it.
    """
    ui, uf = net.ui, net.uf
    fl.counters[C_OBS] += 1
    quality = uf[U_QUALITY, u]
    sfroot = -1
    if ui[U_SFISR, u]:
        sfroot = fl.counters[C_NSF]
        fl.counters[C_NSF] += 1
        fl.sf_reached[sfroot] = 0
    if uf[U_ANALYSTS, u] > 0:
        # a unit with its own analysis cell (e.g. the ISR company's all-source cell) fuses what it sees
        fl.counters[C_OBS_REPORTED] += 1
        _enqueue(net, fl, u, e, quality, t, t, sfroot, False)
        return
    if ui[U_CONSUMER, u]:
        _decide(net, fl, rng, u, e, net.evi[EV_HORIZON, e], quality, u, RAW, t)
    p_report = uf[U_RESPONSIVE, u] if tasked else uf[U_PROACTIVE, u]
    if _random(rng) >= p_report:
        return
    channel = INTEL
    if _out_degree(net, u, COMMANDER_CHAIN) > 0 and (
        _out_degree(net, u, INTEL) == 0 or _random(rng) < uf[U_BYPASS, u]
    ):
        channel = COMMANDER_CHAIN
        quality *= net.params[P_ESCALATION]
    k = _new_message(net, fl, e, u, RAW, net.evi[EV_HORIZON, e], quality, ui[U_SECURITY, u], t, tasked, sfroot)
    if k < 0:
        return
    sent = _send_along(net, fl, rng, k, u, channel, t, -1)
    for etype in (INFORMAL, LIAISON):
        if _out_degree(net, u, etype) > 0:
            if sent == 0:
                sent = _send_along(net, fl, rng, k, u, etype, t, -1)
            else:
                c = _clone(net, fl, k)
                if c >= 0:
                    sent += _send_along(net, fl, rng, c, u, etype, t, -1)
    if sent == 0:
        # nobody to report to: the report stays with its author
        fl.mi[k, M_STATUS] = DELIVERED
        fl.counters[C_DELIVERED] += 1
    fl.counters[C_OBS_REPORTED] += 1


@_kernel
def _next_detection(st, s, rng, e, j, end, t):
    """The first coverage entry in `j` .. `end - 1` whose sensor detects event `e`'s indicator at `t`.

    Returns `end` if none does. The candidates are independent Bernoulli trials (those that have not yet
    observed the event and are available; an open collection task on the cell raises the probability,
    `cover_prob_tasked`). The first success is drawn by inversion with one uniform `u`: it is the first `j`
    at which the probability that all trials so far fail, the product of `1 - p`, drops to `u` or below,
    since that happens at `j` with probability `prod(1 - p_i, i < j) * p_j`. Exactly the distribution of
    one draw per candidate, at one draw per detection; it is the innermost loop of a replicate (about 20
    candidates per indicator), so it is kept small and out of line, where its values stay in registers.
    A draw below `cover_none_bound` needs no scan at all: it is a lower bound on the chance that all fail.
    """
    if j >= end:
        return end
    u = _random(rng)
    if u < st.cover_none_bound[j]:
        # even if every entry left took part at its highest probability, all would fail: no scan needed
        return end
    observed = s.observed
    all_fail = 1.0
    while j < end:
        # branch-free: which candidates take part and which are tasked is data the CPU cannot predict
        takes_part = (not observed[e, st.cover_slot[j]]) & (st.cover_available[j] <= t)
        tasked = s.task_until[st.cover_group[j]] >= t
        p = st.cover_prob[j] + (st.cover_prob_tasked[j] - st.cover_prob[j]) * tasked
        all_fail *= 1.0 - p * takes_part
        if all_fail <= u:
            return j
        j += 1
    return end


@_kernel
def _collect(st, s, rng, day):
    """Units detect the indicators emitted today in the sectors their sensors cover (MODEL.md §3.2).

    Detection probability comes from the sensor's coverage, its availability date (p. 401: UAV
    accreditation "took the Dutch contingent almost half a year"), the unit's effort (mandate drift, p. 395;
    escorts, p. 400), HUMINT access through language and local knowledge (p. 398), and is raised for an
    open collection task on that sector and domain.
    """
    net, fl = st.net, s.flow
    end = day + 1.0
    i = fl.counters[C_IND_CUR]
    n_ind = st.ind_time.size
    while i < n_ind and st.ind_time[i] < end:
        t = st.ind_time[i]
        e = st.ind_event[i]
        cell = net.evi[EV_SECTOR, e] * N_DOMAINS + net.evi[EV_DOMAIN, e]
        last = st.cover_ptr[cell + 1]
        j = _next_detection(st, s, rng, e, st.cover_ptr[cell], last, t)
        while j < last:
            s.observed[e, st.cover_slot[j]] = True
            _report(net, fl, rng, st.cover_unit[j], e, t, s.task_until[st.cover_group[j]] >= t)
            j = _next_detection(st, s, rng, e, j + 1, last, t)
        i += 1
    fl.counters[C_IND_CUR] = i


@_inlined
def _pick_bit(mask, width, r):
    """The `r`-th (uniform r in [0, 1)) set bit of `mask`, or -1 if none is set."""
    n = 0
    for b in range(width):
        n += (mask >> b) & 1
    if n == 0:
        return -1
    pick = int(r * n)
    for b in range(width):
        if (mask >> b) & 1:
            if pick == 0:
                return b
            pick -= 1
    return -1


@_inlined
def _refresh_task_until(s, w, group):
    """Recompute the latest expiry of unit `w`'s open tasks on `group` (nothing for -1)."""
    if group < 0:
        return
    until = -1.0
    for j in range(TASK_SLOTS):
        if s.task[w, j] == group and s.task_expiry[w, j] > until:
            until = s.task_expiry[w, j]
    s.task_until[group] = until


@_kernel
def _task(st, s, rng, day):
    """Commanders and cells issue requests for information down their command edges (MODEL.md §3.7).

    Each day a tasker tasks each subordinate that can collect with probability `tasking_rate`, on a sector
    the subordinate covers and a PMESII domain of the tasker's focus. p. 395: ASIFU "did not have the
    authority to send out data collection tasks" to SOLTG and the helicopters; p. 398: African battalions
    "really have to be tasked".
    """
    net, fl = st.net, s.flow
    t = float(day)
    for u in range(net.uf.shape[1]):
        rate = net.uf[U_TASKING, u]
        if rate <= 0:
            continue
        for edge in range(net.adj_ptr[COMMAND, u], net.adj_ptr[COMMAND, u + 1]):
            w = net.ei[E_DST, edge]
            n_sec = net.ui[U_NSECTORS, w]
            if n_sec == 0 or _random(rng) >= rate:
                continue
            k = st.unit_sector_ptr[w] + int(_random(rng) * n_sec)  # the sector: the k-th the unit covers
            dom = _pick_bit(net.ui[U_FOCUS_DOM, u], 6, _random(rng))
            if dom < 0:
                continue
            slot = 0
            for j in range(TASK_SLOTS):
                if s.task_expiry[w, j] < s.task_expiry[w, slot]:
                    slot = j
            old = s.task[w, slot]
            group = st.unit_cell_group[k * N_DOMAINS + dom]
            s.task[w, slot] = group
            s.task_expiry[w, slot] = t + net.params[P_TASK_DAYS]
            fl.counters[C_TASKS] += 1
            _refresh_task_until(s, w, old)
            _refresh_task_until(s, w, group)


# --------------------------------------------------------------------------------------------------
# boards, rotation, outcomes


@_kernel
def _boards(st, s, rng, day):
    """Coordination bodies meet (MODEL.md §3.6; p. 396, the weekly JCB).

    At a meeting each member offers the others the assessments it made since the last meeting, and the
    mission-level cells agree on lanes (role clarity, p. 403). A coordinating-only board leaves both to each
    member's will (trust and rivalry filter them; p. 396: "no directive powers, which clearly limited its
    effectiveness"); a directive board mandates them. Meetings also build trust between members (p. 396:
    the JCB "facilitated communication").
    """
    if day == 0:
        return
    net, fl = st.net, s.flow
    n = net.uf.shape[1]
    for edge in range(net.adj_ptr[BOARD, 0], net.adj_ptr[BOARD, n]):
        period = net.ei[E_PERIOD, edge]
        if period <= 0 or day % period != 0:
            continue
        a = net.ei[E_SRC, edge]
        b = net.ei[E_DST, edge]
        fl.trust[a, b] += net.params[P_BOARD_GAIN] * (1.0 - fl.trust[a, b])
        slot_a = net.ui[U_SLOT, a]
        if slot_a < 0:
            continue
        slot_b = net.ui[U_SLOT, b]
        # a's assessments since the edge's last meeting, in the order made
        last = s.board_cursor[edge]
        j = s.branch_log[0, a] if last < 0 else s.assessment_log[2, last]
        while j >= 0:
            last = j
            e = s.assessment_log[1, j]
            j = s.assessment_log[2, j]
            if net.evf[EV_TIME, e] <= day or (slot_b >= 0 and fl.bi[slot_b, e] & B_ASSESSED):
                continue
            k = _new_message(
                net, fl, e, a, ASSESSMENT, fl.bi[slot_a, e] & B_HORIZON, s.bf[slot_a, e],
                net.ui[U_SECURITY, a], float(day), 0, -1,
            )
            if k < 0:
                return
            _send(net, fl, rng, k, edge, float(day))
        s.board_cursor[edge] = last
        if slot_b >= 0 and net.ui[U_PEER, a] and net.ui[U_PEER, b]:
            # role clarity (p. 403: "increase role clarity between ASIFU and JMAC"): for each PMESII domain
            # the board names a lead cell, the one that focuses on it with the larger capacity; the other
            # keeps out of that lane: always under a directive board, voluntarily (as it would share) under
            # a coordinating one
            directive = net.ei[E_DIRECTIVE, edge] != 0
            for d in range(6):
                a_on = (net.ui[U_FOCUS_DOM, a] >> d) & 1
                b_on = (net.ui[U_FOCUS_DOM, b] >> d) & 1
                a_leads = a_on and (not b_on or net.uf[U_ANALYSTS, a] > net.uf[U_ANALYSTS, b] or (
                    net.uf[U_ANALYSTS, a] == net.uf[U_ANALYSTS, b] and a < b))
                if not a_leads or s.lanes[slot_b, d]:
                    continue
                if directive:
                    s.lanes[slot_b, d] = 1
                else:
                    gap = fl.trust[b, a] - net.uf[U_THRESHOLD, b]
                    p_keep_out = net.ef[E_SHARE, edge] / (1.0 + np.exp(-net.params[P_STEEP] * gap))
                    if _random(rng) < p_keep_out:
                        s.lanes[slot_b, d] = 1


@_kernel
def _rotate(st, s, day):
    """Contingents rotate: a rotated unit's relationships fall back to the priors (MODEL.md §2)."""
    net, trust = st.net, s.flow.trust
    period = net.roles[R_ROTATION]
    n = net.ui.shape[1]
    for u in range(n):
        r = net.ui[U_ROTATION, u]
        since = day - r
        if r < 0 or day <= 0 or since < 0:
            continue
        if since >= period:  # (a division per unit and day only when a run outlasts the period)
            since %= period
        if since != 0:
            continue
        for j in range(n):
            trust[u, j] = st.trust_prior[u, j]
            trust[j, u] = st.trust_prior[j, u]


@_kernel
def _outcomes(st, s, day):
    """Events of the day materialize; warnings used in time raise the chance of mitigation (§3.8).

    p = baseline + (max - baseline) * quality of the best warning a responsible consumer used in time; the
    event is mitigated when its world-stream draw falls below p. Without any warning the small baseline
    remains, so the metric measures what information adds, not what presence alone achieves.
    """
    net, fl = st.net, s.flow
    end = day + 1.0
    i = fl.counters[C_EVENT_CUR]
    base = net.params[P_BASE_MIT]
    top = net.params[P_MAX_MIT]
    rec = s.day_record[day]
    m = net.evf.shape[1]
    while i < m and net.evf[EV_TIME, i] < end:
        p = base + (top - base) * fl.esf[ES_BEST, i]
        mitigated = net.evf[EV_DRAW, i] < p
        fl.esi[ES_MITIGATED, i] = mitigated
        line = net.evi[EV_LINE, i]
        sev = net.evf[EV_SEVERITY, i]
        s.line_severity[line, 0] += sev
        rec[0] += 1
        rec[1] += sev
        if mitigated:
            s.line_severity[line, 1] += sev
            rec[2] += sev
        if net.evi[EV_HORIZON, i] == IMMINENT and line == SECURITY:
            rec[8] += 1
            if fl.esf[ES_FC_WARNED, i] < np.inf:
                rec[7] += 1
        i += 1
    fl.counters[C_EVENT_CUR] = i


@_kernel
def step_day(st, s, rng, day):
    """Run one simulated day and record it; returns False if message or queue capacity ran out.

    Order: rotation, board meetings, tasking, collection and reporting (reports leave at the indicator's
    time), then transmission and fusion in turns until nothing more arrives before midnight, outcomes.
    """
    net, fl = st.net, s.flow
    c = fl.counters
    before = (c[C_CREATED], c[C_DELIVERED], c[C_WITHHELD] + c[C_LOST], c[C_HOPS])
    _rotate(st, s, day)
    _boards(st, s, rng, day)
    _task(st, s, rng, day)
    _refill_budgets(st, s)
    _collect(st, s, rng, day)
    # transmission and fusion alternate until the day's work is done: a current warning can travel
    # collector -> cells -> commander within the day when channels and capacity allow
    for _ in range(8):
        _process_arrivals(net, fl, rng, day)
        if _fuse(st, s, rng, day) == 0:
            break
    _process_arrivals(net, fl, rng, day)
    _outcomes(st, s, day)
    rec = s.day_record[day]
    rec[3] = c[C_CREATED] - before[0]
    rec[4] = c[C_DELIVERED] - before[1]
    rec[5] = c[C_WITHHELD] + c[C_LOST] - before[2]
    rec[6] = c[C_HOPS] - before[3]
    # mean trust over the formal reporting edges: the intel and commander-chain edges, which are adjacent
    # in edge order (edges are sorted by type)
    n = net.ui.shape[1]
    total = 0.0
    first, stop = net.adj_ptr[INTEL, 0], net.adj_ptr[COMMANDER_CHAIN, n]
    for edge in range(first, stop):
        total += fl.trust[net.ei[E_SRC, edge], net.ei[E_DST, edge]]
    rec[9] = total / (stop - first) if stop > first else np.nan
    rec[10] = c[C_NQUEUE]
    return c[C_OVERFLOW] == 0


@_kernel
def run_days(st, s, rng, first, last, busiest):
    """Run days `first` .. `last - 1` in one compiled call (the fast path for batch runs).

    Before each day it checks that the growable stores have room for three times the busiest day so far
    (`busiest` reports a day, at least) plus a fixed margin; if not, it stops and returns that day, so
    the caller can grow the state (`grow_state`) and call again. Returns the first day not run (`last`
    when done); a day is never cut short, so where it stops does not change any result.
    """
    fl = s.flow
    c = fl.counters
    cap = fl.mi.shape[0]
    for day in range(first, last):
        if day > first:
            busiest = max(busiest, int(s.day_record[day - 1, D_CREATED]))
        fullest = max(c[C_NMSG], c[C_NQUEUE], c[C_NPEND], c[C_NSF], c[C_ASSESS_LOG])
        if fullest + 3 * busiest + 2048 > cap:
            return day
        if not step_day(st, s, rng, day):
            return day
    return last
