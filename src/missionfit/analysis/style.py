"""Publication style: sizes, the colour-blind-safe palette, words for column names, saving.

Every figure function draws inside `publication_style()` so that a figure looks the same whoever calls it:
fonts embedded as TrueType (`pdf.fonttype: 42`, editable in Illustrator/Inkscape and accepted by journals),
7-9 pt text, thin spines, no top/right spines, 300 dpi PNG.

Colours follow Okabe & Ito (2008), "Color Universal Design", distinguishable under the common forms of
colour-vision deficiency; ordinal scales use ColorBrewer's RdYlBu (diverging, colour-blind safe) or
cividis.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from missionfit.contract import ALL_ARM, BASELINE_ARM, parse_arm
from missionfit.scenario.errors import ScenarioError
from missionfit.scenario.loading import available, read_intervention

#: Width of one journal column, inches.
COLUMN_WIDTH = 3.5
#: Width of a full page (two columns), inches.
PAGE_WIDTH = 7.0
#: Resolution of raster output.
PNG_DPI = 300

#: Okabe-Ito palette, by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order in which categorical series take colours (yellow last: too light for thin lines on white).
CYCLE = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black", "yellow")
]

#: The rcParams every figure is drawn with.
RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "legend.frameon": False,
    "figure.titlesize": 9,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "savefig.dpi": PNG_DPI,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "figure.dpi": 100,
    "image.cmap": "cividis",
}


def _available_rc() -> dict:
    """Return `RC` with the sans-serif list cut down to installed fonts (avoids findfont warnings)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in RC["font.sans-serif"] if f in installed] or ["DejaVu Sans"]
    return {**RC, "font.sans-serif": fonts}


@contextlib.contextmanager
def publication_style() -> Iterator[None]:
    """Draw with the publication rcParams inside this context."""
    with matplotlib.rc_context(_available_rc()):
        yield


#: Words for metric and parameter names (axis labels, legends, tables).
LABELS = {
    "goal_realization": "Goal realization",
    "fc_current_warning_rate": "Threats warned to FC in time",
    "asifu_current_warning_rate": "Threats known at ASIFU in time",
    "asifu_use_rate_fc": "ASIFU products used by FC",
    "jmac_receipt_from_sf_isr": "SOLTG/ISR reports reaching JMAC",
    "g2_receipt_from_s2": "S2 reports reaching G2",
    "duplication": "Duplicated analysis",
    "events_total": "Events",
    "reports_created": "Reports created",
    "reports_delivered": "Reports delivered",
    "reports_dropped": "Reports dropped",
    "reports_in_flight": "Reports in flight",
    "hops": "Transmission attempts",
    "wall_seconds": "Wall time (s)",
    "fc_warned": "Timely warnings to FC",
    "events": "Events",
    "mean_trust": "Mean trust",
    "security": "security and stabilization",
    "protection_of_civilians": "protection of civilians",
    "political_process": "political process",
    "state_authority": "state authority",
    "humanitarian": "humanitarian",
    "strategic": "strategic",
    "cultural": "cultural",
    "operational": "operational",
    "fit.strategic": "Strategic fit",
    "fit.cultural": "Cultural fit",
    "fit.operational": "Operational fit",
    "interventions": "Intervention",
    "sim.days": "Days simulated",
    "sim.replicates": "Replicates",
    "latency_days": "Latency (days)",
    "intelligence_share": "Goal realization owed to intelligence",
    "fc_awareness_rate": "Threats the FC was aware of in time",
    "asifu_awareness_rate": "Threats ASIFU was aware of in time",
    "shared_awareness": "Shared awareness",
    "false_alarm_rate": "Actions on false events",
    "capacity_utilisation": "Capacity used",
    "external_goal_realization": "Goal realization of outside actors",
    "external_awareness": "Awareness of outside actors",
    "asifu_assessments_to_fc": "ASIFU assessments to FC",
}

def intervention_labels(config: Mapping[str, Any] | None = None, root: Path | None = None) -> dict[str, str]:
    """Words for interventions: each intervention file's `label:`, overridden by a run's resolved config.

    Args:
        config: A run's resolved config (`io.read_config`); its `interventions` carry the labels of the files
            the run used, which win over the config folder's (they may come from another `--config-dir`).
        root: The config folder (default: the package's, `missionfit.paths.config_dir`).

    Returns:
        Intervention name -> label; names without a label are left out (`arm_label` then uses their words).
    """
    labels = dict(_folder_labels(root))
    applied = (config or {}).get("interventions")
    if isinstance(applied, Mapping):  # older run directories and sweep summaries list only the names
        for name, spec in applied.items():
            if isinstance(spec, Mapping) and spec.get("label"):
                labels[str(name)] = str(spec["label"])
    return labels


@functools.lru_cache(maxsize=8)
def _folder_labels(root: Path | None) -> tuple[tuple[str, str], ...]:
    """(name, label) of every intervention file of a config folder that has a label (read once per folder)."""
    out = []
    for name in available("interventions", root):
        try:
            patch, _ = read_intervention(name, root)
        except (ScenarioError, OSError, yaml.YAMLError):
            continue  # a broken file is reported by the run that uses it, not by a figure's legend
        if patch.get("label"):
            out.append((name, str(patch["label"])))
    return tuple(out)


_ACRONYMS = {
    "fc",
    "jmac",
    "joc",
    "asifu",
    "isr",
    "sf",
    "undss",
    "unpol",
    "srsg",
    "jcb",
    "uav",
    "hq",
    "u2",
    "g2",
    "s2",
}


def humanize(name: str) -> str:
    """Turn an identifier such as `fit_index.strategic` into words; known acronyms stay upper case."""
    words = re.split(r"[_.\s]+", str(name).strip())
    out = []
    for i, w in enumerate(w for w in words if w):
        if w.lower() in _ACRONYMS:
            out.append(w.upper())
        else:
            out.append(w.capitalize() if i == 0 else w.lower())
    return " ".join(out) or str(name)


def label(name: str) -> str:
    """Words for a metric or parameter name (nested names such as `goal_realization_by_line.security`)."""
    name = str(name)
    if name in LABELS:
        return LABELS[name]
    if "." in name:
        head, tail = name.split(".", 1)
        if head == "goal_realization_by_line":
            return f"Goal realization: {LABELS.get(tail, humanize(tail).lower())}"
        if head == "fit_index":
            return f"Fit index: {LABELS.get(tail, humanize(tail).lower())}"
        if head == "goal_realization_by_path":
            return f"Goal realization via {humanize(tail).lower()}"
        if head == "harm_by_line":
            return f"Harm: {LABELS.get(tail, humanize(tail).lower())}"
        if head == "time_to_awareness":
            return "Never aware in time" if tail == "never_aware_share" else f"Time to awareness, {tail} (days)"
        if head == "fit":
            return f"{humanize(tail)} fit"
        if head in ("mechanisms", "sim", "scenario"):
            return humanize(tail)
    return humanize(name)


#: Words for the arm names with a meaning of their own (the runner's `comparison.all_label` and `comparison.baseline`).
SPECIAL_ARMS = {ALL_ARM: "All interventions combined", BASELINE_ARM: "Baseline (as observed)"}


def arm_label(value: object, labels: Mapping[str, str] | None = None) -> str:
    """Words for an intervention arm: `"Baseline (as observed)"`, `"Directive JCB + Liaison officers"`.

    Args:
        value: The arm (anything `parse_arm` accepts).
        labels: Intervention name -> label (default: the config folder's, `intervention_labels()`).
    """
    items = parse_arm(value)
    if not items:
        return SPECIAL_ARMS[BASELINE_ARM]
    if items == (ALL_ARM,):
        return SPECIAL_ARMS[ALL_ARM]
    labels = intervention_labels() if labels is None else labels
    return " + ".join(labels.get(i, humanize(i)) for i in items)


def new_figure(width: float, height: float) -> Figure:
    """A figure that belongs to no pyplot state machine (no GUI backend needed, nothing to close).

    Args:
        width: Width in inches (use `COLUMN_WIDTH` or `PAGE_WIDTH`).
        height: Height in inches.
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, outdir: str | Path, stem: str) -> list[Path]:
    """Write `stem.pdf` (vector, TrueType fonts) and `stem.png` (300 dpi) into `outdir`.

    Args:
        fig: The figure.
        outdir: Output directory, created if missing.
        stem: File name without extension.

    Returns:
        The paths written.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    with publication_style():
        for ext in ("pdf", "png"):
            path = outdir / f"{stem}.{ext}"
            kwargs = {"dpi": PNG_DPI} if ext == "png" else {}
            fig.savefig(path, format=ext, metadata=_metadata(ext), **kwargs)
            paths.append(path)
    return paths


def _metadata(ext: str) -> dict:
    """Deterministic file metadata (no creation date in the PDF, so reruns give identical files)."""
    if ext == "pdf":
        return {"Creator": "missionfit", "CreationDate": None}
    return {"Software": "missionfit"}
