"""The browser view: a Mesa SolaraViz app of `VizMissionModel` (`solara run missionfit.viz.app`, or `missionfit-viz`).

Sidebar: SolaraViz's controls (play interval, render interval, Reset / play-pause / Step) and the model
parameters below (scenario, seed, horizon, the three fit knobs, the interventions); a change takes effect on
Reset. Main area: the command structure with its recent report flow, goal realization and the FC's
current-warning rate to date, and the report throughput per day.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.user_param import Slider

from missionfit.scenario.loading import available
from missionfit.viz.components import NetworkView, ReportsPlot, SharesPlot, install
from missionfit.viz.model import VizMissionModel

#: Title of the app bar.
TITLE = "missionfit: intelligence flows in a UN mission"


def model_params() -> dict[str, Any]:
    """SolaraViz's `model_params`: one input per keyword of `VizMissionModel`.

    Scenarios and interventions are those found in the config directory.
    """
    return {
        "scenario_name": {
            "type": "Select",
            "value": "minusma_2015",
            "values": available("scenario"),
            "label": "Scenario",
        },
        # a slider, not a text field: SolaraViz's Reset has no place to report an invalid value
        "seed": Slider("Seed", 0, 0, 99, 1),
        "days": Slider("Horizon (days)", 180, 30, 360, 30),
        "strategic": Slider("Fit: strategic & organizational", 0.0, 0.0, 1.0, 0.05, dtype=float),
        "cultural": Slider("Fit: cultural & human", 0.0, 0.0, 1.0, 0.05, dtype=float),
        "operational": Slider("Fit: operational", 0.0, 0.0, 1.0, 0.05, dtype=float),
        "interventions": {
            "type": "SelectMultiple",
            "value": [],
            "values": available("interventions"),
            "label": "Interventions",
        },
    }


#: The main panels, all on one page.
COMPONENTS = [(NetworkView, 0), SharesPlot, ReportsPlot]


def make_page(model: VizMissionModel | None = None):
    """The SolaraViz element of a model (default: `minusma_2015` as observed, seed 0)."""
    install()
    return SolaraViz(
        model if model is not None else VizMissionModel(),
        components=list(COMPONENTS),
        model_params=model_params(),
        name=TITLE,
        play_interval=150,
    )


@solara.component
def Page():
    """The app: one model per browser session."""
    model = solara.use_memo(VizMissionModel, dependencies=[])
    return make_page(model)
