"""report.md of a sweep directory (missionfit.analysis.report.write_report)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

import synthetic  # noqa: E402  (tests/synthetic.py: contract-shaped fixture directories)
from missionfit.analysis.io import InputError  # noqa: E402
from missionfit.analysis.report import MAX_ROWS, write_report  # noqa: E402


def sections(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.M)


@pytest.mark.xdist_group("drawn_interventions_sweep")
def test_report_of_an_interventions_sweep(drawn_interventions_sweep):
    sweep = drawn_interventions_sweep[0]  # `missionfit-figures` drew its figures, then wrote the report
    path = write_report(sweep)
    assert path == sweep / "report.md"
    text = path.read_text()
    assert text == drawn_interventions_sweep[3]  # what the command wrote
    assert sections(text) == ["Question", "Configuration", "Results", "Figures"]
    assert "Which of the paper's recommendations raise goal realization" in text  # from multirun.yaml
    assert "| Scenario | minusma_2015 |" in text
    assert "| Replicates per configuration | 4 |" in text
    assert "| Configurations (jobs) | 5 |" in text
    assert "Swept `interventions`" in text
    # one results row per arm, with mean and CI in words, not variable names
    results = text.split("## Results")[1].split("###")[0]
    rows = [ln for ln in results.splitlines() if ln.startswith("| ") and "[" in ln]
    assert len(rows) == 5
    assert "Baseline (as observed)" in results and "Directive JCB" in results
    assert "goal_realization" not in results
    assert re.search(r"\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]", results)
    # paired comparison with CIs
    assert "### Paired comparison with the baseline" in text
    assert re.search(r"\| Integrate U2 and ASIFU \| Goal realization \| \+\d\.\d{3} \[", text)
    # the figures, embedded with relative paths that exist
    images = re.findall(r"!\[[^\]]*\]\((figures/[^)]+\.png)\)", text)
    assert "figures/forest.png" in images and "figures/timeseries_by_arm.png" in images
    assert all((sweep / p).is_file() for p in images)
    assert all((sweep / p.replace(".png", ".pdf")).is_file() for p in images)


@pytest.mark.xdist_group("drawn_sensitivity_grid")
def test_report_draws_the_figures_only_when_none_exist(tmp_path, monkeypatch):
    from missionfit.analysis import report

    drawn = []
    monkeypatch.setattr(report, "render_sweep", lambda d: drawn.append(d))
    sweep = synthetic.write_sweep(tmp_path / "sweep", "interventions", n=2)
    write_report(sweep)
    assert drawn == [sweep]
    (sweep / "figures").mkdir()
    (sweep / "figures" / "forest.png").write_bytes(b"png")
    write_report(sweep)
    assert drawn == [sweep]  # one figure is there: nothing is drawn
    write_report(sweep, make_figures=False)
    assert drawn == [sweep]


@pytest.mark.xdist_group("drawn_sensitivity_grid")
def test_report_of_a_fit_grid_and_sensitivity(drawn_sensitivity_grid):
    sweep = drawn_sensitivity_grid[0]  # its figures were drawn by `missionfit-figures --no-report`
    text = write_report(sweep).read_text()
    assert "Is fit a weakest link" in text
    for key in ("fit.strategic", "fit.cultural", "fit.operational"):
        assert f"Swept `{key}` | 0, 0.5, 1" in text
    assert "Strategic fit = 1; Cultural fit = 1; Operational fit = 1" in text
    assert "### Sobol indices for goal realization" in text
    assert "| Strategic fit | 0.220 ± 0.052 |" in text
    assert "### Morris screening for goal realization" in text
    assert "figures/fit_landscape.png" in text and "figures/sensitivity_sobol.png" in text
    assert "Paired comparison" not in text


def test_results_table_is_capped(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "grid", "fit", n=2, job_files=False)
    summary = pd.read_parquet(sweep / "summary.parquet")
    more = summary.assign(job=summary["job"] + 100, **{"fit.strategic": summary["fit.strategic"] + 0.25})
    pd.concat([summary, more]).to_parquet(sweep / "summary.parquet")
    text = write_report(sweep, make_figures=False).read_text()
    results = text.split("## Results")[1].split("## Figures")[0]
    assert len([ln for ln in results.splitlines() if ln.startswith("| ") and "[" in ln]) == MAX_ROWS
    assert f"{54 - MAX_ROWS} more are in `summary.parquet`" in results
    assert "No figures were drawn" in text


def test_question_falls_back_to_the_swept_keys(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "grid", "fit", n=2, job_files=False)
    (sweep / "multirun.yaml").unlink()
    text = write_report(sweep, make_figures=False).read_text()
    question = text.split("## Question")[1].split("##")[0]
    assert "strategic fit, cultural fit and operational fit" in question


def test_question_from_the_experiment_config(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "s", "interventions", n=2, job_files=False)
    cfg = yaml.safe_load((sweep / "multirun.yaml").read_text())
    cfg.pop("question")
    cfg["experiment"] = {"question": "Does a directive JCB reduce duplication?"}
    (sweep / "multirun.yaml").write_text(yaml.safe_dump(cfg))
    text = write_report(sweep, make_figures=False).read_text()
    assert "Does a directive JCB reduce duplication?" in text


def test_runner_style_summary_and_comparison(tmp_path):
    """The runner's layout: string job ids, an `arm` column, interventions as JSON, comparison.parquet."""
    sweep = synthetic.write_sweep(tmp_path / "s", "interventions", n=3, job_files=False)
    summary = pd.read_parquet(sweep / "summary.parquet")
    summary["job"] = summary["job"].astype(str)
    summary["arm"] = summary["interventions"].str.strip("[]").str.replace(",", "+").replace("", "baseline")
    summary["interventions"] = summary["interventions"].map(
        lambda v: "{" + ",".join(f'"{k}": {{}}' for k in v.strip("[]").split(",") if k) + "}"
    )
    summary.to_parquet(sweep / "summary.parquet")
    comp = pd.DataFrame(
        [
            {"arm": "jcb_directive", "metric": m, "mean_diff": 0.01, "ci_low": 0.0, "ci_high": 0.02,
             "effect_size": 0.5, "n": 3}
            for m in ("goal_realization", "duplication", "events_total")
        ]
    )  # fmt: skip
    comp.to_parquet(sweep / "comparison.parquet")
    text = write_report(sweep).read_text()
    assert "| Directive JCB | Goal realization | +0.010 [+0.000, +0.020] | 0.50 | 3 |" in text
    assert "Events" not in text.split("### Paired comparison")[1]  # key metrics only
    results = text.split("## Results")[1].split("###")[0]
    assert "Integrate U2 and ASIFU + Directive JCB" in results and "{" not in results


def test_write_report_needs_a_summary(tmp_path):
    with pytest.raises(InputError, match="summary.parquet"):
        write_report(tmp_path)


def test_command_embeds_only_figures_drawn_now(tmp_path):
    from missionfit.cli.figures import main

    sweep = synthetic.write_sweep(tmp_path / "s", "fit", n=2, job_files=False)
    stale = sweep / "figures"
    stale.mkdir()
    (stale / "forest.png").write_bytes(b"old")
    assert main([str(sweep), "-q"]) == 0
    text = (sweep / "report.md").read_text()
    assert "figures/fit_landscape.png" in text and "forest.png" not in text


def test_command_with_out_dir_links_the_figures_there(tmp_path):
    from missionfit.cli.figures import main

    sweep = synthetic.write_sweep(tmp_path / "s", "fit", n=2, job_files=False)
    assert main([str(sweep), "-q", "-o", str(tmp_path / "paper" / "figs")]) == 0
    text = (sweep / "report.md").read_text()
    assert "](../paper/figs/fit_landscape.png)" in text
    assert (tmp_path / "paper" / "figs" / "fit_landscape.pdf").is_file()
