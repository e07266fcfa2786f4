"""Every v2 mechanism parameter acts (issue 15 §2, "every input lives"): moving it changes an outcome.

A parameter that moves no output is a defect. Each one is moved within its admissible range
(`validate.V2_MECHANISM_RANGES`) on `minusma_2015`, with the same seed, and at least one outcome metric (goal
realization, its paths, awareness, actions, capacity, harm) must change; counters such as hops do not count.
The common random numbers keep the world identical, so any difference is the mechanism's. The full liveness
test over every input, paired and Holm-corrected, is issue 16's.
"""

from __future__ import annotations

import math

import pytest

from missionfit.model.replicate import run_replicate
from missionfit.scenario import validate
from missionfit.scenario.loading import load

#: Outcome metrics a mechanism must move (scalars, and the mappings flattened).
OUTCOMES = (
    "goal_realization",
    "goal_realization_by_path",
    "fc_awareness_rate",
    "asifu_awareness_rate",
    "shared_awareness",
    "false_alarm_rate",
    "capacity_utilisation",
    "harm_by_line",
)

#: A value inside the admissible range, away from the default (the defaults are in schema.MechanismSpec).
MOVED = {
    "assessment_threshold": 0.9,
    "max_updates_per_event": 1,
    "action_busy_days": 5.0,
    "mitigation_completeness_exponent": 3.0,
    "mitigation_accuracy_weight": 0.0,
    "mitigation_lead_half_days": 5.0,
    "posture_effect": 0.6,
    "posture_days": 90.0,
    "escalation_facet_loss": 0.0,
    "humint_local_knowledge_floor": 0.0,
    "tasked_detection_cap": 0.5,
    "sanitize_metadata_strip": 0.5,
    "fusion_corroboration": 0,
    "analyst_backlog_days": 0.0,
    "max_open_tasks": 1,
    # living trust (issue 16 §1)
    "goodwill_gain": 0.0,
    "goodwill_loss": 0.0,
    "reporting_duty": 0.0,
    "trust_conflation": 0.0,
    "leak_rate": 0.0,
    "requests_for_information": 0,
    "false_event_expiry_days": 60.0,
}
#: The trust parameters older than the v2 core, which now act on the two components (issue 16 §1).
TRUST_MOVED = {"trust_gain": 0.0, "trust_loss": 0.0, "withhold_noticed": 0.0, "board_trust_gain": 0.0}


def _outcomes(mechanisms: dict | None) -> list[float]:
    scenario = load("minusma_2015", mechanisms=mechanisms)
    values: list[float] = []
    for replicate in range(3):
        metrics = run_replicate(scenario, seed=11, replicate=replicate, days=180).metrics
        for name in OUTCOMES:
            value = metrics[name]
            values.extend(value.values() if isinstance(value, dict) else [value])
    return values


@pytest.fixture(scope="module")
def baseline() -> list[float]:
    return _outcomes(None)


def test_every_v2_mechanism_parameter_has_a_moved_value():
    assert set(MOVED) == set(validate.V2_MECHANISM_RANGES)


@pytest.mark.parametrize("name", sorted(MOVED | TRUST_MOVED))
def test_moving_the_parameter_moves_an_outcome(name, baseline):
    value = (MOVED | TRUST_MOVED)[name]
    moved = _outcomes({name: value})
    same = all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(baseline, moved, strict=True))
    assert not same, f"mechanisms.{name} = {value} moves no outcome: a dead input"
