"""Knock-outs (`missionfit.cli.knockout`, experiments/knockout; issue 17 §4): each arm blinds the role it names.

The fast tests check which roles are found, that an arm's patch leaves exactly the units of its role without
sensors and analysts, and that the baseline spec is left alone; the slow one runs
`experiments/knockout/run.sh --quick` end to end and resumes it.
"""

from __future__ import annotations

import pandas as pd
import pytest

import missionfit as mf
from missionfit.cli import knockout as ko
from missionfit.scenario.codes import has_role
from test_experiments import EXPERIMENTS, needs_bash, run_experiment


@pytest.fixture(scope="module")
def base():
    return mf.scenario_spec("minusma_2015")


@pytest.fixture(scope="module")
def roles(base):
    return ko.knockout_roles(base)


def _active(unit) -> bool:
    return bool(unit.get("sensors")) or float(unit.get("analysts") or 0.0) > 0.0


def test_the_roles_are_those_of_units_that_collect_or_fuse(base, roles):
    units = mf.build(base).units
    assert {"all_source_fusion", "mission_analysis", "military_intelligence", "isr", "collector"} <= set(roles)
    for role in roles:
        assert any(has_role(u, role) and _active(u) for u in units), role
    # a role no active unit holds is not knocked out (the Force Commander neither collects nor fuses)
    assert "force_commander" not in roles and "coordination_board" not in roles


def test_an_arm_blinds_exactly_the_units_of_its_role(base, roles):
    full = mf.build(base).units
    for arm in ko.arms(roles)[1:-1]:
        role = arm.name.removeprefix("no_")
        units = mf.build(ko.arm_spec(base, arm, roles)).units
        assert [u["id"] for u in units] == [u["id"] for u in full]
        for before, after in zip(full, units, strict=True):
            if has_role(before, role):
                assert not _active(after), (role, after["id"])
            else:
                assert after.get("sensors") == before.get("sensors") and after["analysts"] == before["analysts"]


def test_the_last_arm_blinds_every_role_and_the_base_is_left_alone(base, roles):
    before = repr(base)
    units = mf.build(ko.arm_spec(base, ko.arms(roles)[-1], roles)).units
    assert repr(base) == before
    assert not any(_active(u) for u in units if any(has_role(u, r) for r in roles))


@pytest.mark.slow
@needs_bash
def test_knockout_quick_end_to_end(tmp_path, roles):
    out = tmp_path / "out dir" / "knockout"
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    res = run_experiment("knockout", out, cwd=cwd)
    assert res.returncode == 0, res.stderr[-3000:]
    for f in ("replicates.csv", "comparison.csv", "levels.csv", "table.md", "provenance.json", "runtime.txt"):
        assert (out / f).is_file() and (out / f).stat().st_size > 0, f
    names = {a.name for a in ko.arms(roles)}
    assert {p.stem for p in (out / "arms").glob("*.csv")} == names
    comp = pd.read_csv(out / "comparison.csv")
    assert set(comp["arm"]) == names - {ko.BASELINE} and "goal_realization" in set(comp["metric"])
    # blinding everything leaves baseline mitigation only: the intelligence paths' goal realization is gone
    gone = comp[(comp["arm"] == "no_intelligence") & (comp["metric"] == "goal_realization_by_path.intel_line")]
    lev = pd.read_csv(out / "levels.csv").set_index(["arm", "metric"])
    assert lev.loc[("no_intelligence", "goal_realization_by_path.intel_line"), "mean"] == 0.0 and len(gone) == 1
    res = run_experiment("knockout", out, "--resume", cwd=cwd)  # every arm is there: nothing reruns
    assert res.returncode == 0 and "knockout: full:" not in res.stderr, res.stderr[-3000:]


@needs_bash
def test_help_names_the_command_and_quick_option(tmp_path):
    import subprocess

    res = subprocess.run(
        ["bash", str(EXPERIMENTS / "knockout" / "run.sh"), "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert res.returncode == 0 and "--quick" in res.stdout and "experiments/knockout/run.sh" in res.stdout
