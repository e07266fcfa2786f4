"""The engine's data layout: codes, the rows and columns of its packed arrays, and the state bundles.

Vocabulary:
    message: a report or an assessment crossing edges. A raw report is created when a unit reports an
        observation; an assessment when a fusion branch disseminates. A message is *delivered* when it
        reaches a unit that acts on it (a fusion branch, a consumer, or a dead end), *withheld* when a
        sender declines to share it, *lost* when the channel fails, and *in flight* otherwise; so
        created = delivered + withheld + lost + in flight (report conservation).
    hop: one attempt to pass one message across one edge (counted before the share decision).

Layout: attributes are rows of a few packed 2-D arrays (e.g. `net.uf[U_THRESHOLD, unit]`), because numba
passes every array argument separately; the per-message functions take only the small `Net` (what the
network is) and `Flow` (what moves on it) bundles. Codes follow the order of the schema's tuples
(`missionfit.scenario.codes`); nothing here imports the scenario layer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# edge type codes (schema.EDGE_TYPES order), horizons, the security line
COMMAND, INTEL, COMMANDER_CHAIN, LIAISON, INFORMAL, BOARD = 0, 1, 2, 3, 4, 5
IMMINENT, MID, LONG = 0, 1, 2
SECURITY = 0
N_LINES = 5  # mandate lines (schema.MANDATE_LINES)
# message status and kind
IN_FLIGHT, DELIVERED, WITHHELD, LOST = 0, 1, 2, 3
RAW, ASSESSMENT = 0, 1
MAX_TTL = 8
DELIVER_ONWARD = 2  # `M_AUTHORITY` of a lead cell's delivery to a member deferring to it (mandated; issue 16 §2)
N_DOMAINS = 6  # PMESII domains (schema.DOMAINS)
#: Room the growable stores keep ahead of need: this many times the busiest day so far, plus a margin.
HEADROOM_BUSIEST_DAYS, HEADROOM_MARGIN = 3, 2048

# unit rows: floats `uf` and ints `ui`
UNIT_FLOAT_ROWS = (
    "analysts", "proactive", "responsive", "bypass", "threshold", "focus_horizon", "tasking_rate",
    "report_quality", "consumer_lead", "consumer_action_threshold", "tech", "incident_rate",
)
(
    U_ANALYSTS, U_PROACTIVE, U_RESPONSIVE, U_BYPASS, U_THRESHOLD, U_FOCUS_H, U_TASKING, U_QUALITY, U_LEAD,
    U_ACTION_THRESHOLD, U_TECH, U_INCIDENT,
) = range(12)
UNIT_INT_ROWS = (
    "sector", "security", "focus_domains", "rotation_day", "consumer_lines", "consumer_horizons",
    "consumer_scoped", "is_consumer", "is_peer", "is_sf_isr", "is_s2", "g2_of", "branch_slot",
    "unit_sector_count", "consumer_capacity", "capacity_start", "consumer_planning", "fusion_role",
    "trust_group", "trust_contributor", "lane_mask", "protector", "consumer_weighs",
)
(
    U_SECTOR, U_SECURITY, U_FOCUS_DOM, U_ROTATION, U_LINES, U_HORIZONS, U_SCOPED, U_CONSUMER, U_PEER, U_SFISR,
    U_S2, U_G2OF, U_SLOT, U_NSECTORS, U_CAPACITY, U_CAP_START, U_PLANNING, U_FUSION_ROLE, U_TRUST_GROUP,
    U_CONTRIBUTOR, U_LANE, U_PROTECTOR, U_WEIGHS,
) = range(23)
# edge rows
EDGE_INT_ROWS = ("edge_src", "edge_dst", "edge_type", "edge_board_period", "edge_directive", "edge_duty")
E_SRC, E_DST, E_TYPE, E_PERIOD, E_DIRECTIVE, E_DUTY = range(6)
EDGE_FLOAT_ROWS = ("edge_latency", "edge_ok", "edge_quality", "edge_share", "edge_authority")
E_LATENCY, E_OK, E_QUALITY, E_SHARE, E_AUTHORITY = range(5)
#: Columns of `Flow.edge_counts`, one row per edge: what crossed (or failed to cross) it.
EDGE_COUNT_COLUMNS = ("hops", "delivered", "withheld", "sanitized", "lost")
EC_HOPS, EC_DELIVERED, EC_WITHHELD, EC_SANITIZED, EC_LOST = range(len(EDGE_COUNT_COLUMNS))
# event rows: floats `evf` and ints `evi`
EV_TIME, EV_SEVERITY, EV_DRAW, EV_PREVENT = range(4)
N_EVENT_FLOAT_ROWS = 4
EV_SECTOR, EV_LINE, EV_DOMAIN, EV_HORIZON, EV_KIND, EV_FALSE = range(6)
N_EVENT_INT_ROWS = 6
# message fields: the columns of `mi` (ints) and `mf` (floats), which hold one message per row
# v2 (docs/design/v2-core.md §4.2): the evidence is a slice `M_PAYLOAD`, `M_PAYLEN` of the payload pool (shared by
# clones and relays), `M_MASK` the facets it still carries, `M_PATH` the path code of §6.1, `M_IDENT` its identity
# for the keyed draws (`engine.keyed`); per facet its asserted value (`M_VAL0 + f`), confidence (`M_CONF0 + f`)
(M_EVENT, M_ORIGIN, M_SENDER, M_DST, M_EDGE, M_KIND, M_HORIZON, M_CLASS, M_STATUS, M_AUTHORITY, M_TTL,
 M_SFROOT, M_PAYLOAD, M_PAYLEN, M_MASK, M_PATH, M_IDENT, M_VAL0) = range(18)
MAX_FACETS = 6  # (as `missionfit.engine.facets.MAX_FACETS`)
N_MESSAGE_INT_FIELDS = M_VAL0 + MAX_FACETS
M_QUALITY, M_READY, M_BORN, M_CONF0 = range(4)
N_MESSAGE_FLOAT_FIELDS = M_CONF0 + MAX_FACETS
# fusion queue rows: ints `qi` and floats `qf`, one item per column
Q_UNIT, Q_EVENT, Q_SFROOT, Q_FROM_PEER, Q_PAYLOAD, Q_PAYLEN, Q_MASK, Q_PATH = range(8)
N_QUEUE_INT_ROWS = 8
Q_QUALITY, Q_BORN, Q_TIME, Q_KEY = range(4)
N_QUEUE_FLOAT_ROWS = 4
# per-event state rows: ints `esi` and floats `esf`
# v2: `esf` also holds the action's time and mitigation chance, the FC's and ASIFU's awareness times (judged by the
# FC's criterion), and `esi` the acting unit, the action's path code, prevention, aware and responsible
# consumers (in-mission)
(ES_BEST, ES_FC_WARNED, ES_ASIFU_KNOWN, ES_ACTION_TIME, ES_P_MIT, ES_FC_AWARE, ES_ASIFU_AWARE, ES_COMPLETENESS,
 ES_ACCURACY) = range(9)
N_EVENT_STATE_FLOAT_ROWS = 9
(ES_INDEPENDENT, ES_PEER_ASSESSED, ES_MITIGATED, ES_ACTOR, ES_PATH, ES_PREVENTED, ES_N_AWARE,
 ES_POSTURED) = range(8)
N_EVENT_STATE_INT_ROWS = 8
# path codes (docs/design/v2-core.md §6.1; the contract's `goal_realization_by_path` keys, in this order)
PATH_NAMES = (
    "baseline", "own_sensing", "commander_chain", "intel_line", "all_source_fusion", "mission_analysis",
    "other_analysis", "board", "liaison", "informal",
)
(
    PATH_BASELINE, PATH_OWN, PATH_COMMANDER_CHAIN, PATH_INTEL_LINE, PATH_ALL_SOURCE, PATH_MISSION_ANALYSIS,
    PATH_OTHER_ANALYSIS, PATH_BOARD, PATH_LIAISON, PATH_INFORMAL,
) = range(10)
# fusion roles of a unit (`U_FUSION_ROLE`): which path its assessments count as
FR_NONE, FR_INTEL_LINE, FR_ALL_SOURCE, FR_MISSION, FR_OTHER = range(5)
# picture rows (`State.pic_i` ints, `State.pic_f` floats), beside the entries and the per-facet values
PI_HOLDER, PI_EVENT, PI_N, PI_UPDATES, PI_PATH, PI_AWARE = range(6)
N_PICTURE_INT_ROWS = 6
PF_AWARE_TIME, PF_FIRST = range(2)
N_PICTURE_FLOAT_ROWS = 2
#: Evidence entries per picture (algorithmic; as `missionfit.engine.pictures.PICTURE_ENTRIES`).
PICTURE_ENTRIES = 16
# `Static.info`: the information block's integers
IN_N_FACETS, IN_VALUES, IN_META_MASK, IN_NEED_IMMINENT, IN_NEED_MID, IN_NEED_LONG = range(6)
# per SOLTG/ISR report, `Flow.sf_reached`: bits for the cells it reached
SF_REACHED_JMAC, SF_REACHED_U2_OR_ASIFU = 1, 2
# per (branch, event) pair a branch has met: a hash table (`Flow.bp_keys`, `bp_slots`, keyed `branch * n_events +
# event`) onto a row of `bp_flags` (uint8: the horizon of the branch's assessment in the low two bits, and the flags
# below) and `bp_quality` (float32: its assessment's quality). A row is made when a flag is first set (O(messages));
# apart from the pictures since some flags are set before the branch has a picture.
B_HORIZON, B_RECEIVED_PEER, B_DECONFLICTED, B_ASSESSED, B_REQUESTED = 3, 4, 8, 16, 32
# trust (issue 16 §1): a row per interacting dyad in a hash table (`Flow.dy_keys`, `dy_slots`, keyed truster * n_units
# + trustee; O(interacting pairs)): floats `dy_f` (the components now and at the prior), ints `dy_i` (the pair and its
# interactions); `Flow.edge_dyad[direction, edge]` caches an edge's two rows (-1: not yet)
DY_COMPETENCE, DY_GOODWILL, DY_COMPETENCE0, DY_GOODWILL0 = range(4)
N_DYAD_FLOAT_ROWS = 4
DY_TRUSTER, DY_TRUSTEE, DY_INTERACTIONS = range(3)
N_DYAD_INT_ROWS = 3
FORWARD, REVERSE = 0, 1  # `edge_dyad` rows: the source's trust in the target, the target's in the source
# receipts: `Flow.rc_i` (holder, producer, next), `rc_acc` (share right), `ev_receipt[event]` (latest; -1: none)
RC_HOLDER, RC_PRODUCER, RC_NEXT = range(3)
R_FC, R_ASIFU, R_JMAC, R_ROTATION, R_U2 = range(5)  # roles, the entries of `Net.roles`
# columns of `State.line_severity`; rows of `State.assessment_log`, `State.branch_log` and `State.queue_order`
LS_TOTAL, LS_MITIGATED = range(2)
QO_ORDER, QO_BUFFER = range(2)  # rows of `State.queue_order`
AL_BRANCH, AL_EVENT, AL_NEXT = range(3)
BL_FIRST, BL_LAST = range(2)

#: Mechanism parameters the engine reads, in this order, in `Net.params` (`tasking_boost` is not among them:
#: compile folds it into the coverage entries' tasked probabilities, `cover_prob_tasked`).
PARAM_NAMES = (
    "share_steepness", "trust_gain", "trust_loss", "withhold_noticed", "board_trust_gain",
    "sanitize_delay_days", "task_days", "baseline_mitigation", "max_mitigation", "fusion_delay_days",
    # v2 (docs/design/v2-core.md §2.3)
    "assessment_threshold", "action_busy_days", "mitigation_completeness_exponent",
    "mitigation_accuracy_weight", "mitigation_lead_half_days", "posture_effect", "posture_days",
    "escalation_facet_loss", "sanitize_metadata_strip", "fusion_corroboration", "analyst_backlog_days",
    "max_open_tasks",
    # issue 16 §1 (docs/ODD.md §7.10)
    "goodwill_gain", "goodwill_loss", "reporting_duty", "trust_conflation", "leak_rate", "requests_for_information",
)
(
    P_STEEP, P_GAIN, P_LOSS, P_NOTICED, P_BOARD_GAIN, P_SAN_DELAY, P_TASK_DAYS, P_BASE_MIT, P_MAX_MIT,
    P_FUSION_DELAY,
    P_ASSESS_THRESHOLD, P_BUSY_DAYS, P_MIT_EXPONENT, P_MIT_ACCURACY, P_MIT_HALF, P_POSTURE_EFFECT,
    P_POSTURE_DAYS, P_ESCALATION_FACETS, P_SAN_STRIP, P_CORROBORATION, P_BACKLOG_DAYS, P_MAX_TASKS,
    P_GOODWILL_GAIN, P_GOODWILL_LOSS, P_DUTY, P_CONFLATION, P_LEAK, P_RFI,
) = range(len(PARAM_NAMES))

#: Counters, in this order, in `Flow.counters`.
COUNTER_NAMES = (
    "n_messages", "n_pending", "n_queue", "reports_created", "raw_reports", "assessments", "hops",
    "delivered", "withheld", "lost", "sanitized", "observations", "observations_reported", "tasks_issued",
    "consumer_deliveries", "consumer_relevant", "consumer_used", "asifu_to_fc_delivered", "asifu_to_fc_used",
    "s2_created", "s2_to_g2_delivered", "n_sf_reports", "event_cursor", "indicator_cursor", "overflow",
    "assessment_log", "n_observations", "n_payload", "n_pictures", "actions", "false_actions", "prevented",
    "capacity_busy_days", "branch_pairs", "fusion_rounds_capped",
    # issue 16 §1
    "dyads", "receipts", "false_event_cursor", "leaks", "rfi_sent", "rfi_answered",
    # issue 16 §3 (protection)
    "escort_days", "escorts_refused", "safety_incidents",
)
(
    C_NMSG, C_NPEND, C_NQUEUE, C_CREATED, C_RAW, C_ASSESS, C_HOPS, C_DELIVERED, C_WITHHELD, C_LOST,
    C_SANITIZED, C_OBS, C_OBS_REPORTED, C_TASKS, C_CONS_DELIV, C_CONS_RELEVANT, C_CONS_USED, C_ASIFU_FC_DELIV,
    C_ASIFU_FC_USED, C_S2_CREATED, C_S2_G2, C_NSF, C_EVENT_CUR, C_IND_CUR, C_OVERFLOW, C_ASSESS_LOG,
    C_NOBS, C_NPAY, C_NPIC, C_ACTIONS, C_FALSE_ACTIONS, C_PREVENTED, C_BUSY_MILLIDAYS, C_NBP, C_ROUNDS_CAPPED,
    C_NDYAD, C_NRECEIPT, C_FALSE_CUR, C_LEAKS, C_RFI_SENT, C_RFI_ANSWERED, C_ESCORTS, C_ESCORTS_REFUSED,
    C_INCIDENTS,
) = range(len(COUNTER_NAMES))

#: Columns of the per-day record (`State.day_record`, one row per day).
DAY_COLUMNS = (
    "events", "severity", "severity_mitigated", "reports_created", "reports_delivered", "reports_dropped",
    "hops", "fc_warned", "imminent_threats", "mean_trust", "fusion_queue",
)
(
    D_EVENTS, D_SEVERITY, D_SEVERITY_MITIGATED, D_CREATED, D_DELIVERED, D_DROPPED, D_HOPS, D_FC_WARNED,
    D_IMMINENT_THREATS, D_MEAN_TRUST, D_FUSION_QUEUE,
) = range(len(DAY_COLUMNS))


class Net(NamedTuple):
    """What the mission and its world are: units, edges, parameters, events (read-only)."""

    ui: np.ndarray
    uf: np.ndarray
    ei: np.ndarray
    ef: np.ndarray
    adj_ptr: np.ndarray  # [edge type, unit]: CSR offsets of each unit's out-edges of a type
    params: np.ndarray
    roles: np.ndarray
    info: np.ndarray  # the information block's integers (IN_*)
    type_mask: np.ndarray  # per event type: bit f set if it has facet f
    evi: np.ndarray
    evf: np.ndarray
    truth: np.ndarray  # [event, facet]: the true value (-1: a false event, or no such facet)
    # the trust prior (`missionfit.scenario.trust.TrustPrior`): [same contributor, truster group, trustee group],
    # and the per-pair overrides (sorted keys `truster * n_units + trustee`, values)
    trust_table: np.ndarray
    trust_pair_keys: np.ndarray
    trust_pair_values: np.ndarray
    # stable keys of the keyed draws (`engine.keyed`): per unit (`scenario.keys`), per edge (its ends, type, ordinal)
    unit_key: np.ndarray
    edge_key: np.ndarray


class Flow(NamedTuple):
    """What moves: messages, trust, counters, and what consumers and cells come to know."""

    mi: np.ndarray
    mf: np.ndarray
    pending: np.ndarray  # binary min-heap of in-flight messages on arrival time
    pending_time: np.ndarray  # ... and the arrival time of each heap entry
    counters: np.ndarray
    edge_counts: np.ndarray  # [edge, EC_*]: hops, delivered (crossed), withheld, sanitized, lost
    esi: np.ndarray
    esf: np.ndarray
    sf_reached: np.ndarray  # per SOLTG/ISR report: SF_REACHED_JMAC, SF_REACHED_U2_OR_ASIFU bits
    qi: np.ndarray
    qf: np.ndarray
    # v2 (docs/design/v2-core.md §4): observations, payload entries and pictures, all O(messages)
    obs_origin: np.ndarray
    obs_value: np.ndarray  # [observation, facet] (int8, -1: none)
    obs_conf: np.ndarray  # [observation, facet] (float32)
    pay_obs: np.ndarray  # payload pool: observation ids ...
    pay_mask: np.ndarray  # ... and the facets of each the message carries
    pic_keys: np.ndarray  # hash table: holder * n_events + event (-1: free) ...
    pic_slots: np.ndarray  # ... and the picture's row
    pic_i: np.ndarray  # [PI_*, row]
    pic_f: np.ndarray  # [PF_*, row]
    pic_obs: np.ndarray  # [row, entry]: evidence (observation ids) ...
    pic_mask: np.ndarray  # ... and the facets held of each
    pic_val: np.ndarray  # [row, facet]: the fused (fusion units) or best (others) value ...
    pic_conf: np.ndarray  # ... and its confidence
    busy_until: np.ndarray  # per capacity slot (consumers' slots from U_CAP_START): free again at
    posture_until: np.ndarray  # [sector * N_DOMAINS + domain]: a posture lasts until
    posture_path: np.ndarray  # ... and the path code of the picture that started it
    scratch: np.ndarray  # per-value log-posterior of the facet being fused
    entry_weight: np.ndarray  # per evidence entry of the picture being fused: the holder's trust in its origin
    bp_keys: np.ndarray  # hash table of the (branch, event) pairs with a flag: branch * n_events + event ...
    bp_slots: np.ndarray  # ... and the pair's row
    bp_flags: np.ndarray  # per row: the assessment's horizon (low two bits) and the B_* flags
    bp_quality: np.ndarray  # ... and the quality of the branch's assessment (float32; set once B_ASSESSED)
    bp_sfroot: np.ndarray  # ... and its SOLTG/ISR report root (-1: none): board messages' provenance
    # trust (issue 16 §1): the dyads (DY_*), each edge's two dyad rows, the sums of the components over the dyads
    dy_keys: np.ndarray
    dy_slots: np.ndarray
    dy_f: np.ndarray
    dy_i: np.ndarray
    edge_dyad: np.ndarray
    trust_sum: np.ndarray  # [competence, goodwill]: summed over every dyad (for the day's mean trust)
    rc_i: np.ndarray  # receipts (RC_*), awaiting their event's resolution
    rc_acc: np.ndarray
    ev_receipt: np.ndarray


class Static(NamedTuple):
    """Read-only inputs of a replicate."""

    net: Net
    cover_ptr: np.ndarray  # [sector * n_domains + domain]: CSR offsets of the sensors covering it
    cover_prob: np.ndarray  # detection probability at full effort
    cover_prob_tasked: np.ndarray  # ... and under an open collection task
    cover_slot: np.ndarray  # the sensor's unit's observer slot in the sector (a bit of `observed`)
    cover_unit: np.ndarray  # the sensor's unit
    cover_available: np.ndarray  # the day the sensor becomes available
    cover_group: np.ndarray  # the entry's (unit, cell) pair: its index in `State.task_until`
    cover_key: np.ndarray  # the entry's detection key: its unit's stable key and the sensor's ordinal in the unit
    unit_sector_ptr: np.ndarray  # CSR offsets of each unit's covered sectors in `unit_sectors`
    unit_sectors: np.ndarray
    unit_cell_group: np.ndarray  # [(unit_sector_ptr[unit] + k) * N_DOMAINS + domain]: the group a task hits
    ind_time: np.ndarray
    ind_event: np.ndarray
    cover_yield_mask: np.ndarray  # per coverage entry: the facets its sensor's profile yields
    cover_yield_prob: np.ndarray  # ... the chance of yielding each
    cover_error: np.ndarray  # ... and the chance a yielded value is wrong (after the collector's skill)
    escort_ptr: np.ndarray  # per unit, CSR offsets of its coverage entries that need its protector's escort ...
    escort_entries: np.ndarray  # ... (issue 16 §3; `missionfit.scenario.protection`)


class State(NamedTuple):
    """Everything a replicate changes."""

    flow: Flow
    day_record: np.ndarray
    line_severity: np.ndarray  # [mandate line, LS_*]: total, mitigated severity
    budget: np.ndarray  # [0, unit]: items a branch can still analyse; [1, unit]: items it analysed today
    observed: np.ndarray  # [event, slot // 64] (uint64): bit slot % 64 set once that observer slot observed the event
    # [branch slot, horizon * N_DOMAINS + domain]: the board member this cell defers to there (-1: none; issue 16 §2)
    lanes: np.ndarray
    assessment_log: np.ndarray  # [AL_* (branch, event, next), k]: every assessment in the order made, for boards;
    # `next` is the branch's next entry (-1: none yet), so a board member's entries are walked directly
    branch_log: np.ndarray  # [BL_* (first, last), unit]: a branch's first and last entry in the log (-1: none)
    queue_order: np.ndarray  # scratch for ordering the fusion queue: [QO_* (order, merge buffer), capacity]
    board_cursor: np.ndarray  # per board edge: the last log entry of its source offered so far (-1: none)
    task: np.ndarray  # [unit, slot]: the (unit, cell) group a task is on (-1: none, or no coverage there)
    task_expiry: np.ndarray
    task_until: np.ndarray  # per (unit, cell) pair that has coverage: latest expiry of its open tasks there
    available_now: np.ndarray  # per coverage entry: `cover_available`, or +inf on a day without a needed escort


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
        "info": np.array(
            [
                arrays["n_facets"], arrays["values_per_facet"],
                int(sum(1 << f for f, meta in enumerate(arrays["facet_is_meta"]) if meta)),
                *[int(x) for x in arrays["facets_needed"]],
            ],
            dtype=np.int64,
        ),
        "type_mask": np.asarray(arrays["type_facet_mask"], dtype=np.int64),
        "trust_table": np.ascontiguousarray(arrays["trust_table"], dtype=np.float64),
        "trust_pair_keys": np.asarray(arrays["trust_pair_keys"], dtype=np.int64),
        "trust_pair_values": np.asarray(arrays["trust_pair_values"], dtype=np.float64),
        "unit_key": np.asarray(arrays["unit_key"], dtype=np.uint64),
        "edge_key": np.asarray(arrays["edge_key"], dtype=np.uint64),
        "roles": np.array(  # in R_* order
            [arrays["fc"], arrays["asifu"], arrays["jmac"], arrays["rotation_period"], arrays["u2"]], dtype=np.int64
        ),
    }


def new_state(st: Static, n_branches: int, capacity: int, days: int, table_capacity: int | None = None) -> State:
    """Fresh state for one replicate: stores for `capacity` messages, hash tables for `table_capacity` keys each.

    The tables (pictures, branch pairs, dyads) default to the message capacity; sized for their own load they are a
    fraction of it, and `missionfit.engine.stores.make_room` grows each one on its own.
    """
    net = st.net
    n = net.ui.shape[1]
    m = net.evf.shape[1]
    cap = int(capacity)
    slots = table_size(cap if table_capacity is None else int(table_capacity))
    task_slots = int(net.params[P_MAX_TASKS])  # open collection tasks a unit holds at most (`max_open_tasks`)
    esf = np.zeros((N_EVENT_STATE_FLOAT_ROWS, m))
    esf[ES_FC_WARNED:ES_COMPLETENESS] = np.inf
    esf[ES_P_MIT] = -1.0  # no action
    # the message, queue and log stores are written before they are read (a slot is filled when it is
    # taken), so they are left uninitialised: no page of unused capacity is ever touched
    flow = Flow(
        mi=np.empty((cap, N_MESSAGE_INT_FIELDS), np.int32),
        mf=np.empty((cap, N_MESSAGE_FLOAT_FIELDS)),
        pending=np.empty(cap, np.int32),
        pending_time=np.empty(cap),
        counters=np.zeros(len(COUNTER_NAMES), np.int64),
        edge_counts=np.zeros((net.ei.shape[1], len(EDGE_COUNT_COLUMNS)), np.int64),
        esi=_event_ints(m),
        esf=esf,
        sf_reached=np.empty(cap, np.int8),  # an entry is zeroed when its report is numbered
        qi=np.empty((N_QUEUE_INT_ROWS, cap), np.int32),
        qf=np.empty((N_QUEUE_FLOAT_ROWS, cap)),
        obs_origin=np.empty(cap, np.int32),
        obs_value=np.empty((cap, MAX_FACETS), np.int8),
        obs_conf=np.empty((cap, MAX_FACETS), np.float32),
        pay_obs=np.empty(PICTURE_ENTRIES * cap, np.int32),
        pay_mask=np.empty(PICTURE_ENTRIES * cap, np.int16),
        pic_keys=np.full(slots, -1, np.int64),
        pic_slots=np.empty(slots, np.int64),
        pic_i=np.empty((N_PICTURE_INT_ROWS, cap), np.int64),
        pic_f=np.empty((N_PICTURE_FLOAT_ROWS, cap)),
        pic_obs=np.empty((cap, PICTURE_ENTRIES), np.int32),
        pic_mask=np.empty((cap, PICTURE_ENTRIES), np.int16),
        pic_val=np.empty((cap, MAX_FACETS), np.int8),
        pic_conf=np.empty((cap, MAX_FACETS), np.float32),
        busy_until=np.full(max(1, int(net.ui[U_CAP_START].max(initial=0) + net.ui[U_CAPACITY].max(initial=0))), -1.0),
        posture_until=np.full(N_DOMAINS * (int(net.evi[EV_SECTOR].max(initial=0)) + 1), -1.0),
        posture_path=np.full(N_DOMAINS * (int(net.evi[EV_SECTOR].max(initial=0)) + 1), -1, np.int64),
        scratch=np.full(16, np.nan),  # (NaN: no logarithm remembered yet, `facets.fuse_facet`)
        entry_weight=np.ones(PICTURE_ENTRIES),
        bp_keys=np.full(slots, -1, np.int64),
        bp_slots=np.empty(slots, np.int64),
        bp_flags=np.empty(cap, np.uint8),  # a row is zeroed when it is made
        bp_quality=np.empty(cap, np.float32),
        bp_sfroot=np.empty(cap, np.int32),  # set with B_ASSESSED
        dy_keys=np.full(slots, -1, np.int64),
        dy_slots=np.empty(slots, np.int64),
        dy_f=np.empty((N_DYAD_FLOAT_ROWS, cap)),  # a row is filled when its dyad is made
        dy_i=np.empty((N_DYAD_INT_ROWS, cap), np.int64),
        edge_dyad=np.full((2, net.ei.shape[1]), -1, np.int64),
        trust_sum=np.zeros(2),
        rc_i=np.empty((3, cap), np.int64),
        rc_acc=np.empty(cap),
        ev_receipt=np.full(m, -1, np.int64),
    )
    return State(
        flow=flow,
        day_record=np.zeros((days, len(DAY_COLUMNS))),
        line_severity=np.zeros((N_LINES, 2)),
        budget=np.zeros((2, n)),
        observed=np.zeros((m, observed_words(st.cover_slot)), np.uint64),
        lanes=np.full((n_branches, 3 * N_DOMAINS), -1, np.int64),
        assessment_log=np.empty((3, cap), np.int32),  # rows AL_*
        branch_log=np.full((2, n), -1, np.int64),  # rows BL_*
        queue_order=np.empty((2, cap), np.int32),
        board_cursor=np.full(net.ei.shape[1], -1, np.int64),
        task=np.full((n, task_slots), -1, np.int64),
        task_expiry=np.full((n, task_slots), -1.0),
        task_until=np.full(int(st.cover_group.max(initial=-1)) + 1, -1.0),
        available_now=st.cover_available.copy(),
    )


def observed_words(cover_slot: np.ndarray) -> int:
    """Words of 64 observer slots per event in `State.observed` (one for every shipped scenario: <= 27 slots)."""
    return max(1, (int(cover_slot.max(initial=0)) + 64) // 64)


def _event_ints(m: int) -> np.ndarray:
    esi = np.zeros((N_EVENT_STATE_INT_ROWS, m), np.int64)
    esi[ES_ACTOR] = -1
    esi[ES_PATH] = -1
    return esi


def table_size(cap: int) -> int:
    """Slots of a hash table for `cap` keys: a power of two at least twice as large (a load factor of one half)."""
    size = 1
    while size < 2 * cap:
        size *= 2
    return size


#: All of the above but the imports: the engine's vocabulary, re-exported by `missionfit.engine`.
__all__ = sorted(name for name in dir() if not name.startswith("_") and name not in {"annotations", "NamedTuple", "np"})
