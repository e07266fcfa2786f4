"""Synthetic run and sweep directories in the output contract (`missionfit.contract`), for the analysis tests.

The numbers are invented (seeded, stylized after MINUSMA 2015: four locations from Geo-PKO, the intelligence
components of Rietjens & Ruffa 2019); they exercise every figure and table without running the model. The names,
order and dtypes of the files are the contract's: `tests/test_contract.py` checks them against the declaration
and against a real run, so this fixture cannot drift from what the runner writes.
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from missionfit import contract
from missionfit.analysis.stats import mean_ci95
from missionfit.runner.rundir import to_jsonable

_LOC = {
    "Bamako": (12.65, -8.0, "fhq"),
    "Gao": (16.27167, -0.04472, "east"),
    "Timbuktu": (16.77348, -3.00742, "west"),
    "Kidal": (18.44111, 1.40778, "north"),
    "Douentza": (15.00155, -2.94978, "west"),
    "Ansongo": (15.6597, 0.5022, "east"),
}

# id, name, kind, component, contributor, group, location, strength
_UNITS = [
    ("srsg", "SRSG office", "srsg_office", "civilian", "UN", "un_civilian", "Bamako", 40),
    ("fhq", "Force HQ", "force_hq", "military", "Multinational", "mixed", "Bamako", 150),
    ("u2", "U2", "u2", "military", "Multinational", "mixed", "Bamako", 25),
    ("u3", "U3", "u3", "military", "Multinational", "mixed", "Bamako", 30),
    ("asifu_hq", "ASIFU HQ", "asifu_hq", "military", "Netherlands", "western_european", "Bamako", 70),
    ("jmac", "JMAC", "jmac", "civilian", "UN", "un_civilian", "Bamako", 20),
    ("joc", "JOC", "joc", "civilian", "UN", "un_civilian", "Bamako", 20),
    ("undss", "UNDSS", "undss", "civilian", "UN", "un_civilian", "Bamako", 30),
    ("unpol", "UNPOL", "unpol", "police", "Multinational", "mixed", "Bamako", 1000),
    ("jcb", "Joint Coordination Board", "board", "civilian", "UN", "un_civilian", "Bamako", 0),
    ("ocha", "OCHA / NGOs", "humanitarian", "external", "UN", "humanitarian", "Bamako", 60),
    ("soltg", "SOLTG", "special_forces", "military", "Netherlands", "western_european", "Gao", 90),
    (
        "heli",
        "Helicopter detachment",
        "helicopter_detachment",
        "military",
        "Netherlands",
        "western_european",
        "Gao",
        140,
    ),
    ("isr_coy", "ISR company", "isr_company", "military", "Netherlands", "western_european", "Gao", 65),
    ("isr_tf", "ISR task force", "isr_taskforce", "military", "Sweden", "western_european", "Timbuktu", 200),
    ("shq_e", "Sector HQ East", "sector_hq", "military", "Senegal", "west_african", "Gao", 150),
    ("g2_e", "G2 East", "g2", "military", "Senegal", "west_african", "Gao", 10),
    ("shq_w", "Sector HQ West", "sector_hq", "military", "Burkina Faso", "west_african", "Timbuktu", 150),
    ("g2_w", "G2 West", "g2", "military", "Burkina Faso", "west_african", "Timbuktu", 10),
    ("shq_n", "Sector HQ North", "sector_hq", "military", "Chad", "central_african", "Kidal", 150),
    ("g2_n", "G2 North", "g2", "military", "Chad", "central_african", "Kidal", 10),
    ("bn_ban", "Bangladesh battalion", "battalion", "military", "Bangladesh", "south_asian", "Gao", 1550),
    ("bn_sen", "Senegal battalion", "battalion", "military", "Senegal", "west_african", "Gao", 1250),
    ("bn_ner", "Niger battalion", "battalion", "military", "Niger", "west_african", "Ansongo", 950),
    (
        "bn_bfa",
        "Burkina Faso battalion",
        "battalion",
        "military",
        "Burkina Faso",
        "west_african",
        "Timbuktu",
        1100,
    ),
    ("bn_tgo", "Togo battalion", "battalion", "military", "Togo", "west_african", "Douentza", 1100),
    ("bn_tcd", "Chad battalion", "battalion", "military", "Chad", "central_african", "Kidal", 800),
    ("bn_gin", "Guinea battalion", "battalion", "military", "Guinea", "west_african", "Kidal", 1250),
    ("unpol_gao", "UNPOL Gao", "unpol", "police", "Multinational", "mixed", "Gao", 150),
    ("ca_gao", "Civil affairs Gao", "civil_affairs", "civilian", "UN", "un_civilian", "Gao", 15),
]

_SECTOR_OF_LOC = {k: v[2] for k, v in _LOC.items()}
_SHQ = {"east": "shq_e", "west": "shq_w", "north": "shq_n"}
_G2 = {"east": "g2_e", "west": "g2_w", "north": "g2_n"}


@functools.cache
def _kind_vocabulary() -> dict[str, dict[str, str | None]]:
    """Per unit kind, the roles, echelon, actor block and label that the real minusma_2015 declares for it."""
    from missionfit.scenario import load

    table = load("minusma_2015").units_table()
    columns = ["roles", "echelon", "actor_block", "kind_label"]
    rows = table[["kind", *columns]].itertuples(index=False)
    return {kind: dict(zip(columns, values, strict=True)) for kind, *values in rows}


def units_table() -> pd.DataFrame:
    """A MINUSMA-2015-like `units.parquet` table (battalions get an S2 cell each)."""
    rows = []
    for uid, name, kind, comp, contrib, group, loc, strength in _UNITS:
        lat, lon, sector = _LOC[loc]
        rows.append(
            dict(
                id=uid,
                name=name,
                kind=kind,
                component=comp,
                contributor=contrib,
                group=group,
                location=loc,
                sector=sector,
                strength=strength,
                latitude=lat,
                longitude=lon,
            )
        )
        if kind == "battalion":
            rows.append(
                dict(
                    id=f"s2_{uid[3:]}",
                    name=f"S2 {contrib}",
                    kind="s2",
                    component=comp,
                    contributor=contrib,
                    group=group,
                    location=loc,
                    sector=sector,
                    strength=8,
                    latitude=lat,
                    longitude=lon,
                )
            )
    df = pd.DataFrame(rows)
    vocabulary = _kind_vocabulary()
    for column in ("roles", "echelon", "actor_block", "kind_label"):
        df[column] = [vocabulary.get(kind, {}).get(column) for kind in df["kind"]]
    df["tech_level"] = np.where(df["group"] == "western_european", 0.9, 0.4)
    df["rivals"] = [
        "jmac" if i == "asifu_hq" else ("asifu_hq" if i == "jmac" else "") for i in df["id"]
    ]  # joined by ","
    return df


def edges_table(units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The typed command structure as (source, target, type) rows."""
    u = units_table() if units is None else units
    e: list[tuple[str, str, str]] = []
    add = e.append
    for t in ("fhq", "jmac", "joc", "undss", "unpol"):
        add(("srsg", t, "command"))
    for t in ("u2", "u3", "asifu_hq", "soltg", "heli", "shq_e", "shq_w", "shq_n"):
        add(("fhq", t, "command"))
    for t in ("isr_coy", "isr_tf"):
        add(("asifu_hq", t, "command"))
        add((t, "asifu_hq", "intel"))
    for s in ("east", "west", "north"):
        add((_SHQ[s], _G2[s], "command"))
        add((_G2[s], "u2", "intel"))
        add((_SHQ[s], "fhq", "commander_chain"))
    for _, r in u[u["kind"] == "battalion"].iterrows():
        s2 = "s2_" + r["id"][3:]
        add((_SHQ[r["sector"]], r["id"], "command"))
        add((r["id"], s2, "command"))
        add((s2, _G2[r["sector"]], "intel"))
        add((r["id"], _SHQ[r["sector"]], "commander_chain"))
    add(("u2", "fhq", "intel"))
    add(("asifu_hq", "fhq", "intel"))
    add(("soltg", "u2", "intel"))
    add(("heli", "u2", "intel"))
    add(("soltg", "fhq", "commander_chain"))
    add(("soltg", "asifu_hq", "informal"))
    add(("heli", "asifu_hq", "informal"))
    add(("asifu_hq", "jmac", "informal"))
    add(("jmac", "asifu_hq", "informal"))
    add(("isr_coy", "jmac", "informal"))
    add(("jmac", "srsg", "intel"))
    add(("joc", "srsg", "intel"))
    add(("undss", "srsg", "intel"))
    add(("unpol", "jmac", "intel"))
    add(("unpol_gao", "unpol", "intel"))
    add(("ocha", "undss", "informal"))
    add(("ca_gao", "jmac", "intel"))
    add(("u2", "jmac", "liaison"))
    for m in ("jmac", "asifu_hq", "u2", "undss", "u3", "unpol", "joc", "srsg"):
        add((m, "jcb", "board"))
        add(("jcb", m, "board"))
    return pd.DataFrame(e, columns=["source", "target", "type"])


def flows_table(seed: int = 0, units: pd.DataFrame | None = None, replicates: int = 10) -> pd.DataFrame:
    """A `flows.parquet` table over `edges_table`, with the MINUSMA frictions built in (seeded)."""
    rng = np.random.default_rng(seed)
    u = units_table() if units is None else units
    edges = edges_table(u)
    kind = dict(zip(u["id"], u["kind"], strict=True))
    base_hops = {
        "command": 40,
        "intel": 120,
        "commander_chain": 160,
        "liaison": 30,
        "informal": 25,
        "board": 15,
    }
    rows = []
    for s, t, typ in edges.itertuples(index=False):
        hops = int(rng.poisson(base_hops[typ] * (0.3 if kind[s] == "s2" else 1.0)))
        withheld_p = 0.05
        if {kind[s], kind[t]} == {"asifu_hq", "jmac"}:
            withheld_p = 0.6
        elif kind[s] in ("special_forces", "helicopter_detachment") and kind[t] == "asifu_hq":
            withheld_p = 0.35
        elif typ == "board":
            withheld_p = 0.25
        withheld = int(rng.binomial(hops, withheld_p))
        lost = int(rng.binomial(hops - withheld, 0.1 if kind[s] in ("s2", "battalion") else 0.03))
        delivered = hops - withheld - lost
        sanitized = int(rng.binomial(delivered, 0.3 if kind[s] in ("isr_company", "asifu_hq") else 0.02))
        rows.append(
            dict(
                source=s,
                target=t,
                type=typ,
                hops=hops,
                delivered=delivered,
                withheld=withheld,
                sanitized=sanitized,
                lost=lost,
                replicates=replicates,
            )
        )
    return pd.DataFrame(rows, columns=list(contract.FLOWS.names))


_METRIC_BASE = {
    "goal_realization": 0.32,
    "fc_current_warning_rate": 0.18,
    "asifu_current_warning_rate": 0.46,
    "asifu_use_rate_fc": 0.12,
    "jmac_receipt_from_sf_isr": 0.08,
    "g2_receipt_from_s2": 0.35,
    "duplication": 0.42,
}
_LINES = ("security", "protection_of_civilians", "political_process", "state_authority", "humanitarian")
_EFFECTS = {
    "integrate_u2_asifu": {
        "goal_realization": 0.06,
        "fc_current_warning_rate": 0.2,
        "asifu_use_rate_fc": 0.3,
        "duplication": -0.05,
    },
    "jcb_directive": {"goal_realization": 0.03, "duplication": -0.2, "jmac_receipt_from_sf_isr": 0.25},
    "liaison_officers": {"goal_realization": 0.015, "g2_receipt_from_s2": 0.05},
    "cross_cultural_training": {"goal_realization": 0.0},
}


#: Relative weight of each attribution path in the synthetic goal realization (baseline and own sensing large).
_PATH_WEIGHTS = {
    "baseline": 0.30,
    "own_sensing": 0.25,
    "commander_chain": 0.15,
    "intel_line": 0.10,
    "all_source_fusion": 0.06,
    "mission_analysis": 0.03,
    "other_analysis": 0.02,
    "board": 0.02,
    "liaison": 0.03,
    "informal": 0.04,
}
#: How the paper's interventions shift weight between paths in the synthetic data.
_PATH_EFFECTS = {
    "integrate_u2_asifu": {"all_source_fusion": 0.10, "intel_line": 0.03},
    "jcb_directive": {"board": 0.06, "mission_analysis": 0.04},
    "liaison_officers": {"liaison": 0.05},
}


def _v2_columns(row: dict, rng: np.random.Generator, interventions: tuple[str, ...]) -> dict[str, float | int]:
    """The v2 core's metrics of one synthetic replicate (`contract.V2_METRICS`): paths sum to goal realization."""
    gr = float(row["goal_realization"])
    weights = dict(_PATH_WEIGHTS)
    for i in interventions:
        for path, extra in _PATH_EFFECTS.get(i, {}).items():
            weights[path] += extra
    w = np.array([weights[p] for p in contract.PATHS]) * rng.uniform(0.8, 1.2, len(contract.PATHS))
    shares = gr * w / w.sum()
    out: dict[str, float | int] = {
        f"goal_realization_by_path.{p}": float(v) for p, v in zip(contract.PATHS, shares, strict=True)
    }
    baseline, own = shares[0], shares[1]
    out["intelligence_share"] = float((gr - own - baseline) / (gr - baseline)) if gr > baseline else float("nan")
    fc = float(np.clip(row["fc_current_warning_rate"] + rng.normal(0, 0.02), 0, 1))
    q10 = float(rng.uniform(0.2, 0.6))
    out.update(
        {
            "fc_awareness_rate": fc,
            "asifu_awareness_rate": float(np.clip(fc + 0.2 + rng.normal(0, 0.02), 0, 1)),
            "shared_awareness": float(np.clip(0.3 + rng.normal(0, 0.03), 0, 1)),
            "time_to_awareness.q10": q10,
            "time_to_awareness.q50": q10 + float(rng.uniform(0.8, 1.5)),
            "time_to_awareness.q90": q10 + float(rng.uniform(3.0, 5.0)),
            "time_to_awareness.never_aware_share": float(np.clip(0.55 + rng.normal(0, 0.03), 0, 1)),
            "false_alarm_rate": float(np.clip(0.12 + rng.normal(0, 0.02), 0, 1)),
            "capacity_utilisation": float(np.clip(0.6 + rng.normal(0, 0.05), 0, 1)),
        }
    )
    for line in _LINES:
        out[f"harm_by_line.{line}"] = float(rng.gamma(20.0, 10.0) * (1 - row[f"goal_realization_by_line.{line}"]))
    out.update(
        external_goal_realization=float(np.clip(0.25 + rng.normal(0, 0.03), 0, 1)),
        external_awareness=float(np.clip(0.2 + rng.normal(0, 0.03), 0, 1)),
        asifu_assessments_to_fc=int(rng.poisson(40)),
    )
    # contract 3.0: living trust and protection
    sent = int(rng.poisson(470))
    escorts = int(rng.binomial(360, 0.5))
    out.update(
        mean_competence=float(np.clip(0.58 + rng.normal(0, 0.01), 0, 1)),
        mean_goodwill=float(np.clip(0.61 + rng.normal(0, 0.01), 0, 1)),
        trust_pairs=int(rng.poisson(360)),
        trust_moved_share=float(np.clip(0.45 + rng.normal(0, 0.02), 0, 1)),
        leaks=int(rng.poisson(45)),
        requests_sent=sent,
        requests_answered=int(rng.binomial(sent, 0.55)),
        escorts=escorts,
        escorts_refused=360 - escorts,
        safety_incidents=int(rng.binomial(escorts, 0.1)),
    )
    return out


def replicates_table(
    n: int = 10,
    seed: int = 0,
    interventions: tuple[str, ...] = (),
    fit: dict[str, float] | None = None,
    v2: bool = False,
) -> pd.DataFrame:
    """A `replicates.parquet` table; replicate *r* shares its noise across arms (common random numbers).

    With `v2`, the v2 core's metrics follow (`contract.REPLICATES_V2`), drawn after the v1 ones so that those
    keep their values.
    """
    fit = fit or {}
    rows = []
    for r in range(n):
        rng = np.random.default_rng([seed, r])
        row: dict[str, float | int] = {"replicate": r, "seed": seed * 1000 + r}
        weakest = min(fit.get(k, 0.0) for k in ("strategic", "cultural", "operational"))
        mean_fit = np.mean([fit.get(k, 0.0) for k in ("strategic", "cultural", "operational")])
        for m, b in _METRIC_BASE.items():
            v = b + rng.normal(0, 0.03)
            for i in interventions:
                v += _EFFECTS.get(i, {}).get(m, 0.0) + rng.normal(0, 0.01)
            if m == "goal_realization":
                v += 0.35 * weakest + 0.08 * mean_fit
            row[m] = float(np.clip(v, 0, 1))
        for k, line in enumerate(_LINES):
            row[f"goal_realization_by_line.{line}"] = float(
                np.clip(row["goal_realization"] + 0.05 * (k - 2) + rng.normal(0, 0.02), 0, 1)
            )
        for k in ("strategic", "cultural", "operational"):
            row[f"fit_index.{k}"] = float(np.clip(0.3 + 0.6 * fit.get(k, 0.0) + rng.normal(0, 0.02), 0, 1))
        created = int(rng.poisson(4000))
        delivered = int(created * 0.7)
        dropped = int(created * 0.25)
        row.update(
            events_total=int(rng.poisson(900)),
            reports_created=created,
            reports_delivered=delivered,
            reports_dropped=dropped,
            reports_in_flight=created - delivered - dropped,
            hops=int(created * 3.1),
        )
        withheld = int(dropped * 0.6)
        row.update(
            u2_asifu_receipt_from_sf_isr=float(np.clip(0.6 + rng.normal(0, 0.05), 0, 1)),
            imminent_threats=int(rng.poisson(350)),
            reports_withheld=withheld,
            reports_lost=dropped - withheld,
            reports_sanitized=int(delivered * 0.2),
            observations=int(rng.poisson(3000)),
            assessments=int(rng.poisson(900)),
            tasks_issued=int(rng.poisson(800)),
            mean_trust=float(np.clip(0.54 + rng.normal(0, 0.01), 0, 1)),
        )
        # the engine produces the v2 metrics (contract 1.1), so every synthetic run has them; `v2` is kept for
        # callers that ask for them explicitly
        row.update(_v2_columns(row, rng, interventions))
        rows.append(row)
    table = contract.REPLICATES_V2
    return pd.DataFrame(rows, columns=list(table.names))


def metrics_from_replicates(rep: pd.DataFrame, wall_seconds: float = 1.0) -> dict:
    """A `metrics.json` object as the runner writes it: means, a parallel `ci95` tree, `replicates`, `wall_seconds`."""
    means: dict = {}
    cis: dict = {}
    v2 = all(name in rep.columns for name in contract.V2_METRICS)
    for name in contract.replicate_metrics(include_planned=v2):
        mean, low, high = mean_ci95(rep[name].to_numpy(dtype=float))
        if "." in name:
            head, tail = name.split(".", 1)
            means.setdefault(head, {})[tail] = mean
            cis.setdefault(head, {})[tail] = [low, high]
        else:
            means[name], cis[name] = mean, [low, high]
    out = {**means, contract.CI_KEY: cis, "replicates": len(rep), "wall_seconds": wall_seconds}
    return {k: out[k] for k in contract.metrics_json_keys(include_planned=v2)}


def timeseries_table(n: int = 10, days: int = 180, seed: int = 0, uplift: float = 0.0) -> pd.DataFrame:
    """A `timeseries.parquet` table: per replicate and day."""
    rows = []
    for r in range(n):
        rng = np.random.default_rng([seed, r, 7])
        events = rng.poisson(5.0, days)
        mitigated = rng.binomial(events, np.clip(0.3 + uplift + 0.1 * np.sin(np.arange(days) / 30), 0, 1))
        gr = np.cumsum(mitigated) / np.maximum(np.cumsum(events), 1)
        created = rng.poisson(22, days)
        delivered = rng.binomial(created, 0.7)
        trust = 0.5 + 0.1 * (1 - np.exp(-np.arange(days) / 60)) + np.cumsum(rng.normal(0, 0.003, days))
        trust[days // 2 :] -= 0.06  # a rotation resets relationships
        warned = rng.binomial(events, 0.15 + uplift)
        # drawn after the series above, so that adding these columns left those values as they were
        threats = warned + rng.binomial(events - warned, 0.3)
        severity = events * rng.uniform(0.5, 1.5, days)
        day = {
            "replicate": r,
            "day": np.arange(days),
            "events": events,
            "severity": severity,
            "severity_mitigated": severity * mitigated / np.maximum(events, 1),
            "reports_created": created,
            "reports_delivered": delivered,
            "reports_dropped": created - delivered,
            "hops": created * 3,
            "fc_warned": warned,
            "imminent_threats": threats,
            "mean_trust": trust,
            "fusion_queue": rng.poisson(4, days),
            "goal_realization": gr,
            "fc_current_warning_rate": np.cumsum(warned) / np.maximum(np.cumsum(threats), 1),
        }
        rows.append(pd.DataFrame(day, columns=list(contract.TIMESERIES.names)))
    return pd.concat(rows, ignore_index=True)


def fc_latency_table(n: int = 10, seed: int = 0) -> pd.DataFrame:
    """An `fc_latency.parquet` table: reports reaching the Force Commander, by source."""
    src = [  # source, kind, channel, n per replicate, median days
        ("u2", "u2", "intel", 30, 1.6),
        ("asifu_hq", "asifu_hq", "intel", 12, 4.0),
        ("soltg", "special_forces", "commander_chain", 8, 0.3),
        ("shq_e", "sector_hq", "commander_chain", 25, 0.7),
        ("shq_w", "sector_hq", "commander_chain", 20, 0.8),
        ("shq_n", "sector_hq", "commander_chain", 15, 0.9),
        ("jcb", "board", "board", 4, 5.0),
    ]
    rows = []
    for r in range(n):
        rng = np.random.default_rng([seed, r, 11])
        for s, k, ch, m, med in src:
            lat = rng.lognormal(np.log(med), 0.6, rng.poisson(m) + 1)
            for x in lat:
                message = "report" if ch == "commander_chain" else "assessment"
                rows.append((r, s, k, ch, message, float(x), bool(x < 1.0)))
    return pd.DataFrame(rows, columns=list(contract.FC_LATENCY.names))


def events_table(n: int = 10, seed: int = 0, interventions: tuple[str, ...] = (), per_replicate: int = 120):
    """An `events.parquet` table (`contract.EVENTS`): one row per event and replicate, the v2 core's truth and outcome.

    The events of replicate *r* are the same in every arm (common random numbers); interventions make the FC
    aware earlier and more often.
    """
    uplift = sum(_EFFECTS.get(i, {}).get("fc_current_warning_rate", 0.0) for i in interventions)
    sectors = ("east", "west", "north")
    domains = ("armed_groups", "terrorism", "crime", "intercommunal")
    horizons = ("imminent", "mid", "long")
    frames = []
    for r in range(n):
        world = np.random.default_rng([seed, r, 13])  # the events: shared by every arm
        behaviour = np.random.default_rng([seed, r, 17, len(interventions)])
        m = per_replicate
        time = np.sort(world.uniform(0, 180, m))
        line = world.choice(_LINES, m, p=[0.4, 0.25, 0.15, 0.1, 0.1])
        horizon = world.choice(horizons, m, p=[0.5, 0.3, 0.2])
        is_false = world.random(m) < 0.1
        first = time - world.exponential(6.0, m)
        first[world.random(m) < 0.2] = np.nan
        p_aware = np.clip(0.35 + uplift, 0, 1)
        fc_lead = 0.5 + behaviour.exponential(2.0 + 5 * uplift, m)
        fc_aware = np.where(behaviour.random(m) < p_aware, time - fc_lead, np.nan)
        fc_aware = np.where(np.isfinite(first), np.maximum(fc_aware, first), np.nan)
        asifu_aware = np.where(behaviour.random(m) < 0.55, time - 0.5 - behaviour.exponential(3.0, m), np.nan)
        responsible = world.integers(1, 5, m)
        aware = np.minimum(behaviour.binomial(responsible, 0.4), responsible)
        acted = np.isfinite(fc_aware) & (horizon != "long") & (behaviour.random(m) < 0.7)
        action_time = np.where(acted, fc_aware + behaviour.uniform(0, 0.3, m), np.nan)
        completeness = np.where(acted, behaviour.uniform(0.3, 1.0, m), np.nan)
        accuracy = np.where(acted, behaviour.uniform(0.5, 1.0, m), np.nan)
        draw = world.random(m)  # the outcome draw: world stream
        mitigated = ~is_false & (draw < np.where(acted, 0.15 + 0.6 * np.nan_to_num(completeness), 0.15))
        prevented = ~is_false & ~mitigated & (horizon != "imminent") & (world.random(m) < 0.05)
        paths = np.array(contract.PATHS[1:])
        path = np.where(acted, behaviour.choice(paths, m), "baseline")
        path = np.where(mitigated | prevented, path, "")
        frames.append(
            pd.DataFrame(
                {
                    "replicate": r,
                    "event": np.arange(m),
                    "time": time,
                    "sector": world.choice(sectors, m),
                    "line": line,
                    "domain": world.choice(domains, m),
                    "horizon": horizon,
                    "severity": world.gamma(2.0, 0.5, m),
                    "is_false": is_false,
                    "first_indicator_time": first,
                    "fc_aware_time": fc_aware,
                    "asifu_aware_time": asifu_aware,
                    "aware_consumers": aware,
                    "responsible_consumers": responsible,
                    "action_unit": np.where(acted, "fhq", ""),
                    "action_time": action_time,
                    "completeness": completeness,
                    "accuracy": accuracy,
                    "mitigated": mitigated,
                    "prevented": prevented,
                    "path": path,
                },
                columns=list(contract.EVENTS.names),
            )
        )
    return pd.concat(frames, ignore_index=True)


def config(interventions: tuple[str, ...] = (), fit: dict | None = None, replicates: int = 10) -> dict:
    """A resolved config, as the runner would write it."""
    return {
        "scenario": {"name": "minusma_2015", "description": "MINUSMA 2015: JCB coordinating-only"},
        "interventions": list(interventions),
        "seed": 0,
        "sim": {"days": 180, "replicates": replicates, "progress": False},
        "fit": {"strategic": 0.0, "cultural": 0.0, "operational": 0.0, **(fit or {})},
    }


def write_run(
    run_dir: str | Path,
    n: int = 10,
    seed: int = 0,
    interventions: tuple[str, ...] = (),
    fit: dict | None = None,
    days: int = 180,
    files: tuple[str, ...] | None = None,
    v2: bool = False,
) -> Path:
    """Write a complete synthetic run directory (or only `files`, by file name).

    With `v2`, as the v2 engine will write it: the v2 metrics in replicates.parquet and metrics.json, and
    events.parquet; without, exactly the files and columns of a run of the current engine.
    """
    run_dir = Path(run_dir)
    (run_dir / ".hydra").mkdir(parents=True, exist_ok=True)
    rep = replicates_table(n, seed, interventions, {k.split(".")[-1]: v for k, v in (fit or {}).items()}, v2=v2)
    uplift = sum(_EFFECTS.get(i, {}).get("goal_realization", 0.0) for i in interventions)
    tables = {
        contract.REPLICATES_FILE: rep,
        contract.TIMESERIES_FILE: timeseries_table(n, days, seed, uplift),
        contract.FLOWS_FILE: flows_table(seed, replicates=n),
        contract.UNITS_FILE: units_table(),
        contract.FC_LATENCY_FILE: fc_latency_table(n, seed),
    }
    if v2:
        tables[contract.EVENTS_FILE] = events_table(n, seed, interventions)
    for name, df in tables.items():
        if files is None or name in files:
            df.to_parquet(run_dir / name, index=False)
    if files is None or contract.METRICS_FILE in files:
        metrics = metrics_from_replicates(rep)
        (run_dir / contract.METRICS_FILE).write_text(json.dumps(to_jsonable(metrics), indent=1))
    if files is None or contract.CONFIG_FILE in files:
        cfg = config(interventions, {k.split(".")[-1]: v for k, v in (fit or {}).items()}, n)
        (run_dir / ".hydra" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
        provenance = {"package": "missionfit", "contract_version": contract.CONTRACT_VERSION, "seed": seed}
        (run_dir / contract.PROVENANCE_FILE).write_text(json.dumps(provenance))
    return run_dir


def write_sweep(
    sweep_dir: str | Path, kind: str = "interventions", n: int = 10, job_files: bool = True, v2: bool = False
) -> Path:
    """Write a synthetic sweep directory.

    Args:
        sweep_dir: Where.
        kind: `interventions` (four arms, with `comparison.parquet` left out so the figures compute it),
            `fit` (3 × 3 × 3 grid of the fit knobs), or `sensitivity` (a Sobol and a Morris table).
        n: Replicates per job.
        job_files: Also write the job run directories `0/`, `1/`, ...
        v2: As the v2 engine will write it: the v2 metrics in summary.parquet, events.parquet in each job.
    """
    sweep_dir = Path(sweep_dir)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    if kind == "interventions":
        arms = [
            (),
            ("integrate_u2_asifu",),
            ("jcb_directive",),
            ("integrate_u2_asifu", "jcb_directive"),
            ("liaison_officers",),
        ]
        jobs = [{"interventions": "[" + ",".join(a) + "]", "_arm": a, "_fit": {}} for a in arms]
        overrides = [
            "interventions=[],[integrate_u2_asifu],[jcb_directive],[integrate_u2_asifu,jcb_directive],"
            "[liaison_officers]",
            f"sim.replicates={n}",
        ]
        question = "Which of the paper's recommendations raise goal realization, and through which flows?"
    elif kind in ("fit", "sensitivity"):
        levels = [0.0, 0.5, 1.0]
        jobs = [
            {
                "fit.strategic": s,
                "fit.cultural": c,
                "fit.operational": o,
                "_arm": (),
                "_fit": {"strategic": s, "cultural": c, "operational": o},
            }
            for s, c, o in itertools.product(levels, levels, levels)
        ]
        overrides = ["fit.strategic=0,0.5,1", "fit.cultural=0,0.5,1", "fit.operational=0,0.5,1"]
        question = "Is fit a weakest link: does low fit on one dimension hold goal realization down?"
    else:
        raise ValueError(f"unknown synthetic sweep kind {kind!r}")
    frames = []
    for j, job in enumerate(jobs):
        rep = replicates_table(n, 0, job["_arm"], job["_fit"], v2=v2)
        rep.insert(0, "job", j)
        for k, v in job.items():
            if not k.startswith("_"):
                rep.insert(1, k, v)
        frames.append(rep)
        if job_files:
            write_run(
                sweep_dir / str(j),
                n=n,
                interventions=job["_arm"],
                fit=job["_fit"],
                days=120,
                files=(
                    contract.TIMESERIES_FILE,
                    contract.METRICS_FILE,
                    contract.CONFIG_FILE,
                    contract.FC_LATENCY_FILE,
                    *((contract.EVENTS_FILE,) if v2 else ()),
                ),
                v2=v2,
            )
    pd.concat(frames, ignore_index=True).to_parquet(sweep_dir / contract.SUMMARY_FILE, index=False)
    multirun = {"question": question, "hydra": {"overrides": {"task": overrides}}, **config(replicates=n)}
    (sweep_dir / "multirun.yaml").write_text(yaml.safe_dump(multirun, sort_keys=False))
    if kind == "sensitivity":
        sensitivity_table().to_parquet(sweep_dir / contract.SENSITIVITY_FILE, index=False)
    return sweep_dir


def sensitivity_table() -> pd.DataFrame:
    """A `sensitivity.parquet` table with Sobol and Morris indices for two metrics."""
    params = [
        "fit.strategic",
        "fit.cultural",
        "fit.operational",
        "mechanisms.trust_gain",
        "mechanisms.rivalry_strength",
        "mechanisms.sanitize_delay_days",
    ]
    s1 = {
        "goal_realization": [0.22, 0.18, 0.2, 0.04, 0.06, 0.01],
        "duplication": [0.3, 0.05, 0.02, 0.01, 0.4, 0.0],
    }
    rows = []
    for metric, vals in s1.items():
        for p, v in zip(params, vals, strict=True):
            rows.append(
                dict(
                    method="sobol",
                    parameter=p,
                    metric=metric,
                    S1=v,
                    S1_conf=0.03 + 0.1 * v,
                    ST=v * 1.5 + 0.02,
                    ST_conf=0.04 + 0.1 * v,
                )
            )
            rows.append(
                dict(
                    method="morris",
                    parameter=p,
                    metric=metric,
                    mu_star=v * 0.8,
                    mu_star_conf=0.02 + 0.15 * v,
                    sigma=v * 0.5 + 0.01,
                )
            )
    return pd.DataFrame(rows)
