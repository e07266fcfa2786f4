"""Shared fixtures of the runner tests: config composition, a user config dir, and the console scripts."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig

from missionfit.paths import config_dir
from missionfit.runner.config import register_configs

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

#: Files that are not part of the repository (the source paper, the Geo-PKO v2.3 rows, the naive Mesa reference
#: of the benchmark) live next to the checkout in `../shared`, or where MISSIONFIT_SHARED_DIR points (a worktree
#: or a clone elsewhere).
SHARED_DIR = Path(os.environ.get("MISSIONFIT_SHARED_DIR") or ROOT.parent / "shared")
#: Set by CI (`.ci/run`): a test marked `needs_shared` fails instead of skipping when its file is missing, so
#: that the checks against the paper and the Geo-PKO data cannot silently stop running.
REQUIRE_SHARED = os.environ.get("MISSIONFIT_REQUIRE_SHARED", "") not in ("", "0")


def pytest_runtest_setup(item):
    """Skip (or, under MISSIONFIT_REQUIRE_SHARED=1, fail) a `needs_shared` test whose shared file is missing."""
    for mark in item.iter_markers("needs_shared"):
        missing = [rel for rel in mark.args if not (SHARED_DIR / rel).exists()]
        if missing:
            reason = f"shared file(s) not found under {SHARED_DIR}: {', '.join(missing)}"
            if REQUIRE_SHARED:
                pytest.fail(f"{reason} (MISSIONFIT_REQUIRE_SHARED is set)", pytrace=False)
            pytest.skip(f"{reason} (set MISSIONFIT_SHARED_DIR to where they are)")


@pytest.fixture(autouse=True, scope="session")
def _register_configs():
    """The structured-config schemas in Hydra's ConfigStore, as `missionfit` registers them."""
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


#: Configs composed from the repository's config dir, by (overrides, return_hydra_config): composing parses the
#: scenario's YAML with OmegaConf's pure-Python loader and merges it into the schema, seconds for a MINUSMA year,
#: and several tests compose the same selection. Each caller gets its own copy, free to change.
_COMPOSED: dict[tuple[tuple[str, ...], bool], DictConfig] = {}


@pytest.fixture()
def compose_cfg():
    """Compose the app's config like `missionfit` does (optionally with an extra config dir)."""

    def _compose(overrides=(), extra_dir: Path | None = None, return_hydra_config: bool = False):
        ov = list(overrides)
        key = (tuple(ov), return_hydra_config)
        if extra_dir is None and key in _COMPOSED:
            return copy.deepcopy(_COMPOSED[key])
        if extra_dir is not None:
            ov.insert(0, f"hydra.searchpath=[file://{extra_dir}]")
        GlobalHydra.instance().clear()
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose(config_name="config", overrides=ov, return_hydra_config=return_hydra_config)
        if extra_dir is None:
            _COMPOSED[key] = copy.deepcopy(cfg)
        return cfg

    yield _compose
    GlobalHydra.instance().clear()


def run_cli(args, *, cwd: Path, timeout: float = 300, script: str = "app", fresh_process: bool | None = None):
    """Run a console script (`missionfit`, `missionfit-collect`, ...) on `args`; returns a CompletedProcess.

    By default the command's `main(argv)` runs in this test process, with stdout and stderr captured, in `cwd`,
    and a `SystemExit` becomes the return code, as the console script's would. That spares each call about
    three seconds of interpreter start-up, imports and loading the compiled engine from its cache. The tests
    whose subject is the fresh process (no traceback before `main`, start-up, signals) pass
    `fresh_process=True`; `MISSIONFIT_TEST_FRESH_PROCESS=1` runs every call as a subprocess.
    """
    if fresh_process is None:
        fresh_process = os.environ.get("MISSIONFIT_TEST_FRESH_PROCESS", "") not in ("", "0")
    if fresh_process:
        env = dict(os.environ)
        env.pop("HYDRA_FULL_ERROR", None)
        return subprocess.run(
            [PY, "-m", f"missionfit.cli.{script}", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return _run_in_process([str(a) for a in args], cwd=cwd, script=script)


def _run_in_process(args: list[str], *, cwd: Path, script: str) -> subprocess.CompletedProcess:
    """`missionfit.cli.<script>.main(args)` in this process, as `run_cli` describes."""
    import contextlib
    import importlib
    import io
    import traceback

    from missionfit.runner import validate

    main = importlib.import_module(f"missionfit.cli.{script}").main
    out, err = io.StringIO(), io.StringIO()
    here, full_error = os.getcwd(), os.environ.pop("HYDRA_FULL_ERROR", None)
    saved_argv = sys.argv
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args) or 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if not isinstance(exc.code, int | None):
                    print(exc.code, file=sys.stderr)
            except BaseException:  # noqa: BLE001 - an uncaught error is what a console script prints and exits 1 on
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(here)
        sys.argv = saved_argv
        if full_error is not None:
            os.environ["HYDRA_FULL_ERROR"] = full_error
        GlobalHydra.instance().clear()
        validate.EXTRA_CONFIG_DIRS.clear()  # `--config-dir` of this call must not leak into the next one
    return subprocess.CompletedProcess([script, *args], int(code), out.getvalue(), err.getvalue())


@pytest.fixture()
def cli(tmp_path):
    """Call the CLI in a temporary working directory: `cli(*args, cwd=None, script="app")`."""

    def _cli(*args, cwd: Path | None = None, script: str = "app", timeout: float = 300, fresh_process=None):
        return run_cli(
            [str(a) for a in args], cwd=cwd or tmp_path, script=script, timeout=timeout, fresh_process=fresh_process
        )

    return _cli


@pytest.fixture(scope="session")
def drawn_sensitivity_grid(tmp_path_factory):
    """A synthetic sensitivity sweep on which `missionfit-figures DIR --no-report` has run, once per worker.

    Shared by the figure command's test and the report's test of the same sweep (tests/test_figures.py,
    tests/test_report.py, both in the `drawn_sensitivity_grid` xdist group, so on one worker): drawing its three
    figures costs seconds, and the report then embeds them without drawing them again.

    Returns:
        (sweep dir, the command's exit code, its stdout, whether report.md existed right after it).
    """
    import synthetic

    grid = synthetic.write_sweep(tmp_path_factory.mktemp("grid") / "sens", "sensitivity", n=2, job_files=False)
    res = _run_in_process([str(grid), "--no-report"], cwd=grid, script="figures")
    return grid, res.returncode, res.stdout, (grid / "report.md").exists()


@pytest.fixture(scope="session")
def drawn_interventions_sweep(tmp_path_factory):
    """A synthetic interventions sweep on which `missionfit-figures DIR` has run (figures and report.md), once.

    Shared by the figure command's test and the report's test of that sweep (the `drawn_interventions_sweep`
    xdist group), as `drawn_sensitivity_grid` is.

    Returns:
        (sweep dir, the command's exit code, its stdout, the text of the report.md it wrote).
    """
    import synthetic

    sweep = synthetic.write_sweep(tmp_path_factory.mktemp("ivs") / "sweep", "interventions", n=4)
    res = _run_in_process([str(sweep)], cwd=sweep, script="figures")
    report = sweep / "report.md"
    return sweep, res.returncode, res.stdout, report.read_text() if report.is_file() else None
