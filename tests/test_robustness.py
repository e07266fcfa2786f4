"""Robustness machinery (issue 17 §2; docs/validation.md §7.5): the file, per-set judgement, outcome shares, PRIM,
and `missionfit-robustness` end to end at quick sizes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from missionfit.analysis.prim import choose_box, peel
from missionfit.calibration import conclusions as judge
from missionfit.calibration.robustness import load_robustness
from missionfit.scenario.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "configs" / "calibration" / "robustness_minusma.yaml"


def test_the_file_names_the_eleven_conclusions_of_validation_md():
    rob = load_robustness(FILE)
    assert (rob.replicates, rob.seed, rob.design_seed, rob.delta) == (30, 2, 1, 0.01) and rob.prior_sets >= 200
    assert len(rob.conclusions) == 11
    by = {a.name: a for a in rob.arms}
    assert by["uav_fast_accreditation"].days == 365 and by["uav_fast_accreditation"].scenario == "minusma_2014"
    assert by["jcb_directive_2014"].scenario == "minusma_2014" and len(by["all_combined"].interventions) == 9


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda t: t.replace("replicates: 30", "replicates: 1"), "replicates = 1"),
        (lambda t: t.replace("delta: 0.01", "delta: 2"), "delta = 2"),
        (
            lambda t: t.replace(
                "baseline: minusma_2015_180, interventions: [liaison_officers]",
                "baseline: nowhere, interventions: [liaison_officers]",
            ),
            "conclusions[]",
        ),
        (lambda t: t + "frobnicate: 1\n", "frobnicate = 1"),
    ],
)
def test_bad_robustness_files_fail_with_one_line(tmp_path, edit, needle):
    path = tmp_path / "rob.yaml"
    path.write_text(
        edit(FILE.read_text()).replace("priors: minusma_2015.yaml", f"priors: {FILE.parent / 'minusma_2015.yaml'}")
    )
    with pytest.raises(ScenarioError) as exc:
        load_robustness(path)
    assert needle in str(exc.value) and "\n" not in str(exc.value) and str(path) in str(exc.value)


def test_tost_and_the_minimal_detectable_effect():
    rng = np.random.default_rng(0)
    assert judge.tost_negligible(rng.normal(0.0, 0.005, 30), 0.01)
    assert not judge.tost_negligible(rng.normal(0.02, 0.005, 30), 0.01)
    assert not judge.tost_negligible(rng.normal(0.0, 0.05, 30), 0.01)  # too noisy to call negligible
    assert judge.tost_negligible(np.zeros(30), 0.01) and not judge.tost_negligible(np.full(30, 0.02), 0.01)
    # validation.md §3: MDE = 0.511 σ_d at R = 30, two-sided α 0.05, power 0.8
    assert judge.minimal_detectable_effect(1.0, 30) == pytest.approx(0.511, abs=0.001)


def _judged(medoid: tuple[float, float], sets: list[tuple[float, float]]) -> pd.DataFrame:
    rows = [{"ensemble": "medoid", "set": 0, "conclusion": "c", "ci_low": medoid[0], "ci_high": medoid[1]}]
    rows += [{"ensemble": "prior", "set": i, "conclusion": "c", "ci_low": lo, "ci_high": hi}
             for i, (lo, hi) in enumerate(sets)]  # fmt: skip
    df = pd.DataFrame(rows)
    df["mean_diff"] = (df["ci_low"] + df["ci_high"]) / 2
    return df


def test_outcomes_follow_the_medoids_sign():
    sets = [(0.01, 0.03), (-0.03, -0.01), (-0.01, 0.02)]
    got = judge.outcomes(_judged((0.005, 0.02), sets))
    assert list(got[got["ensemble"] == "prior"]["outcome"]) == ["holds", "flips", "undecided"]
    got = judge.outcomes(_judged((-0.02, -0.005), sets))
    assert list(got[got["ensemble"] == "prior"]["outcome"]) == ["flips", "holds", "undecided"]
    got = judge.outcomes(_judged((-0.01, 0.01), sets))  # no detectable effect at the medoid
    assert list(got[got["ensemble"] == "prior"]["outcome"]) == ["above", "below", "contains_0"]


def test_per_set_pairs_replicates_and_shares_add_up():
    rob = load_robustness(FILE)
    rng = np.random.default_rng(3)
    rows = []
    for s in range(4):
        world = rng.normal(0.12, 0.01, 10)  # shared by every arm of a replicate: the pairing removes it
        for arm in rob.arms:
            effect = 0.02 if arm.name == "liaison_officers" else 0.0
            for r in range(10):
                rows.append({"ensemble": "prior", "set": s, "arm": arm.name, "replicate": r,
                             "goal_realization": world[r] + effect + 1e-4 * rng.standard_normal()})  # fmt: skip
    judged = judge.outcomes(judge.per_set(rob, pd.DataFrame(rows)))
    lo = judged[judged["conclusion"] == "liaison_officers"]
    assert (lo["ci_low"] > 0.019).all() and (lo["ci_high"] < 0.021).all() and (lo["outcome"] == "above").all()
    table = judge.shares(judged)
    cols = ["holds", "flips", "undecided", "above", "below", "contains_0"]
    np.testing.assert_allclose(table[cols].sum(axis=1), 1.0)
    assert list(table["conclusion"])[:2] == ["integrate_u2_asifu", "jcb_directive"]


def test_prim_finds_a_planted_box():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.random((2000, 4)), columns=list("abcd"))
    cases = (x["a"] > 0.7) & (x["c"] < 0.4)
    box = choose_box(peel(x, cases.to_numpy()))
    limits = box.restricted({k: (0.0, 1.0) for k in "abcd"}, tolerance=0.05)
    assert set(limits) == {"a", "c"} and box.density > 0.8 and box.coverage >= 0.5
    assert limits["a"][0] == pytest.approx(0.7, abs=0.06) and limits["c"][1] == pytest.approx(0.4, abs=0.06)
    with pytest.raises(ValueError):
        peel(x, np.zeros(len(x), dtype=bool))


@pytest.mark.slow
def test_robustness_quick_end_to_end(tmp_path):
    out = tmp_path / "rob"
    cmd = [sys.executable, "-m", "missionfit.cli.robustness", "--out", str(out), "--quick"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stderr[-2000:]
    for name in ("robustness.json", "sets.parquet", "replicates.parquet", "conclusions.parquet", "shares.parquet",
                 "prim.json", "report.md", "figures/robustness_all_combined.png"):  # fmt: skip
        assert (out / name).is_file(), name
    reps = pd.read_parquet(out / "replicates.parquet")
    assert len(reps) == 2 * 14 * 2 and reps["goal_realization"].between(0, 1).all()
    judged = pd.read_parquet(out / "conclusions.parquet")
    assert len(judged) == 2 * 11 and (judged["ci_low"] <= judged["mean_diff"]).all()
    assert (judged["mean_diff"] <= judged["ci_high"]).all()
    again = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=1200)
    assert again.returncode == 0, again.stderr[-2000:]
    pd.testing.assert_frame_equal(reps, pd.read_parquet(out / "replicates.parquet"))
    refused = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert json.loads((out / "robustness.json").read_text())["replicates"] == 2


def test_a_missing_calibration_run_fails_with_one_line(tmp_path):
    cmd = [sys.executable, "-m", "missionfit.cli.robustness", "--out", str(tmp_path / "o"), "--quick",
           "--calibration", str(tmp_path / "nowhere")]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert res.returncode == 2 and "accepted.parquet" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_the_experiment_script_runs_quick(tmp_path):
    out = tmp_path / "out dir" / "robustness"
    res = subprocess.run(["bash", str(ROOT / "experiments" / "robustness" / "run.sh"), "--quick", "--out", str(out)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=1200)  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    assert (out / "report.md").is_file() and "quick: 1" in (out / "runtime.txt").read_text()


def test_the_experiment_script_has_help_and_a_readme():
    res = subprocess.run(["bash", str(ROOT / "experiments" / "robustness" / "run.sh"), "--help"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert res.returncode == 0 and "--quick" in res.stdout and "experiments/robustness/run.sh" in res.stdout
    assert (ROOT / "experiments" / "robustness" / "README.md").is_file()


def test_a_set_gives_the_numbers_of_missionfit_run():
    """The lean replicate loop of `evaluate_set` returns exactly `mf.run`'s per-replicate metric."""
    import copy

    import missionfit as mf
    from missionfit.calibration.priors import apply_point, point_values
    from missionfit.calibration.robustness import evaluate_set

    rob = load_robustness(FILE)
    values = point_values(rob.priors, [0.5] * len(rob.priors.parameters))
    got = evaluate_set(rob, values, replicates=2, seed=2)
    arm = next(a for a in rob.arms if a.name == "liaison_officers")
    spec, mech = apply_point(rob.priors, copy.deepcopy(mf.scenario_spec(arm.scenario, list(arm.interventions))), values)
    res = mf.run(mf.build(spec, mechanisms=mech), replicates=2, seed=2, days=arm.days, events=False, trust=False)
    np.testing.assert_array_equal(got[got["arm"] == "liaison_officers"]["goal_realization"],
                                  res.replicates["goal_realization"].to_numpy())  # fmt: skip
