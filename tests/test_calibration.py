"""Calibration machinery (issue 17 §1; docs/validation.md §7.1): selectors, the prior file, the design, P1-P3, the
medoid, and `missionfit-calibrate` end to end (quick sizes), with resume and bad input."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.calibration import design as designs
from missionfit.calibration import patterns
from missionfit.calibration.ensemble import medoid_index, posterior_ranges, rank_scaled
from missionfit.calibration.priors import load_priors, point_values
from missionfit.calibration.report import wilson
from missionfit.calibration.selectors import SelectorError, resolve, values
from missionfit.scenario.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
PRIORS = ROOT / "configs" / "calibration" / "minusma_2015.yaml"


@pytest.fixture(scope="module")
def space():
    return load_priors(PRIORS)


@pytest.fixture(scope="module")
def base():
    import missionfit as mf

    return mf.scenario_spec("minusma_2015")


# ------------------------------------------------------------------------------------------------------------------
# selectors


DOC = {
    "units": [
        {"id": "a", "kind": "x", "sensors": [{"type": "p", "c": 0.1}, {"type": "h", "c": 0.2}]},
        {"id": "b", "kind": "y", "sensors": [{"type": "p", "c": 0.3}]},
        {"id": "c", "kind": "x"},
    ],
    "groups": {"g1": {"t": 0.5}, "g2": {"t": 0.6}, "g3": {"u": 1}},
}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("units[kind=x].sensors[type=p].c", [0.1]),
        ("units.*.sensors[type=p].c", [0.1, 0.3]),
        ("units[kind=x|y].sensors.*.c", [0.1, 0.2, 0.3]),
        ("groups.{g1,g2}.t", [0.5, 0.6]),
        ("groups.*.t", [0.5, 0.6]),  # g3 has no t: never created
        ("units[id=c].sensors", []),
        ("units[kind=z].id", []),
    ],
)
def test_selectors_name_the_values_in_document_order(selector, expected):
    assert values(DOC, selector) == expected


@pytest.mark.parametrize("bad", ["", "units[kind]", "groups.{}.t", "a..b"])
def test_bad_selectors_are_refused(bad):
    with pytest.raises(SelectorError):
        resolve(DOC, bad)


# ------------------------------------------------------------------------------------------------------------------
# the prior file


def _fingerprint(sc) -> str:
    parts = (sc.units, sc.edges, sc.sectors, sc.event_types, sc.mandate_weights, sc.mechanisms, sc.trust_prior,
             sc.rivalry, sc.rotation_days, sc.information, sc.arrays)  # fmt: skip
    return hashlib.sha256(pickle.dumps(parts)).hexdigest()


def test_every_prior_reaches_the_compiled_scenario(space, base):
    """Each coordinate, moved alone from its low to its high end, changes what the engine is given.

    (Whether the input then moves an output is tests/test_liveness.py's question; this one rules out a prior row
    whose selectors miss, or that a later default overrides.)
    """
    import missionfit as mf

    dead = []
    for prior in space.parameters:
        one = dataclasses.replace(space, parameters=(prior,), constraints=())
        prints = []
        for u in (0.0, 0.999999):
            spec, mech = designs.point_spec(one, base, point_values(one, [u]))
            prints.append(_fingerprint(mf.build(spec, mechanisms=mech)))
        if prints[0] == prints[1]:
            dead.append(prior.name)
    assert not dead, dead


def test_the_prior_file_transcribes_validation_md(space):
    """Each row names its rule and source; the calibration sizes are the pre-registered ones (validation.md §3-§7)."""
    assert (space.days, space.replicates, space.seed, space.design_seed) == (180, 20, 0, 0)
    assert space.sets >= 1000 and space.min_accepted == 50
    assert all(p.rule and p.source for p in space.parameters)
    assert len(set(space.names)) == len(space.names)


def test_the_default_point_keeps_every_ordering(space, base):
    """The scenario's own values keep the paper's orderings (at the prior's centre, a shift of 0 or factor 1)."""
    for c in space.constraints:
        assert c.holds(base, {}), (c.lower, c.upper)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_the_fast_constraint_check_agrees_with_the_moved_spec(space, base, seed):
    u = np.random.default_rng(seed).random(len(space.parameters))
    values_ = point_values(space, u)
    assert designs.ConstraintCheck(space, base)(values_) == designs.valid(space, base, values_)


def test_a_design_is_a_pure_function_of_file_size_and_seed(space, base):
    a, sa = designs.draw(space, base, 5, 7)
    b, sb = designs.draw(space, base, 5, 7)
    pd.testing.assert_frame_equal(a, b)
    assert sa == sb and sa["examined"] >= 5 and 0.0 <= sa["discarded_share"] < 1.0
    check = designs.ConstraintCheck(space, base)
    assert all(check(designs.as_values(space, row)) for row in a.to_dict("records"))
    c, _ = designs.draw(space, base, 5, 8)
    assert not np.array_equal(designs.unit_matrix(space, a), designs.unit_matrix(space, c))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "priors.yaml"
    path.write_text(text)
    return path


GOOD = (
    "scenario: minusma_2015\nparameters:\n"
    "  - {name: a, set: mechanisms.share_steepness, range: [5, 20], rule: r, source: s}\n"
)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GOOD.replace("range: [5, 20]", "range: [20, 5]"), ":3: a.range = [20, 5]"),
        (GOOD.replace("range: [5, 20]", "range: [0, 5], log: true"), ":3: a.range = [0, 5]"),
        (GOOD.replace("range: [5, 20]", "range: [5, .nan]"), ":3: a.range"),
        (GOOD.replace("set:", "sett:"), "a.sett"),
        (GOOD.replace(", rule: r", ""), "rule and source"),
        (GOOD + "  - {name: a, set: mechanisms.tech_loss, range: [0, 1], rule: r, source: s}\n", ":4: name = 'a'"),
        (GOOD.replace("scenario: minusma_2015", "scenario: 3"), "scenario = 3"),
        (GOOD + "replicates: 1\n", "replicates = 1"),
        (GOOD + "frobnicate: 1\n", "frobnicate = 1"),
        (GOOD + "constraints:\n  - {lesser: [a, b]}\n", "constraints[]"),
        (GOOD.replace("set: mechanisms.share_steepness", "set: 'units[kind'"), "a.set"),
        ("parameters: [\n", "yaml"),
    ],
)
def test_bad_prior_files_fail_with_one_line_naming_file_line_key_and_value(tmp_path, text, needle):
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as exc:
        load_priors(path)
    message = str(exc.value)
    assert "\n" not in message and str(path) in message and needle in message, message


def test_a_prior_that_names_nothing_is_refused_when_applied(tmp_path, base):
    path = _write(tmp_path, GOOD.replace("mechanisms.share_steepness", "'units[kind=no_such_kind].analysts'"))
    space = load_priors(path)
    with pytest.raises(ScenarioError, match=r":3: a\.set = 'units\[kind=no_such_kind\]\.analysts': names no value"):
        designs.point_spec(space, base, {"a": 6.0})


# ------------------------------------------------------------------------------------------------------------------
# P1-P3, the medoid, the report's interval


def _reps(**cols) -> pd.DataFrame:
    n = 20
    base = {
        "fc_awareness_rate": 0.2, "asifu_awareness_rate": 0.4, "asifu_assessments_to_fc": 120.0,
        "asifu_use_rate_fc": 0.05, "u2_asifu_receipt_from_sf_isr": 0.6, "jmac_receipt_from_sf_isr": 0.02,
    }  # fmt: skip
    rng = np.random.default_rng(0)
    data = {k: np.full(n, v) + 0.01 * rng.standard_normal(n) for k, v in base.items()}
    data.update({k: np.asarray(v, dtype=float) for k, v in cols.items()})
    return pd.DataFrame(data)


def test_conditions_accept_a_table_that_meets_p1_p3():
    cond = patterns.conditions(patterns.statistics(_reps()))
    assert cond["accepted"] and all(cond.values())


@pytest.mark.parametrize(
    ("column", "value", "fails"),
    [
        ("fc_awareness_rate", 0.5, "P1a"),  # strict: < 0.5
        ("asifu_awareness_rate", 0.29, "P1b_mean"),  # 0.09 above the FC's 0.2
        ("asifu_assessments_to_fc", 89.9, "P2a"),
        ("asifu_use_rate_fc", 0.2, "P2b"),
        ("u2_asifu_receipt_from_sf_isr", 0.4 - 1e-9, "P3a"),
        ("jmac_receipt_from_sf_isr", 0.1, "P3b"),
    ],
)
def test_each_condition_rejects_at_its_threshold(column, value, fails):
    reps = _reps(**{column: np.full(20, value)})
    if column == "asifu_awareness_rate":
        reps["fc_awareness_rate"] = 0.2
    cond = patterns.conditions(patterns.statistics(reps))
    assert not cond[fails] and not cond["accepted"]


def test_p3c_needs_every_replicate_ordered():
    reps = _reps()
    reps.loc[3, "jmac_receipt_from_sf_isr"] = 0.9
    stats = patterns.statistics(reps)
    assert stats["sf_isr_receipt_ordered_share"] == pytest.approx(0.95)
    assert not patterns.conditions(stats)["P3c"]


def test_p1b_lower_bound_is_the_bca_bound_of_test_patterns():
    from test_patterns import _one_sided_lower_bca

    d = np.random.default_rng(4).normal(0.05, 0.1, 20)
    assert patterns.one_sided_lower_bca(d) == _one_sided_lower_bca(d)


def test_the_medoid_is_the_central_row_on_ranks():
    x = np.array([[0.0, 10.0], [0.5, 50.0], [1.0, 90.0], [0.45, 55.0], [0.9, 1.0]])
    assert medoid_index(x) == 1
    assert medoid_index(x * np.array([1000.0, 0.001])) == 1  # the scale of a parameter does not matter
    np.testing.assert_allclose(rank_scaled(np.array([[3.0], [1.0], [2.0]]))[:, 0], [1.0, 0.0, 0.5])
    with pytest.raises(ValueError):
        medoid_index(np.empty((0, 2)))


def test_posterior_ranges_flag_a_constrained_parameter(space):
    rng = np.random.default_rng(1)
    n = 200
    rows = {designs.unit_column(p.name): rng.random(n) for p in space.parameters}
    rows[designs.unit_column(space.parameters[0].name)] = rng.uniform(0.0, 0.2, n)
    rows |= {p.name: [p.value(u) for u in rows[designs.unit_column(p.name)]] for p in space.parameters}
    df = pd.DataFrame(rows)
    ranges = posterior_ranges(space, df).set_index("parameter")
    assert bool(ranges.loc[space.parameters[0].name, "constrained"])
    assert ranges["constrained"].mean() < 0.1  # the uniform ones: about KS_LEVEL of them by chance
    assert ranges.loc[space.parameters[0].name, "u_q95"] < 0.21


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (3, 1000), (1, 1)])
def test_wilson_interval_stays_in_the_unit_interval(k, n):
    lo, hi = wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_the_posterior_figure_is_a_function_of_its_table(space):
    from missionfit.analysis.calibration import plot_posterior

    df = pd.DataFrame({"parameter": ["a", "b"], "u_q05": [0.1, np.nan], "u_median": [0.4, np.nan],
                       "u_q95": [0.8, np.nan], "constrained": [True, False], "u_medoid": [0.5, np.nan]})  # fmt: skip
    fig, axes = plot_posterior(df)
    at = {t.get_text(): y for t, y in zip(axes[0].get_yticklabels(), axes[0].get_yticks(), strict=True)}
    assert len(axes) == 1 and at["a"] > at["b"]  # the table's first row on top
    with pytest.raises(ValueError, match="u_q05"):
        plot_posterior(df.drop(columns="u_q05"))


# ------------------------------------------------------------------------------------------------------------------
# the command, end to end (quick sizes)


def _calibrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "missionfit.cli.calibrate", *args], capture_output=True, text=True,
                          timeout=1200)  # fmt: skip


@pytest.mark.slow
def test_calibrate_quick_end_to_end_resumes_and_is_deterministic(tmp_path):
    out = tmp_path / "cal"
    res = _calibrate("--out", str(out), "--quick", "--sets", "4")
    assert res.returncode == 0, res.stderr[-2000:]
    for name in ("calibration.json", "ensemble.parquet", "accepted.parquet", "posterior.parquet", "summary.json",
                 "report.md", "figures/posterior.png", "figures/posterior.pdf"):  # fmt: skip
        assert (out / name).is_file(), name
    first = pd.read_parquet(out / "ensemble.parquet").drop(columns="seconds")
    assert len(first) == 4 and set(first["accepted"]) <= {True, False}
    for label, stat, *_ in patterns.CONDITIONS:
        assert first[label].dtype == bool and np.isfinite(first[stat]).all()
    assert ((first["fc_awareness_rate"] >= 0) & (first["fc_awareness_rate"] <= 1)).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["evaluated"] == 4 and summary["settings"]["replicates"] == 2

    # an interruption loses only unfinished chunks: remove one, resume, get the same numbers
    chunks = sorted((out / "chunks").glob("*.parquet"))
    kept = {c.name: c.stat().st_mtime_ns for c in chunks[1:]}
    chunks[0].unlink()
    res = _calibrate("--out", str(out), "--quick", "--sets", "4", "--resume")
    assert res.returncode == 0, res.stderr[-2000:]
    assert {c.name: c.stat().st_mtime_ns for c in sorted((out / "chunks").glob("*.parquet"))[1:]} == kept
    again = pd.read_parquet(out / "ensemble.parquet").drop(columns="seconds")
    pd.testing.assert_frame_equal(first, again)

    # the same directory without --resume, or resumed with other settings: one line, exit 2, nothing rewritten
    res = _calibrate("--out", str(out), "--quick", "--sets", "4")
    assert res.returncode == 2 and "resume it" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = _calibrate("--out", str(out), "--quick", "--sets", "5", "--resume")
    assert res.returncode == 2 and "sets" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert (out / "ensemble.parquet").is_file()


@pytest.mark.slow
def test_two_workers_give_the_numbers_of_one(tmp_path):
    one = _calibrate("--out", str(tmp_path / "one"), "--quick", "--sets", "3")
    two = _calibrate("--out", str(tmp_path / "two"), "--quick", "--sets", "3", "--jobs", "2")
    assert one.returncode == 0 and two.returncode == 0, (one.stderr[-1000:], two.stderr[-1000:])
    a = pd.read_parquet(tmp_path / "one" / "ensemble.parquet").drop(columns="seconds")
    b = pd.read_parquet(tmp_path / "two" / "ensemble.parquet").drop(columns="seconds")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--sets", "0"], "--sets"),
        (["--jobs", "x"], "--jobs"),
        (["--priors", "/no/such/file.yaml"], "no such prior file"),
    ],
)
def test_bad_command_lines_fail_with_one_line(tmp_path, args, needle):
    res = _calibrate("--out", str(tmp_path / "o"), *args)
    assert res.returncode == 2 and needle in res.stderr
    assert not (tmp_path / "o" / "ensemble.parquet").exists()
    if "--priors" in args:
        assert len(res.stderr.strip().splitlines()) == 1


def test_a_foreign_directory_is_not_used(tmp_path):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "notes.txt").write_text("mine")
    res = _calibrate("--out", str(tmp_path / "o"), "--quick")
    assert res.returncode == 2 and "not a calibration run directory" in res.stderr
    assert (tmp_path / "o" / "notes.txt").read_text() == "mine"


def test_the_api_exports_calibrate():
    import missionfit as mf
    from missionfit.calibration.run import calibrate

    assert mf.calibrate is calibrate and math.isfinite(wilson(1, 2)[0])


@pytest.mark.slow
def test_the_experiment_script_runs_quick(tmp_path):
    out = tmp_path / "out dir" / "calibration"
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    res = subprocess.run(["bash", str(ROOT / "experiments" / "calibration" / "run.sh"), "--quick", "--out", str(out)],
                         cwd=cwd, capture_output=True, text=True, timeout=1200)  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    assert (out / "report.md").is_file() and "quick: 1" in (out / "runtime.txt").read_text()
    assert not any(cwd.iterdir())


def test_the_experiment_script_has_help_and_a_readme():
    res = subprocess.run(["bash", str(ROOT / "experiments" / "calibration" / "run.sh"), "--help"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert res.returncode == 0 and "--quick" in res.stdout and "experiments/calibration/run.sh" in res.stdout
    assert (ROOT / "experiments" / "calibration" / "README.md").is_file()


def test_rank_inverts_value_at_the_centre_of_each_draw(space):
    for p in space.parameters:
        for u in (0.0, 0.3, 0.7, 0.999):
            v = p.value(u)
            assert 0.0 <= p.rank(v) <= 1.0
            assert p.value(p.rank(v)) == pytest.approx(v, rel=1e-9), p.name


@pytest.mark.slow
def test_recheck_reruns_the_accepted_sets_at_another_seed(tmp_path):
    out = tmp_path / "cal"
    res = _calibrate("--out", str(out), "--quick", "--sets", "3", "--days", "180", "--replicates", "5")
    assert res.returncode == 0, res.stderr[-2000:]
    accepted = pd.read_parquet(out / "accepted.parquet")
    res = _calibrate("--out", str(out), "--recheck", "--replicates", "3")
    assert res.returncode == 0, res.stderr[-2000:]
    if accepted.empty:
        assert json.loads((out / "recheck.json").read_text())["sets"] == 0
        return
    again = pd.read_parquet(out / "recheck.parquet")
    assert list(again["point"]) == list(accepted["point"]) and (again["replicates"] == 3).all()
    summary = json.loads((out / "recheck.json").read_text())
    assert summary["seed"] == 1 and 0.0 <= summary["still_accepted"] <= 1.0


def test_recheck_needs_a_finished_run(tmp_path):
    res = _calibrate("--out", str(tmp_path / "none"), "--recheck")
    assert res.returncode == 2 and "no finished calibration run" in res.stderr
