"""Every config composes: scenarios × interventions, experiments, launchers; schemas reject bad files."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

from missionfit.paths import config_dir
from missionfit.runner.sweep.plan import EACH_AND_ALL, expand_each_and_all

warnings.filterwarnings("ignore", message=r"(?s).*validated against ConfigStore schema with the same name")
# configs/hydra/launcher/ray.yaml deliberately shadows (and is validated against) the Ray plugin's node.
pytestmark = pytest.mark.filterwarnings(r"ignore:(?s).*validated against ConfigStore schema:UserWarning")

CONFIGS = config_dir()
#: For tests of the Hydra, experiment and launcher configs, where the scenario does not matter: the generated
#: hierarchy's file is a few lines, while composing a MINUSMA year parses and checks a hundred units.
ANY_SCENARIO = "scenario=hierarchy"
SCENARIOS = sorted(p.stem for p in (CONFIGS / "scenario").glob("*.yaml"))
INTERVENTIONS = sorted(p.stem for p in (CONFIGS / "interventions").glob("*.yaml"))
EXPERIMENTS = sorted(p.stem for p in (CONFIGS / "experiment").glob("*.yaml"))
#: The interventions the output contract names (MODEL.md §5); every other one is just a file in the folder.
CONTRACT_INTERVENTIONS = [
    "integrate_u2_asifu",
    "jcb_directive",
    "liaison_officers",
    "cross_cultural_training",
    "joint_database",
    "aligned_procedures",
    "asifu_tasking_authority",
    "uav_fast_accreditation",
]


def test_config_dir_is_the_checkout():
    assert CONFIGS == Path(__file__).resolve().parents[1] / "configs"
    assert (CONFIGS / "config.yaml").is_file()


def test_default_config_keys(compose_cfg):
    cfg = compose_cfg()
    assert cfg.seed == 0
    assert cfg.sim.days is None  # the scenario's `days:`, else 180 (`missionfit.runner.validate.run_days`)
    assert cfg.sim.replicates >= 2
    assert cfg.sim.progress is True
    assert dict(cfg.fit) == {"strategic": 0.0, "cultural": 0.0, "operational": 0.0}
    assert dict(cfg.interventions) == {}
    assert "trust_gain" in cfg.mechanisms
    assert OmegaConf.get_type(cfg.scenario).__name__ == "ScenarioNode"


def test_a_scenario_sets_its_default_run_length(compose_cfg):
    from missionfit.runner.validate import composed_scenario, run_days
    from missionfit.scenario.loading import load

    # minusma_2014 runs 365 days (its UAVs are accredited on day 180, p. 401); the others one rotation
    for name, days in (("minusma_2014", 365), ("minusma_2015", 180), ("minusma_2018", 180), ("hierarchy", 180)):
        cfg = compose_cfg([f"scenario={name}"], return_hydra_config=True)
        assert run_days(cfg.sim.days, composed_scenario(cfg)) == days
        assert load(name).days == days
    cfg = compose_cfg(["scenario=minusma_2014", "sim.days=30"], return_hydra_config=True)
    assert run_days(cfg.sim.days, composed_scenario(cfg)) == 30


def test_hydra_dirs_do_not_collide(compose_cfg):
    cfg = compose_cfg([ANY_SCENARIO], return_hydra_config=True)
    raw = OmegaConf.to_container(cfg.hydra, resolve=False)
    assert "%f" in raw["run"]["dir"] and raw["run"]["dir"].startswith("results/runs/")
    assert "%f" in raw["sweep"]["dir"] and "${experiment_name}" in raw["sweep"]["dir"]
    assert raw["job"]["chdir"] is False
    assert cfg.hydra.sweeper._target_.endswith("MissionfitSweeper")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_composes_and_builds(compose_cfg, scenario):
    from missionfit.runner.validate import composed_scenario
    from missionfit.scenario import build_scenario

    cfg = compose_cfg([f"scenario={scenario}"])
    plain = OmegaConf.to_container(cfg, resolve=True)
    # the scenario as the runner builds it: the file's `extends:` and `patches:` resolved
    compiled = build_scenario(composed_scenario(cfg), fit=plain["fit"], mechanisms=plain["mechanisms"])
    assert compiled.name


@pytest.mark.parametrize("intervention", INTERVENTIONS)
def test_every_intervention_composes(compose_cfg, intervention):
    cfg = compose_cfg(["scenario=hierarchy", f"interventions=[{intervention}]"])
    assert list(cfg.interventions) == [intervention]
    assert cfg.interventions[intervention].description


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("intervention", INTERVENTIONS)
def test_every_scenario_intervention_pair_composes(compose_cfg, scenario, intervention):
    cfg = compose_cfg([f"scenario={scenario}", f"interventions=[{intervention}]"])
    assert list(cfg.interventions) == [intervention]


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.startswith("minusma")])
def test_minusma_with_every_intervention_builds(compose_cfg, scenario):
    from missionfit.runner.validate import composed_scenario
    from missionfit.scenario import build_scenario

    assert INTERVENTIONS, f"no intervention files in {CONFIGS / 'interventions'}"
    cfg = compose_cfg([f"scenario={scenario}", f"interventions=[{','.join(INTERVENTIONS)}]"])
    plain = OmegaConf.to_container(cfg, resolve=True)
    compiled = build_scenario(
        composed_scenario(cfg),
        interventions=plain["interventions"],
        fit=plain["fit"],
        mechanisms=plain["mechanisms"],
    )
    assert sorted(compiled.interventions) == sorted(INTERVENTIONS)


def test_contract_interventions_exist():
    missing = [n for n in CONTRACT_INTERVENTIONS if n not in INTERVENTIONS]
    assert not missing, f"contract interventions without a file in {CONFIGS / 'interventions'}: {missing}"


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes(compose_cfg, experiment):
    cfg = compose_cfg([ANY_SCENARIO, f"experiment={experiment}"], return_hydra_config=True)
    assert cfg.experiment_name.startswith(experiment.split("_")[0][:4]) or cfg.experiment_name
    assert str(cfg.hydra.sweep.dir).startswith(f"results/sweeps/{cfg.experiment_name}_")


def test_experiment_values_win_over_config_yaml(compose_cfg):
    cfg = compose_cfg([ANY_SCENARIO, "experiment=counterfactuals"], return_hydra_config=True)
    assert cfg.experiment_name == "counterfactuals"
    assert cfg.sim.replicates == 30
    assert cfg.hydra.sweeper.params["interventions"] == EACH_AND_ALL


def test_each_and_all_stands_for_the_baseline_each_intervention_and_all_combined():
    (param,) = expand_each_and_all(["interventions=each_and_all"], list(reversed(INTERVENTIONS)))
    key, _, arms = param.partition("=")
    assert key == "interventions"
    singles = [f"[{name}]" for name in INTERVENTIONS]
    assert arms == ",".join(["[]", *singles, "[" + ",".join(INTERVENTIONS) + "]"])
    assert set(CONTRACT_INTERVENTIONS) <= set(INTERVENTIONS)
    # other parameters, and explicit lists, are left as they are
    assert expand_each_and_all(["fit.cultural=0,1", "interventions=[],[a]"], ["a", "b"]) == [
        "fit.cultural=0,1",
        "interventions=[],[a]",
    ]
    assert expand_each_and_all(["interventions=each_and_all"], ["a"]) == ["interventions=[],[a]"]


@pytest.mark.parametrize(("experiment", "method"), [("fit_grid", "grid"), ("lhs", "lhs"), ("sensitivity", "sobol")])
def test_design_experiments(compose_cfg, experiment, method):
    from missionfit.runner.sweep.plan import design_from_cfg

    cfg = compose_cfg([ANY_SCENARIO, f"experiment={experiment}"])
    assert cfg.design.method == method
    design = design_from_cfg(cfg)
    if method == "grid":
        assert design.X.shape == (125, 3)
    if method == "sobol":
        assert design.X.shape[0] == cfg.sensitivity.n * (len(design.names) + 2)
    assert {"fit.strategic", "fit.cultural", "fit.operational"} <= set(design.names)


def test_sensitivity_morris(compose_cfg):
    from missionfit.runner.sweep.plan import design_from_cfg

    cfg = compose_cfg([ANY_SCENARIO, "experiment=sensitivity", "sensitivity.method=morris", "sensitivity.n=4"])
    assert cfg.design.method == "morris"
    assert cfg.experiment_name == "sensitivity_morris"
    assert design_from_cfg(cfg).X.shape == (4 * 4, 3)


@pytest.mark.parametrize(
    ("launcher", "target"),
    [
        ("basic", "BasicLauncher"),
        ("joblib", "JoblibLauncher"),
        ("slurm", "SlurmLauncher"),
        ("submitit_local", "LocalLauncher"),
        ("ray", "RayLauncher"),
    ],
)
def test_launchers_compose(compose_cfg, launcher, target):
    cfg = compose_cfg([ANY_SCENARIO, f"hydra/launcher={launcher}"], return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    if launcher == "ray":
        assert cfg.hydra.launcher.ray.init.include_dashboard is False
        assert cfg.hydra.launcher.ray.init.address is None
    if launcher == "slurm":
        assert cfg.hydra.launcher.timeout_min > 0 and cfg.hydra.launcher.cpus_per_task == 1


def test_user_scenario_and_interventions(compose_cfg, user_config_dir):
    cfg = compose_cfg(["scenario=tiny", "interventions=[more_trust,less_rivalry]"], extra_dir=user_config_dir)
    assert cfg.scenario.name == "tiny"
    assert list(cfg.interventions) == ["more_trust", "less_rivalry"]
    assert cfg.interventions.more_trust.mechanisms.trust_gain == 0.3


def test_schema_rejects_unknown_scenario_key_at_load(compose_cfg, user_config_dir):
    with pytest.raises(ConfigCompositionException, match="colour"):
        compose_cfg(["scenario=unknown_key"], extra_dir=user_config_dir)


def test_schema_rejects_bad_unit_at_load(compose_cfg, user_config_dir):
    from missionfit.runner.validate import ConfigError, check_config

    cfg = compose_cfg(["scenario=wrong_type"], extra_dir=user_config_dir, return_hydra_config=True)
    with pytest.raises(ConfigError, match=r"wrong_type\.yaml: units\[1\]\.tech_level = high: wrong type"):
        check_config(cfg)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "a", "kind": "u2", "colour": "red"}, "units[0].colour = red: unknown key"),
        ({"id": "a", "kind": "u2", "strength": 1.5}, "units[0].strength = 1.5: wrong type: expected int"),
        ({"id": "a", "kind": "u2", "languages": "fr"}, "units[0].languages = fr: wrong type: expected a list"),
        ({"id": "a", "kind": "u2", "sensors": [{"type": "uav", "coverage": "x"}]}, "units[0].sensors[0].coverage"),
        (
            {"id": "a", "kind": "u2", "reporting_culture": {"proactive": 0.2, "often": 1}},
            "units[0].reporting_culture.often",
        ),
    ],
)
def test_unit_schema_check(compose_cfg, entry, message):
    from missionfit.runner.validate import ConfigError, check_entries

    cfg = compose_cfg(["scenario=hierarchy"])
    cfg.scenario.units = [entry]
    with pytest.raises(ConfigError) as err:
        check_entries(cfg, scenario_file="s.yaml")
    assert str(err.value).startswith("s.yaml: " + message)


def test_every_scenario_passes_the_unit_schema(compose_cfg):
    from missionfit.runner.validate import check_entries

    for scenario in SCENARIOS:
        check_entries(compose_cfg([f"scenario={scenario}"]), scenario_file=scenario)


def test_schema_rejects_bad_override(compose_cfg):
    with pytest.raises(ConfigCompositionException):
        compose_cfg([ANY_SCENARIO, "sim.days=many"])
    with pytest.raises(ConfigCompositionException):
        compose_cfg([ANY_SCENARIO, "fit.cultural=high"])
