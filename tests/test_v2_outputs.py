"""The output side of the v2 core (docs/design/v2-core.md §6): contract 2.0 names, the two figures, their wiring.

Cheap by design: each of the two figures is drawn twice in this file (once directly, once saved by
`missionfit-figures` on a synthetic v2 run); the v1 run only checks that they are skipped.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import synthetic  # noqa: E402  (tests/synthetic.py: contract-shaped fixture directories)
from missionfit import contract  # noqa: E402
from missionfit.analysis.attribution import plot_path_decomposition  # noqa: E402
from missionfit.analysis.awareness import awareness_curve, imminent_threats, plot_awareness_curve  # noqa: E402
from missionfit.cli.figures import main  # noqa: E402
from missionfit.contract import Kind  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
V2_FIGURES = ("path_decomposition", "awareness_curve")

#: The v2 names of MODEL.md §4 ("Version 2 additions to the contract", Metrics), with their kinds.
MODEL_V2_KINDS = {
    **{f"goal_realization_by_path.{p}": Kind.SHARE for p in contract.PATHS},
    "intelligence_share": Kind.SHARE,
    "fc_awareness_rate": Kind.SHARE,
    "asifu_awareness_rate": Kind.SHARE,
    "shared_awareness": Kind.SHARE,
    "time_to_awareness.q10": Kind.DAYS,
    "time_to_awareness.q50": Kind.DAYS,
    "time_to_awareness.q90": Kind.DAYS,
    "time_to_awareness.never_aware_share": Kind.SHARE,
    "false_alarm_rate": Kind.SHARE,
    "capacity_utilisation": Kind.SHARE,
    **{f"harm_by_line.{line}": Kind.SEVERITY for line in contract.MANDATE_LINES},
    "external_goal_realization": Kind.SHARE,
    "external_awareness": Kind.SHARE,
    "asifu_assessments_to_fc": Kind.COUNT,
}
TEN_PATHS = (
    "baseline",
    "own_sensing",
    "commander_chain",
    "intel_line",
    "all_source_fusion",
    "mission_analysis",
    "other_analysis",
    "board",
    "liaison",
    "informal",
)


def _model_md() -> Path | None:
    for path in (ROOT.parent / "shared" / "MODEL.md", ROOT.parents[1] / "shared" / "MODEL.md"):
        if path.is_file():
            return path
    return None


# ----------------------------------------------------------------------------------------------------------------
# the contract


def test_the_contract_declares_every_v2_name_with_its_kind():
    for name, kind in MODEL_V2_KINDS.items():
        assert contract.is_metric(name), name
        assert contract.kind_of(name) is kind, (name, contract.kind_of(name))
        assert contract.metric(name).since == "2.0"
    assert set(contract.V2_METRICS) == set(MODEL_V2_KINDS)
    assert contract.group_kind("time_to_awareness") is Kind.DISTRIBUTION
    assert tuple(contract.QUANTILES) == ("q10", "q50", "q90")
    assert contract.is_unit_interval("intelligence_share") and not contract.is_unit_interval("harm_by_line.security")


def test_the_v2_list_of_model_md_is_declared():
    """Every name in MODEL.md §4's v2 Metrics bullet is a declared metric, group, path or declared prefix."""
    path = _model_md()
    if path is None:
        pytest.skip("../shared/MODEL.md is not next to this checkout")
    text = path.read_text(encoding="utf-8")
    section = text.split("**Version 2 additions to the contract**", 1)[1]
    bullet = re.search(r"^- Metrics:(.*?)(?=^- |\Z)", section, re.M | re.S).group(1)
    names = re.findall(r"`([^`\s]+)`", bullet)
    assert len(names) >= 15
    groups = {m.group for m in contract.ALL_METRICS}
    for name in names:
        if name.endswith("*"):
            assert any(m.startswith(name[:-1]) for m in contract.V2_METRICS), name
        else:
            assert name in contract.PATHS or contract.is_metric(name) or name in groups, name
    assert "events.parquet" in section and contract.EVENTS_FILE == "events.parquet"


def test_the_paths_are_exactly_the_ten():
    assert contract.PATHS == TEN_PATHS
    by_path = [m.name.split(".", 1)[1] for m in contract.ALL_METRICS if m.group == "goal_realization_by_path"]
    assert tuple(by_path) == TEN_PATHS


def test_planned_metrics_stay_out_of_what_a_replicate_must_produce_now():
    planned = {m.name for m in contract.PLANNED_METRICS}
    assert planned <= set(contract.V2_METRICS)
    assert not planned & set(contract.REPLICATE_METRICS) and not planned & set(contract.REPLICATES.names)
    assert not {m.split(".")[0] for m in planned} & set(contract.METRICS_JSON_KEYS)
    v2_columns = contract.REPLICATES_V2.names
    assert v2_columns[: len(contract.REPLICATES.names)] == contract.REPLICATES.names
    assert set(v2_columns) == {*contract.REPLICATES.names, *contract.V2_METRICS}
    assert contract.REPLICATES_V2.column("asifu_assessments_to_fc").dtype == "int"
    assert contract.REPLICATES_V2.column("harm_by_line.security").dtype == "float"


def test_events_file_is_declared_and_optional():
    assert contract.EVENTS_FILE in contract.OPTIONAL_RUN_TABLES and contract.EVENTS_FILE not in contract.RUN_FILES
    assert contract.EVENTS.names == (
        "replicate",
        "event",
        "time",
        "sector",
        "line",
        "domain",
        "horizon",
        "severity",
        "is_false",
        "first_indicator_time",
        "fc_aware_time",
        "asifu_aware_time",
        "aware_consumers",
        "responsible_consumers",
        "action_unit",
        "action_time",
        "completeness",
        "accuracy",
        "mitigated",
        "prevented",
        "path",
    )
    assert all(c.meaning for c in contract.EVENTS.columns)
    assert contract.kind_of("fc_aware_time", contract.EVENTS_FILE) is Kind.DAYS


def test_changelog_lists_every_added_name_and_the_changed_meanings():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = re.search(r"^## \[2\.0\].*?(?=^## \[|\Z)", text, re.M | re.S).group(0)
    for name in (*contract.V2_METRICS, contract.EVENTS_FILE, "severity"):
        assert f"`{name}`" in entry, name
    changed = entry.split("### Changed", 1)[1]
    for name in ("goal_realization", "asifu_use_rate_fc", "jmac_receipt_from_sf_isr"):
        assert f"`{name}`" in changed, name


# ----------------------------------------------------------------------------------------------------------------
# the synthetic fixture and the figures


def test_synthetic_v2_replicates_and_events_follow_the_contract():
    rep = synthetic.replicates_table(4, v2=True)
    assert list(rep.columns) == list(contract.REPLICATES_V2.names)
    paths = [f"goal_realization_by_path.{p}" for p in contract.PATHS]
    assert np.allclose(rep[paths].sum(axis=1), rep["goal_realization"])
    assert list(synthetic.replicates_table(2).columns) == list(contract.REPLICATES.names)
    events = synthetic.events_table(2, per_replicate=30)
    assert list(events.columns) == list(contract.EVENTS.names)


def test_path_decomposition_one_bar_per_arm_ten_segments_summing_to_goal_realization():
    arms = {"[]": (), "[integrate_u2_asifu]": ("integrate_u2_asifu",), "[jcb_directive]": ("jcb_directive",)}
    summary = pd.concat(
        [synthetic.replicates_table(4, 0, ivs, v2=True).assign(arm=arm) for arm, ivs in arms.items()],
        ignore_index=True,
    )
    fig, axes = plot_path_decomposition(summary, labels={})
    ax = axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 10 * len(arms)
    rows: dict[float, list[Rectangle]] = {}
    for bar in bars:
        rows.setdefault(round(bar.get_y(), 6), []).append(bar)
    assert len(rows) == len(arms) and all(len(segments) == 10 for segments in rows.values())
    # the baseline arm on top; each bar's segments sum to the arm's mean goal realization
    expected = summary.groupby("arm")["goal_realization"].mean()
    tops = sorted(rows, reverse=True)
    order = ["[]", "[integrate_u2_asifu]", "[jcb_directive]"]
    for y, arm in zip(tops, order, strict=True):
        segments = sorted(rows[y], key=lambda b: b.get_x())
        assert sum(b.get_width() for b in segments) == pytest.approx(expected[arm], rel=1e-9)
        assert segments[0].get_x() == 0.0
        assert all(
            a.get_x() + a.get_width() == pytest.approx(b.get_x()) for a, b in zip(segments, segments[1:], strict=False)
        )
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Own sensing" in legend and "All-source fusion (ASIFU)" in legend and len(legend) == 10
    assert ax.get_xlabel() == "Goal realization (share of severity)"


def test_awareness_curve_starts_at_the_aware_share_and_never_increases():
    events = synthetic.events_table(3, per_replicate=80)
    threats = imminent_threats(events)
    x, share, never = awareness_curve(threats)
    aware = threats["fc_aware_time"].notna().mean()
    assert x[0] == 0.0 and share[0] == pytest.approx(aware) and never == pytest.approx(1 - aware)
    assert np.all(np.diff(x) > 0) and np.all(np.diff(share) <= 0) and share[-1] > 0
    # an arm column gives one line per arm, each annotated with its never-aware share
    both = pd.concat(
        [
            events.assign(arm="[]"),
            synthetic.events_table(3, 0, ("integrate_u2_asifu",), 80).assign(arm="[integrate_u2_asifu]"),
        ]
    )
    fig, axes = plot_awareness_curve(both, labels={})
    lines = [line for line in axes[0].get_lines() if line.get_gid() == "awareness"]
    assert len(lines) == 2
    for line in lines:
        y = np.asarray(line.get_ydata(), float)
        assert np.all(np.diff(y) <= 1e-12) and 0 < y[0] <= 1
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert all("never aware" in t for t in texts) and texts[0].startswith("Baseline")
    assert math.isclose(lines[0].get_ydata()[0], aware)


def test_figures_command_draws_v2_figures_on_a_v2_run_and_skips_them_on_a_v1_run(tmp_path, capsys):
    v2 = synthetic.write_run(
        tmp_path / "v2", n=3, days=10, v2=True, files=(contract.REPLICATES_FILE, contract.EVENTS_FILE)
    )
    assert main([str(v2), "-q"]) == 0
    out = capsys.readouterr().out
    for name in V2_FIGURES:
        assert (v2 / "figures" / f"{name}.pdf").is_file() and (v2 / "figures" / f"{name}.png").is_file()
        assert f"{name}:" not in out  # written (quiet mode prints only skipped and failed figures)
    v1 = synthetic.write_run(tmp_path / "v1", n=2, days=10, files=(contract.REPLICATES_FILE,))
    # a run written by a v1 engine: no attribution columns
    rep = pd.read_parquet(v1 / contract.REPLICATES_FILE)
    rep.drop(columns=[c for c in rep if c.startswith("goal_realization_by_path.")]).to_parquet(
        v1 / contract.REPLICATES_FILE, index=False
    )
    main([str(v1)])
    out = capsys.readouterr().out
    assert "skipped path_decomposition: replicates.parquet has no goal_realization_by_path columns" in out
    assert "skipped awareness_curve: no events.parquet" in out
    assert not any((v1 / "figures" / f"{name}.png").exists() for name in V2_FIGURES)
