"""Publication figures (missionfit.analysis) and the missionfit-figures command, on small synthetic tables."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.container import ErrorbarContainer  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

import synthetic  # noqa: E402  (tests/synthetic.py: contract-shaped fixture directories)
from missionfit.analysis.coherence import (  # noqa: E402
    LEVELS,
    CoherenceThresholds,
    actor_block,
    coherence_level,
    coherence_table,
    plot_coherence_matrix,
)
from missionfit.analysis.figures import render, sweep_comparison  # noqa: E402
from missionfit.analysis.forest import plot_forest  # noqa: E402
from missionfit.analysis.io import metric_value  # noqa: E402
from missionfit.analysis.landscape import plot_fit_landscape  # noqa: E402
from missionfit.analysis.latency import plot_fc_latency  # noqa: E402
from missionfit.analysis.layout import geo_layout, layered_layout, short_label  # noqa: E402
from missionfit.analysis.network import plot_network  # noqa: E402
from missionfit.analysis.outcomes import goal_table, plot_goal_by_line  # noqa: E402
from missionfit.analysis.sensitivity import plot_sensitivity  # noqa: E402
from missionfit.analysis.stats import mean_ci, paired_differences  # noqa: E402
from missionfit.analysis.style import arm_label, label, save_figure  # noqa: E402
from missionfit.analysis.timeseries import plot_timeseries  # noqa: E402
from missionfit.cli.figures import main  # noqa: E402
from missionfit.contract import arm_key  # noqa: E402

RUN_FIGURES = ("network", "coherence", "goal_by_line", "timeseries", "fc_latency")


# --------------------------------------------------------------------------------------------------
# small tables


def small_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["fhq", "u2", "asifu", "jmac", "bn1", "s2_1", "jcb"],
            "name": ["Force HQ", "U2", "ASIFU HQ", "JMAC", "Chad battalion", "S2 Chad", "JCB"],
            "kind": ["force_hq", "u2", "asifu_hq", "jmac", "battalion", "s2", "board"],
            "component": ["military", "military", "military", "civilian", "military", "military", "civilian"],
            "group": [
                "mixed",
                "mixed",
                "western_european",
                "un_civilian",
                "central_african",
                "central_african",
                "un_civilian",
            ],
            "location": ["Bamako", "Bamako", "Bamako", "Bamako", "Kidal", "Kidal", "Bamako"],
            "strength": [150, 20, 60, 20, 800, 5, 0],
            "latitude": [12.65, 12.65, 12.65, 12.65, 18.44, 18.44, 12.65],
            "longitude": [-8.0, -8.0, -8.0, -8.0, 1.41, 1.41, -8.0],
        }
    )


def small_flows() -> pd.DataFrame:
    rows = [
        ("fhq", "u2", "command", 10, 10, 0),
        ("u2", "fhq", "intel", 50, 45, 2),
        ("asifu", "fhq", "intel", 30, 25, 3),
        ("s2_1", "u2", "intel", 20, 5, 0),
        ("bn1", "fhq", "commander_chain", 40, 38, 0),
        ("asifu", "jmac", "informal", 20, 4, 14),
        ("jmac", "asifu", "informal", 10, 2, 7),
        ("jmac", "jcb", "board", 5, 5, 0),
        ("asifu", "jcb", "board", 5, 5, 0),
        ("u2", "jcb", "board", 5, 5, 0),
    ]
    df = pd.DataFrame(rows, columns=["source", "target", "type", "hops", "delivered", "withheld"])
    df["sanitized"] = 0
    df["lost"] = df["hops"] - df["delivered"] - df["withheld"]
    return df


def count_nodes(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() == "units")


# --------------------------------------------------------------------------------------------------
# style and statistics


def test_labels_are_words():
    assert label("goal_realization") == "Goal realization"
    assert label("goal_realization_by_line.security") == "Goal realization: security and stabilization"
    assert label("fit.cultural") == "Cultural fit"
    assert label("fit_index.operational") == "Fit index: operational"
    assert "_" not in label("mechanisms.trust_gain")
    assert arm_label("[]") == arm_label("baseline") == "Baseline (as observed)"
    assert arm_label("[jcb_directive,integrate_u2_asifu]") == "Integrate U2 and ASIFU + Directive JCB"
    assert arm_key("jcb_directive+integrate_u2_asifu") == arm_key(["integrate_u2_asifu", "jcb_directive"])
    assert arm_label("all") == "All interventions combined"


def test_mean_ci():  # the t quantiles themselves are tested in test_stats.py
    m, lo, hi, n = mean_ci([1.0, 2.0, 3.0])
    assert (m, n) == (2.0, 3)
    assert hi - m == pytest.approx(4.3027 * 1.0 / np.sqrt(3), rel=1e-4)
    assert np.isnan(mean_ci([1.0])[1])


def test_paired_differences_pair_on_replicate():
    base = pd.DataFrame({"interventions": "[]", "replicate": range(5), "goal_realization": [0.1, 0.2, 0.3, 0.4, 0.5]})
    arm = base.assign(interventions="[jcb_directive]", goal_realization=base["goal_realization"] + 0.05)
    comp = paired_differences(pd.concat([base, arm]), ["goal_realization"])
    assert list(comp["arm"]) == ["[jcb_directive]"]
    assert comp["mean_diff"].iloc[0] == pytest.approx(0.05)
    # identical paired differences: the CI collapses on the mean
    assert comp["ci_low"].iloc[0] == pytest.approx(0.05) and comp["ci_high"].iloc[0] == pytest.approx(0.05)
    assert comp["n"].iloc[0] == 5


def test_metric_value_reads_both_layouts():
    assert metric_value({"goal_realization": {"mean": 0.3, "ci_low": 0.2, "ci_high": 0.4}}, "goal_realization") == (
        0.3,
        0.2,
        0.4,
    )
    runner = {
        "goal_realization_by_line": {"security": 0.3},
        "ci95": {"goal_realization_by_line": {"security": [0.2, 0.4]}},
    }
    assert metric_value(runner, "goal_realization_by_line.security") == (0.3, 0.2, 0.4)
    assert all(np.isnan(metric_value({}, "nothing")))


# --------------------------------------------------------------------------------------------------
# network


def test_network_one_node_per_unit_and_styled_edges():
    units, flows = small_units(), small_flows()
    fig, axes = plot_network(units, flows)
    ax = axes[0]
    assert count_nodes(ax) == len(units)
    edge_gids = [p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("edge:")]
    assert len(edge_gids) == len(flows)
    assert {g.split(":")[1] for g in edge_gids} == set(flows["type"])
    legend_titles = {
        leg.get_title().get_text()
        for leg in axes[1].get_children()
        if hasattr(leg, "get_title") and hasattr(leg, "legend_handles")
    }
    assert {
        "Component",
        "Contributor",
        "Relation",
        "Reports delivered",
        "Strength (personnel)",
    } <= legend_titles
    texts = {t.get_text() for t in ax.texts}
    assert {"Force HQ", "ASIFU HQ", "Bamako", "Kidal"} <= texts


def test_network_widths_grow_with_delivered():
    fig, axes = plot_network(small_units(), small_flows())
    widths = {p.get_gid(): [] for p in axes[0].patches if p.get_gid()}
    for p in axes[0].patches:
        if p.get_gid():
            widths[p.get_gid()].append(p.get_linewidth())
    intel = sorted(widths["edge:intel"])
    assert intel[0] < intel[-1]


def test_geo_layout_is_deterministic_and_spreads_colocated_units():
    units = small_units()
    pos1, clusters = geo_layout(units)
    pos2, _ = geo_layout(units)
    assert all(np.array_equal(pos1[k], pos2[k]) for k in pos1)
    xy = np.array(list(pos1.values()))
    assert len({tuple(np.round(p, 6)) for p in xy}) == len(units)  # no two units on one spot
    assert set(clusters) == {"Bamako", "Kidal"}
    assert pos1["bn1"][1] > pos1["fhq"][1]  # Kidal lies north of Bamako


def test_network_without_coordinates_uses_layers():
    units = small_units().drop(columns=["latitude", "longitude"])
    pos = layered_layout(units)
    assert pos["fhq"][1] > pos["bn1"][1]  # leadership on top
    fig, axes = plot_network(units, small_flows())
    assert count_nodes(axes[0]) == len(units)


def test_network_large_structure_labels_only_key_units():
    units = synthetic.units_table()
    many = pd.concat(
        [units] + [units[units["kind"] == "battalion"].assign(id=lambda d, k=k: d["id"] + f"_{k}") for k in range(3)],
        ignore_index=True,
    )
    fig, axes = plot_network(many, synthetic.flows_table())
    texts = {t.get_text() for t in axes[0].texts}
    assert "Force HQ" in texts and "Chad battalion" not in texts
    assert count_nodes(axes[0]) == len(many)


def test_short_label_drops_parentheses_and_location():
    assert short_label("ASIFU HQ (All Sources Information Fusion Unit)", "asifu_hq") == "ASIFU HQ"
    assert short_label("Chad contingent, Kidal", "bn_chad_kidal", "Kidal") == "Chad contingent"
    assert short_label("A very long unit name that cannot be shortened at all", "unit_x") == "unit_x"


# --------------------------------------------------------------------------------------------------
# coherence


@pytest.mark.parametrize(
    ("kwargs", "level"),
    [
        ({"hops": 0, "delivered": 0, "withheld": 0, "two_way": False}, "co-existing"),
        ({"hops": 100, "delivered": 30, "withheld": 60, "two_way": True}, "competing"),
        ({"hops": 100, "delivered": 60, "withheld": 30, "two_way": True, "rivals": True}, "competing"),
        ({"hops": 100, "delivered": 10, "withheld": 20, "two_way": True}, "co-existing"),
        ({"hops": 100, "delivered": 90, "withheld": 0, "two_way": True, "command": True}, "united"),
        ({"hops": 100, "delivered": 60, "withheld": 0, "two_way": True, "command": True}, "integrated"),
        (
            {"hops": 100, "delivered": 90, "withheld": 0, "two_way": True, "directive_board": True},
            "integrated",
        ),
        ({"hops": 100, "delivered": 90, "withheld": 0, "two_way": True}, "cooperating"),
        ({"hops": 100, "delivered": 90, "withheld": 0, "two_way": False, "command": True}, "coordinating"),
        ({"hops": 100, "delivered": 40, "withheld": 10, "two_way": True}, "coordinating"),
    ],
)
def test_coherence_level_rules(kwargs, level):
    assert coherence_level(**kwargs) == level


def test_coherence_level_thresholds_are_parameters():
    strict = CoherenceThresholds(compete_withheld=0.9)
    assert coherence_level(100, 30, 60, True) == "competing"
    assert coherence_level(100, 30, 60, True, thresholds=strict) == "coordinating"


def test_actor_blocks():
    assert actor_block("isr_company") == "ASIFU"
    assert actor_block("g2") == "U2/G2/S2 line"
    assert actor_block("helicopter_detachment") == "SOLTG/helicopters"
    assert actor_block("board") is None
    assert actor_block("police_commissioner", "police") == "UNPOL"
    assert actor_block("ngo_cluster", "external") == "Humanitarian"


def test_coherence_table_and_matrix():
    units, flows = small_units(), small_flows()
    table = coherence_table(units, flows)
    pair = table.set_index(["block_a", "block_b"])
    assert pair.loc[("JMAC", "ASIFU"), "level"] == "competing"  # 70% withheld
    assert bool(pair.loc[("JMAC", "ASIFU"), "coordinating_board"])
    assert pair.loc[("U2/G2/S2 line", "Force & sector HQ"), "level"] == "united"
    # a directive board lifts a two-way, well-delivering pair without command to "integrated"
    good = flows.copy()
    good.loc[good["type"] == "informal", ["delivered", "withheld"]] = [[19, 0], [10, 0]]
    assert coherence_table(units, good).set_index(["block_a", "block_b"]).loc[("JMAC", "ASIFU"), "level"] == (
        "cooperating"
    )
    directive = coherence_table(units, good, directive_boards={"jcb"}).set_index(["block_a", "block_b"])
    assert directive.loc[("JMAC", "ASIFU"), "level"] == "integrated"
    fig, axes = plot_coherence_matrix(table)
    blocks = sorted(set(table["block_a"]) | set(table["block_b"]))
    image = [c for c in axes[0].get_children() if isinstance(c, AxesImage)][0]
    assert image.get_array().shape == (len(blocks), len(blocks))
    assert axes[0].get_xlabel() == "Actor block" and axes[0].get_ylabel() == "Actor block"
    assert [t.get_text() for t in axes[1].get_yticklabels()] == [lvl.capitalize() for lvl in LEVELS]


def test_coherence_member_to_member_board_flows_use_config_membership():
    units, flows = small_units(), small_flows()
    flows = flows[flows["type"] != "board"]
    flows = pd.concat(
        [
            flows,
            pd.DataFrame(
                [
                    {
                        "source": "jmac",
                        "target": "asifu",
                        "type": "board",
                        "hops": 10,
                        "delivered": 9,
                        "withheld": 0,
                        "sanitized": 0,
                        "lost": 1,
                    }
                ]
            ),
        ]
    )
    membership = pd.DataFrame({"source": ["jmac", "asifu"], "target": ["jcb", "jcb"], "directive": [True, True]})
    table = coherence_table(units, flows, board_edges=membership).set_index(["block_a", "block_b"])
    assert bool(table.loc[("JMAC", "ASIFU"), "directive_board"])
    table = coherence_table(units, flows, boards_directive=True).set_index(["block_a", "block_b"])
    assert bool(table.loc[("JMAC", "ASIFU"), "directive_board"])


# --------------------------------------------------------------------------------------------------
# forest, landscape, time series, sensitivity, latency, goal by line


def forest_table() -> pd.DataFrame:
    rows = []
    for arm, d in (("[integrate_u2_asifu]", 0.06), ("[jcb_directive]", 0.03), ("[liaison_officers]", 0.0)):
        for metric in ("goal_realization", "duplication"):
            rows.append(
                {
                    "arm": arm,
                    "metric": metric,
                    "mean_diff": d,
                    "ci_low": d - 0.01,
                    "ci_high": d + 0.01,
                    "effect_size": 1.0,
                    "n": 10,
                }
            )
    return pd.DataFrame(rows)


def test_forest_one_errorbar_row_per_arm():
    fig, axes = plot_forest(forest_table())
    assert len(axes) == 2
    for ax in axes:
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(bars) == 3
    labels = [t.get_text() for t in axes[0].get_yticklabels()]
    assert labels == ["Integrate U2 and ASIFU", "Directive JCB", "Liaison officers"]  # largest effect on top
    assert axes[0].get_ylabel() == "Intervention"
    assert fig.get_supxlabel().startswith("Difference from baseline")
    fig1, axes1 = plot_forest(forest_table(), metrics=["goal_realization"])
    assert len(axes1) == 1 and axes1[0].get_xlabel() == "Difference from baseline (percentage points)"


def test_forest_with_separate_comparisons_per_level():
    t = pd.concat([forest_table().assign(**{"fit.cultural": v}) for v in (0.0, 1.0)], ignore_index=True)
    fig, axes = plot_forest(t, metrics=["goal_realization"])
    assert len([c for c in axes[0].containers if isinstance(c, ErrorbarContainer)]) == 6
    assert any("Cultural fit = 1" in t.get_text() for t in axes[0].get_yticklabels())


def test_fit_landscape_heatmap_shape_is_knob_levels():
    summary = pd.DataFrame(
        [
            {
                "fit.cultural": c,
                "fit.operational": o,
                "replicate": r,
                "goal_realization": 0.2 + 0.3 * min(c, o),
            }
            for c in (0.0, 0.5, 1.0)
            for o in (0.0, 1.0)
            for r in range(3)
        ]
    )
    fig, axes = plot_fit_landscape(summary)
    assert len(axes) == 1
    image = [c for c in axes[0].get_children() if isinstance(c, AxesImage)][0]
    assert image.get_array().shape == (2, 3)  # rows: operational fit levels (y), columns: cultural fit (x)
    assert axes[0].get_xlabel().startswith("Cultural fit") and axes[0].get_ylabel() == "Operational fit"
    assert image.get_array()[1, 2] == pytest.approx(0.5)


def test_timeseries_mean_and_band_per_panel():
    ts = synthetic.timeseries_table(n=5, days=30)
    fig, axes = plot_timeseries(ts)
    assert len(axes) == 4
    for ax in axes:
        assert len([ln for ln in ax.lines if ln.get_gid() == "mean"]) == 1
        assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 1
        assert ax.get_ylabel()
    assert axes[-1].get_xlabel() == "Day of the rotation"
    assert "2.5-97.5% of replicates" in fig.get_supxlabel()


def test_timeseries_one_line_per_group():
    a = synthetic.timeseries_table(n=3, days=20).assign(arm="[]")
    b = synthetic.timeseries_table(n=3, days=20, uplift=0.1).assign(arm="[jcb_directive]")
    fig, axes = plot_timeseries(pd.concat([a, b]), series=["goal_realization"], group="arm")
    assert len(axes) == 1
    assert [ln.get_label() for ln in axes[0].lines if ln.get_gid() == "mean"] == [
        "Baseline (as observed)",
        "Directive JCB",
    ]
    assert "95% CI of the mean" in fig.get_supxlabel()


def test_sensitivity_sobol_and_morris():
    sens = synthetic.sensitivity_table()
    n_par = sens["parameter"].nunique()
    fig, axes = plot_sensitivity(sens, "sobol")
    assert len(axes) == 2
    assert len([p for p in axes[0].patches if p.get_gid() in ("bar:S1", "bar:ST")]) == 2 * n_par
    assert axes[0].get_xlabel().startswith("Sobol index")
    assert all("_" not in t.get_text() for t in axes[0].get_yticklabels())
    fig, axes = plot_sensitivity(sens, "morris", metrics=["goal_realization"])
    assert len(axes) == 1
    assert len([p for p in axes[0].patches if p.get_gid() == "bar:mu_star"]) == n_par
    with pytest.raises(ValueError):
        plot_sensitivity(sens[sens["method"] == "sobol"], "morris")


def test_fc_latency_one_ecdf_per_source():
    lat = synthetic.fc_latency_table(n=3)
    fig, axes = plot_fc_latency(lat, by="source")
    ax = axes[0]
    assert len([ln for ln in ax.lines if ln.get_gid() == "ecdf"]) == lat["source"].nunique()
    assert ax.get_xlabel().startswith("Latency to the Force Commander")
    assert ax.get_ylabel()
    fig, axes = plot_fc_latency(lat, by="source_kind")
    assert len([ln for ln in axes[0].lines if ln.get_gid() == "ecdf"]) == lat["source_kind"].nunique()
    ys = [ln.get_ydata() for ln in axes[0].lines if ln.get_gid() == "ecdf"]
    assert all(y[-1] == pytest.approx(1.0) and np.all(np.diff(y) >= 0) for y in ys)


def test_goal_by_line_from_replicates_and_metrics():
    rep = synthetic.replicates_table(n=4)
    table = goal_table(None, rep)
    assert list(table["name"])[0] == "goal_realization" and len(table) == 6
    fig, axes = plot_goal_by_line(table)
    assert len([c for c in axes[0].containers if isinstance(c, ErrorbarContainer)]) == 6
    assert axes[0].get_xlim() == (0.0, 1.0)
    runner_layout = {
        "goal_realization": 0.3,
        "goal_realization_by_line": {"security": 0.2},
        "ci95": {"goal_realization": [0.25, 0.35], "goal_realization_by_line": {"security": [0.1, 0.3]}},
    }
    table = goal_table(runner_layout, None)
    assert list(table["mean"]) == [0.3, 0.2] and list(table["ci_low"]) == [0.25, 0.1]


# --------------------------------------------------------------------------------------------------
# files and the command


def pdf_fonts(path: Path) -> tuple[set[str], bool]:
    """Font subtypes of a PDF and whether TrueType outlines are embedded (/FontFile2).

    With `pdf.fonttype: 42` matplotlib embeds TrueType fonts, as simple `/TrueType` fonts or, for text beyond
    Latin-1, as CID-keyed `/Type0` + `/CIDFontType2`; both carry the outlines in `/FontFile2`. Type 3 (bitmap-
    like procedures) is what journals reject.
    """
    data = path.read_bytes()
    subtypes = set(re.findall(rb"/Subtype\s*/(Type1|Type3|TrueType|Type0|CIDFontType2)", data))
    return {s.decode() for s in subtypes}, b"/FontFile2" in data


def test_save_figure_writes_pdf_with_truetype_fonts_and_300dpi_png(tmp_path):
    fig, _ = plot_goal_by_line(goal_table(None, synthetic.replicates_table(n=3)))
    paths = save_figure(fig, tmp_path, "g")
    assert [p.name for p in paths] == ["g.pdf", "g.png"]
    subtypes, embedded = pdf_fonts(tmp_path / "g.pdf")
    assert subtypes & {"TrueType", "CIDFontType2"} and "Type3" not in subtypes and embedded
    from PIL import Image

    with Image.open(tmp_path / "g.png") as im:
        dpi = im.info.get("dpi", (0, 0))
        assert round(dpi[0]) == 300
        assert im.size[0] / 300 <= 3.6  # a journal column


def test_command_on_run_dir(tmp_path, capsys):
    run = synthetic.write_run(tmp_path / "run", n=3, days=20)
    assert main([str(run)]) == 0
    out = capsys.readouterr().out
    for name in RUN_FIGURES:
        assert (run / "figures" / f"{name}.pdf").is_file()
        assert (run / "figures" / f"{name}.png").is_file()
        assert f"wrote   {name}" in out
        subtypes, embedded = pdf_fonts(run / "figures" / f"{name}.pdf")
        assert "Type3" not in subtypes and subtypes & {"TrueType", "CIDFontType2"} and embedded
    assert not (run / "report.md").exists()


@pytest.mark.xdist_group("drawn_interventions_sweep")
def test_command_on_sweep_dir(drawn_interventions_sweep):
    sweep, code, out, report = drawn_interventions_sweep
    assert code == 0
    for name in ("forest", "timeseries_by_arm"):
        assert (sweep / "figures" / f"{name}.pdf").is_file() and (sweep / "figures" / f"{name}.png").is_file()
        assert f"wrote   {name}" in out
    assert "skipped fit_landscape:" in out and "skipped sensitivity_sobol: no sensitivity.parquet" in out
    assert report is not None and "figures/forest.png" in report


@pytest.mark.xdist_group("drawn_sensitivity_grid")
def test_command_without_report_on_a_sensitivity_grid(drawn_sensitivity_grid):
    grid, code, out, report_written = drawn_sensitivity_grid
    assert code == 0
    for name in ("fit_landscape", "sensitivity_sobol", "sensitivity_morris"):
        assert (grid / "figures" / f"{name}.pdf").is_file() and (grid / "figures" / f"{name}.png").is_file()
        assert f"wrote   {name}" in out
    assert not report_written


def test_fit_landscape_on_synthetic_grid(tmp_path):
    grid = synthetic.write_sweep(tmp_path / "grid", "fit", n=2, job_files=False)
    summary = pd.read_parquet(grid / "summary.parquet")
    fig, axes = plot_fit_landscape(summary)
    assert len(axes) == 3
    for ax in axes:
        image = [c for c in ax.get_children() if isinstance(c, AxesImage)][0]
        assert image.get_array().shape == (3, 3)
        assert ax.get_title().startswith("mean over")


def test_sweep_comparison_prefers_comparison_parquet(tmp_path):
    sweep = synthetic.write_sweep(tmp_path / "sweep", "interventions", n=3, job_files=False)
    computed = sweep_comparison(sweep)
    assert set(computed["arm"]) == {
        "[integrate_u2_asifu]",
        "[jcb_directive]",
        "[integrate_u2_asifu,jcb_directive]",
        "[liaison_officers]",
    }
    written = forest_table()
    written.to_parquet(sweep / "comparison.parquet")
    assert len(sweep_comparison(sweep)) == len(written)


def test_missing_inputs_are_skipped_with_a_note(tmp_path, capsys):
    run = synthetic.write_run(tmp_path / "run", n=2, days=10, files=("timeseries.parquet",))
    assert main([str(run)]) == 0
    out = capsys.readouterr().out
    assert "wrote   timeseries" in out
    assert "skipped network: no units.parquet" in out
    assert "skipped fc_latency: no fc_latency.parquet" in out
    assert all(len(line) < 200 for line in out.splitlines())


@pytest.mark.parametrize("make", ["missing", "empty", "file", "unrelated"])
def test_invalid_dir_is_one_error_line(tmp_path, capsys, make):
    target = tmp_path / "d"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("x")
    elif make == "unrelated":
        target.mkdir()
        (target / "notes.txt").write_text("hello")
    assert main([str(target)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("missionfit-figures: error:")
    assert "Traceback" not in captured.err + captured.out
    assert not (target / "figures").exists()


def test_unreadable_input_fails_that_figure_only(tmp_path, capsys):
    run = synthetic.write_run(tmp_path / "run", n=2, days=10)
    (run / "units.parquet").write_bytes(b"not a parquet file")
    assert main([str(run)]) == 1
    out = capsys.readouterr().out
    assert "failed  network: cannot read units.parquet" in out
    assert "wrote   timeseries" in out
    assert "Traceback" not in out


def test_command_no_traceback_in_a_fresh_process(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "missionfit.cli.figures", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_render_returns_kind(tmp_path):
    assert render(tmp_path) == (None, [])
    run = synthetic.write_run(tmp_path / "run", n=2, days=10, files=("metrics.json",))
    kind, results = render(run)
    assert kind == "run"
    assert {r.name: r.status for r in results}["goal_by_line"] == "written"


def test_analysis_does_not_import_the_model_mesa_or_hydra():
    code = (
        "import sys, missionfit; before = set(sys.modules); "
        "import missionfit.analysis, missionfit.analysis.report, missionfit.cli.figures; "
        "new = set(sys.modules) - before; "
        "bad = sorted(m for m in new if m.split('.')[0] in ('mesa', 'hydra', 'omegaconf') "
        "or m.startswith(('missionfit.model', 'missionfit.engine', 'missionfit.model', "
        "'missionfit.runner'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


def test_fit_landscape_skipped_for_sampled_designs(tmp_path, capsys):
    sweep = synthetic.write_sweep(tmp_path / "morris", "fit", n=2, job_files=False)
    (sweep / "sweep.json").write_text(json.dumps({"swept": [], "design": {"method": "morris"}}))
    assert main([str(sweep), "--no-report"]) == 1  # nothing applies: no figure at all
    assert "skipped fit_landscape: the sweep's design is morris, not a grid" in capsys.readouterr().out
    summary = pd.read_parquet(sweep / "summary.parquet")
    (sweep / "sweep.json").unlink()
    corner = (summary["fit.strategic"] == 0) & (summary["fit.cultural"] == 0) & (summary["fit.operational"] == 0)
    summary[~corner].to_parquet(sweep / "summary.parquet")
    kind, results = render(sweep)
    assert {r.name: r.note for r in results}["fit_landscape"].startswith("the fit knobs were not swept as a full grid")


def test_board_membership_and_directive_from_the_resolved_config(tmp_path):
    import yaml

    from missionfit.analysis.figures import _board_config, _Cache

    cfg = {
        "scenario": {"edges": [{"source": "jmac", "target": "jcb", "type": "board", "directive": False},
                               {"source": "u2", "target": "fhq", "type": "intel"}]},
        # as the runner resolves it: a mapping of patches; the directive one sets every board edge directive
        "interventions": {"jcb_directive": {"description": "directive board",
                                            "set_edges": [{"select": {"type": "board"}, "set": {"directive": True}}]}},
    }  # fmt: skip
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg))
    edges, directive = _board_config(_Cache(tmp_path))
    assert list(edges["target"]) == ["jcb"] and directive is True
    cfg["interventions"] = {"other": {"description": "a patch that leaves the boards as they are"}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg))
    assert _board_config(_Cache(tmp_path))[1] is False
    cfg["interventions"] = ["jcb_directive"]  # an older run directory lists only names
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg))
    assert _board_config(_Cache(tmp_path))[1] is True
    cfg["interventions"] = []
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg))
    assert _board_config(_Cache(tmp_path))[1] is False


def test_sensitivity_with_separate_analyses_draws_the_first_and_says_so():
    t = synthetic.sensitivity_table()
    both = pd.concat([t.assign(scenario="minusma_2014"), t.assign(scenario="minusma_2015", S1=0.0)])
    fig, axes = plot_sensitivity(both, "sobol", metrics=["goal_realization"])
    assert axes[0].get_title(loc="left") == "Goal realization (Scenario = minusma_2014)"
    assert len([p for p in axes[0].patches if p.get_gid() == "bar:S1"]) == t["parameter"].nunique()
