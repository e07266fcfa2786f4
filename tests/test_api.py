"""The public Python API (`import missionfit as mf`): specs, build errors, and the command's numbers."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import missionfit as mf
from missionfit.runner.rundir import write_json

PLAIN_SCALARS = (str, int, float, bool, type(None))
RUN_TABLES = ("replicates", "timeseries", "flows", "units", "fc_latency")


def _non_plain(value, path="spec"):
    """Paths of the values in a nested structure that are not plain dicts, lists and scalars."""
    if isinstance(value, dict):
        bad = [f"{path}.{k} (key)" for k in value if not isinstance(k, str)]
        return bad + [p for k, v in value.items() for p in _non_plain(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_plain(v, f"{path}[{i}]")]
    return [] if isinstance(value, PLAIN_SCALARS) else [f"{path} ({type(value).__name__})"]


def _json_metrics(metrics: dict, tmp_path: Path) -> dict:
    """Metrics as `metrics.json` holds them (written by the run directory's writer), without wall time."""
    path = tmp_path / "api_metrics.json"
    write_json(path, metrics)
    out = json.loads(path.read_text())
    out.pop("wall_seconds")
    return out


def test_import_is_light_names_load_on_use_and_hydra_stays_out():
    code = (
        "import sys, missionfit as mf\n"
        "heavy = [m for m in ('numpy', 'pandas', 'numba', 'yaml', 'hydra') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert set(mf.__all__) <= set(dir(mf))\n"
        "assert mf.build.__module__ == 'missionfit.api.spec' and 'numba' not in sys.modules\n"
        "assert mf.run.__module__ == 'missionfit.api.results'\n"
        "assert issubclass(mf.ScenarioError, ValueError)\n"
        "assert not {'hydra', 'omegaconf'} & set(sys.modules), 'the API and the model must not import Hydra'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr


def test_spec_is_plain_composed_and_survives_build():
    spec = mf.scenario_spec("minusma_2015", interventions=["jcb_directive", "liaison_officers"])
    assert set(spec) == {"scenario", "interventions", "sources"}
    assert _non_plain(spec) == []
    assert json.loads(json.dumps(spec)) == spec
    assert spec["scenario"]["name"] == "minusma_2015"
    assert list(spec["interventions"]) == ["jcb_directive", "liaison_officers"]
    assert "add_units" in spec["interventions"]["jcb_directive"]  # the patch itself, not its file's wrapper
    assert Path(spec["sources"]["jcb_directive"]).name == "jcb_directive.yaml"
    before = copy.deepcopy(spec)
    sc = mf.build(spec)
    assert spec == before, "build changed the caller's spec"
    assert sc.interventions == ["jcb_directive", "liaison_officers"]
    assert list(mf.scenario_spec("minusma_2015", "jcb_directive")["interventions"]) == ["jcb_directive"]
    assert "jcb" in {u["id"] for u in sc.units}


def test_edited_spec_changes_the_result(user_config_dir):
    spec = mf.scenario_spec("tiny", config_dir=user_config_dir)
    base = mf.run(mf.build(spec), replicates=2, seed=1, days=20)
    spec["scenario"]["sectors"][0]["event_rate"] = 3.0
    busier = mf.run(mf.build(spec), replicates=2, seed=1, days=20)
    assert busier.metrics["events_total"] > base.metrics["events_total"]
    again = mf.run(mf.build(mf.scenario_spec("tiny", config_dir=user_config_dir)), replicates=2, seed=1, days=20)
    assert again.metrics["events_total"] == base.metrics["events_total"]


def test_config_dir_is_searched_first(tmp_path, user_config_dir):
    shadow = yaml.safe_load((user_config_dir / "scenario" / "tiny.yaml").read_text())
    shadow["name"] = "shadowed_hierarchy"
    (user_config_dir / "scenario" / "hierarchy.yaml").write_text(yaml.safe_dump(shadow))
    assert mf.scenario_spec("hierarchy", config_dir=user_config_dir)["scenario"]["name"] == "shadowed_hierarchy"
    assert mf.scenario_spec("hierarchy")["scenario"]["name"] == "hierarchy"
    # the package's interventions are still found next to a user's
    spec = mf.scenario_spec("tiny", interventions=["more_trust", "jcb_directive"], config_dir=user_config_dir)
    assert spec["interventions"]["more_trust"]["mechanisms"] == {"trust_gain": 0.3}
    with pytest.raises(mf.ScenarioError) as err:
        mf.scenario_spec("no_such_scenario", config_dir=user_config_dir)
    assert "tiny" in str(err.value) and "minusma_2015" in str(err.value)


@pytest.mark.parametrize("scenario", ["bad_edge", "bad_prob", "cycle"])
def test_build_error_is_the_line_the_command_prints(cli, tmp_path, user_config_dir, monkeypatch, scenario):
    res = cli("--config-dir", user_config_dir, f"scenario={scenario}", "sim.replicates=1", "sim.days=5")
    cli_lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert res.returncode == 2 and len(cli_lines) == 1, res.stderr
    monkeypatch.chdir(tmp_path)  # where the command ran: files are named relative to the working directory
    with pytest.raises(mf.ScenarioError) as err:
        mf.build(mf.scenario_spec(scenario, config_dir=user_config_dir))
    assert "\n" not in str(err.value)
    assert f"missionfit: error: {err.value}" == cli_lines[0]


def test_build_rejects_bad_input_in_one_line(user_config_dir):
    spec = mf.scenario_spec("tiny", config_dir=user_config_dir)
    with pytest.raises(mf.ScenarioError, match=r"^config: fit\.cultural = 1\.5: must be a number in \[0, 1\]$"):
        mf.build(spec, fit={"cultural": 1.5})
    with pytest.raises(mf.ScenarioError, match=r"^config: mechanisms = 'no_such_knob': unknown mechanism"):
        mf.build(spec, mechanisms={"no_such_knob": 1.0})
    with pytest.raises(mf.ScenarioError, match=r"^spec: interventons = .*: unknown spec key"):
        mf.build({**spec, "interventons": {}})
    with pytest.raises(mf.ScenarioError, match=r"unknown_key\.yaml: scenario = 'colour': unknown scenario key$"):
        mf.build(mf.scenario_spec("unknown_key", config_dir=user_config_dir))
    sc = mf.build(spec)
    for bad in ({"replicates": 0}, {"replicates": 2, "days": 0}, {"replicates": 2.5}):
        with pytest.raises(ValueError, match="must be a positive integer"):
            mf.run(sc, **bad)


def test_run_gives_the_command_line_numbers(cli, tmp_path):
    out = tmp_path / "cli_run"
    res = cli(
        "scenario=minusma_2015",
        "interventions=[jcb_directive]",
        "fit.cultural=0.5",
        "mechanisms.trust_gain=0.1",
        "seed=3",
        "sim.days=30",
        "sim.replicates=2",
        "sim.progress=false",
        f"hydra.run.dir={out}",
    )
    assert res.returncode == 0, res.stderr
    expected = json.loads((out / "metrics.json").read_text())
    expected.pop("wall_seconds")

    spec = mf.scenario_spec("minusma_2015", interventions=["jcb_directive"])
    sc = mf.build(spec, fit={"cultural": 0.5}, mechanisms={"trust_gain": 0.1})
    results = mf.run(sc, replicates=2, seed=3, days=30)
    got = _json_metrics(results.metrics, tmp_path)
    assert list(got) == list(expected)
    for key, value in expected.items():
        assert got[key] == value, key
    for name in (*RUN_TABLES, "events"):
        pd.testing.assert_frame_equal(getattr(results, name), pd.read_parquet(out / f"{name}.parquet"), obj=name)
    assert list(results.tables()) == [f"{name}.parquet" for name in (*RUN_TABLES, "events", "trust")]

    # the run directory's own config, as a spec, gives the same numbers again
    config = yaml.safe_load((out / "config.yaml").read_text())
    rebuilt = mf.build(
        {"scenario": config["scenario"], "interventions": config["interventions"]},
        fit=config["fit"],
        mechanisms=config["mechanisms"],
    )
    again = mf.run(rebuilt, config["sim"]["replicates"], config["seed"], config["sim"]["days"])
    assert _json_metrics(again.metrics, tmp_path) == expected
