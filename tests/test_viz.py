"""Widget-level tests of the browser view, as Mesa tests its own (`solara.render` and widget assertions)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara

from missionfit.cli import viz as viz_cli
from missionfit.model import MissionModel
from missionfit.scenario.loading import available, load
from missionfit.viz import REPORTERS, VizMissionModel
from missionfit.viz.app import COMPONENTS, Page, make_page, model_params
from missionfit.viz.components import MissionUserInputs, grid_layout, network_figure, recent_flows
from missionfit.viz.model import CREATED, DELIVERED, FC_WARNING, GOAL, intervention_names


class RecordingModel(VizMissionModel):
    """The view's model, remembering every instance SolaraViz creates (on Reset)."""

    created: list[VizMissionModel] = []

    def _observe(self):  # (the signature of __init__ stays the view's: SolaraViz inspects it)
        super()._observe()
        if self.day == 0:
            RecordingModel.created.append(self)


def render_app(model):
    """Render the whole app inside an AppLayout, so that the sidebar (controls, parameters) renders too."""

    @solara.component
    def App():
        with solara.AppLayout():
            make_page(model)

    _, rc = solara.render(App(), handle_error=False)
    return rc


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def slider(rc, label: str):
    """The slider whose label starts with `label` (the view's parameter sliders add ` = <value>`)."""
    (widget,) = [w for w in rc.find(v.Slider).widgets if w.label.split(" = ")[0] == label]
    return widget


# --- the model --------------------------------------------------------------------------------------------


def test_viz_model_is_the_command_line_model():
    """Same scenario file, fit knobs, interventions and seed as the library: the same run, day by day."""
    fit = {"strategic": 0.0, "cultural": 0.5, "operational": 0.25}
    viz = VizMissionModel(scenario_name="minusma_2015", seed=3, interventions=["jcb_directive"], days=30, **fit)
    ref = MissionModel(scenario=load("minusma_2015", interventions=["jcb_directive"], fit=fit), seed=3, days=30)
    assert [u.unit_id for u in viz.units] == [u.unit_id for u in ref.units]
    assert viz.mission.edges == ref.mission.edges
    for _ in range(6):
        viz.step()
        ref.step()
    np.testing.assert_array_equal(viz.engine_state.day_record[:6], ref.engine_state.day_record[:6])
    np.testing.assert_array_equal(viz.engine_state.flow.edge_counts, ref.engine_state.flow.edge_counts)
    assert viz.time == ref.time == 6.0


def test_viz_model_parameters():
    m = VizMissionModel(seed=" 7 ", interventions="jcb_directive, liaison_officers,jcb_directive", days=10)
    assert m.seed_value == 7
    assert m.interventions == ("jcb_directive", "liaison_officers")
    assert m.fit == {"strategic": 0.0, "cultural": 0.0, "operational": 0.0}
    assert intervention_names(None) == ()
    with pytest.raises(ValueError, match="seed must be an integer"):
        VizMissionModel(seed="abc", days=10)
    with pytest.raises(ValueError, match=r"fit knob cultural must be in \[0, 1\]"):
        VizMissionModel(cultural=1.5, days=10)
    with pytest.raises(Exception, match="unknown scenario"):
        VizMissionModel(scenario_name="nowhere", days=10)


def test_datacollector_rows_and_horizon():
    m = VizMissionModel(days=5)
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == [GOAL, FC_WARNING, CREATED, DELIVERED] == list(REPORTERS)
    assert len(df) == 1 and np.isnan(df[GOAL].iloc[0])
    while m.running:
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    assert m.day == 5 and len(df) == 6
    rec = m.engine_state.day_record
    assert df[CREATED].iloc[1:].tolist() == rec[:5, 3].tolist()
    assert df[GOAL].iloc[-1] == pytest.approx(rec[:5, 2].sum() / rec[:5, 1].sum())
    assert df[GOAL].dropna().between(0, 1).all() and df[FC_WARNING].dropna().between(0, 1).all()
    for reporter in REPORTERS.values():  # named functions, no lambdas (picklable)
        assert reporter.__name__ != "<lambda>"


def test_recent_flows_window():
    m = VizMissionModel(days=20, flow_window=3)
    assert m.recent_days == 0 and not m.recent_delivered.any()
    history = []
    for _ in range(8):
        m.step()
        history.append(m.engine_state.flow.edge_counts[:, 1].copy())
    assert m.recent_days == 3
    np.testing.assert_array_equal(m.recent_delivered, history[-1] - history[-4])
    flows = recent_flows(m)
    assert len(flows) == len(m.mission.edges)
    assert set(flows["type"]) <= {"command", "intel", "commander_chain", "liaison", "informal", "board"}
    assert flows["delivered"].sum() > 0


@pytest.mark.parametrize("scenario", ["minusma_2015", "hierarchy"])
def test_network_figure(scenario):
    m = VizMissionModel(scenario_name=scenario, days=10)
    m.run_for(2)
    fig = network_figure(m)
    title = fig.axes[0].get_title(loc="left")
    assert f"{scenario}, day 2 of 10" in title and "last 2 days" in title
    assert any(c.get_gid() == "units" for c in fig.axes[0].collections)


# --- the widgets ------------------------------------------------------------------------------------------


def test_model_params_match_the_model():
    params = model_params()
    assert set(params) <= set(VizMissionModel.__init__.__code__.co_varnames)
    assert params["scenario_name"]["values"] == available("scenario")
    assert params["interventions"]["values"] == available("interventions")
    assert params["interventions"]["type"] == "SelectMultiple"


#: The widget tests check the view's machinery, not a mission: they run the small generic structure, whose network
#: draws in half the time of MINUSMA's (`test_network_figure` draws every shipped scenario).
WIDGET_SCENARIO = "hierarchy"


@pytest.fixture()
def plain_network_panel(monkeypatch):
    """Draw the network panel as a small placeholder figure, for tests of the controls and warnings around it.

    Drawing a structure costs seconds per render (MINUSMA after a Reset); the panel itself is checked by
    test_network_figure and, inside the page, by test_step_changes_the_panels.
    """
    from matplotlib.figure import Figure

    from missionfit.viz import components

    def placeholder(model):
        fig = Figure(figsize=(2, 1))
        fig.text(0.1, 0.5, f"{model.scenario_name}, day {model.day}")
        return fig

    monkeypatch.setattr(components, "network_figure", placeholder)


def test_page_renders_panels_and_controls(plain_network_panel):
    rc = render_app(VizMissionModel(scenario_name=WIDGET_SCENARIO, days=30))
    assert len(rc.find(ipywidgets.Image).widgets) == len(COMPONENTS) == 3  # network + two plots
    for label in ("Reset", "Step"):
        button(rc, label)
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    assert {
        "Seed = 0",
        "Horizon (days) = 180",
        "Fit: strategic & organizational = 0.00",
        "Fit: cultural & human = 0.00",
        "Fit: operational = 0.00",
    } <= sliders
    selects = {w.label: w for w in rc.find(v.Select).widgets}
    assert selects["Scenario"].v_model == "minusma_2015"
    assert selects["Interventions"].multiple and selects["Interventions"].items == available("interventions")
    assert slider(rc, "Seed").v_model == 0
    rc.close()


def test_step_changes_the_panels():
    m = VizMissionModel(scenario_name=WIDGET_SCENARIO, days=30)
    rc = render_app(m)
    before = images(rc)
    button(rc, "Step").click()
    assert m.day == 1
    after = images(rc)
    assert all(a != b for a, b in zip(before, after, strict=True)), "every panel should change after a day"
    assert len(m.datacollector.get_model_vars_dataframe()) == 2
    rc.close()


def test_reset_builds_the_model_from_the_controls(plain_network_panel):
    RecordingModel.created.clear()
    rc = render_app(RecordingModel(scenario_name=WIDGET_SCENARIO, days=30))
    selects = {w.label: w for w in rc.find(v.Select).widgets}
    selects["Scenario"].v_model = "minusma_2018"
    selects["Interventions"].v_model = ["jcb_directive", "liaison_officers"]
    slider(rc, "Seed").v_model = 5
    slider(rc, "Fit: cultural & human").v_model = 0.5
    assert slider(rc, "Fit: cultural & human").label == "Fit: cultural & human = 0.50"
    button(rc, "Reset").click()
    model = RecordingModel.created[-1]
    assert len(RecordingModel.created) == 2
    assert model.scenario_name == "minusma_2018"
    assert model.interventions == ("jcb_directive", "liaison_officers")
    assert model.seed_value == 5 and model.fit["cultural"] == 0.5 and model.days == 180
    assert model.day == 0
    rc.close()


def test_mission_user_inputs_multi_select():
    calls = []
    spec = {
        "a": {"type": "SliderInt", "value": 1, "min": 0, "max": 3, "step": 1, "label": "A"},
        "ivs": {"type": "SelectMultiple", "value": ["x"], "values": ["x", "y"], "label": "Pick"},
        "b": {"type": "Checkbox", "value": False, "label": "B"},
    }
    _, rc = solara.render(MissionUserInputs(spec, on_change=lambda n, val: calls.append((n, val))), handle_error=False)
    select = rc.find(v.Select, label="Pick").widget
    assert select.v_model == ["x"] and select.items == ["x", "y"]
    select.v_model = ["x", "y"]
    rc.find(v.Checkbox, label="B").widget.v_model = True
    assert calls == [("ivs", ["x", "y"]), ("b", True)]
    rc.close()


def test_grid_layout():
    layout = grid_layout(3)
    assert layout[0]["w"] == 12 and [item["w"] for item in layout[1:]] == [6, 6]
    assert layout[1]["y"] == layout[2]["y"] > layout[0]["h"] - 1
    assert grid_layout(0) == []


@pytest.mark.slow
def test_page_component_renders():
    """The app as `solara run missionfit.viz.app` serves it: one model per session (minusma_2015, the default).

    Slow lane: the browser test (test_viz_browser.py) serves and renders this same page; the fast lane renders
    the page around a given model (test_page_renders_panels_and_controls).
    """
    _, rc = solara.render(Page(), handle_error=False)
    assert len(rc.find(ipywidgets.Image).widgets) == 3
    rc.close()


# --- the command ------------------------------------------------------------------------------------------


def test_cli_defaults_to_loopback():
    args = viz_cli.parse_args([])
    assert args.host == "127.0.0.1" and args.port == viz_cli.DEFAULT_PORT
    assert viz_cli.parse_args(["--port", "9001", "--host", "0.0.0.0"]).port == 9001
    with pytest.raises(SystemExit):
        viz_cli.parse_args(["--port", "70000"])
    cmd = viz_cli.solara_args("127.0.0.1", 9001)
    assert cmd[:2] == ["run", "missionfit.viz.app"] and "--production" in cmd and "--no-open" in cmd
    assert 0 < viz_cli.free_port() < 65536


def test_interventions_that_do_not_apply_are_left_out_with_the_reason(plain_network_panel):
    m = VizMissionModel(scenario_name="hierarchy", interventions=["jcb_directive", "aligned_procedures"], days=10)
    assert m.interventions == ("aligned_procedures",)
    assert set(m.rejected_interventions) == {"jcb_directive"}
    assert "unknown unit" in m.rejected_interventions["jcb_directive"]
    rc = render_app(m)
    warning = rc.find(v.Alert).widget
    assert "jcb_directive" in str(warning.children)
    rc.close()
