"""The three fit knobs: move every mechanism of a dimension from the scenario as observed toward ideal.

Rietjens & Ruffa (2019, pp. 387-388) adapt Douma's fit model: strategic and organizational fit ("the
extent to which strategies and organizational characteristics of partners are mutually dependent and
compatible"), cultural and human fit ("trust ... cultural backgrounds and the language of the people
involved") and operational fit ("resources and modus operandi ... working procedures, operational systems
as well as operational standards"). A knob value f in [0, 1] interpolates linearly,
`x + f * (ideal - x)`, every attribute listed under its dimension below; 0 leaves the scenario as
observed, 1 is ideal fit on that dimension. docs/parameters.md lists the same table.

Strategic and organizational (f_s):
    - analysis focus of each fusion branch -> the horizon its consumers need (p. 394, ASIFU's long-term
      focus detached from the FC's need for current intelligence);
    - branch capacity `analysts` -> `analysts * (1 + staffing_gap)` (p. 394, S2/G2/U2 "understaffed");
    - `mandate_fidelity` -> 1 (p. 395, SOLTG's counter-terrorism interpretation);
    - rivalry -> 0 (pp. 395-396, JMAC-ASIFU competition);
    - `civmil_distance` -> 0 (pp. 396-397, the humanitarian principle).
    (v1 also gave coordinating boards and informal links authority that overrode trust-based sharing; issue 16 §3
    removed it: each knob moves only its own dimension's mechanisms, and a directive board is a structure.)
Cultural and human (f_c):
    - trust priors -> at least `ideal_trust` (p. 394 "a trust sport"; p. 397 European-African mistrust);
    - proactive and responsive reporting propensity -> 0.9 / 0.95 (p. 397, West-African command culture);
    - `report_writing` -> 1 (p. 397, report-writing literacy);
    - `local_knowledge` -> 0.9 and HUMINT language access -> 1 (p. 398, Europeans lacking languages);
    - language penalties of channels -> 0;
    - `trust_conflation` -> 0 (p. 404: "joint training to bridge the Western-African divide").
Operational (f_o):
    - `tech_level` -> 1 (p. 399, high-tech vs low-tech units, no UN accounts or internet);
    - commander-chain `bypass` -> 0 (p. 399, "intelligence to be a matter for commanding officers only");
    - procedure mismatch penalties -> 0, and report formats reach units without procedures (pp. 399-400);
    - sanitization delay and metadata loss (`sanitize_metadata_strip`) -> 0 (p. 400, "UN-classified" network);
    - sensor availability dates -> day 0 (p. 401, UAV accreditation took about half a year);
    - `escort_cost` -> 0 (p. 400, the Estonian HUMINT team's radios), protection incidents -> 0 (p. 401);
    - channel reliability -> 1;
    - `leak_rate` -> 0 (p. 404: "security infrastructure is crucial").
Not on any knob: `reporting_duty` (the formal structure; no knob overrides trust-based sharing, issue 16 §3).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from missionfit.scenario.rivalry import fitted_rivalry
from missionfit.scenario.trust import TrustPrior

#: Mechanism parameters that are probabilities or shares and must lie in [0, 1].
PROBABILITY_MECHANISMS = (
    "rivalry_strength",
    "civmil_distance",
    "trust_gain",
    "trust_loss",
    "withhold_noticed",
    "board_trust_gain",
    "tech_loss",
    "language_loss",
    "language_quality_loss",
    "procedure_loss",
    "procedure_quality_loss",
    "humint_language_access",
    "format_boost",
    "baseline_mitigation",
    "max_mitigation",
    "ideal_trust",
)

_HORIZON_VALUE = {"imminent": 0.0, "mid": 0.5, "long": 1.0}


def lerp(observed: Any, ideal: Any, f: float) -> Any:
    """Move `observed` a share `f` of the way toward `ideal`."""
    return observed + f * (ideal - observed)


def _served_horizon(unit_index: int, units: list[dict], edges: list[dict], index: dict[str, int]) -> float | None:
    """Mean horizon needed by the consumers a branch disseminates to over its intel edges."""
    needs = []
    for e in edges:
        if e["type"] == "intel" and index[e["source"]] == unit_index:
            c = units[index[e["target"]]]["consumer"]
            if c and c["horizons"]:
                needs.append(np.mean([_HORIZON_VALUE[h] for h in c["horizons"]]))
    return float(np.mean(needs)) if needs else None


def apply_fit(
    units: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    prior: TrustPrior,
    rivalry: np.ndarray,
    mech: dict[str, float],
    fit: dict[str, float],
) -> tuple[list[dict], list[dict], TrustPrior, np.ndarray, dict[str, float]]:
    """Return units, edges, trust prior, rivalry and mechanisms moved toward ideal by the fit knobs."""
    s, c, o = float(fit["strategic"]), float(fit["cultural"]), float(fit["operational"])
    mech = dict(mech)
    index = {u["id"]: i for i, u in enumerate(units)}

    # strategic and organizational
    for i, u in enumerate(units):
        if u["analysts"] > 0:
            ideal = _served_horizon(i, units, edges, index)
            if ideal is not None:
                u["focus"]["horizon"] = lerp(u["focus"]["horizon"], ideal, s)
            u["analysts"] = u["analysts"] * (1.0 + s * mech["staffing_gap"])
        u["mandate_fidelity"] = lerp(u["mandate_fidelity"], 1.0, s)
    rivalry = fitted_rivalry(rivalry, mech["rivalry_strength"], s)
    mech["civmil_distance"] = mech["civmil_distance"] * (1.0 - s)

    # cultural and human
    prior = prior.fitted(c, mech["ideal_trust"])
    for u in units:
        rc = u["reporting_culture"]
        rc["proactive"] = lerp(rc["proactive"], max(rc["proactive"], 0.9), c)
        rc["responsive"] = lerp(rc["responsive"], max(rc["responsive"], 0.95), c)
        u["report_writing"] = lerp(u["report_writing"], 1.0, c)
        u["local_knowledge"] = lerp(u["local_knowledge"], max(u["local_knowledge"], 0.9), c)
    for key in ("language_delay_days", "language_loss", "language_quality_loss"):
        mech[key] = mech[key] * (1.0 - c)
    mech["humint_language_access"] = lerp(mech["humint_language_access"], 1.0, c)
    mech["trust_conflation"] = mech["trust_conflation"] * (1.0 - c)  # p. 404: joint training bridges the divide

    # operational
    for u in units:
        u["tech_level"] = lerp(u["tech_level"], 1.0, o)
        u["reporting_culture"]["bypass"] = lerp(u["reporting_culture"]["bypass"], 0.0, o)
        u["escort_cost"] = lerp(u["escort_cost"], 0.0, o)
        if u.get("protection"):  # p. 401: "procedures were too ambiguous to work with"
            u["protection"] = {**u["protection"], "incident_rate": u["protection"].get("incident_rate", 0.0) * (1 - o)}
        for sensor in u["sensors"]:
            sensor["available_day"] = int(round(sensor["available_day"] * (1.0 - o)))
    for key in (
        "procedure_loss", "procedure_quality_loss", "sanitize_delay_days",
        "sanitize_metadata_strip", "leak_rate",
    ):
        mech[key] = mech[key] * (1.0 - o)
    mech["format_reach"] = o
    for e in edges:
        e["reliability"] = lerp(e["reliability"], 1.0, o)
    return units, edges, prior, rivalry, mech
