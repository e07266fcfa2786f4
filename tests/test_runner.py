"""The `missionfit` app as users run it: run directories, provenance, bad input, user scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from missionfit import contract

CONTRACT_METRICS = [
    "goal_realization",
    "goal_realization_by_line",
    "fc_current_warning_rate",
    "asifu_current_warning_rate",
    "asifu_use_rate_fc",
    "jmac_receipt_from_sf_isr",
    "g2_receipt_from_s2",
    "duplication",
    "fit_index",
    "events_total",
    "reports_created",
    "reports_delivered",
    "reports_dropped",
    "reports_in_flight",
    "hops",
    "wall_seconds",
]
RUN_FILES = contract.RUN_FILES


def only_run_dir(base: Path) -> Path:
    dirs = [p.parent for p in base.rglob("metrics.json")]
    assert len(dirs) == 1, dirs
    return dirs[0]


def check_run_dir(run: Path, replicates: int) -> dict:
    for name in RUN_FILES:
        assert (run / name).is_file(), name
    assert not list(run.glob(".*.tmp")), "temporary files left behind"
    assert (run / ".hydra" / "config.yaml").is_file()
    metrics = json.loads((run / "metrics.json").read_text())
    for key in CONTRACT_METRICS:
        assert key in metrics, key
    assert metrics["replicates"] == replicates
    assert set(metrics["goal_realization_by_line"]) == set(metrics["ci95"]["goal_realization_by_line"])
    assert set(metrics["fit_index"]) == {"strategic", "cultural", "operational"}
    low, high = metrics["ci95"]["goal_realization"]
    assert low <= metrics["goal_realization"] <= high
    assert 0.0 <= metrics["goal_realization"] <= 1.0
    reps = pd.read_parquet(run / "replicates.parquet")
    assert len(reps) == replicates
    assert list(reps["replicate"]) == list(range(replicates))
    for col in ["seed", "events_total", "goal_realization", "fit_index.strategic"]:
        assert col in reps.columns, col
    assert any(c.startswith("goal_realization_by_line.") for c in reps.columns)
    ts = pd.read_parquet(run / "timeseries.parquet")
    assert {"replicate", "day"} <= set(ts.columns)
    flows = pd.read_parquet(run / "flows.parquet")
    assert {
        "source",
        "target",
        "type",
        "hops",
        "delivered",
        "withheld",
        "sanitized",
        "lost",
        "replicates",
    } <= set(flows.columns)
    units = pd.read_parquet(run / "units.parquet")
    assert {
        "id",
        "name",
        "kind",
        "component",
        "contributor",
        "group",
        "location",
        "sector",
        "strength",
    } <= set(units.columns)
    prov = json.loads((run / "provenance.json").read_text())
    for key in [
        "package_version",
        "git_commit",
        "seed",
        "replicate_seeds",
        "python",
        "packages",
        "wall_seconds",
        "hostname",
    ]:
        assert key in prov, key
    for pkg in ["mesa", "numpy", "numba", "pandas", "hydra-core"]:
        assert prov["packages"][pkg], pkg
    assert len(prov["replicate_seeds"]) == replicates
    assert {"entropy", "spawn_key"} <= set(prov["replicate_seeds"][0])
    return metrics


def test_no_arguments_runs_minusma_2015(cli, tmp_path):
    res = cli()
    assert res.returncode == 0, res.stderr
    run = only_run_dir(tmp_path / "results" / "runs")
    check_run_dir(run, replicates=10)
    assert json.loads((run / "provenance.json").read_text())["scenario"] == "minusma_2015"
    assert "Traceback" not in res.stderr


def test_user_scenario_via_config_dir(cli, tmp_path, user_config_dir):
    out = tmp_path / "run"
    res = cli(
        "--config-dir",
        user_config_dir,
        "scenario=tiny",
        "sim.replicates=3",
        "sim.days=20",
        f"hydra.run.dir={out}",
    )
    assert res.returncode == 0, res.stderr
    metrics = check_run_dir(out, replicates=3)
    assert json.loads((out / "provenance.json").read_text())["scenario"] == "tiny"
    assert "events_total" in metrics
    assert "tiny" in (out / "config.yaml").read_text()


def test_same_seed_same_metrics(cli, tmp_path, user_config_dir):
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        res = cli(
            "--config-dir",
            user_config_dir,
            "scenario=tiny",
            "sim.replicates=2",
            "sim.days=20",
            "seed=7",
            f"hydra.run.dir={out}",
        )
        assert res.returncode == 0, res.stderr
        m = json.loads((out / "metrics.json").read_text())
        m.pop("wall_seconds")
        runs.append(m)
    assert runs[0] == runs[1]


BAD_INPUTS = [
    # (arguments, substrings the single error line must contain)
    (["scenario=bad_edge"], ["bad_edge.yaml", "ghost"]),
    (["scenario=dup_unit"], ["dup_unit.yaml", "u2"]),
    (["scenario=bad_prob"], ["bad_prob.yaml", "1.7"]),
    (["scenario=cycle"], ["cycle.yaml", "command"]),
    (["scenario=wrong_type"], ["wrong_type", "tech_level", "high"]),
    (["scenario=unknown_key"], ["unknown_key", "colour"]),
    (["scenario=tiny", "interventions=[no_such_intervention]"], ["interventions", "no_such_intervention"]),
    (["scenario=no_such_scenario"], ["scenario", "no_such_scenario", "tiny"]),
    (["scenario=tiny", "sim.days=0"], ["sim.days", "0"]),
    (["scenario=tiny", "sim.days=-3"], ["sim.days", "-3"]),
    (["scenario=tiny", "sim.days=abc"], ["sim.days", "abc"]),
    (["scenario=tiny", "fit.cultural=1.5"], ["fit.cultural", "1.5"]),
    (["scenario=tiny", "fit.operational=-0.1"], ["fit.operational", "-0.1"]),
    (["scenario=tiny", "seed=x"], ["seed", "x"]),
    (["scenario=tiny", "sim.dayz=3"], ["sim.dayz"]),
    (["scenario=tiny", "experiment=no_such_experiment"], ["experiment", "no_such_experiment"]),
]


def _check_one_error_line(stderr: str, stdout: str, expected: list[str], run_dir: Path) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("missionfit: error: "), lines[0]
    for text in expected:
        assert text in lines[0], (text, lines[0])
    assert "Traceback" not in stderr + stdout
    assert not list(run_dir.rglob("metrics.json"))


@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line(capsys, monkeypatch, tmp_path, user_config_dir, args, expected):
    """The command's entry point, in-process (a fresh process costs seconds of imports per case; the two
    subprocess tests below check that nothing before `main` adds a traceback)."""
    from missionfit.cli import app
    from missionfit.runner import validate

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(validate, "EXTRA_CONFIG_DIRS", [])  # `main` registers --config-dir there
    with pytest.raises(SystemExit) as exited:
        app.main(["--config-dir", str(user_config_dir), "sim.replicates=1", "sim.days=5", *args])
    assert exited.value.code not in (0, None)
    out = capsys.readouterr()
    _check_one_error_line(out.err, out.out, expected, tmp_path)


@pytest.mark.parametrize(("args", "expected"), [BAD_INPUTS[0], BAD_INPUTS[-2]], ids=["scenario", "override"])
def test_bad_input_is_one_line_in_a_fresh_process(cli, tmp_path, user_config_dir, args, expected):
    res = cli("--config-dir", user_config_dir, "sim.replicates=1", "sim.days=5", *args, fresh_process=True)
    assert res.returncode != 0
    _check_one_error_line(res.stderr, res.stdout, expected, tmp_path)


def test_bad_scenario_error_names_file_key_value(cli, tmp_path, user_config_dir):
    res = cli("--config-dir", user_config_dir, "scenario=bad_prob", "sim.replicates=1")
    line = res.stderr.strip()
    # "<file>: <key> = <value>: <reason>"
    head, key_value, _reason = line.removeprefix("missionfit: error: ").split(": ", 2)
    assert head.endswith("bad_prob.yaml")
    assert "=" in key_value and "1.7" in key_value
