"""The compiled core: one simulated day of collection, reporting, transmission, fusion and use.

The Mesa agents (`missionfit.agents.Unit`) are the model's units; for speed, their per-day processes run
here over all units at once on flat arrays, compiled with numba. Every process below names the passage of
Rietjens & Ruffa (2019) it models. Time is continuous inside a day: a report created at an indicator's
time crosses edges with their latencies and may make several hops in one day.

Vocabulary:
    message: a report or an assessment crossing edges. A raw report is created when a unit reports an
        observation; an assessment when a fusion branch disseminates. A message is *delivered* when it
        reaches a unit that acts on it (a fusion branch, a consumer, or a dead end), *withheld* when a
        sender declines to share it, *lost* when the channel fails, and *in flight* otherwise; so
        created = delivered + withheld + lost + in flight (report conservation).
    hop: one attempt to pass one message across one edge (counted before the share decision).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

# edge type codes (schema.EDGE_TYPES order)
COMMAND, INTEL, COMMANDER_CHAIN, LIAISON, INFORMAL, BOARD = 0, 1, 2, 3, 4, 5
IMMINENT, MID, LONG = 0, 1, 2
SECURITY = 0
# message status
IN_FLIGHT, DELIVERED, WITHHELD, LOST = 0, 1, 2, 3
RAW, ASSESSMENT = 0, 1
MAX_TTL = 8
TASK_SLOTS = 4

# mechanism parameters, in this order, in `Static.params`
PARAM_NAMES = (
    "share_steepness",
    "trust_gain",
    "trust_loss",
    "withhold_noticed",
    "board_trust_gain",
    "sanitize_delay_days",
    "sanitize_quality_loss",
    "tasking_boost",
    "task_days",
    "product_cycle_days",
    "fusion_gain",
    "escalation_quality",
    "baseline_mitigation",
    "max_mitigation",
)
P = {name: i for i, name in enumerate(PARAM_NAMES)}
(
    P_STEEP, P_GAIN, P_LOSS, P_NOTICED, P_BOARD_GAIN, P_SAN_DELAY, P_SAN_LOSS, P_TASK_BOOST, P_TASK_DAYS,
    P_CYCLE, P_FUSION, P_ESCALATION, P_BASE_MIT, P_MAX_MIT,
) = range(len(PARAM_NAMES))

# counters, in this order, in `State.counters`
COUNTER_NAMES = (
    "n_messages",
    "n_pending",
    "n_queue",
    "reports_created",
    "raw_reports",
    "assessments",
    "hops",
    "delivered",
    "withheld",
    "lost",
    "sanitized",
    "observations",
    "observations_reported",
    "tasks_issued",
    "consumer_deliveries",
    "consumer_relevant",
    "consumer_used",
    "asifu_to_fc_delivered",
    "asifu_to_fc_used",
    "s2_created",
    "s2_to_g2_delivered",
    "n_sf_reports",
    "event_cursor",
    "indicator_cursor",
    "overflow",
)
C = {name: i for i, name in enumerate(COUNTER_NAMES)}
(
    C_NMSG, C_NPEND, C_NQUEUE, C_CREATED, C_RAW, C_ASSESS, C_HOPS, C_DELIVERED, C_WITHHELD, C_LOST,
    C_SANITIZED, C_OBS, C_OBS_REPORTED, C_TASKS, C_CONS_DELIV, C_CONS_RELEVANT, C_CONS_USED, C_ASIFU_FC_DELIV,
    C_ASIFU_FC_USED, C_S2_CREATED, C_S2_G2, C_NSF, C_EVENT_CUR, C_IND_CUR, C_OVERFLOW,
) = range(len(COUNTER_NAMES))

#: Columns of the per-day record.
DAY_COLUMNS = (
    "events",
    "severity",
    "severity_mitigated",
    "reports_created",
    "reports_delivered",
    "reports_dropped",
    "hops",
    "fc_warned",
    "imminent_threats",
    "mean_trust",
    "fusion_queue",
)


class Static(NamedTuple):
    """What does not change during a run (from `missionfit.compile.compile_arrays`)."""

    sector: np.ndarray
    security: np.ndarray
    analysts: np.ndarray
    proactive: np.ndarray
    responsive: np.ndarray
    bypass: np.ndarray
    threshold: np.ndarray
    focus_horizon: np.ndarray
    focus_domains: np.ndarray
    tasking_rate: np.ndarray
    report_quality: np.ndarray
    rotation_day: np.ndarray
    is_consumer: np.ndarray
    consumer_lines: np.ndarray
    consumer_horizons: np.ndarray
    consumer_lead: np.ndarray
    consumer_scoped: np.ndarray
    is_peer: np.ndarray
    is_sf_isr: np.ndarray
    is_s2: np.ndarray
    g2_of: np.ndarray
    branch_slot: np.ndarray
    sensor_unit: np.ndarray
    sensor_domains: np.ndarray
    sensor_available: np.ndarray
    sector_ptr: np.ndarray
    sector_sensor: np.ndarray
    sector_prob: np.ndarray
    unit_sector_mask: np.ndarray
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_type: np.ndarray
    edge_latency: np.ndarray
    edge_ok: np.ndarray
    edge_quality: np.ndarray
    edge_share: np.ndarray
    edge_authority: np.ndarray
    edge_board_period: np.ndarray
    edge_directive: np.ndarray
    adj_ptr: np.ndarray
    trust_prior: np.ndarray
    params: np.ndarray
    roles: np.ndarray  # fc, asifu, jmac, rotation period
    # the world (ground truth) of this replicate
    ev_time: np.ndarray
    ev_sector: np.ndarray
    ev_line: np.ndarray
    ev_domain: np.ndarray
    ev_horizon: np.ndarray
    ev_severity: np.ndarray
    ev_draw: np.ndarray
    ind_time: np.ndarray
    ind_event: np.ndarray


class State(NamedTuple):
    """What a run changes: trust, messages in flight, fusion queues, knowledge and counters."""

    trust: np.ndarray
    counters: np.ndarray
    edge_counts: np.ndarray  # per edge: hops, delivered (crossed), withheld, sanitized, lost
    line_severity: np.ndarray  # per mandate line: total, mitigated
    day_record: np.ndarray
    # messages
    m_event: np.ndarray
    m_origin: np.ndarray
    m_sender: np.ndarray
    m_dst: np.ndarray
    m_edge: np.ndarray
    m_kind: np.ndarray
    m_horizon: np.ndarray
    m_quality: np.ndarray
    m_class: np.ndarray
    m_ready: np.ndarray
    m_born: np.ndarray
    m_status: np.ndarray
    m_authority: np.ndarray
    m_ttl: np.ndarray
    m_sfroot: np.ndarray
    pending: np.ndarray
    sf_reached_jmac: np.ndarray
    # fusion queue
    q_unit: np.ndarray
    q_event: np.ndarray
    q_quality: np.ndarray
    q_born: np.ndarray
    q_time: np.ndarray
    q_sfroot: np.ndarray
    q_from_peer: np.ndarray
    q_key: np.ndarray
    budget: np.ndarray
    # knowledge per (branch slot, event) and per event
    observed: np.ndarray
    assessed: np.ndarray
    product_horizon: np.ndarray
    product_quality: np.ndarray
    received_peer: np.ndarray
    deconflicted: np.ndarray
    independent: np.ndarray
    peer_assessed: np.ndarray
    best_quality: np.ndarray
    fc_warned: np.ndarray
    asifu_known: np.ndarray
    mitigated: np.ndarray
    # open collection tasks per unit
    task_sector: np.ndarray
    task_domain: np.ndarray
    task_expiry: np.ndarray


def new_state(st: Static, n_units: int, n_branches: int, message_capacity: int, days: int) -> State:
    """Fresh state for one replicate."""
    n_events = st.ev_time.size
    cap = int(message_capacity)
    n_edges = st.edge_src.size
    i64 = np.int64
    return State(
        trust=st.trust_prior.copy(),
        counters=np.zeros(len(COUNTER_NAMES), dtype=i64),
        edge_counts=np.zeros((n_edges, 5), dtype=i64),
        line_severity=np.zeros((5, 2)),
        day_record=np.zeros((days, len(DAY_COLUMNS))),
        m_event=np.zeros(cap, i64),
        m_origin=np.zeros(cap, i64),
        m_sender=np.zeros(cap, i64),
        m_dst=np.zeros(cap, i64),
        m_edge=np.zeros(cap, i64),
        m_kind=np.zeros(cap, i64),
        m_horizon=np.zeros(cap, i64),
        m_quality=np.zeros(cap),
        m_class=np.zeros(cap, i64),
        m_ready=np.zeros(cap),
        m_born=np.zeros(cap),
        m_status=np.zeros(cap, i64),
        m_authority=np.zeros(cap, np.bool_),
        m_ttl=np.zeros(cap, i64),
        m_sfroot=np.zeros(cap, i64),
        pending=np.zeros(cap, i64),
        sf_reached_jmac=np.zeros(cap, np.bool_),
        q_unit=np.zeros(cap, i64),
        q_event=np.zeros(cap, i64),
        q_quality=np.zeros(cap),
        q_born=np.zeros(cap),
        q_time=np.zeros(cap),
        q_sfroot=np.zeros(cap, i64),
        q_from_peer=np.zeros(cap, np.bool_),
        q_key=np.zeros(cap),
        budget=np.zeros(n_units),
        observed=np.zeros((n_units, n_events), np.bool_),
        assessed=np.full((n_branches, n_events), np.inf, np.float32),
        product_horizon=np.zeros((n_branches, n_events), np.int8),
        product_quality=np.zeros((n_branches, n_events), np.float32),
        received_peer=np.zeros((n_branches, n_events), np.bool_),
        deconflicted=np.zeros((n_branches, n_events), np.bool_),
        independent=np.zeros(n_events, np.int16),
        peer_assessed=np.zeros(n_events, np.bool_),
        best_quality=np.zeros(n_events),
        fc_warned=np.full(n_events, np.inf),
        asifu_known=np.full(n_events, np.inf),
        mitigated=np.zeros(n_events, np.bool_),
        task_sector=np.full((n_units, TASK_SLOTS), -1, i64),
        task_domain=np.full((n_units, TASK_SLOTS), -1, i64),
        task_expiry=np.full((n_units, TASK_SLOTS), -1.0),
    )


def grow_state(state: State, factor: int = 2) -> State:
    """A copy of `state` with `factor` times the message and queue capacity."""
    grown = {}
    cap = state.m_event.size
    for name, arr in state._asdict().items():
        if (name.startswith("m_") or name.startswith("q_") or name in ("pending", "sf_reached_jmac")) and (
            arr.ndim == 1 and arr.size == cap
        ):
            bigger = np.zeros(cap * factor, dtype=arr.dtype)
            bigger[:cap] = arr
            grown[name] = bigger
        else:
            grown[name] = arr
    return State(**grown)


# --------------------------------------------------------------------------------------------------
# small pieces


@numba.njit(cache=True)
def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


@numba.njit(cache=True)
def _share_probability(st, s, sender, receiver):
    """Probability that `sender` shares with `receiver` by its own choice.

    p. 394: "intelligence is a trust sport, which you only play with those you trust"; p. 395: "Instead of
    sharing intelligence, most people keep information to themselves, due to the competition".
    """
    gap = s.trust[sender, receiver] - st.threshold[sender]
    return _logistic(st.params[P_STEEP] * gap)


@numba.njit(cache=True)
def _new_message(st, s, event, origin, kind, horizon, quality, klass, born, authority, sfroot):
    k = s.counters[C_NMSG]
    if k >= s.m_event.size:
        s.counters[C_OVERFLOW] = 1
        return -1
    s.counters[C_NMSG] = k + 1
    s.counters[C_CREATED] += 1
    if kind == RAW:
        s.counters[C_RAW] += 1
    s.m_event[k] = event
    s.m_origin[k] = origin
    s.m_sender[k] = origin
    s.m_dst[k] = -1
    s.m_edge[k] = -1
    s.m_kind[k] = kind
    s.m_horizon[k] = horizon
    s.m_quality[k] = quality
    s.m_class[k] = klass
    s.m_ready[k] = born
    s.m_born[k] = born
    s.m_status[k] = IN_FLIGHT
    s.m_authority[k] = authority
    s.m_ttl[k] = 0
    s.m_sfroot[k] = sfroot
    if st.is_s2[origin]:
        s.counters[C_S2_CREATED] += 1
    return k


@numba.njit(cache=True)
def _clone(st, s, k):
    c = _new_message(
        st, s, s.m_event[k], s.m_origin[k], s.m_kind[k], s.m_horizon[k], s.m_quality[k], s.m_class[k],
        s.m_born[k], s.m_authority[k], s.m_sfroot[k],
    )
    if c >= 0:
        s.m_ttl[c] = s.m_ttl[k]
    return c


@numba.njit(cache=True)
def _heap_push(s, k):
    """Messages in flight wait in a binary min-heap on their arrival time."""
    i = s.counters[C_NPEND]
    s.counters[C_NPEND] = i + 1
    t = s.m_ready[k]
    while i > 0:
        parent = (i - 1) // 2
        if s.m_ready[s.pending[parent]] <= t:
            break
        s.pending[i] = s.pending[parent]
        i = parent
    s.pending[i] = k


@numba.njit(cache=True)
def _heap_pop(s):
    n = s.counters[C_NPEND] - 1
    top = s.pending[0]
    last = s.pending[n]
    s.counters[C_NPEND] = n
    t = s.m_ready[last]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and s.m_ready[s.pending[child + 1]] < s.m_ready[s.pending[child]]:
            child += 1
        if s.m_ready[s.pending[child]] >= t:
            break
        s.pending[i] = s.pending[child]
        i = child
    if n > 0:
        s.pending[i] = last
    return top


@numba.njit(cache=True)
def _send(st, s, rng, k, edge, t):
    """One hop: message `k` leaves its holder over `edge` at time `t`.

    The three filters of MODEL.md §3.4, in order:
    1. the sender shares (trust above threshold, lowered by rivalry and the civil-military distance,
       p. 394-397), unless a tasking's authority or a directive board overrides its reluctance (p. 395: ASIFU
       "did not have the authority to send out data collection tasks"; p. 396: the JCB "had no directive
       powers");
    2. the receiver may hold the classification, else the sender sanitizes: delay and loss of metadata
       (p. 399: the "UN-classified" network; only sanitized INTREPs were shared);
    3. the channel works: latency and loss from both ends' tech level, a missing common language and a
       procedure mismatch (pp. 398-400).
    """
    sender = st.edge_src[edge]
    receiver = st.edge_dst[edge]
    s.counters[C_HOPS] += 1
    s.edge_counts[edge, 0] += 1
    authority = (s.m_authority[k] and sender == s.m_origin[k]) or rng.random() < st.edge_authority[edge]
    if not authority:
        p = _share_probability(st, s, sender, receiver) * st.edge_share[edge]
        if rng.random() >= p:
            s.m_status[k] = WITHHELD
            s.counters[C_WITHHELD] += 1
            s.edge_counts[edge, 2] += 1
            if rng.random() < st.params[P_NOTICED]:
                # withholding, when noticed, costs the sender the receiver's trust (p. 395-396)
                s.trust[receiver, sender] -= st.params[P_LOSS] * s.trust[receiver, sender]
            return
    latency = st.edge_latency[edge]
    if s.m_class[k] > st.security[receiver]:
        latency += st.params[P_SAN_DELAY]
        s.m_quality[k] *= 1.0 - st.params[P_SAN_LOSS]
        s.m_class[k] = st.security[receiver]
        s.counters[C_SANITIZED] += 1
        s.edge_counts[edge, 3] += 1
    if rng.random() >= st.edge_ok[edge]:
        s.m_status[k] = LOST
        s.counters[C_LOST] += 1
        s.edge_counts[edge, 4] += 1
        return
    s.m_quality[k] *= st.edge_quality[edge]
    s.m_sender[k] = sender
    s.m_dst[k] = receiver
    s.m_edge[k] = edge
    s.m_ready[k] = t + latency
    s.m_ttl[k] += 1
    s.edge_counts[edge, 1] += 1
    _heap_push(s, k)


@numba.njit(cache=True)
def _send_along(st, s, rng, k, holder, etype, t, exclude):
    """Send message `k` over every out-edge of `holder` of type `etype` (cloning for the second and later).

    Returns how many edges it was sent on; 0 leaves `k` untouched.
    """
    sent = 0
    for edge in range(st.adj_ptr[etype, holder], st.adj_ptr[etype, holder + 1]):
        if st.edge_dst[edge] == exclude:
            continue
        msg = k if sent == 0 else _clone(st, s, k)
        if msg < 0:
            return sent
        _send(st, s, rng, msg, edge, t)
        sent += 1
    return sent


@numba.njit(cache=True)
def _out_degree(st, unit, etype):
    return st.adj_ptr[etype, unit + 1] - st.adj_ptr[etype, unit]


# --------------------------------------------------------------------------------------------------
# decision and use


@numba.njit(cache=True)
def _decide(st, s, rng, v, event, horizon, quality, origin, kind, t):
    """A consumer meets a piece of intelligence and uses it or not (MODEL.md §3.8).

    It is used when relevant to the consumer's need (mandate line, horizon, sector), timely (arrives before
    the event minus the action lead time) and trusted. p. 394: ASIFU's products "became rather detached
    from the Force Commander's main interest and were therefore only used to a limited extent". Using
    useful, accurate intelligence raises the consumer's trust in its producer; wrong intelligence lowers it.
    """
    fc = st.roles[0]
    s.counters[C_CONS_DELIV] += 1
    if v == fc and kind == ASSESSMENT and origin == st.roles[1]:
        s.counters[C_ASIFU_FC_DELIV] += 1
    if v == fc and horizon == IMMINENT and t <= st.ev_time[event] - st.consumer_lead[fc]:
        if t < s.fc_warned[event]:
            s.fc_warned[event] = t
    line_ok = (st.consumer_lines[v] >> st.ev_line[event]) & 1
    horizon_ok = (st.consumer_horizons[v] >> horizon) & 1
    sector_ok = (not st.consumer_scoped[v]) or st.ev_sector[event] == st.sector[v]
    if not (line_ok and horizon_ok and sector_ok):
        return
    s.counters[C_CONS_RELEVANT] += 1
    if t > st.ev_time[event] - st.consumer_lead[v]:
        return
    if origin != v:
        p_use = _logistic(st.params[P_STEEP] * (s.trust[v, origin] - st.threshold[v]))
        if rng.random() >= p_use:
            return
    s.counters[C_CONS_USED] += 1
    if v == fc and kind == ASSESSMENT and origin == st.roles[1]:
        s.counters[C_ASIFU_FC_USED] += 1
    if quality > s.best_quality[event]:
        s.best_quality[event] = quality
    if origin != v:
        if rng.random() < quality:
            s.trust[v, origin] += st.params[P_GAIN] * (1.0 - s.trust[v, origin])
        else:
            s.trust[v, origin] -= st.params[P_LOSS] * s.trust[v, origin]


# --------------------------------------------------------------------------------------------------
# fusion


@numba.njit(cache=True)
def _enqueue(st, s, b, event, quality, born, t, sfroot, from_peer):
    q = s.counters[C_NQUEUE]
    if q >= s.q_unit.size:
        s.counters[C_OVERFLOW] = 1
        return
    s.counters[C_NQUEUE] = q + 1
    s.q_unit[q] = b
    s.q_event[q] = event
    s.q_quality[q] = quality
    s.q_born[q] = born
    s.q_time[q] = t
    s.q_sfroot[q] = sfroot
    s.q_from_peer[q] = from_peer
    slot = st.branch_slot[b]
    if from_peer:
        s.received_peer[slot, event] = True
    if b == st.roles[1] and t < s.asifu_known[event]:
        s.asifu_known[event] = t


@numba.njit(cache=True)
def _disseminate(st, s, rng, b, event, horizon, quality, born, sfroot, t):
    """Send a branch's assessment to everyone it reports to: intel, informal and liaison out-edges."""
    s.counters[C_ASSESS] += 1
    if sfroot < 0 and st.is_sf_isr[b]:
        sfroot = s.counters[C_NSF]
        s.counters[C_NSF] += 1
    for etype in (INTEL, INFORMAL, LIAISON):
        for edge in range(st.adj_ptr[etype, b], st.adj_ptr[etype, b + 1]):
            k = _new_message(st, s, event, b, ASSESSMENT, horizon, quality, st.security[b], born, False, sfroot)
            if k < 0:
                return
            _send(st, s, rng, k, edge, t)
    if st.is_consumer[b]:
        _decide(st, s, rng, b, event, horizon, quality, b, ASSESSMENT, t)


@numba.njit(cache=True)
def _fuse(st, s, rng, day):
    """Intelligence branches turn what they received into assessments, capacity-limited (MODEL.md §3.5).

    p. 394: S2, G2 and U2 were "understaffed"; ASIFU "largely maintained its original focus on
    comprehensive intelligence on the mid- and long-term", so a current threat it assesses is, with
    probability equal to its long-term focus, folded into a periodic long-term product instead of a current
    warning. Items about events that already happened are dropped (overtaken by events). Two mission-level
    cells assessing the same event without having received the other's assessment is duplication (p. 396).
    """
    t_now = day + 1.0
    nq = s.counters[C_NQUEUE]
    # priorities: focus on the horizon and on the PMESII domains of the branch; then first come
    for q in range(nq):
        b = s.q_unit[q]
        e = s.q_event[q]
        fh = st.focus_horizon[b]
        pr = (1.0 - fh) if st.ev_horizon[e] == IMMINENT else fh
        if (st.focus_domains[b] >> st.ev_domain[e]) & 1:
            pr += 1.0
        # sort key: branch first, then descending priority, then arrival time
        s.q_key[q] = b * 16.0 + (3.0 - pr) * 4.0 + min(s.q_time[q] - day, 3.99) * 0.25
    order = np.argsort(s.q_key[:nq])
    keep = np.zeros(nq, np.bool_)
    for b in range(st.analysts.size):
        if st.analysts[b] > 0:
            s.budget[b] = min(s.budget[b] + st.analysts[b], 2.0 * st.analysts[b] + 1.0)
    for idx in range(nq):
        q = order[idx]
        b = s.q_unit[q]
        e = s.q_event[q]
        slot = st.branch_slot[b]
        if st.ev_time[e] <= day:
            continue  # overtaken by events
        if s.assessed[slot, e] < np.inf:
            if s.q_quality[q] > s.product_quality[slot, e]:
                s.product_quality[slot, e] = s.q_quality[q]
            continue
        if s.deconflicted[slot, e] and not s.q_from_peer[q]:
            continue  # a directive board gave this event to another cell
        if s.budget[b] < 1.0:
            keep[q] = True
            continue
        s.budget[b] -= 1.0
        s.assessed[slot, e] = t_now
        if st.is_peer[b] and not s.received_peer[slot, e]:
            s.independent[e] += 1
        if st.is_peer[b]:
            s.peer_assessed[e] = True
        horizon = st.ev_horizon[e]
        delay = 0.0
        if horizon == IMMINENT and rng.random() < st.focus_horizon[b]:
            horizon = LONG
            delay = st.params[P_CYCLE]
        quality = s.q_quality[q] + (1.0 - s.q_quality[q]) * st.params[P_FUSION]
        s.product_horizon[slot, e] = horizon
        s.product_quality[slot, e] = quality
        _disseminate(st, s, rng, b, e, horizon, quality, s.q_born[q], s.q_sfroot[q], t_now + delay)
    # compact the queue to what waits for capacity
    w = 0
    for q in range(nq):
        if keep[q]:
            s.q_unit[w] = s.q_unit[q]
            s.q_event[w] = s.q_event[q]
            s.q_quality[w] = s.q_quality[q]
            s.q_born[w] = s.q_born[q]
            s.q_time[w] = s.q_time[q]
            s.q_sfroot[w] = s.q_sfroot[q]
            s.q_from_peer[w] = s.q_from_peer[q]
            w += 1
    s.counters[C_NQUEUE] = w


# --------------------------------------------------------------------------------------------------
# arrival of a message


@numba.njit(cache=True)
def _arrive(st, s, rng, k):
    """Message `k` reaches its receiver: delivered to a branch, a consumer or a dead end, else relayed."""
    v = s.m_dst[k]
    t = s.m_ready[k]
    etype = st.edge_type[s.m_edge[k]]
    is_branch = st.analysts[v] > 0
    if not (is_branch or st.is_consumer[v]) and s.m_ttl[k] < MAX_TTL:
        # a relay (e.g. a liaison officer) passes the message on along the same kind of edge
        if _send_along(st, s, rng, k, v, etype, t, s.m_sender[k]) > 0:
            return
    s.m_status[k] = DELIVERED
    s.counters[C_DELIVERED] += 1
    e = s.m_event[k]
    origin = s.m_origin[k]
    if st.is_s2[origin] and v == st.g2_of[origin]:
        s.counters[C_S2_G2] += 1
    if v == st.roles[2] and s.m_sfroot[k] >= 0:
        s.sf_reached_jmac[s.m_sfroot[k]] = True
    if v == st.roles[1] and t < s.asifu_known[e]:
        s.asifu_known[e] = t
    if st.is_consumer[v]:
        _decide(st, s, rng, v, e, s.m_horizon[k], s.m_quality[k], origin, s.m_kind[k], t)
    if is_branch:
        from_peer = s.m_kind[k] == ASSESSMENT and st.is_peer[origin] and origin != v
        slot = st.branch_slot[v]
        if etype == BOARD and st.edge_directive[s.m_edge[k]]:
            s.deconflicted[slot, e] = True
        _enqueue(st, s, v, e, s.m_quality[k], s.m_born[k], t, s.m_sfroot[k], from_peer)
    if etype == COMMANDER_CHAIN and st.is_consumer[v] and _out_degree(st, v, COMMANDER_CHAIN) > 0:
        # the commander passes it up his own chain: "if you are unlucky the Sector commander reports it to
        # the Force Commander" (p. 399)
        up = _new_message(
            st, s, e, origin, RAW, s.m_horizon[k], s.m_quality[k], s.m_class[k], s.m_born[k], False, s.m_sfroot[k]
        )
        if up >= 0:
            s.m_sender[up] = v
            if _send_along(st, s, rng, up, v, COMMANDER_CHAIN, t, -1) == 0:
                s.m_status[up] = DELIVERED
                s.counters[C_DELIVERED] += 1


@numba.njit(cache=True)
def _process_arrivals(st, s, rng, day):
    """Deliver or relay every message that arrives before the end of `day`, in arrival order."""
    end = day + 1.0
    while s.counters[C_NPEND] > 0 and s.m_ready[s.pending[0]] < end:
        _arrive(st, s, rng, _heap_pop(s))


# --------------------------------------------------------------------------------------------------
# collection and reporting


@numba.njit(cache=True)
def _is_tasked(s, u, sector, domain, t):
    for j in range(TASK_SLOTS):
        if s.task_expiry[u, j] >= t and s.task_sector[u, j] == sector and s.task_domain[u, j] == domain:
            return True
    return False


@numba.njit(cache=True)
def _report(st, s, rng, u, e, t, tasked):
    """The reporting decision of MODEL.md §3.3.

    A proactive unit reports; an on-request unit reports only when tasked (p. 398: "they really have to be
    tasked"; p. 397: in West-African command culture intelligence is "to find out little things for the
    commander when asked"). Quality is report-writing skill, raised by formats (p. 399). A unit with a low
    intelligence culture sends the report up the commander chain instead of its S2 (p. 399), where it is
    unfused and the intelligence branch never learns of it.
    """
    s.counters[C_OBS] += 1
    quality = st.report_quality[u]
    sfroot = -1
    if st.is_sf_isr[u]:
        sfroot = s.counters[C_NSF]
        s.counters[C_NSF] += 1
    if st.analysts[u] > 0:
        # a unit with its own analysis cell (e.g. the ISR company's all-source cell) fuses what it sees
        s.counters[C_OBS_REPORTED] += 1
        _enqueue(st, s, u, e, quality, t, t, sfroot, False)
        return
    if st.is_consumer[u]:
        _decide(st, s, rng, u, e, st.ev_horizon[e], quality, u, RAW, t)
    p_report = st.responsive[u] if tasked else st.proactive[u]
    if rng.random() >= p_report:
        return
    channel = INTEL
    if _out_degree(st, u, COMMANDER_CHAIN) > 0 and (
        _out_degree(st, u, INTEL) == 0 or rng.random() < st.bypass[u]
    ):
        channel = COMMANDER_CHAIN
        quality *= st.params[P_ESCALATION]
    k = _new_message(st, s, e, u, RAW, st.ev_horizon[e], quality, st.security[u], t, tasked, sfroot)
    if k < 0:
        return
    sent = _send_along(st, s, rng, k, u, channel, t, -1)
    for etype in (INFORMAL, LIAISON):
        if _out_degree(st, u, etype) > 0:
            if sent == 0:
                sent = _send_along(st, s, rng, k, u, etype, t, -1)
            else:
                c = _clone(st, s, k)
                if c >= 0:
                    sent += _send_along(st, s, rng, c, u, etype, t, -1)
    if sent == 0:
        # nobody to report to: the report stays with its author
        s.m_status[k] = DELIVERED
        s.counters[C_DELIVERED] += 1
    s.counters[C_OBS_REPORTED] += 1


@numba.njit(cache=True)
def _collect(st, s, rng, day):
    """Units detect the indicators emitted today in the sectors their sensors cover (MODEL.md §3.2).

    Detection probability comes from the sensor's coverage, its availability date (p. 400: UAV
    accreditation "took the Dutch contingent almost half a year"), the unit's effort (mandate drift, p. 395;
    escorts, pp. 399-400), HUMINT access through language and local knowledge (p. 398), and is raised for an
    open collection task on that sector and domain.
    """
    end = day + 1.0
    i = s.counters[C_IND_CUR]
    n_ind = st.ind_time.size
    while i < n_ind and st.ind_time[i] < end:
        t = st.ind_time[i]
        e = st.ind_event[i]
        sec = st.ev_sector[e]
        dom = st.ev_domain[e]
        for j in range(st.sector_ptr[sec], st.sector_ptr[sec + 1]):
            sensor = st.sector_sensor[j]
            u = st.sensor_unit[sensor]
            if s.observed[u, e] or st.sensor_available[sensor] > t:
                continue
            if not (st.sensor_domains[sensor] >> dom) & 1:
                continue
            p = st.sector_prob[j]
            tasked = _is_tasked(s, u, sec, dom, t)
            if tasked:
                p = min(0.95, p * (1.0 + st.params[P_TASK_BOOST]))
            if rng.random() < p:
                s.observed[u, e] = True
                _report(st, s, rng, u, e, t, tasked)
        i += 1
    s.counters[C_IND_CUR] = i


@numba.njit(cache=True)
def _task(st, s, rng, day):
    """Commanders and cells issue requests for information down their command edges (MODEL.md §3.7).

    p. 395: ASIFU "did not have the authority to send out data collection tasks" to SOLTG and the
    helicopters; p. 398: African battalions "really have to be tasked".
    """
    t = float(day)
    for u in range(st.tasking_rate.size):
        if st.tasking_rate[u] <= 0:
            continue
        for edge in range(st.adj_ptr[COMMAND, u], st.adj_ptr[COMMAND, u + 1]):
            w = st.edge_dst[edge]
            if st.unit_sector_mask[w] == 0 or rng.random() >= st.tasking_rate[u]:
                continue
            # a sector the subordinate covers and a domain the tasker cares about
            sectors = st.unit_sector_mask[w]
            n_sec = 0
            for b in range(64):
                if (sectors >> b) & 1:
                    n_sec += 1
            pick = int(rng.random() * n_sec)
            sec = -1
            for b in range(64):
                if (sectors >> b) & 1:
                    if pick == 0:
                        sec = b
                        break
                    pick -= 1
            domains = st.focus_domains[u]
            n_dom = 0
            for b in range(6):
                if (domains >> b) & 1:
                    n_dom += 1
            if n_dom == 0:
                continue
            pick = int(rng.random() * n_dom)
            dom = -1
            for b in range(6):
                if (domains >> b) & 1:
                    if pick == 0:
                        dom = b
                        break
                    pick -= 1
            slot = 0
            for j in range(TASK_SLOTS):
                if s.task_expiry[w, j] < s.task_expiry[w, slot]:
                    slot = j
            s.task_sector[w, slot] = sec
            s.task_domain[w, slot] = dom
            s.task_expiry[w, slot] = t + st.params[P_TASK_DAYS]
            s.counters[C_TASKS] += 1


# --------------------------------------------------------------------------------------------------
# boards, rotation, outcomes


@numba.njit(cache=True)
def _boards(st, s, rng, day):
    """Coordination bodies meet (MODEL.md §3.6; p. 396, the weekly JCB).

    At a meeting each member offers the others the assessments it made since the last meeting. A
    coordinating-only board leaves sharing to each member (trust and rivalry filter it); a directive board
    mandates it and deconflicts work in progress, so that one cell leads on each event. Meetings also build
    trust between members (p. 396: the JCB "facilitated communication").
    """
    if day == 0:
        return
    for edge in range(st.adj_ptr[BOARD, 0], st.adj_ptr[BOARD, st.analysts.size]):
        period = st.edge_board_period[edge]
        if period <= 0 or day % period != 0:
            continue
        a = st.edge_src[edge]
        b = st.edge_dst[edge]
        s.trust[a, b] += st.params[P_BOARD_GAIN] * (1.0 - s.trust[a, b])
        slot_a = st.branch_slot[a]
        if slot_a < 0:
            continue
        slot_b = st.branch_slot[b]
        since = float(day - period)
        for e in range(st.ev_time.size):
            when = s.assessed[slot_a, e]
            if when == np.inf or when < since or st.ev_time[e] <= day:
                continue
            if slot_b >= 0 and s.assessed[slot_b, e] < np.inf:
                continue
            k = _new_message(
                st, s, e, a, ASSESSMENT, s.product_horizon[slot_a, e], s.product_quality[slot_a, e],
                st.security[a], float(day), False, -1,
            )
            if k < 0:
                return
            _send(st, s, rng, k, edge, float(day))
        if st.edge_directive[edge] and slot_b >= 0:
            # deconfliction of work in progress: what `a` has queued, `b` leaves to `a`
            for q in range(s.counters[C_NQUEUE]):
                if s.q_unit[q] == a and s.assessed[slot_b, s.q_event[q]] == np.inf and a < b:
                    s.deconflicted[slot_b, s.q_event[q]] = True


@numba.njit(cache=True)
def _rotate(st, s, day):
    """Contingents rotate: a rotated unit's relationships fall back to the priors (MODEL.md §2)."""
    period = st.roles[3]
    for u in range(st.rotation_day.size):
        r = st.rotation_day[u]
        if r < 0 or day <= 0 or day < r or (day - r) % period != 0:
            continue
        for j in range(st.rotation_day.size):
            s.trust[u, j] = st.trust_prior[u, j]
            s.trust[j, u] = st.trust_prior[j, u]


@numba.njit(cache=True)
def _outcomes(st, s, day):
    """Events of the day materialize; warnings used in time raise the chance of mitigation (§3.8)."""
    end = day + 1.0
    i = s.counters[C_EVENT_CUR]
    base = st.params[P_BASE_MIT]
    top = st.params[P_MAX_MIT]
    rec = s.day_record[day]
    while i < st.ev_time.size and st.ev_time[i] < end:
        p = base + (top - base) * s.best_quality[i]
        mitigated = st.ev_draw[i] < p
        s.mitigated[i] = mitigated
        line = st.ev_line[i]
        sev = st.ev_severity[i]
        s.line_severity[line, 0] += sev
        rec[0] += 1
        rec[1] += sev
        if mitigated:
            s.line_severity[line, 1] += sev
            rec[2] += sev
        if st.ev_horizon[i] == IMMINENT and line == SECURITY:
            rec[8] += 1
            if s.fc_warned[i] < np.inf:
                rec[7] += 1
        i += 1
    s.counters[C_EVENT_CUR] = i


@numba.njit(cache=True)
def step_day(st, s, rng, day):
    """Run one simulated day: rotation, boards, tasking, collection and reporting, transmission, fusion,
    outcomes, then record the day. Returns False if the message or queue capacity ran out.
    """
    before_created = s.counters[C_CREATED]
    before_delivered = s.counters[C_DELIVERED]
    before_dropped = s.counters[C_WITHHELD] + s.counters[C_LOST]
    before_hops = s.counters[C_HOPS]
    _rotate(st, s, day)
    _boards(st, s, rng, day)
    _task(st, s, rng, day)
    _collect(st, s, rng, day)
    _process_arrivals(st, s, rng, day)
    _fuse(st, s, rng, day)
    _outcomes(st, s, day)
    rec = s.day_record[day]
    rec[3] = s.counters[C_CREATED] - before_created
    rec[4] = s.counters[C_DELIVERED] - before_delivered
    rec[5] = s.counters[C_WITHHELD] + s.counters[C_LOST] - before_dropped
    rec[6] = s.counters[C_HOPS] - before_hops
    total = 0.0
    n_formal = 0
    for edge in range(st.edge_src.size):
        if st.edge_type[edge] == INTEL or st.edge_type[edge] == COMMANDER_CHAIN:
            total += s.trust[st.edge_src[edge], st.edge_dst[edge]]
            n_formal += 1
    rec[9] = total / n_formal if n_formal > 0 else np.nan
    rec[10] = s.counters[C_NQUEUE]
    return s.counters[C_OVERFLOW] == 0
