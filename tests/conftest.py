"""Shared fixtures of the runner tests: config composition, a user config dir, and the CLI as a subprocess.

Until the engine (`missionfit.simulate`) exists, a throwaway fake of its API (defined below, installed through
a `sitecustomize` on PYTHONPATH for subprocesses and in `sys.modules` in-process) stands in for it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from missionfit.paths import config_dir
from missionfit.runner.config import register_configs

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

FAKE_SIMULATE = textwrap.dedent(
    '''
    """Throwaway stand-in for missionfit.simulate (tests only)."""
    import types, sys, zlib
    import numpy as np
    import pandas as pd

    def replicate_seed_sequence(seed, replicate):
        return np.random.SeedSequence(seed).spawn(replicate + 1)[replicate]

    def run_replicate(compiled, seed, replicate, days):
        events = np.random.default_rng(replicate_seed_sequence(seed, replicate))
        n_events = int(events.poisson(3 * days))
        key = zlib.crc32(repr(sorted(compiled.interventions)).encode())
        beh = np.random.default_rng([seed, replicate, key])
        fit = compiled.fit
        lift = 0.1 * len(compiled.interventions) + 0.2 * min(fit.values())
        gr = float(np.clip(0.3 + lift + beh.normal(0, 0.03), 0, 1))
        metrics = {
            "goal_realization": gr,
            "goal_realization_by_line": {"security": gr, "protection_of_civilians": gr / 2},
            "fc_current_warning_rate": 0.1, "asifu_current_warning_rate": 0.3, "asifu_use_rate_fc": 0.2,
            "jmac_receipt_from_sf_isr": 0.1, "g2_receipt_from_s2": 0.5, "duplication": 0.4,
            "fit_index": {"strategic": 0.3, "cultural": 0.4, "operational": 0.5},
            "events_total": n_events, "reports_created": 10, "reports_delivered": 7,
            "reports_dropped": 2, "reports_in_flight": 1, "hops": 30,
        }
        ts = pd.DataFrame({"day": np.arange(days), "events": np.ones(days)})
        flows = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "type": ["intel", "intel"],
                              "hops": [3, 4], "delivered": [2, 3], "withheld": [1, 0], "sanitized": [0, 1],
                              "lost": [0, 0]})
        lat = pd.DataFrame({"source": ["a"], "source_kind": ["s2"], "channel": ["intel"],
                            "latency_days": [1.0], "timely": [True]})
        return types.SimpleNamespace(metrics=metrics, timeseries=ts, flows=flows, fc_latency=lat)
    '''
)

REAL_ENGINE = importlib.util.find_spec("missionfit.simulate") is not None


@pytest.fixture(scope="session")
def fake_path(tmp_path_factory) -> Path | None:
    """A PYTHONPATH entry whose sitecustomize installs the fake engine (None when the real one exists)."""
    if REAL_ENGINE:
        return None
    d = tmp_path_factory.mktemp("fake_engine")
    (d / "_mf_fake_simulate.py").write_text(FAKE_SIMULATE)
    (d / "sitecustomize.py").write_text(
        "import sys, _mf_fake_simulate\nsys.modules.setdefault('missionfit.simulate', _mf_fake_simulate)\n"
    )
    return d


@pytest.fixture(autouse=True, scope="session")
def _fake_in_process(fake_path):
    if fake_path is not None:
        sys.path.insert(0, str(fake_path))
        import _mf_fake_simulate

        sys.modules.setdefault("missionfit.simulate", _mf_fake_simulate)
    register_configs()
    yield


USER_SCENARIO = textwrap.dedent(
    """\
    name: tiny
    description: a two-unit test mission
    sectors:
      - {id: west, event_rate: 0.5}
    event_types:
      - {id: attack, line: security, domain: military, horizon: imminent}
    units:
      - {id: fc, kind: force_hq, sector: west, consumer: {lines: [security]}}
      - {id: u2, kind: u2, sector: west}
      - {id: bn, kind: battalion, sector: west, sensors: [{type: patrol, coverage: 0.3}]}
    edges:
      - {source: bn, target: u2, type: intel}
      - {source: u2, target: fc, type: intel}
      - {source: fc, target: bn, type: command}
    """
)


@pytest.fixture()
def user_config_dir(tmp_path) -> Path:
    """A user config dir with `scenario/tiny.yaml` and a few broken scenarios."""
    d = tmp_path / "userconf"
    (d / "scenario").mkdir(parents=True)
    (d / "scenario" / "tiny.yaml").write_text(USER_SCENARIO)
    bad_edge = USER_SCENARIO.replace("name: tiny", "name: bad_edge").replace(
        "{source: u2, target: fc, type: intel}", "{source: u2, target: ghost, type: intel}"
    )
    (d / "scenario" / "bad_edge.yaml").write_text(bad_edge)
    dup = USER_SCENARIO.replace("name: tiny", "name: dup_unit").replace(
        "- {id: u2, kind: u2, sector: west}", "- {id: u2, kind: u2, sector: west}\n  - {id: u2, kind: u2}"
    )
    (d / "scenario" / "dup_unit.yaml").write_text(dup)
    prob = USER_SCENARIO.replace("name: tiny", "name: bad_prob").replace("coverage: 0.3", "coverage: 1.7")
    (d / "scenario" / "bad_prob.yaml").write_text(prob)
    cyc = USER_SCENARIO.replace("name: tiny", "name: cycle").replace(
        "- {source: fc, target: bn, type: command}",
        "- {source: fc, target: bn, type: command}\n  - {source: bn, target: u2, type: command}\n"
        "  - {source: u2, target: fc, type: command}",
    )
    (d / "scenario" / "cycle.yaml").write_text(cyc)
    (d / "scenario" / "wrong_type.yaml").write_text(
        USER_SCENARIO.replace("name: tiny", "name: wrong_type").replace(
            "{id: u2, kind: u2, sector: west}", "{id: u2, kind: u2, sector: west, tech_level: high}"
        )
    )
    (d / "interventions").mkdir()
    (d / "interventions" / "more_trust.yaml").write_text(
        "# @package interventions\nmore_trust:\n  description: test patch\n  mechanisms: {trust_gain: 0.3}\n"
    )
    (d / "interventions" / "less_rivalry.yaml").write_text(
        "# @package interventions\nless_rivalry:\n  description: test patch\n  mechanisms: {rivalry_strength: 0.0}\n"
    )
    (d / "scenario" / "unknown_key.yaml").write_text(
        USER_SCENARIO.replace("name: tiny", "name: unknown_key\ncolour: red")
    )
    return d


@pytest.fixture()
def compose_cfg():
    """Compose the app's config like `missionfit` does (optionally with an extra config dir)."""

    def _compose(overrides=(), extra_dir: Path | None = None, return_hydra_config: bool = False):
        ov = list(overrides)
        if extra_dir is not None:
            ov.insert(0, f"hydra.searchpath=[file://{extra_dir}]")
        GlobalHydra.instance().clear()
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return compose(config_name="config", overrides=ov, return_hydra_config=return_hydra_config)

    yield _compose
    GlobalHydra.instance().clear()


def run_cli(args, *, cwd: Path, fake: Path | None = None, timeout: float = 300, script: str = "app"):
    """Run `missionfit` (or `missionfit-collect`) as a subprocess; returns the CompletedProcess."""
    env = dict(os.environ)
    env.pop("HYDRA_FULL_ERROR", None)
    if fake is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(fake), env.get("PYTHONPATH", "")]))
    return subprocess.run(
        [PY, "-m", f"missionfit.cli.{script}", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture()
def cli(fake_path, tmp_path):
    """Call the CLI in a temporary working directory: `cli(*args, cwd=None, script="app")`."""

    def _cli(*args, cwd: Path | None = None, script: str = "app", timeout: float = 300):
        return run_cli([str(a) for a in args], cwd=cwd or tmp_path, fake=fake_path, script=script, timeout=timeout)

    return _cli
