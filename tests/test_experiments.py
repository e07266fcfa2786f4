"""The published experiments (experiments/<name>/run.sh): each regenerates its folder end to end.

The end-to-end tests run each command with `--quick` (tiny sizes) into a temporary directory, from an unrelated
working directory, and check that the figures (PDF + PNG), tables (CSV + LaTeX) and report exist and are not
empty. The table command (`missionfit-tables`, `missionfit.analysis.tables`) is also tested on the synthetic run and
sweep directories of `tests/synthetic.py`, which take no simulation.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import synthetic
from conftest import run_cli
from missionfit.analysis.stats import paired_differences

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"
BASH = shutil.which("bash")

needs_bash = pytest.mark.skipif(BASH is None, reason="bash not available")

#: Files each experiment's quick run must produce (relative to its output directory), besides runtime.txt.
EXPECTED = {
    "baseline_structure": [
        *(f"figures/{n}.{e}" for n in ("network", "coherence", "fc_latency", "timeseries") for e in ("pdf", "png")),
        "metrics.json",
        "tables/metrics.csv",
        "tables/metrics.tex",
        "tables/coherence.csv",
    ],
    "counterfactuals": [
        "figures/forest.pdf",
        "figures/forest.png",
        "comparison.parquet",
        "report.md",
        "tables/comparison.csv",
        "tables/comparison.tex",
        "tables/levels.csv",
    ],
    "fit_landscape": [
        "figures/fit_landscape.pdf",
        "figures/fit_landscape.png",
        "report.md",
        "tables/fit_grid.csv",
        "tables/fit_grid.tex",
        "tables/weakest_link.csv",
    ],
    "sensitivity": [
        "figures/sensitivity_sobol.pdf",
        "figures/sensitivity_sobol.png",
        "sensitivity.parquet",
        "report.md",
        "tables/sensitivity.csv",
        "tables/sensitivity.tex",
    ],
}


#: Seconds an experiment command may take. A quick run is 10-60 s once the engine is compiled, but the first one
#: in a fresh checkout compiles it in the subprocess (numba's cache is per checkout): 3-6 minutes on two loaded
#: cores, more while xdist's other worker compiles too (a fresh-clone CI run once took over 400 s).
EXPERIMENT_TIMEOUT = 1200


def run_experiment(
    name: str, out: Path, *args: str, cwd: Path, timeout: float = EXPERIMENT_TIMEOUT
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("HYDRA_FULL_ERROR", None)
    env.pop("MISSIONFIT_EXPERIMENT_OUT", None)
    env["QUICK"] = "1"
    return subprocess.run(
        [BASH, str(EXPERIMENTS / name / "run.sh"), "--out", str(out), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def check_outputs(out: Path, files: list[str]) -> None:
    missing = [f for f in files if not (out / f).is_file()]
    assert not missing, f"missing in {out}: {missing}"
    empty = [f for f in files if (out / f).stat().st_size == 0]
    assert not empty, f"empty in {out}: {empty}"
    runtime = (out / "runtime.txt").read_text()
    assert "seconds:" in runtime and "quick: 1" in runtime


# ------------------------------------------------------------------------------------------------
# end to end, quick sizes (each takes 20-60 s on two cores, mostly Hydra start-up and config composition)


@pytest.mark.slow
@needs_bash
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_experiment_quick_end_to_end(name, tmp_path):
    out = tmp_path / "out dir" / name  # a space in the path, and a cwd unrelated to the repository
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    res = run_experiment(name, out, cwd=cwd)
    assert res.returncode == 0, res.stderr[-3000:]
    check_outputs(out, EXPECTED[name])
    assert not (cwd / "results").exists() and not (cwd / "outputs").exists(), "wrote into the working directory"
    tex = next((out / "tables").glob("*.tex")).read_text()
    assert r"\toprule" in tex and r"\bottomrule" in tex and "stylized" in tex
    if name == "counterfactuals":
        comp = pd.read_csv(out / "tables" / "comparison.csv")
        assert {"Baseline (as observed)"} & set(pd.read_csv(out / "tables" / "levels.csv")["arm_label"])
        assert {"Directive JCB", "All interventions combined"} <= set(comp["arm_label"])
        assert "All interventions combined" in tex and "jcb_directive" not in tex


# ------------------------------------------------------------------------------------------------
# the scripts' options (fast: no simulation)


@needs_bash
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_help_names_the_command_and_quick_option(name, tmp_path):
    res = subprocess.run(
        [BASH, str(EXPERIMENTS / name / "run.sh"), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert "--quick" in res.stdout and f"experiments/{name}/run.sh" in res.stdout
    assert (EXPERIMENTS / name / "README.md").is_file()


@needs_bash
def test_unknown_option_fails_with_one_line(tmp_path):
    res = subprocess.run(
        [BASH, str(EXPERIMENTS / "counterfactuals" / "run.sh"), "--frobnicate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "experiments/counterfactuals: error: unknown option --frobnicate (see --help)"
    ]


@needs_bash
def test_refuses_to_replace_a_foreign_directory(tmp_path):
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "chapter1.tex").write_text("precious")
    res = run_experiment("baseline_structure", foreign, cwd=tmp_path, timeout=60)
    assert res.returncode == 2
    assert "does not look like an experiment output" in res.stderr
    assert (foreign / "chapter1.tex").read_text() == "precious"


def test_outputs_are_git_ignored():
    text = (EXPERIMENTS / ".gitignore").read_text()
    assert "*/output/" in text.split()


# ------------------------------------------------------------------------------------------------
# missionfit-tables on synthetic run and sweep directories (fast)


def tables(kind: str, d: Path, out: Path) -> list[str]:
    # in-process (the command's `main`); test_tables_missing_input_is_one_line runs it as a fresh process
    res = run_cli([kind, str(d), str(out)], cwd=d, script="tables")
    assert res.returncode == 0, res.stderr
    return sorted(p.name for p in out.iterdir())


def test_tables_baseline(tmp_path):
    run = synthetic.write_run(tmp_path / "run", n=5)
    files = tables("baseline", run, tmp_path / "t")
    assert {"metrics.csv", "metrics.tex"} <= set(files)
    df = pd.read_csv(tmp_path / "t" / "metrics.csv")
    row = df.set_index("metric").loc["goal_realization"]
    assert row["ci_low"] <= row["mean"] <= row["ci_high"] and row["n"] == 5
    tex = (tmp_path / "t" / "metrics.tex").read_text()
    assert "Goal realization" in tex and r"\begin{tabular}" in tex
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    assert not re.search(r"(?<!\\)[_%#]", body), "unescaped LaTeX special character"


def test_tables_counterfactuals(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "sweep", kind="interventions", n=6, job_files=False)
    summary = pd.read_parquet(sweep / "summary.parquet")
    comp = paired_differences(summary, ["goal_realization", "fc_current_warning_rate", "duplication"])
    comp.to_parquet(sweep / "comparison.parquet", index=False)
    files = tables("counterfactuals", sweep, tmp_path / "t")
    assert files == ["comparison.csv", "comparison.tex", "levels.csv"]
    csv = pd.read_csv(tmp_path / "t" / "comparison.csv")
    assert len(csv) == len(comp)
    assert {"Integrate U2 and ASIFU", "Integrate U2 and ASIFU + Directive JCB"} <= set(csv["arm_label"])
    tex = (tmp_path / "t" / "comparison.tex").read_text()
    assert "Baseline (as observed)" in tex and "Liaison officers" in tex and "percentage points" in tex
    assert tex.count(r"\toprule") == 1 and "[$" in tex


def test_tables_fit_landscape(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "sweep", kind="fit", n=4, job_files=False)
    tables("fit_landscape", sweep, tmp_path / "t")
    grid = pd.read_csv(tmp_path / "t" / "fit_grid.csv")
    assert len(grid) == 27 and (grid["n"] == 4).all()
    tex = (tmp_path / "t" / "fit_grid.tex").read_text()
    assert "Operational fit" in tex and tex.count(r"\\") >= 9
    wl = pd.read_csv(tmp_path / "t" / "weakest_link.csv")
    assert list(wl["low_knob"]) == ["fit.strategic", "fit.cultural", "fit.operational"]
    assert (wl["all_low"] <= wl["goal_realization"]).all() and (wl["goal_realization"] <= wl["all_high"]).all()


def test_tables_sensitivity_both_methods(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "sweep", kind="sensitivity", n=2, job_files=False)
    files = tables("sensitivity", sweep, tmp_path / "t")
    assert {"sensitivity.csv", "sensitivity_sobol.tex", "sensitivity_morris.tex"} <= set(files)
    csv = pd.read_csv(tmp_path / "t" / "sensitivity.csv")
    sobol = csv[csv["method"] == "sobol"]
    assert (sobol["ST_ci_low"] <= sobol["ST"]).all() and "Strategic fit" in set(csv["parameter_label"])
    assert "$S_T - S_1$" in (tmp_path / "t" / "sensitivity_sobol.tex").read_text()
    assert r"\mu^*" in (tmp_path / "t" / "sensitivity_morris.tex").read_text()


def test_tables_is_an_installed_command():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["missionfit-tables"] == "missionfit.cli.tables:main"
    res = subprocess.run(
        [sys.executable, "-m", "missionfit.cli.tables", "--help"], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0 and res.stdout.startswith("usage: missionfit-tables")
    assert all(k in res.stdout for k in ("baseline", "counterfactuals", "fit_landscape", "sensitivity"))
    assert not (EXPERIMENTS / "tables.py").exists()  # the module moved into the package; run.sh calls the command
    assert all("missionfit.cli.tables" in (EXPERIMENTS / n / "run.sh").read_text() for n in EXPECTED)


def test_tables_missing_input_is_one_line(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "missionfit.cli.tables", "sensitivity", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 1
    assert "sensitivity.parquet: no such file" in res.stderr and "Traceback" not in res.stderr
