"""The v2 metrics of one replicate (docs/design/v2-core.md §6): attribution, awareness, false alarms, capacity.

Computed from the engine's per-event state and pictures after a run, in O(events + pictures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from missionfit import engine as E
from missionfit.scenario import schema

if TYPE_CHECKING:
    from missionfit.model.simulation import Simulation

#: The quantiles of `time_to_awareness` (days before the event).
AWARENESS_QUANTILES = (0.1, 0.5, 0.9)

#: The names of the codes in `events.parquet`, as pandas strings (a path's "" at the end: not realized).
_CODE_NAMES = {
    "line": pd.array(schema.MANDATE_LINES, dtype="str"),
    "domain": pd.array(schema.DOMAINS, dtype="str"),
    "horizon": pd.array(schema.HORIZONS, dtype="str"),
    "path": pd.array([*E.PATH_NAMES, ""], dtype="str"),
}


def _share(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def responsible_matrix(net, events: np.ndarray) -> np.ndarray:
    """[consumer, event]: whether the in-mission consumer answers for the event (line, horizon, sector scope)."""
    ui = net.ui
    consumers = np.flatnonzero(ui[E.U_CONSUMER] != 0)
    line = net.evi[E.EV_LINE, events]
    horizon = net.evi[E.EV_HORIZON, events]
    sector = net.evi[E.EV_SECTOR, events]
    lines = ui[E.U_LINES, consumers][:, None]
    horizons = ui[E.U_HORIZONS, consumers][:, None]
    scoped = ui[E.U_SCOPED, consumers][:, None] != 0
    home = ui[E.U_SECTOR, consumers][:, None]
    ok = ((lines >> line) & 1).astype(bool) & ((horizons >> horizon) & 1).astype(bool)
    return consumers, ok & (~scoped | (sector[None, :] == home))


def v2_metrics(model: Simulation, threats: np.ndarray, weights: np.ndarray) -> dict[str, Any]:
    """The v2 metrics of the contract (MODEL.md §4, v2 additions) for a finished replicate.

    Args:
        model: The finished simulation.
        threats: Per materialized event (the first `event_cursor`), whether it is a true imminent security threat.
        weights: The mandate weights per line, in `schema.MANDATE_LINES` order.
    """
    net, fl = model.engine_static.net, model.engine_state.flow
    c = fl.counters
    n_ev = int(c[E.C_EVENT_CUR])
    ev = np.arange(n_ev)
    true = net.evi[E.EV_FALSE, ev] == 0
    line = net.evi[E.EV_LINE, ev]
    severity = net.evf[E.EV_SEVERITY, ev]
    realized = (fl.esi[E.ES_MITIGATED, ev] != 0) & true
    path = fl.esi[E.ES_PATH, ev]
    by_path = {name: 0.0 for name in E.PATH_NAMES}
    harm = {}
    w_total = 0.0
    for i, name in enumerate(schema.MANDATE_LINES):
        in_line = true & (line == i)
        total = float(severity[in_line].sum())
        harm[name] = float(severity[in_line & ~realized].sum())
        if total <= 0 or weights[i] <= 0:
            continue
        w_total += weights[i]
        # the line's realized events selected once: each path's sum adds the same values in the same order;
        # a path that realized nothing in the line would add exactly 0.0 to a non-negative share: skipped
        done = in_line & realized
        done_severity, done_path = severity[done], path[done]
        for p in np.unique(done_path[done_path >= 0]):
            by_path[E.PATH_NAMES[p]] += weights[i] * float(done_severity[done_path == p].sum()) / total
    by_path = {k: (v / w_total if w_total > 0 else float("nan")) for k, v in by_path.items()}
    gr = sum(by_path.values()) if w_total > 0 else float("nan")
    base, own = by_path["baseline"], by_path["own_sensing"]
    intelligence_share = _share(gr - own - base, gr - base) if gr - base > 1e-12 else float("nan")

    fc_aware = fl.esf[E.ES_FC_AWARE, ev]
    asifu_aware = fl.esf[E.ES_ASIFU_AWARE, ev]
    n_threats = int(threats.sum())
    fc, asifu = int(net.roles[E.R_FC]), int(net.roles[E.R_ASIFU])

    consumers, resp = responsible_matrix(net, ev[true])
    n_resp = resp.sum(axis=0)
    aware = fl.esi[E.ES_N_AWARE, ev[true]]
    shared = float(np.mean(aware[n_resp > 0] / n_resp[n_resp > 0])) if np.any(n_resp > 0) else float("nan")

    # time to awareness over (responsible consumer, true event) pairs: days before the event
    n_pic = int(c[E.C_NPIC])
    event = fl.pic_i[E.PI_EVENT, :n_pic]
    aware_pic = (fl.pic_i[E.PI_AWARE, :n_pic] != 0) & (event < n_ev)
    aware_pic &= net.evi[E.EV_FALSE, np.minimum(event, max(n_ev - 1, 0))] == 0 if n_ev else aware_pic
    lead = net.evf[E.EV_TIME, event[aware_pic]] - fl.pic_f[E.PF_AWARE_TIME, :n_pic][aware_pic]
    pairs = int(n_resp.sum())
    # one call for the three (one partition of `lead`), the values of three separate calls
    values = np.quantile(lead, AWARENESS_QUANTILES) if lead.size else np.full(len(AWARENESS_QUANTILES), np.nan)
    quantiles = {f"q{int(q * 100)}": float(v) for q, v in zip(AWARENESS_QUANTILES, values, strict=True)}
    quantiles["never_aware_share"] = _share(pairs - int(aware.sum()), pairs)

    # actors outside the mission (component `external`: the humanitarian NGOs and OCHA) are scored apart (issue 15 §2)
    is_ext = model.mission.is_external[consumers]
    ext_resp = resp[is_ext]
    ext_events = ext_resp.any(axis=0)
    true_ev = ev[true]
    ext_gr = _share(
        float(severity[true_ev][ext_events & realized[true_ev]].sum()), float(severity[true_ev][ext_events].sum())
    )
    ext_aware = _external_awareness(fl, n_ev, consumers[is_ext], true_ev[ext_events], ext_resp[:, ext_events])

    capacity = float(net.ui[E.U_CAPACITY].sum())
    days = float(model.day)
    busy = c[E.C_BUSY_MILLIDAYS] / 1000.0
    return {
        "goal_realization_by_path": by_path,
        "intelligence_share": intelligence_share,
        "fc_awareness_rate": _share(np.sum(fc_aware[threats] < np.inf), n_threats) if fc >= 0 else float("nan"),
        "asifu_awareness_rate": (
            _share(np.sum(asifu_aware[threats] < np.inf), n_threats) if asifu >= 0 and fc >= 0 else float("nan")
        ),
        "shared_awareness": shared,
        "time_to_awareness": quantiles,
        "false_alarm_rate": _share(c[E.C_FALSE_ACTIONS], c[E.C_ACTIONS]),
        "capacity_utilisation": min(1.0, _share(busy, capacity * days)) if capacity > 0 else float("nan"),
        "harm_by_line": harm,
        "external_goal_realization": ext_gr,
        "external_awareness": ext_aware,
        "asifu_assessments_to_fc": int(c[E.C_ASIFU_FC_DELIV]),
    }


def _external_awareness(fl, n_ev: int, units: np.ndarray, events: np.ndarray, resp: np.ndarray) -> float:
    """Share of (outside actor, event) responsibility pairs in which the actor was aware in time."""
    pairs = int(resp.sum())
    if pairs == 0:
        return float("nan")
    n_pic = int(fl.counters[E.C_NPIC])
    aware = fl.pic_i[E.PI_AWARE, :n_pic] != 0
    key = fl.pic_i[E.PI_HOLDER, :n_pic][aware] * max(n_ev, 1) + fl.pic_i[E.PI_EVENT, :n_pic][aware]
    rows, cols = np.nonzero(resp)
    wanted = units[rows].astype(np.int64) * max(n_ev, 1) + events[cols]
    held = set(key.tolist())  # (a few hundred keys: a set beats np.isin's sort by a factor of ten here)
    return sum(w in held for w in wanted.tolist()) / pairs


def events_table(model: Simulation) -> pd.DataFrame:
    """`events.parquet`'s rows of one replicate (contract `EVENTS`, without `replicate`): one per event in the horizon.

    Truth, awareness of the FC and of ASIFU (by the FC's criterion), aware and responsible in-mission consumers,
    the action with its picture's completeness and accuracy, and the outcome with its attribution path.
    """
    net, fl = model.engine_static.net, model.engine_state.flow
    sc = model.mission
    n_ev = int(fl.counters[E.C_EVENT_CUR])
    ev = np.arange(n_ev)
    is_false = net.evi[E.EV_FALSE, ev] != 0
    _, resp = responsible_matrix(net, ev)
    consumers = np.flatnonzero(net.ui[E.U_CONSUMER] != 0)
    in_mission = ~sc.is_external[consumers]
    first = np.full(n_ev, np.nan)
    ind_event, ind_time = model.world.indicator_event, model.world.indicator_time
    keep = ind_event < n_ev
    events_kept, times_kept = ind_event[keep], ind_time[keep]
    # the world's indicators are in time order, so an event's earliest indicator is its first one, found by
    # position (an integer `minimum.at` takes numpy's fast path; `fmin.at` over the times took ten times as long)
    first_at = np.full(n_ev, events_kept.size)
    np.minimum.at(first_at, events_kept, np.arange(events_kept.size))
    has = first_at < events_kept.size
    first[has] = times_kept[first_at[has]]
    actor = fl.esi[E.ES_ACTOR, ev]
    path = fl.esi[E.ES_PATH, ev]
    realized = (fl.esi[E.ES_MITIGATED, ev] != 0) & ~is_false
    acted = actor >= 0  # completeness and accuracy are the picture's at the action, as the engine recorded them

    def when(row: int) -> np.ndarray:
        t = fl.esf[row, ev].copy()
        t[~np.isfinite(t)] = np.nan
        return t

    labels = sc.labels
    return pd.DataFrame(
        {
            "event": ev,
            "time": net.evf[E.EV_TIME, ev],
            "sector": _names(labels["sector_id"], net.evi[E.EV_SECTOR, ev]),
            "line": _names(_CODE_NAMES["line"], net.evi[E.EV_LINE, ev]),
            "domain": _names(_CODE_NAMES["domain"], net.evi[E.EV_DOMAIN, ev]),
            "horizon": _names(_CODE_NAMES["horizon"], net.evi[E.EV_HORIZON, ev]),
            "severity": net.evf[E.EV_SEVERITY, ev],
            "is_false": is_false,
            "first_indicator_time": first,
            "fc_aware_time": when(E.ES_FC_AWARE),
            "asifu_aware_time": when(E.ES_ASIFU_AWARE),
            "aware_consumers": fl.esi[E.ES_N_AWARE, ev].astype(np.int64),
            "responsible_consumers": resp[in_mission].sum(axis=0).astype(np.int64),
            "action_unit": _names(labels["actor_id"], np.where(acted, actor, len(sc.units))),
            "action_time": np.where(acted, fl.esf[E.ES_ACTION_TIME, ev], np.nan),
            "completeness": np.where(acted, fl.esf[E.ES_COMPLETENESS, ev], np.nan),
            "accuracy": np.where(acted, fl.esf[E.ES_ACCURACY, ev], np.nan),
            "mitigated": realized & (fl.esi[E.ES_PREVENTED, ev] == 0),
            "prevented": fl.esi[E.ES_PREVENTED, ev] != 0,
            "path": _names(_CODE_NAMES["path"], np.where(realized & (path >= 0), path, len(E.PATH_NAMES))),
        }
    )


def _names(names: Any, codes: np.ndarray) -> Any:
    """`[names[c] for c in codes]` as a pandas string column, taken in pyarrow rather than row by row in Python.

    Converting Python strings to pandas' strings cost more than the rest of the table. An empty column stays
    an empty list, which pandas types as it always did.
    """
    return names.take(codes) if codes.size else []
