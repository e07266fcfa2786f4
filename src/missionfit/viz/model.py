"""The model as the browser view runs it: `MissionModel` built from named scenario, fit knobs and interventions.

SolaraViz (re)creates the model as `Model(**params)` from the sidebar's values, so `VizMissionModel` takes
plain keyword-only values and builds the scenario with the public API (`missionfit.build`): the same scenario files,
interventions and fit knobs as the command line, nothing duplicated. It adds what a live view needs: a
DataCollector (named reporters, no lambdas) sampled at day 0 and after every day, the report flow per edge
over a recent window, and `running = False` at the horizon.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import numpy as np
from mesa import DataCollector

from missionfit import engine
from missionfit.api.spec import build, scenario_spec
from missionfit.model import MissionModel
from missionfit.scenario import CompiledScenario, ScenarioError

#: Names of the DataCollector's model reporters (the plot panels' series).
GOAL = "Goal realization (to date)"
FC_WARNING = "FC current-warning rate (to date)"
CREATED = "Reports created per day"
DELIVERED = "Reports delivered per day"

_COL = {name: i for i, name in enumerate(engine.DAY_COLUMNS)}


def _to_date(model: VizMissionModel, num: str, den: str) -> float:
    """Share num/den of two day-record columns summed over the days simulated so far (NaN before any)."""
    rec = model.engine_state.day_record[: model.day]
    total = float(rec[:, _COL[den]].sum())
    return float(rec[:, _COL[num]].sum()) / total if total > 0 else float("nan")


def goal_realization_to_date(model: VizMissionModel) -> float:
    """Severity-weighted share of the events so far that were mitigated (all lines pooled).

    The same definition as the `goal_realization` column of `missionfit.model.metrics.timeseries_table`.
    """
    return _to_date(model, "severity_mitigated", "severity")


def fc_current_warning_rate_to_date(model: VizMissionModel) -> float:
    """Share of the imminent security threats so far that the Force Commander was warned of in time.

    The same definition as the `fc_current_warning_rate` column of `missionfit.model.metrics.timeseries_table`.
    """
    return _to_date(model, "fc_warned", "imminent_threats")


def _last_day(model: VizMissionModel, column: str) -> float:
    """A day-record column on the last simulated day (NaN before the first day)."""
    return float(model.engine_state.day_record[model.day - 1, _COL[column]]) if model.day > 0 else float("nan")


def reports_created_last_day(model: VizMissionModel) -> float:
    """Reports (and assessments) created on the last simulated day."""
    return _last_day(model, "reports_created")


def reports_delivered_last_day(model: VizMissionModel) -> float:
    """Reports delivered to their final recipient on the last simulated day."""
    return _last_day(model, "reports_delivered")


#: Model reporters of the view's DataCollector: named functions, picklable.
REPORTERS = {
    GOAL: goal_realization_to_date,
    FC_WARNING: fc_current_warning_rate_to_date,
    CREATED: reports_created_last_day,
    DELIVERED: reports_delivered_last_day,
}


def intervention_names(interventions: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise interventions given as a list, or as a comma-separated string, to a tuple of names."""
    if interventions is None:
        return ()
    if isinstance(interventions, str):
        interventions = interventions.split(",")
    names = []
    for name in interventions:
        name = str(name).strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def load_applicable(
    scenario_name: str, interventions: tuple[str, ...], fit: dict[str, float]
) -> tuple[CompiledScenario, tuple[str, ...], dict[str, str]]:
    """Load a scenario with the interventions that apply to it.

    An intervention written for the MINUSMA structure may name units that another scenario lacks (e.g.
    `jcb_directive` on `hierarchy`). The command line stops there; the view drops such interventions and
    says why, so that a choice in the sidebar never leaves the user without a model.

    Returns:
        `(scenario, applied, rejected)`: the compiled scenario, the interventions applied, and a one-line
        reason per intervention dropped.
    """
    spec = scenario_spec(scenario_name, interventions)
    try:
        return build(spec, fit=fit), interventions, {}
    except ScenarioError:
        if not interventions:
            raise

    def with_only(names: Iterable[str]) -> dict:
        return {**spec, "interventions": {n: spec["interventions"][n] for n in names}}

    rejected = {}
    for name in interventions:
        try:
            build(with_only([name]), fit=fit)
        except ScenarioError as exc:
            rejected[name] = f"{exc.key} = {exc.value!r}: {exc.reason}"
    applied = tuple(n for n in interventions if n not in rejected)
    return build(with_only(applied), fit=fit), applied, rejected


def _fit_value(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"fit knob {name} must be in [0, 1], got {value}")
    return value


class VizMissionModel(MissionModel):
    """A `MissionModel` built from the sidebar's values, with what the live view needs.

    Args:
        scenario_name: Scenario name (`missionfit.scenario.available("scenario")`).
        seed: Experiment seed (an int, or a string holding one, as a text field gives it).
        strategic: Fit knob of the strategic & organizational dimension, in [0, 1].
        cultural: Fit knob of the cultural & human dimension, in [0, 1].
        operational: Fit knob of the operational dimension, in [0, 1].
        interventions: Intervention names (a list, or a comma-separated string).
        days: Horizon in days; the model stops (`running = False`) there.
        flow_window: Days over which the network view sums each edge's recent report flow.

    Attributes:
        scenario_name: The scenario's name.
        interventions: The interventions applied, in order.
        rejected_interventions: Interventions asked for that do not apply to the scenario, with the reason.
        fit: The three fit knobs.
        datacollector: Model reporters `REPORTERS`, one row per day from day 0.
    """

    def __init__(
        self,
        *,
        scenario_name: str = "minusma_2015",
        seed: int | str = 0,
        strategic: float = 0.0,
        cultural: float = 0.0,
        operational: float = 0.0,
        interventions: str | Iterable[str] | None = (),
        days: int = 180,
        flow_window: int = 7,
    ):
        try:
            seed = int(str(seed).strip())
        except ValueError:
            raise ValueError(f"seed must be an integer, got {seed!r}") from None
        fit = {
            "strategic": _fit_value("strategic", strategic),
            "cultural": _fit_value("cultural", cultural),
            "operational": _fit_value("operational", operational),
        }
        scenario, applied, rejected = load_applicable(scenario_name, intervention_names(interventions), fit)
        super().__init__(scenario=scenario, seed=seed, replicate=0, days=int(days))
        self.scenario_name = scenario_name
        self.interventions = applied
        self.rejected_interventions = rejected
        self.fit = fit
        self.flow_window = max(1, int(flow_window))
        self._delivered = deque(maxlen=self.flow_window + 1)
        self.datacollector = DataCollector(model_reporters=dict(REPORTERS))
        self._observe()

    def _observe(self) -> None:
        self._delivered.append(self.engine_state.flow.edge_counts[:, engine.EC_DELIVERED].copy())
        self.datacollector.collect(self)

    def step(self) -> None:
        """Simulate one day and record it; stop at the horizon."""
        super().step()
        self._observe()
        if self.day >= self.days:
            self.running = False

    @property
    def recent_delivered(self) -> np.ndarray:
        """Reports that crossed each compiled edge over the last `flow_window` days (aligned with the edges)."""
        return self._delivered[-1] - self._delivered[0]

    @property
    def recent_days(self) -> int:
        """Days covered by `recent_delivered` (fewer than `flow_window` early in a run)."""
        return len(self._delivered) - 1
