"""Evaluate every held-out test of docs/validation.md §6 (6.1-6.9) as pre-registered, with Holm over the family.

This is the evaluation of §7.2 **at the uncalibrated scenario defaults**, not on the accepted ensemble of §7.2 nor on
its medoid: neither exists before the calibration run (§7.1, issue 17). Where §6 names the medoid, the defaults stand
in for it. Nothing in §6 is changed here: metric, arms, horizon, direction, δ, seed (1) and replicates (R_H = 50) are
the pre-registered ones. A test whose metric cannot be read from a run without changing the model is reported as
"not computable" with the reason, and enters the Holm family with p = 1 (it rejects nothing, and the other tests'
Holm levels are those of the full family, m = 39).

Statistics (§2): per-replicate paired differences d_r = m_B,r - m_A,r (same seed and replicate: the world stream and
the keyed behavioural draws are common to the arms); the mean; its 95 % BCa bootstrap interval (`scipy.stats.
bootstrap`, paired resampling of d, 9,999 resamples, `random_state=0`; clipped to the metric's bounds, [-1, 1] for a
difference of shares); the one-sided 95 % bound (the matching end of the 90 % BCa interval); the paired one-sided
t-test and the sign-flip permutation test (9,999 flips, seed 0). Holm: the family is the 39 tests marked [F]; each
test's *primary* hypothesis is its claim (directional: E[d] > 0; equivalence: TOST; non-inferiority: E[d] > -δ), and
Holm's step-down runs over the 39 primary t-test p-values (§2: "the p-values come from the paired one-sided t-test");
the permutation test is read at the same rank levels, and where the two disagree the outcome is "undecided" (§2).
The secondary hypotheses that §2's outcome rules need (the opposite direction for
"contradicted", TOST for "negligible", the two-sided test for a contradicted equivalence) are judged at the level
Holm assigns to the test's rank, α / (m - k + 1).

Usage: `python scripts/evaluate_heldout.py [--replicates 50] [--seed 1] [--json out.json] [--by-label]`
(`--by-label`: the tables of validation.md §8.3-§8.5; `--from-json out.json`: print the tables of a saved run).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_pattern6 import NIGERBAT, RIVERINE, _no_tasking  # noqa: E402

from missionfit.model.awareness import events_table  # noqa: E402
from missionfit.model.metrics import flows_table, replicate_metrics  # noqa: E402
from missionfit.model.received import received  # noqa: E402
from missionfit.model.simulation import BatchSimulation  # noqa: E402
from missionfit.model.trust import trust_table  # noqa: E402
from missionfit.scenario import build_scenario  # noqa: E402
from missionfit.scenario.loading import read_intervention, read_scenario  # noqa: E402

ALPHA, M_FAMILY = 0.05, 39
N_BOOT, N_FLIPS = 9999, 9999
DELTA_GR, DELTA_LINE, DELTA_RATE, DELTA_DUP, DELTA_GW = 0.01, 0.02, 0.03, 0.02, 0.05
WESTERN = ("western_european",)
AFRICAN = ("west_african", "central_african")
INTERVENTIONS = (
    "integrate_u2_asifu", "jcb_directive", "liaison_officers", "cross_cultural_training", "intelligence_training",
    "aligned_procedures", "joint_database", "asifu_tasking_authority", "uav_fast_accreditation",
)
HEADING = "at the uncalibrated defaults, not the accepted ensemble of §7.2"


# ---------------------------------------------------------------------------------------------------------------
# Statistics (validation.md §2)


def count_delta(reference_mean: float) -> float:
    """δ_count = max(2, 20 % of the reference arm's mean) (§2)."""
    return max(2.0, 0.2 * abs(float(reference_mean)))


def bca(d: np.ndarray, level: float, bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """BCa bootstrap interval of the mean of `d` (paired: `d` is already the per-replicate difference)."""
    d = np.asarray(d, dtype=float)
    if d.size == 0:
        return float("nan"), float("nan")
    if np.all(d == d[0]):
        return float(d[0]), float(d[0])
    res = stats.bootstrap((d,), np.mean, confidence_level=level, n_resamples=N_BOOT, method="BCa", random_state=0)
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (np.isfinite(lo) and np.isfinite(hi)):  # a degenerate BCa (almost all d equal): the percentile ends
        res = stats.bootstrap(
            (d,), np.mean, confidence_level=level, n_resamples=N_BOOT, method="percentile", random_state=0
        )
        lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return lo, hi


def t_p(d: np.ndarray, shift: float, alternative: str) -> float:
    """Paired one-sided t-test of E[d] against `shift` (`greater`: E[d] > shift; `less`: E[d] < shift)."""
    d = np.asarray(d, dtype=float)
    if np.all(d == d[0]):
        return 0.0 if (d[0] > shift if alternative == "greater" else d[0] < shift) else 1.0
    return float(stats.ttest_1samp(d - shift, 0.0, alternative=alternative).pvalue)


def flip_p(d: np.ndarray, shift: float, alternative: str) -> float:
    """Sign-flip permutation test of E[d] against `shift` (9,999 flips, seed 0; smallest p 1 / 10,000)."""
    x = np.asarray(d, dtype=float) - shift
    if np.all(x == 0):
        return 1.0
    rng = np.random.default_rng(0)
    signs = rng.choice([-1.0, 1.0], size=(N_FLIPS, x.size))
    null = (signs * np.abs(x)).mean(axis=1)
    obs = x.mean()
    extreme = (null >= obs) if alternative == "greater" else (null <= obs)
    return float((extreme.sum() + 1) / (N_FLIPS + 1))


def pvalues(d: np.ndarray, delta: float) -> dict[str, tuple[float, float]]:
    """(t, permutation) p-values of every hypothesis §2's outcome rules use."""

    def both(shift: float, alt: str) -> tuple[float, float]:
        return t_p(d, shift, alt), flip_p(d, shift, alt)

    up, down = both(0.0, "greater"), both(0.0, "less")
    above, below = both(-delta, "greater"), both(delta, "less")
    return {
        "up": up,
        "down": down,
        "noninf": above,
        "tost": (max(above[0], below[0]), max(above[1], below[1])),
        "two_sided": (min(1.0, 2 * min(up[0], down[0])), min(1.0, 2 * min(up[1], down[1]))),
    }


#: The primary hypothesis of each kind of claim.
PRIMARY = {"up": "up", "equal": "tost", "noninf": "noninf"}


def holm(p: list[float], alpha: float = ALPHA, m: int | None = None) -> tuple[list[bool], list[float]]:
    """Holm's step-down: per hypothesis, whether it is rejected, and the level of its rank, α / (m - k + 1).

    `m` may exceed `len(p)`: the missing hypotheses count as p = 1 (they sort last and reject nothing).
    """
    m = len(p) if m is None else m
    if m < len(p):
        raise ValueError("m must be at least the number of p-values")
    order = np.argsort(np.asarray(p, dtype=float), kind="stable")
    rejected = [False] * len(p)
    levels = [0.0] * len(p)
    going = True
    for k, i in enumerate(order):
        levels[i] = alpha / (m - k)
        going = going and p[i] < levels[i]
        rejected[i] = going
    return rejected, levels


def holm_pair(p_t: list[float], p_perm: list[float], m: int) -> tuple[list[bool], list[bool], list[float]]:
    """Holm on the t-test p-values (§2: the p-values come from the t-test), the permutation test beside it.

    The ranks and levels are the t-test's. The permutation test rejects a hypothesis when its p-value is below the
    level of the hypothesis' rank and the step-down has reached that rank (every better-ranked one rejected), so
    both tests are read at the same level and a disagreement means "undecided" (§2).
    """
    rejected_t, levels = holm(p_t, m=m)
    order = np.argsort(np.asarray(p_t, dtype=float), kind="stable")
    rejected_f = [False] * len(p_t)
    reached = True
    for i in order:
        rejected_f[i] = reached and p_perm[i] < levels[i]
        reached = reached and rejected_t[i]
    return rejected_t, rejected_f, levels


def outcome(claim: str, mean: float, delta: float, ps: dict, rejected: tuple[bool, bool], level: tuple) -> str:
    """The outcome of §2 from the primary Holm decisions (t, perm) and the rank levels (t, perm)."""
    if rejected[0] != rejected[1]:
        return "undecided (t and permutation disagree)"

    def rej(name: str) -> bool | None:
        t, f = ps[name][0] < level[0], ps[name][1] < level[1]
        return None if t != f else t

    if claim == "up":
        if rejected[0]:
            return "holds" if mean >= delta else "holds, negligible size"
        down, eq = rej("down"), rej("tost")
        if down is None or eq is None:
            return "undecided (t and permutation disagree)"
        return "contradicted" if down else "negligible" if eq else "undecided"
    if claim == "equal":
        if rejected[0]:
            return "holds"
        two = rej("two_sided")
        if two is None:
            return "undecided (t and permutation disagree)"
        return "contradicted" if two and abs(mean) >= delta else "undecided"
    if claim == "noninf":
        if rejected[0]:
            return "holds"
        down = rej("down")
        if down is None:
            return "undecided (t and permutation disagree)"
        return "contradicted" if down and mean <= -delta else "undecided"
    raise ValueError(f"claim = {claim!r}")


# ---------------------------------------------------------------------------------------------------------------
# Arms and per-replicate measures


@dataclass
class Arm:
    """A scenario, its interventions and patches, and a horizon."""

    scenario: str = "minusma_2015"
    interventions: tuple[str, ...] = ()
    patches: Callable[[dict], dict] | None = None  # spec -> {name: patch}
    mechanisms: dict = field(default_factory=dict)
    days: int = 180
    daily: bool = False  # step day by day to read the ISR company's escorts (HS.2)


def _set(select, values: dict, why: str) -> Callable[[dict], dict]:
    def patch(spec: dict) -> dict:
        ids = select(spec) if callable(select) else select
        return {f"zz_{why}": {"description": why, "set_units": [{"select": ids, "set": values}]}}

    return patch


def _all_units(spec: dict) -> list[str]:
    return [u["id"] for u in spec["units"]]


ARMS: dict[str, Arm] = {
    "2015": Arm(),
    "2015+jcb": Arm(interventions=("jcb_directive",)),
    "2014": Arm("minusma_2014"),
    "2014+jcb": Arm("minusma_2014", ("jcb_directive",)),
    "2014/365": Arm("minusma_2014", days=365),
    "2014/365+uav": Arm("minusma_2014", ("uav_fast_accreditation",), days=365),
    # §6.4: radios allowed = escort cost 0 and penalty 0; escort only = penalty 0. The built penalty is the
    # per-escorted-patrol safety incident on the isr_company_gao-humint_ee dyad (§8.0 amendment (8)).
    # diagnostics of §6.3 (not tests): the metadata strip off (`sanitize_metadata_strip` 0, the HU.3 contrast)
    "2014/365 strip off": Arm("minusma_2014", days=365, mechanisms={"sanitize_metadata_strip": 0.0}),
    "2014/365+uav strip off": Arm("minusma_2014", ("uav_fast_accreditation",), days=365,
                                  mechanisms={"sanitize_metadata_strip": 0.0}),
    "radios": Arm(patches=_set(["humint_ee"], {"escort_cost": 0.0, "protection": {"incident_rate": 0.0}}, "radios")),
    "escort_only": Arm(patches=_set(["humint_ee"], {"protection": {"incident_rate": 0.0}}, "escort_only")),
    "2015/daily": Arm(daily=True),
    "no_incidents/daily": Arm(patches=_set(["isr_company_gao"], {"protection": {"incident_rate": 0.0}}, "no_inc"),
                              daily=True),
    "no_conflation": Arm(mechanisms={"trust_conflation": 0.0}),
    "no_bypass": Arm(patches=_set(_all_units, {"reporting_culture": {"bypass": 0.0}}, "no_bypass")),
    **{f"2015+{iv}": Arm(interventions=(iv,)) for iv in INTERVENTIONS if iv not in ("jcb_directive",
                                                                                   "uav_fast_accreditation")},
    "2015+all": Arm(interventions=INTERVENTIONS),
    # pattern 6 (§6.2): "no tasking" = tasking_rate 0 for the units holding command edges to Nigerbat
    "no_tasking": Arm(patches=lambda spec: {"zz_no_tasking": _no_tasking(spec)}),
    "no_tasking+training": Arm(interventions=("intelligence_training",),
                               patches=lambda spec: {"zz_no_tasking": _no_tasking(spec)}),
}


#: A calibrated point (`--point`): (prior space, parameter values) applied to every arm's scenario before its own
#: edits, or None for the scenario defaults.
POINT = None


def compile_arm(arm: Arm):
    spec = read_scenario(arm.scenario)
    mechanisms = dict(arm.mechanisms or {})
    if POINT is not None:
        from missionfit.calibration.priors import apply_point

        space, values = POINT
        # the point first, then the arm's own edits (an arm that sets a mechanism parameter keeps its value)
        moved, point_mechanisms = apply_point(space, {"scenario": spec}, values, strict=arm.scenario == space.scenario)
        spec, mechanisms = moved["scenario"], point_mechanisms | mechanisms
    patches = {name: read_intervention(name)[0] for name in arm.interventions}
    if arm.patches is not None:
        patches |= arm.patches(spec)
    return build_scenario(spec, interventions=patches, mechanisms=mechanisms or None)


def _group_of(sc) -> dict[str, str]:
    return {u["id"]: u.get("group") for u in sc.units}


def _goodwill_between(trust, groups: dict, truster: tuple, trustee: tuple, both: bool) -> float:
    src, dst = trust["source"].map(groups), trust["target"].map(groups)
    sel = src.isin(truster) & dst.isin(trustee)
    if both:
        sel |= src.isin(trustee) & dst.isin(truster)
    return float(trust.loc[sel, "goodwill_final"].mean()) if sel.any() else float("nan")


def _dyad(trust, a: str, b: str, column: str) -> float:
    row = trust[(trust["source"] == a) & (trust["target"] == b)]
    return float(row[column].iloc[0]) if len(row) else float("nan")


def _shared(events, sectors: tuple[str, ...] | None, imminent_security: bool) -> float:
    ev = events[~events["is_false"] & (events["responsible_consumers"] > 0)]
    if sectors is not None:
        ev = ev[ev["sector"].isin(sectors)]
    if imminent_security:
        ev = ev[(ev["line"] == "security") & (ev["horizon"] == "imminent")]
    if not len(ev):
        return float("nan")
    return float((ev["aware_consumers"] / ev["responsible_consumers"]).mean())


def baseline_mismatched(scenario: str) -> frozenset[tuple[str, str, str]]:
    """The edges of the scenario's baseline whose two ends have different `procedures` (§6.8 (a), as in §6.2)."""
    base = compile_arm(Arm(scenario))
    procs = {u["id"]: u["procedures"] for u in base.units}
    return frozenset((e["source"], e["target"], e["type"]) for e in base.edges if procs[e["source"]] != procs[e["target"]])


def measure(model, sc, escorts: tuple[int, int] | None, mismatched_keys: frozenset) -> dict[str, float]:
    """Every per-replicate quantity a test of §6 reads, from one finished replicate."""
    m = replicate_metrics(model)
    flows = flows_table(model)
    events = events_table(model)
    trust = trust_table(model)
    groups = _group_of(sc)
    index = {u["id"]: i for i, u in enumerate(sc.units)}
    out = {
        "goal_realization": m["goal_realization"],
        "gr_security": m["goal_realization_by_line"]["security"],
        "duplication": m["duplication"],
        "shared_awareness": m["shared_awareness"],
        "fc_awareness_rate": m["fc_awareness_rate"],
        "asifu_current_warning_rate": m["asifu_current_warning_rate"],
        "asifu_awareness_rate": m["asifu_awareness_rate"],
        "reports_sanitized": float(m["reports_sanitized"]),
        "u2_asifu_receipt_from_sf_isr": m["u2_asifu_receipt_from_sf_isr"],
        "requests_sent": float(m["requests_sent"]),
        "requests_answered": float(m["requests_answered"]),
        "shared_east": _shared(events, ("east",), False),
        "shared_imminent_security_east_west": _shared(events, ("east", "west"), True),
        "goodwill_west_in_african": _goodwill_between(trust, groups, WESTERN, AFRICAN, both=False),
        "goodwill_west_african_both": _goodwill_between(trust, groups, WESTERN, AFRICAN, both=True),
        "goodwill_soltg_isr_change": _dyad(trust, "soltg", "isr_company_gao", "goodwill_final")
        - _dyad(trust, "soltg", "isr_company_gao", "goodwill_initial"),
        "goodwill_isr_ee": float(np.nanmean([_dyad(trust, "isr_company_gao", "humint_ee", "goodwill_final"),
                                             _dyad(trust, "humint_ee", "isr_company_gao", "goodwill_final")])),
        "nigerbat_reports": float(flows.loc[flows["source"].isin(NIGERBAT), "hops"].sum()),
        "liaison_delivered": float(
            flows.loc[(flows["type"] == "liaison") & flows["target"].map(
                {u["id"]: u["kind"] for u in sc.units}).isin(["g2", "sector_hq", "isr_company", "isr_taskforce"]),
                "delivered"].sum()
        ),
    }
    trained = [index[u["id"]] for u in sc.units
               if (u["contributor"] == "Niger" and u["kind"] in ("battalion", "s2")) or u["id"] == RIVERINE]
    mismatched = [i for i, e in enumerate(sc.edges) if (e["source"], e["target"], e["type"]) in mismatched_keys]
    out["accuracy_received.riverine"] = received(model, [index[RIVERINE]], "accuracy_received")
    out["accuracy_received.trained"] = received(model, trained, "accuracy_received")
    out["accuracy_received.mismatched"] = received(model, None, "accuracy_received", mismatched)
    if escorts is not None:
        out["isr_escorts_1_90"], out["isr_escorts_91_180"] = map(float, escorts)
        out["isr_escorts_change"] = float(escorts[1] - escorts[0])
    return out


def _run_daily(model, sc) -> tuple[int, int]:
    """Step a replicate day by day (same draws as `run`) and count the days the SOLTG escorted the ISR company."""
    u = next(i for i, x in enumerate(sc.units) if x["id"] == "isr_company_gao")
    st = model.engine_static
    entries = st.escort_entries[st.escort_ptr[u] : st.escort_ptr[u + 1]]
    first = second = 0
    for day in range(model.days):
        model.run(days=1)
        now = model.engine_state.available_now[entries]
        escorted = bool(entries.size and np.all(now == st.cover_available[entries]))
        if day < 90:
            first += escorted
        else:
            second += escorted
    return first, second


def run_arm(arm: Arm, replicates: int, seed: int) -> dict[str, np.ndarray]:
    sc = compile_arm(arm)
    mismatched = baseline_mismatched(arm.scenario)
    rows: list[dict[str, float]] = []
    for r in range(replicates):
        model = BatchSimulation(scenario=sc, seed=seed, replicate=r, days=arm.days)
        esc = _run_daily(model, sc) if arm.daily else None
        if not arm.daily:
            model.run()
        rows.append(measure(model, sc, esc, mismatched))
    return {k: np.asarray([row[k] for row in rows], dtype=float) for k in rows[0]}


# ---------------------------------------------------------------------------------------------------------------
# The tests of §6


@dataclass
class Test:
    """One pre-registered test: d = sign · (m[B] - m[A]) so that the claim is about E[d] (up / equal / noninf)."""

    id: str
    section: str
    label: str
    b: str
    a: str
    metric: str
    claim: str
    delta: float | str  # a number, or "count" (δ_count from arm A's mean)
    sign: int = 1
    family: bool = True
    bounds: tuple[float, float] | None = (-1.0, 1.0)
    note: str = ""
    not_computable: str = ""


NC_HU3 = ("not computable: the pictures at the FC and sector HQs record holder and event, not the origin of what "
          "entered them, so 'UAV-origin pictures' cannot be read from a run without adding a counter to the engine")
NC_HQ1 = ("not computable: the engine counts RFIs sent and answered over all ordered pairs together "
          "(`requests_sent`, `requests_answered`); the pre-registered per-pair counters `rfi_issued`/`rfi_answered` "
          "(JMAC -> ASIFU HQ) do not exist, so JMAC's RFIs to ASIFU cannot be separated without changing the engine")

TESTS: tuple[Test, ...] = (
    # 6.1 pattern 4
    Test("H4.1", "6.1", "evidence", "2015", "2014", "duplication", "up", DELTA_DUP, sign=-1,
         note="d = dup(2014) - dup(2015)"),
    Test("H4.2", "6.1", "evidence", "2015+jcb", "2015", "duplication", "up", DELTA_DUP, sign=-1,
         note="d = dup(2015) - dup(2015 + directive)"),
    Test("H4.3", "6.1", "evidence", "2014+jcb", "2014", "duplication", "up", DELTA_DUP, sign=-1,
         note="d = dup(2014) - dup(2014 + directive)"),
    Test("H4.4", "6.1", "evidence", "2015+jcb", "2015", "shared_awareness", "noninf", DELTA_RATE),
    # 6.2 pattern 6
    Test("H6.1", "6.2", "construction-bound", "no_tasking+training", "no_tasking", "nigerbat_reports", "equal",
         "count", bounds=None),
    Test("H6.2", "6.2", "construction-bound", "2015", "no_tasking", "nigerbat_reports", "up", "count", bounds=None),
    Test("H6.3", "6.2", "construction-bound", "2015+aligned_procedures", "2015", "accuracy_received.riverine", "up",
         DELTA_RATE),
    Test("H6.4", "6.2", "construction-bound", "2015+aligned_procedures", "2015", "nigerbat_reports", "equal", "count",
         bounds=None),
    # 6.3 UAV
    Test("HU.1", "6.3", "evidence", "2014/365+uav", "2014/365", "gr_security", "up", DELTA_LINE),
    Test("HU.2", "6.3", "evidence", "2014/365+uav", "2014/365", "shared_imminent_security_east_west", "up",
         DELTA_RATE),
    Test("HU.1 diagnostic", "6.3", "diagnostic (not a test)", "2014/365+uav", "2014/365", "asifu_awareness_rate",
         "two-sided", 0.0, family=False, note="ASIFU HQ's own awareness of the imminent threats"),
    Test("HU.1 diagnostic, strip off", "6.3", "diagnostic (not a test)", "2014/365+uav strip off",
         "2014/365 strip off", "gr_security", "two-sided", 0.0, family=False,
         note="HU.1's contrast with the metadata strip off (`sanitize_metadata_strip` 0) in both arms"),
    Test("HU.3", "6.3", "construction-bound", "", "", "", "up", DELTA_RATE, not_computable=NC_HU3),
    # 6.4 Estonian HUMINT team
    Test("HR.1", "6.4", "construction-bound", "escort_only", "radios", "goal_realization", "equal", DELTA_GR),
    Test("HR.2", "6.4", "construction-bound", "2015", "radios", "goodwill_isr_ee", "up", DELTA_GW, sign=-1,
         note="d = goodwill(radios allowed) - goodwill(observed), mean of both directions of the dyad"),
    Test("HR.3", "6.4", "evidence", "radios", "2015", "goal_realization", "up", DELTA_GR),
    Test("HR.4", "6.4", "evidence", "radios", "2015", "shared_east", "up", DELTA_RATE),
    # 6.5 SOLTG protection
    Test("HS.1", "6.5", "construction-bound", "2015/daily", "no_incidents/daily", "goodwill_soltg_isr_change", "up",
         DELTA_GW, sign=-1, note="d = change(off) - change(on)"),
    Test("HS.2", "6.5", "construction-bound", "2015/daily", "no_incidents/daily", "isr_escorts_change", "up", "count",
         sign=-1, bounds=None, note="escort-days of the ISR company, days 91-180 minus 1-90; d = off - on"),
    Test("HS.3", "6.5", "exploratory", "no_incidents/daily", "2015/daily", "shared_east", "two-sided", 0.0,
         family=False),
    # 6.6 RFIs
    Test("HQ.1", "6.6", "evidence", "", "", "", "up", 0.5, not_computable=NC_HQ1),
    # 6.7 conflation
    Test("HT.1", "6.7", "evidence", "no_conflation", "2015", "goal_realization", "up", DELTA_GR),
    Test("HT.2", "6.7", "construction-bound", "no_conflation", "2015", "goodwill_west_in_african", "up", DELTA_GW),
    # 6.8 (a) declared target flows
    Test("6.8a integrate_u2_asifu", "6.8", "construction-bound", "2015+integrate_u2_asifu", "2015",
         "fc_awareness_rate", "up", DELTA_RATE),
    Test("6.8a liaison_officers", "6.8", "construction-bound", "2015+liaison_officers", "2015", "liaison_delivered",
         "up", "count", bounds=None,
         note="stand-in (the YAML's declared flow): messages delivered over liaison edges to G2, sector HQ and ISR "
              "units; the pre-registered 'share of African battalions' observations reaching their sector's G2 or "
              "ISR unit' is not a counter"),
    Test("6.8a cross_cultural_training", "6.8", "construction-bound", "2015+cross_cultural_training", "2015",
         "goodwill_west_african_both", "up", DELTA_RATE,
         note="mean goodwill_final over interacting dyads between western_european and west/central African units, "
              "both directions"),
    Test("6.8a intelligence_training", "6.8", "construction-bound", "2015+intelligence_training", "2015",
         "accuracy_received.trained", "up", DELTA_RATE),
    Test("6.8a aligned_procedures", "6.8", "construction-bound", "2015+aligned_procedures", "2015",
         "accuracy_received.mismatched", "up", DELTA_RATE),
    Test("6.8a joint_database", "6.8", "construction-bound", "2015+joint_database", "2015", "reports_sanitized",
         "up", "count", sign=-1, bounds=None, note="d = sanitized(baseline) - sanitized(with)"),
    Test("6.8a asifu_tasking_authority", "6.8", "construction-bound", "2015+asifu_tasking_authority", "2015",
         "u2_asifu_receipt_from_sf_isr", "up", DELTA_RATE,
         note="the contract metric counts U2 or ASIFU together; its ASIFU part is not separable"),
    Test("6.8a uav_fast_accreditation", "6.8", "construction-bound", "2014/365+uav", "2014/365",
         "asifu_current_warning_rate", "up", DELTA_RATE,
         note="stand-in (the YAML's declared flow): 'UAV indicators collected, days 0-180' is not a counter"),
    *(
        Test(f"6.8b {iv}", "6.8", "evidence", f"2015+{iv}", "2015", "goal_realization",
             "equal" if iv == "intelligence_training" else "up", DELTA_GR)
        for iv in INTERVENTIONS if iv not in ("jcb_directive", "uav_fast_accreditation")
    ),
    Test("6.8b jcb_directive (2015)", "6.8", "evidence", "2015+jcb", "2015", "goal_realization", "up", DELTA_GR),
    Test("6.8b jcb_directive (2014)", "6.8", "evidence", "2014+jcb", "2014", "goal_realization", "up", DELTA_GR),
    Test("6.8b uav_fast_accreditation", "6.8", "evidence", "2014/365+uav", "2014/365", "goal_realization", "up",
         DELTA_GR),
    Test("6.8b all nine combined", "6.8", "evidence", "2015+all", "2015", "goal_realization", "up", DELTA_GR),
    # 6.9 exploratory
    Test("HX.1", "6.9", "exploratory", "no_bypass", "2015", "fc_awareness_rate", "two-sided", 0.0, family=False),
)


def evaluate(data: dict[str, dict[str, np.ndarray]], tests: tuple[Test, ...] = TESTS) -> dict[str, dict]:
    """Every test's estimate, interval, p-values and outcome, with Holm over the family (m = 39)."""
    results: dict[str, dict] = {}
    for t in tests:
        res: dict = {"section": t.section, "label": t.label, "claim": t.claim, "note": t.note, "family": t.family}
        if t.not_computable or t.b not in data or t.a not in data:
            res |= {"outcome": t.not_computable or "not run", "p_primary": (1.0, 1.0)}
            results[t.id] = res
            continue
        mb, ma = data[t.b][t.metric], data[t.a][t.metric]
        d = t.sign * (mb - ma)
        keep = ~np.isnan(d)
        d = d[keep]
        # δ_count from the mean of the reference arm A of "B vs A" (§2)
        delta = count_delta(np.nanmean(ma)) if t.delta == "count" else float(t.delta)
        res |= {
            "arms": [t.b, t.a], "metric": t.metric, "sign": t.sign, "delta": delta, "n": int(d.size),
            "nan_pairs": int((~keep).sum()),
            "defined_A": int((~np.isnan(ma)).sum()), "defined_B": int((~np.isnan(mb)).sum()),
            "level_B": float(np.nanmean(mb)), "level_A": float(np.nanmean(ma)),
            "mean": float(d.mean()) if d.size else float("nan"),
            "ci95": bca(d, 0.95, t.bounds), "ci90": bca(d, 0.90, t.bounds),
            "sd": float(d.std(ddof=1)) if d.size > 1 else float("nan"),
        }
        if d.size < 2:
            res |= {"outcome": f"not evaluable: the metric is undefined (no element in its set) in "
                               f"{int((~keep).sum())} of {keep.size} pairs (defined in {res['defined_A']} replicates "
                               f"of A, {res['defined_B']} of B)", "p_primary": (1.0, 1.0)}
        elif t.claim == "two-sided":
            res["outcome"] = "diagnostic (no claim)" if t.label.startswith("diagnostic") else "exploratory (no claim)"
        else:
            ps = pvalues(d, delta)
            res["p"] = ps
            res["p_primary"] = ps[PRIMARY[t.claim]]
        results[t.id] = res
    family = [k for k, t in zip(results, tests, strict=True) if t.family]
    if len(family) != M_FAMILY:
        raise RuntimeError(f"the family has {len(family)} tests, not {M_FAMILY}")
    rej_t, rej_f, levels = holm_pair(
        [results[k]["p_primary"][0] for k in family], [results[k]["p_primary"][1] for k in family], M_FAMILY
    )
    for k, a, b, lev in zip(family, rej_t, rej_f, levels, strict=True):
        results[k]["holm_rejected"] = [a, b]
        results[k]["holm_level"] = [lev, lev]
    for k in family:
        r = results[k]
        if "p" in r:
            r["outcome"] = outcome(r["claim"], r["mean"], r["delta"], r["p"], tuple(r["holm_rejected"]),
                                   tuple(r["holm_level"]))
    return results


# ---------------------------------------------------------------------------------------------------------------
# Output


def _fmt(x: float, count: bool) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NaN"
    return f"{x:+.2f}" if count else f"{x:+.4f}"


def _lvl(x: float, count: bool) -> str:
    if isinstance(x, float) and math.isnan(x):
        return "NaN"
    return f"{x:.2f}" if count else f"{x:.4f}"


def _p(x: float) -> str:
    return "1" if x >= 0.9995 else f"{x:.4f}" if x >= 0.0001 else f"{x:.0e}"


SECTION_TITLES = {
    "6.1": "§6.1 Pattern 4 (duplication)", "6.2": "§6.2 Pattern 6 (training vs formats)",
    "6.3": "§6.3 UAV imagery", "6.4": "§6.4 Estonian HUMINT team and Dutch radios",
    "6.5": "§6.5 SOLTG protection", "6.6": "§6.6 RFIs", "6.7": "§6.7 Conflation of capabilities with trust",
    "6.8": "§6.8 The paper's recommendations", "6.9": "§6.9 Exploratory",
}


def _interval(pair, count: bool) -> str:
    """An interval cell, `[low, high]`."""
    return f"[{_fmt(pair[0], count)}, {_fmt(pair[1], count)}]"


def _one_sided(t: Test, r: dict, count: bool) -> str | None:
    """The one-sided 95 % bound cell of a directional or non-inferiority claim (None for an equivalence)."""
    return f"≥ {_fmt(r['ci90'][0], count)}" if t.claim in ("up", "noninf") else None


def markdown(results: dict[str, dict], tests: tuple[Test, ...] = TESTS) -> str:
    lines: list[str] = []
    for sec, title in SECTION_TITLES.items():
        rows = [t for t in tests if t.section == sec]
        lines += ["", f"**{title}, {HEADING}** (R = 50 pairs, seed 1)", "",
                  "| id | label | d = | A | B | d̄ | 95 % BCa CI | one-sided 95 % bound | δ | primary p (t / perm.) "
                  "| Holm level | outcome |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for t in rows:
            r = results[t.id]
            if "mean" not in r:
                lines.append(f"| {t.id} | {t.label} | — | — | — | — | — | — | — | — | — | {r['outcome']} |")
                continue
            count = t.bounds is None
            what = f"{'−' if t.sign < 0 else ''}({t.b} − {t.a}) `{t.metric}`"
            ci = _interval(r["ci95"], count)
            bound = _one_sided(t, r, count) or f"90 % {_interval(r['ci90'], count)}"
            if "p" in r:
                pp = r["p_primary"]
                ptxt = f"{PRIMARY[t.claim]} {_p(pp[0])} / {_p(pp[1])}"
                lev = f"{r['holm_level'][0]:.5f}"
            else:
                ptxt, lev = "—", "—"
            lines.append(
                f"| {t.id} | {t.label} | {what} | {_lvl(r['level_A'], count)} | {_lvl(r['level_B'], count)} | "
                f"{_fmt(r['mean'], count)} | {ci} | {bound} | {r['delta']:.3g} | {ptxt} | {lev} | {r['outcome']} |"
            )
    return "\n".join(lines)


LABEL_TABLES = {
    "evidence": "Held-out, evidence",
    "construction-bound": "Held-out, construction-bound",
    "other": "Exploratory estimates and diagnostics",
}


def markdown_by_label(results: dict[str, dict], tests: tuple[Test, ...] = TESTS) -> str:
    """The tables of validation.md §8.3 (evidence), §8.4 (construction-bound) and §8.5 (exploratory)."""
    lines: list[str] = []
    for label, title in LABEL_TABLES.items():
        rows = [t for t in tests if (t.label == label) or (label == "other" and not t.family)]
        lines += ["", f"**{title}, {HEADING}** (R_H = 50 pairs, seed 1)", "",
                  "| id | § | d = first − second: metric | second | first | d̄ | 95 % BCa CI | one-sided 95 % bound | δ "
                  "| primary p (t / perm.) | outcome |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for t in rows:
            r = results[t.id]
            if "mean" not in r:
                lines.append(f"| {t.id} | {t.section} | — | — | — | — | — | — | — | — | {r['outcome']} |")
                continue
            count = t.bounds is None
            arms = f"{t.b} − {t.a}" if t.sign > 0 else f"{t.a} − {t.b}"
            what = f"{arms}: `{t.metric}`"
            ci = _interval(r["ci95"], count)
            bound = _one_sided(t, r, count) or f"{_interval(r['ci90'], count)} (90 %)"
            if "p" in r:
                pp = r["p_primary"]
                ptxt = f"{PRIMARY[t.claim]}: {_p(pp[0])} / {_p(pp[1])}"
            else:
                ptxt = "—"
            a, b = (r["level_A"], r["level_B"]) if t.sign > 0 else (r["level_B"], r["level_A"])
            lines.append(
                f"| {t.id} | {t.section} | {what} | {_lvl(a, count)} | {_lvl(b, count)} | {_fmt(r['mean'], count)} | "
                f"{ci} | {bound} | {r['delta']:.3g} | {ptxt} | **{r['outcome']}** |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None)
    parser.add_argument("--from-json", default=None, help="print the tables of a saved run without running")
    parser.add_argument("--by-label", action="store_true", help="the tables of validation.md §8.3-§8.5")
    parser.add_argument("--point", default=None, help="a calibration run's medoid.json: evaluate at that point")
    parser.add_argument("--priors", default="configs/calibration/minusma_2015.yaml", help="the point's prior file")
    args = parser.parse_args()
    global POINT, HEADING
    if args.point:
        from missionfit.calibration.priors import load_priors

        POINT = (load_priors(args.priors), json.loads(Path(args.point).read_text())["values"])
        HEADING = f"at the calibration medoid ({args.point}), not the whole accepted ensemble of §7.2"
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        print(markdown_by_label(saved["tests"]) if args.by_label else markdown(saved["tests"]))
        return
    start = time.perf_counter()
    data, seconds = {}, {}
    needed = sorted({x for t in TESTS if not t.not_computable for x in (t.a, t.b)})
    for name in needed:
        t0 = time.perf_counter()
        data[name] = run_arm(ARMS[name], args.replicates, args.seed)
        seconds[name] = time.perf_counter() - t0
        print(f"arm {name}: {seconds[name]:.1f} s", file=sys.stderr, flush=True)
    results = evaluate(data)
    levels = {arm: {k: float(np.nanmean(v)) for k, v in d.items()} for arm, d in data.items()}
    report = {"replicates": args.replicates, "seed": args.seed, "point": args.point, "tests": results, "levels": levels,
              "arm_seconds": seconds, "seconds": time.perf_counter() - start}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")
    print(markdown_by_label(results) if args.by_label else markdown(results))
    print(f"\n{report['seconds']:.1f} s")


if __name__ == "__main__":
    main()
