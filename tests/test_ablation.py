"""The ablation ladder (`missionfit.cli.ablation`, experiments/ablation): each arm edits what it names.

The fast tests check the arms' edits of the composed scenario and the compiled arrays they reach, and the paired
comparison on a small hand-made table; the slow one runs `experiments/ablation/run.sh --quick` end to end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import missionfit as mf
from missionfit.cli import ablation as ab
from test_experiments import EXPERIMENTS, needs_bash, run_experiment

ARMS = {a.name: a for a in ab.ladder()}


@pytest.fixture(scope="module")
def base():
    return mf.scenario_spec("minusma_2015")


def test_ladder_is_full_each_mechanism_and_all_together():
    names = list(ARMS)
    assert names[0] == "full" and names[-1] == "all_off" and len(names) == 12
    every = ARMS["all_off"]
    for arm in ab.SINGLE_ARMS:
        assert set(arm.edits) <= set(every.edits)
        assert all(every.mechanisms[k] == v for k, v in arm.mechanisms.items())


def test_arm_spec_leaves_the_base_alone(base):
    before = repr(base)
    ab.arm_spec(base, ARMS["all_off"])
    assert repr(base) == before


def test_profile_edits_reach_the_compiled_profiles(base):
    info = ab.arm_spec(base, ARMS["all_facets"])["scenario"]["information"]
    assert all(p["facets"] == info["facets"] and p["yield"] == 1.0 for p in info["sensor_profiles"].values())
    info = ab.arm_spec(base, ARMS["no_facet_errors"])["scenario"]["information"]
    assert all(p["error"] == 0.0 for p in info["sensor_profiles"].values()) and info["sector_error"] == {}
    assert ab.arm_spec(base, ARMS["no_false_events"])["scenario"]["information"]["false_event_share"] == 0.0


def test_unlimited_capacity_reaches_every_acting_consumer_and_only_them(base):
    full = mf.build(base).arrays["consumer_capacity"]
    free = mf.build(ab.arm_spec(base, ARMS["unlimited_capacity"])).arrays["consumer_capacity"]
    assert np.array_equal(full > 0, free > 0) and (full > 0).any()
    assert set(free[free > 0]) == {ab.UNLIMITED_CAPACITY}


def test_every_arm_builds(base):
    for arm in ARMS.values():
        mf.build(ab.arm_spec(base, arm), mechanisms=dict(arm.mechanisms))


def test_compare_pairs_by_replicate_and_flags_identical_arms():
    reps = pd.DataFrame({
        "arm": ["full"] * 3 + ["a"] * 3 + ["b"] * 3,
        "replicate": [0, 1, 2, 2, 1, 0, 0, 1, 2],
        "goal_realization": [0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0.2, 0.3, 0.5],
    })
    reps["duplication"] = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    comp = ab.compare(reps, ["goal_realization", "duplication"]).set_index(["arm", "metric"])
    assert comp.loc[("a", "goal_realization"), "identical"] and comp.loc[("a", "goal_realization"), "mean_diff"] == 0
    assert not comp.loc[("a", "duplication"), "identical"] and not comp.loc[("a", "goal_realization"), "arm_identical"]
    assert comp.loc[("b", "duplication"), "identical"] and not comp.loc[("b", "duplication"), "arm_identical"]
    comp = ab.compare(reps, ["goal_realization"]).set_index("arm")
    assert bool(comp.loc["a", "arm_identical"]) and not bool(comp.loc["b", "identical"])
    assert comp.loc["b", "mean_diff"] == pytest.approx(0.4 / 3)
    assert comp.loc["b", "ci_low"] < comp.loc["b", "mean_diff"] < comp.loc["b", "ci_high"]


@pytest.mark.slow
@needs_bash
def test_ablation_quick_end_to_end(tmp_path):
    out = tmp_path / "out dir" / "ablation"
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    res = run_experiment("ablation", out, cwd=cwd)
    assert res.returncode == 0, res.stderr[-3000:]
    for f in ("replicates.csv", "comparison.csv", "levels.csv", "table.md", "provenance.json", "runtime.txt"):
        assert (out / f).is_file() and (out / f).stat().st_size > 0, f
    assert sorted(p.stem for p in (out / "arms").glob("*.csv")) == sorted(ARMS)
    comp = pd.read_csv(out / "comparison.csv")
    assert set(comp["arm"]) == set(ARMS) - {"full"}
    assert "goal_realization" in set(comp["metric"])
    assert "full v2 core (level, %)" in (out / "table.md").read_text()
    assert "quick: 1" in (out / "runtime.txt").read_text()
    res = run_experiment("ablation", out, "--resume", cwd=cwd)  # every arm is there: nothing reruns
    assert res.returncode == 0 and "ablation: full:" not in res.stderr, res.stderr[-3000:]


@needs_bash
def test_help_names_the_command_and_quick_option(tmp_path):
    import subprocess

    res = subprocess.run(
        ["bash", str(EXPERIMENTS / "ablation" / "run.sh"), "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert res.returncode == 0 and "--quick" in res.stdout and "experiments/ablation/run.sh" in res.stdout
