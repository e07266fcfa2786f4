"""The panels of the browser view: the command structure with its recent flows, and the live plots.

The network panel draws with `missionfit.analysis.network.plot_network`, the same drawing as the paper figure
(units at their deployment locations from latitude/longitude, or layered by echelon; fill colour =
component, marker = contributor region, area = strength; edge colour and dash = relation type, width =
reports delivered), fed with the flows of the last `flow_window` days. The plots are Mesa's
`make_plot_component` over the model's DataCollector.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import solara
from matplotlib.axes import Axes
from mesa.visualization import make_plot_component
from mesa.visualization.solara_viz import UserInputs as MesaUserInputs
from mesa.visualization.user_param import Slider
from mesa.visualization.utils import update_counter

from missionfit.analysis.network import plot_network
from missionfit.analysis.style import OKABE_ITO
from missionfit.viz.model import CREATED, DELIVERED, FC_WARNING, GOAL, VizMissionModel


def recent_flows(model: VizMissionModel) -> pd.DataFrame:
    """Per compiled edge: source, target, type and the reports it delivered over the recent window."""
    edges = model.mission.edges
    return pd.DataFrame(
        {
            "source": [e["source"] for e in edges],
            "target": [e["target"] for e in edges],
            "type": [e["type"] for e in edges],
            "delivered": model.recent_delivered,
        }
    )


def network_figure(model: VizMissionModel):
    """The structure with the report flow of the last days, titled with the day and the window."""
    units = model.mission.units_table()
    geo = pd.to_numeric(units.get("latitude", pd.Series(dtype=float)), errors="coerce").notna().mean() >= 0.5
    # a structure without coordinates is drawn in rows by echelon: give the rows room in a browser panel
    fig, axes = plot_network(units, recent_flows(model), width=9.5, height=None if geo else 5.0)
    window = model.recent_days
    flow = f"report flow over the last {window} day{'s' if window != 1 else ''}" if window else "no day simulated yet"
    axes[0].set_title(
        f"{model.scenario_name}, day {model.day} of {model.days}: {flow} (edge width)", fontsize=10, loc="left"
    )
    return fig


@solara.component
def NetworkView(model: VizMissionModel):
    """The command structure, redrawn when the model or its day changes."""
    update_counter.get()
    fig = solara.use_memo(lambda: network_figure(model), dependencies=[id(model), model.day])
    with solara.Column():
        for name, reason in getattr(model, "rejected_interventions", {}).items():
            solara.Warning(f"Intervention {name} does not apply to {model.scenario_name} and was left out: {reason}")
        solara.FigureMatplotlib(
            fig, format="png", dpi=120, bbox_inches="tight", dependencies=[id(model), model.day]
        )


def _style_plot(ax: Axes, title: str, ylabel: str) -> None:
    """Size and label a plot panel for a half-width grid cell (Mesa labels the x axis `Step` afterwards)."""
    ax.figure.set_size_inches(6.4, 3.9)
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_ylabel(ylabel, fontsize=11)
    ax.tick_params(labelsize=10)
    ax.grid(alpha=0.3)
    days = max((len(line.get_xdata()) for line in ax.get_lines()), default=1) - 1
    ax.set_xlim(0, max(days, 10))
    for line in ax.get_lines():  # a series of one point draws no line: mark it
        if np.count_nonzero(~np.isnan(np.asarray(line.get_ydata(), dtype=float))) == 1:
            line.set_marker("o")
            line.set_markersize(4)
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontsize(10)


def _style_shares(ax: Axes) -> None:
    _style_plot(ax, "Goal realization and FC warning (1 step = 1 day)", "share of events to date")
    ax.set_ylim(-0.02, 1.02)


def _style_reports(ax: Axes) -> None:
    _style_plot(ax, "Report throughput (1 step = 1 day)", "reports per day")
    ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1.0))


#: The plot panels: (component, page), as SolaraViz takes them.
SharesPlot = make_plot_component(
    {GOAL: OKABE_ITO["blue"], FC_WARNING: OKABE_ITO["vermillion"]}, post_process=_style_shares
)
ReportsPlot = make_plot_component(
    {CREATED: OKABE_ITO["orange"], DELIVERED: OKABE_ITO["bluish_green"]}, post_process=_style_reports
)


@solara.component
def ValueSlider(name: str, options: Slider, on_change):
    """Mesa's slider input, with its current value in the label (e.g. `Fit: cultural & human = 0.50`)."""
    value, set_value = solara.use_state(options.value)

    def handler(new):
        set_value(new)
        on_change(name, new)

    shown = f"{value:.2f}" if options.is_float_slider else f"{value}"
    slider = solara.SliderFloat if options.is_float_slider else solara.SliderInt
    slider(
        f"{options.label} = {shown}",
        value=value,
        on_value=handler,
        min=options.min,
        max=options.max,
        step=options.step,
    )


@solara.component
def MissionUserInputs(user_params: dict, on_change=None):
    """Mesa's `UserInputs`, plus a `SelectMultiple` input type (for the interventions).

    A spec `{"type": "SelectMultiple", "value": [...], "values": [...], "label": ...}` renders as a
    multi-select; a `Slider` as Mesa's, with its value in the label; every other spec is rendered by Mesa's
    `UserInputs`, in the given order.
    """
    pending: dict = {}

    def flush() -> None:
        if pending:
            MesaUserInputs(dict(pending), on_change=on_change)
            pending.clear()

    for name, options in user_params.items():
        if isinstance(options, dict) and options.get("type") == "SelectMultiple":
            flush()

            def change_handler(value, name=name):
                on_change(name, list(value))

            solara.SelectMultiple(
                options.get("label", name),
                values=list(options.get("value") or []),
                all_values=list(options.get("values") or []),
                on_value=change_handler,
            )
        elif isinstance(options, Slider):
            flush()
            ValueSlider(name, options, on_change)
        else:
            pending[name] = options
    flush()


def grid_layout(num_components: int) -> list[dict]:
    """Initial panel layout: the first panel (the network) full width and tall, the others in pairs below."""
    layout = [{"i": 0, "x": 0, "y": 0, "w": 12, "h": 21, "moved": False}] if num_components else []
    for i in range(1, num_components):
        layout.append({"i": i, "x": 6 * ((i - 1) % 2), "y": 21 + 11 * ((i - 1) // 2), "w": 6, "h": 11, "moved": False})
    return layout


def install() -> None:
    """Adapt SolaraViz (Mesa 3.5) to this app: a multi-select input and a layout with a large network panel.

    Mesa 3.5 has no multi-select input and gives every panel the same half-width cell. SolaraViz looks
    `UserInputs` and `make_initial_grid_layout` up in `mesa.visualization.solara_viz` when it renders; this
    points them at `MissionUserInputs` (which hands every other spec back to Mesa's own) and `grid_layout`.
    Idempotent; panels stay draggable and resizable.
    """
    import mesa.visualization.solara_viz as solara_viz

    solara_viz.UserInputs = MissionUserInputs
    solara_viz.make_initial_grid_layout = grid_layout

