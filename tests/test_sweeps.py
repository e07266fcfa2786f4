"""Sweeps end to end: summary, common random numbers, comparison, resume, failures, launchers, designs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from missionfit.paths import config_dir
from missionfit.runner.stats import paired_difference

FAST = ["sim.replicates=3", "sim.days=10", "sim.progress=false"]
VOLATILE = ["run_wall_seconds", "hostname", "git_commit", "package_version", "python", "run_dir"]


def sweep(cli, user_config_dir, sweep_dir, *args, launcher="basic"):
    res = cli(
        "--config-dir",
        user_config_dir,
        "-m",
        "scenario=tiny",
        *FAST,
        *args,
        f"hydra/launcher={launcher}",
        f"hydra.sweep.dir={sweep_dir}",
    )
    return res


def test_grid_sweep_summary_and_crn(cli, user_config_dir, tmp_path):
    out = tmp_path / "grid"
    res = sweep(cli, user_config_dir, out, "fit.cultural=0,1", "fit.operational=0,0.5")
    assert res.returncode == 0, res.stderr
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == 4 * 3
    for col in [
        "job",
        "fit.cultural",
        "fit.operational",
        "replicate",
        "seed",
        "goal_realization",
        "goal_realization_by_line.security",
        "fit_index.strategic",
        "events_total",
        "package_version",
        "git_commit",
        "seed_entropy",
        "seed_spawn_key",
    ]:
        assert col in summary.columns, col
    assert sorted(summary["job"].unique()) == ["0", "1", "2", "3"]
    assert set(map(tuple, summary[["fit.cultural", "fit.operational"]].drop_duplicates().to_numpy())) == {
        (0.0, 0.0),
        (0.0, 0.5),
        (1.0, 0.0),
        (1.0, 0.5),
    }
    # common random numbers: replicate r sees the same ground truth in every job
    assert (summary.groupby("replicate")["events_total"].nunique() == 1).all()
    assert summary.groupby("job")["events_total"].apply(list).map(tuple).nunique() == 1
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["total"] == 4 and manifest["swept"] == ["fit.cultural", "fit.operational"]
    for job in range(4):
        assert (out / str(job) / "metrics.json").is_file()


def test_counterfactual_comparison(cli, user_config_dir, tmp_path):
    out = tmp_path / "cf"
    res = sweep(
        cli,
        user_config_dir,
        out,
        "interventions=[],[more_trust],[less_rivalry],[more_trust,less_rivalry]",
        "sim.replicates=4",
    )
    assert res.returncode == 0, res.stderr
    summary = pd.read_parquet(out / "summary.parquet")
    assert set(summary["arm"]) == {"baseline", "more_trust", "less_rivalry", "all"}
    assert set(summary["interventions"]) == {
        "[]",
        "[more_trust]",
        "[less_rivalry]",
        "[more_trust,less_rivalry]",
    }
    comp = pd.read_parquet(out / "comparison.parquet")
    assert list(comp.columns) == ["arm", "metric", "mean_diff", "ci_low", "ci_high", "effect_size", "n"]
    assert set(comp["arm"]) == {"more_trust", "less_rivalry", "all"}
    assert (comp[comp["metric"] == "goal_realization"]["n"] == 4).all()
    events = comp[comp["metric"] == "events_total"]
    assert (events["mean_diff"] == 0).all()  # CRN: identical ground truth in every arm
    # the table is the paired difference of the summary's replicate values
    base = summary[summary["arm"] == "baseline"].sort_values("replicate")["goal_realization"].to_numpy()
    arm = summary[summary["arm"] == "all"].sort_values("replicate")["goal_realization"].to_numpy()
    expected = paired_difference(arm, base)
    row = comp[(comp["arm"] == "all") & (comp["metric"] == "goal_realization")].iloc[0]
    assert row["mean_diff"] == pytest.approx(expected["mean_diff"])
    assert row["ci_low"] == pytest.approx(expected["ci_low"], nan_ok=True)


def _mtimes(run: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in run.iterdir() if p.is_file()}


def test_resume_skips_finished_jobs(cli, user_config_dir, tmp_path):
    out = tmp_path / "resume"
    args = ["fit.cultural=0,0.5,1"]
    assert sweep(cli, user_config_dir, out, *args).returncode == 0
    before = {j: _mtimes(out / str(j)) for j in range(3)}
    metrics0 = (out / "0" / "metrics.json").read_text()
    (out / "1" / "metrics.json").unlink()  # an interrupted job: files but no metrics.json
    shutil.rmtree(out / "2")  # a job that never ran
    res = sweep(cli, user_config_dir, out, *args)
    assert res.returncode == 0, res.stderr
    after0 = _mtimes(out / "0")
    for name in ["metrics.json", "replicates.parquet", "provenance.json", "flows.parquet", "config.yaml"]:
        assert after0[name] == before[0][name], f"{name} of a finished job was rewritten"
    assert (out / "0" / "metrics.json").read_text() == metrics0
    assert (out / "1" / "metrics.json").is_file() and (out / "2" / "metrics.json").is_file()
    assert _mtimes(out / "1")["replicates.parquet"] > before[1]["replicates.parquet"]
    assert len(pd.read_parquet(out / "summary.parquet")) == 3 * 3


def test_failed_job_is_recorded_and_others_finish(cli, user_config_dir, tmp_path):
    out = tmp_path / "fail"
    res = sweep(cli, user_config_dir, out, "sim.days=5,0,6")
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "1 job(s) of the sweep failed" in res.stderr and "sim.days" in res.stderr
    record = json.loads((out / "errors" / "1.json").read_text())
    assert record["job"] == "1" and "sim.days=0" in record["overrides"] and "sim.days" in record["message"]
    assert (out / "0" / "metrics.json").is_file() and (out / "2" / "metrics.json").is_file()
    assert not (out / "1" / "metrics.json").exists()
    summary = pd.read_parquet(out / "summary.parquet")
    assert sorted(summary["job"].unique()) == ["0", "2"]


def test_bad_sweep_value_is_one_line(cli, user_config_dir, tmp_path):
    res = sweep(cli, user_config_dir, tmp_path / "bad", "interventions=[],[no_such_thing]")
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert res.returncode != 0 and len(lines) == 1, res.stderr
    assert "no_such_thing" in lines[0] and "Traceback" not in res.stderr
    res = sweep(cli, user_config_dir, tmp_path / "bad2", "sim.days=3,many")
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert res.returncode != 0 and len(lines) == 1 and "many" in lines[0], res.stderr


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=VOLATILE).sort_values(["job", "replicate"]).reset_index(drop=True)


# slow lane: a launcher end to end (two full sweeps); the basic launcher's sweeps stay in the fast lane
@pytest.mark.slow
def test_joblib_matches_basic_launcher(cli, user_config_dir, tmp_path):
    args = ["interventions=[],[more_trust]", "fit.cultural=0,1"]
    assert sweep(cli, user_config_dir, tmp_path / "serial", *args).returncode == 0
    res = sweep(cli, user_config_dir, tmp_path / "parallel", *args, "hydra.launcher.n_jobs=2", launcher="joblib")
    assert res.returncode == 0, res.stderr
    serial = pd.read_parquet(tmp_path / "serial" / "summary.parquet")
    parallel = pd.read_parquet(tmp_path / "parallel" / "summary.parquet")
    pd.testing.assert_frame_equal(_comparable(serial), _comparable(parallel))
    for job in range(4):
        a = json.loads((tmp_path / "serial" / str(job) / "metrics.json").read_text())
        b = json.loads((tmp_path / "parallel" / str(job) / "metrics.json").read_text())
        a.pop("wall_seconds"), b.pop("wall_seconds")
        assert a == b


def test_collect_rebuilds_summary(cli, user_config_dir, tmp_path):
    out = tmp_path / "collect"
    assert sweep(cli, user_config_dir, out, "interventions=[],[more_trust]").returncode == 0
    original = pd.read_parquet(out / "summary.parquet")
    (out / "summary.parquet").unlink()
    (out / "comparison.parquet").unlink()
    res = cli(out, script="collect")
    assert res.returncode == 0, res.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "summary.parquet"), original)
    assert (out / "comparison.parquet").is_file()


# slow lane: a sampled design end to end; its sampling is checked in-process (test_configs, test_stats)
@pytest.mark.slow
def test_lhs_design_in_batches(cli, user_config_dir, tmp_path):
    out = tmp_path / "lhs"
    res = sweep(cli, user_config_dir, out, "experiment=lhs", "design.n=5", "design.batch_size=2")
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["total"] == 3 and manifest["design"]["points"] == 5
    points = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("metrics.json"))
    assert points == ["0/p00000", "0/p00001", "1/p00002", "1/p00003", "2/p00004"]
    summary = pd.read_parquet(out / "summary.parquet")
    assert sorted(summary["design_point"].unique()) == [0, 1, 2, 3, 4]
    X = manifest["design"]["X"]
    for i, name in enumerate(manifest["design"]["names"]):
        got = summary.groupby("design_point")[name].first().to_numpy()
        assert got == pytest.approx([row[i] for row in X])
        cfg = (out / "0" / "p00001" / "config.yaml").read_text()
        assert name.split(".")[-1] in cfg


# slow lane: a design end to end; design_from_cfg is checked in-process (test_configs.test_design_experiments)
@pytest.mark.slow
def test_fit_grid_one_point_per_job(cli, user_config_dir, tmp_path):
    out = tmp_path / "grid1"
    res = sweep(
        cli,
        user_config_dir,
        out,
        "experiment=fit_grid",
        "design.levels=2",
        "design.batch_size=1",
        "sim.replicates=1",
    )
    assert res.returncode == 0, res.stderr
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == 8
    assert summary[["fit.strategic", "fit.cultural", "fit.operational"]].drop_duplicates().shape[0] == 8


# slow lane: two sensitivity designs end to end (SALib sampling and analysis are checked in test_stats)
@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "columns"),
    [("sobol", ["S1", "S1_conf", "ST", "ST_conf"]), ("morris", ["mu_star", "mu_star_conf", "sigma"])],
)
def test_sensitivity_end_to_end(cli, user_config_dir, tmp_path, method, columns):
    pytest.importorskip("SALib")
    out = tmp_path / method
    res = sweep(
        cli,
        user_config_dir,
        out,
        "experiment=sensitivity",
        f"sensitivity.method={method}",
        "sensitivity.n=4",
        "sim.replicates=1",
        "design.batch_size=25",
    )
    assert res.returncode == 0, res.stderr
    sens = pd.read_parquet(out / "sensitivity.parquet")
    assert {"method", "parameter", "metric", *columns} <= set(sens.columns)
    assert set(sens["method"]) == {method}
    assert set(sens["parameter"]) == {"fit.strategic", "fit.cultural", "fit.operational"}
    assert "goal_realization" in set(sens["metric"])


@pytest.mark.slow
def test_counterfactuals_experiment(cli, tmp_path):
    out = tmp_path / "counterfactuals"
    res = cli(
        "-m",
        "experiment=counterfactuals",
        "sim.replicates=3",
        "sim.days=20",
        "sim.progress=false",
        f"hydra.sweep.dir={out}",
        timeout=900,
    )
    assert res.returncode == 0, res.stderr
    n_interventions = len(list((config_dir() / "interventions").glob("*.yaml")))
    comp = pd.read_parquet(out / "comparison.parquet")
    assert len(comp["arm"].unique()) == n_interventions + 1 and "all" in set(comp["arm"])
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == (n_interventions + 2) * 3  # the baseline, each alone, all combined
    assert (summary.groupby("replicate")["events_total"].nunique() == 1).all()


@pytest.mark.slow
def test_submitit_local_launcher(cli, user_config_dir, tmp_path):
    out = tmp_path / "submitit"
    res = sweep(cli, user_config_dir, out, "fit.cultural=0,1", launcher="submitit_local")
    assert res.returncode == 0, res.stderr
    assert len(pd.read_parquet(out / "summary.parquet")) == 2 * 3


@pytest.mark.slow
def test_ray_launcher(cli, user_config_dir, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    res = sweep(cli, user_config_dir, out, "fit.cultural=0,1", "hydra.launcher.ray.init.num_cpus=2", launcher="ray")
    assert res.returncode == 0, res.stderr
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == 2 * 3
    serial = tmp_path / "serial"
    assert sweep(cli, user_config_dir, serial, "fit.cultural=0,1").returncode == 0
    pd.testing.assert_frame_equal(_comparable(summary), _comparable(pd.read_parquet(serial / "summary.parquet")))


# slow lane: one more sweep end to end; CRN and seeds across jobs are checked in the fast grid sweep
@pytest.mark.slow
def test_seed_sweep(cli, user_config_dir, tmp_path):
    out = tmp_path / "seeds"
    assert sweep(cli, user_config_dir, out, "seed=1,2", "sim.replicates=2").returncode == 0
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(summary.columns).count("seed") == 1
    assert sorted(summary["seed"].unique()) == [1, 2]
    assert (summary["seed_entropy"] == summary["seed"].astype(str)).all()
