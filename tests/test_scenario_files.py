"""The MINUSMA scenario files have one source of truth: a structure, generated contingents and documented patches.

- Each year composes (`extends:` + `patches:`) to exactly the mapping the years had before they were split
  (`tests/data/minusma_<year>_mapping.json`, frozen from df4914c; since then only the v2 core's force planning
  cell, its kind and its two intel edges, and the DSRSG/RC/HC office, its kind and its three edges were added,
  on purpose), order included: order drives random draws.
- The Hydra app composes the same mapping as `missionfit.scenario.load`.
- The contingent files are what `missionfit-import-geopko` makes of the Geo-PKO CSVs today (byte for byte).
- The 2018 patch is the `integrate_u2_asifu` intervention, up to the positions of its edges.
- The composition rules themselves: keyed merge in place, `remove_units`, `add_edges.after`, errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import SHARED_DIR
from missionfit.cli import import_geopko
from missionfit.paths import config_dir
from missionfit.scenario import ScenarioError, build_scenario
from missionfit.scenario.loading import compose_scenario, load, read_config_file, read_intervention, read_scenario
from missionfit.scenario.patches import _edge_key, apply_intervention, merge_scenarios

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
YEARS = (2014, 2015, 2018)
#: The shared Geo-PKO v2.3 MINUSMA files (not shipped; conftest.py finds them, MISSIONFIT_SHARED_DIR overrides):
#: the tests of the real rows skip without them and fail in CI (MISSIONFIT_REQUIRE_SHARED).
GEOPKO_DIR = SHARED_DIR / "data" / "geopko"

needs_geopko = pytest.mark.needs_shared(
    *(f"data/geopko/{table}_v.2.3_MINUSMA.csv" for table in ("TCCMap", "TTMap", "FrontMap"))
)


def _snapshot(year: int) -> dict:
    return json.loads((DATA / f"minusma_{year}_mapping.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# the composed years are the years as they were


#: Keys of kind_defaults added after the frozen snapshots were taken (issue 14 §3, the vocabulary as data).
VOCABULARY_KEYS = ("roles", "echelon", "actor_block", "kind_label")
#: Keys of the v2 core's scenario layer (docs/design/v2-core.md §2), added after the snapshots were taken: the
#: top-level `information:` block and the keys of `consumer:` added since (issue 16 §3: `weighs_reports`). The v1
#: engine reads none of them.
V2_TOP_KEYS = ("information",)
V2_CONSUMER_KEYS = ("capacity", "action_threshold", "planning", "weighs_reports")


def _comparable(mapping: dict) -> dict:
    """A composed year without the keys added after the snapshots (`VOCABULARY_KEYS`, the v2 keys), in place.

    A snapshot is `_comparable(read_scenario(f"minusma_{year}"))`, written with
    `json.dumps(..., indent=1, ensure_ascii=False)` and a final newline, with the mappings' keys in the order of
    the previous snapshot (key order does not count, so this only keeps the diff small): regenerate it that way
    only when the composed year changes on purpose (e.g. a unit is added), and say so in the commit.
    """
    for key in V2_TOP_KEYS:
        mapping.pop(key, None)
    for attrs in mapping["kind_defaults"].values():
        for key in VOCABULARY_KEYS:
            attrs.pop(key, None)
        for key in V2_CONSUMER_KEYS:
            (attrs.get("consumer") or {}).pop(key, None)
    for unit in mapping["units"]:
        for key in V2_CONSUMER_KEYS:
            (unit.get("consumer") or {}).pop(key, None)
    return mapping


@pytest.mark.parametrize("year", YEARS)
def test_composed_year_equals_the_frozen_mapping(year: int):
    got, want = read_scenario(f"minusma_{year}"), _snapshot(year)
    # the mission vocabulary (roles, echelon, actor block, kind label) and the v2 core's scenario keys were added
    # after the snapshot; they set no value the v1 engine reads (the bit-identity hash covers that), so compare
    # without them
    got = _comparable(got)
    # the orders first, for a readable failure; then everything (list order counts, key order does not)
    assert [u["id"] for u in got["units"]] == [u["id"] for u in want["units"]]
    assert [_edge_key(e) for e in got["edges"]] == [_edge_key(e) for e in want["edges"]]
    assert got["trust"]["pairs"] == want["trust"]["pairs"]
    assert got == want


@pytest.mark.parametrize("year", YEARS)
def test_year_files_are_short_and_extend_structure_and_contingents(year: int):
    raw = read_config_file(config_dir() / "scenario" / f"minusma_{year}.yaml")
    assert raw["extends"] == [f"minusma/contingents_{year}", "minusma/structure"]
    assert "units" not in raw and "edges" not in raw and "kind_defaults" not in raw


@pytest.mark.parametrize("name", ["minusma_2014", "minusma_2015", "minusma_2018", "hierarchy", "edge"])
def test_hydra_composes_the_same_scenario_as_the_loader(compose_cfg, name: str):
    from missionfit.runner.validate import composed_scenario

    cfg = compose_cfg([f"scenario={name}"], return_hydra_config=True)
    assert composed_scenario(cfg) == read_scenario(name)


def test_hydra_override_changes_one_value_of_the_extended_structure(compose_cfg):
    from missionfit.runner.validate import composed_scenario

    cfg = compose_cfg(["scenario=minusma_2015", "scenario.trust.default=0.3"], return_hydra_config=True)
    trust = composed_scenario(cfg)["trust"]
    # the override wins; the rest of `trust` comes from minusma/structure, not from the schema's defaults (0.7)
    assert trust["default"] == 0.3
    assert trust["same_group"] == 0.75 and len(trust["pairs"]) == 5


def test_a_user_scenario_extends_a_builtin_year(tmp_path: Path):
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "my_2015.yaml").write_text(
        "extends: [minusma_2015]\nname: my_2015\n"
        "patches:\n  no_jcb:\n    remove_units: [jcb]\n"
        "  slower_g2:\n    set_edges:\n      - {select: {source: g2_east, target: u2}, set: {latency_days: 2.0}}\n",
        encoding="utf-8",
    )
    mine, base = read_scenario("my_2015", root=tmp_path), read_scenario("minusma_2015")
    assert mine["name"] == "my_2015"
    assert [u["id"] for u in mine["units"]] == [u["id"] for u in base["units"] if u["id"] != "jcb"]
    assert not any("jcb" in (e["source"], e["target"]) for e in mine["edges"])
    slow = [e for e in mine["edges"] if (e["source"], e["target"]) == ("g2_east", "u2")]
    assert [e["latency_days"] for e in slow] == [2.0]
    assert load("my_2015", root=tmp_path).n_units == load("minusma_2015").n_units - 1


# --------------------------------------------------------------------------------------------------
# the generated part


@needs_geopko
@pytest.mark.parametrize("year", YEARS)
def test_contingent_files_are_the_importers_output(year: int, tmp_path: Path):
    out = tmp_path / f"contingents_{year}.yaml"
    mapping = config_dir() / "importers" / "geopko_minusma.yaml"
    argv = ["--data-dir", str(GEOPKO_DIR), "--mapping", str(mapping), "--year", str(year), "--scaffold"]
    assert import_geopko.main([*argv, "--out", str(out)]) == 0
    committed = config_dir() / "scenario" / "minusma" / f"contingents_{year}.yaml"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{committed} differs from the importer's output: regenerate it with missionfit-import-geopko {' '.join(argv)}"
    )


def test_contingent_files_hold_only_contingents():
    for year in YEARS:
        part = read_config_file(config_dir() / "scenario" / "minusma" / f"contingents_{year}.yaml")
        assert set(part) == {"citation", "units", "edges"}
        assert {u["kind"] for u in part["units"]} == {"battalion", "s2"}
        assert "Geo-PKO" in part["citation"][0]


# --------------------------------------------------------------------------------------------------
# 2018 = the structure + integrate_u2_asifu


def test_2018_integration_patch_is_the_intervention_up_to_edge_positions():
    path = config_dir() / "scenario" / "minusma_2018.yaml"
    raw = read_config_file(path)
    intervention, _ = read_intervention("integrate_u2_asifu")
    raw["patches"]["integrate_u2_asifu"] = {
        k: v for k, v in intervention.items() if k not in ("description", "source", "label", "target_flows")
    }
    with_intervention, as_written = compose_scenario(raw), read_scenario("minusma_2018")
    assert with_intervention["units"] == as_written["units"]
    assert with_intervention["trust"] == as_written["trust"]
    assert sorted(map(json.dumps, with_intervention["edges"])) == sorted(map(json.dumps, as_written["edges"]))


# --------------------------------------------------------------------------------------------------
# the composition rules


def test_merge_scenarios_keyed_lists_merge_in_place_other_lists_are_replaced():
    base = {
        "citation": ["a"],
        "units": [{"id": "x", "kind": "u2", "languages": ["en"]}, {"id": "y", "kind": "s2"}],
        "edges": [{"source": "x", "target": "y", "type": "intel", "reliability": 0.9}],
        "trust": {"default": 0.5, "pairs": [{"source": "x", "target": "y", "value": 0.2}]},
        "kind_defaults": {"u2": {"analysts": 4.0, "strength": 15}},
    }
    over = {
        "citation": ["b"],
        "units": [{"id": "z", "kind": "g2"}, {"id": "x", "languages": ["fr"], "strength": None}],
        "edges": [{"source": "x", "target": "y", "reliability": 0.5}],
        "trust": {"same_group": 0.9, "pairs": [{"source": "y", "target": "x", "value": 0.4}]},
        "kind_defaults": {"u2": {"analysts": 5.0}},
    }
    got = merge_scenarios(base, over)
    assert got["citation"] == ["b"]
    assert [u["id"] for u in got["units"]] == ["x", "y", "z"]
    assert got["units"][0]["kind"] == "u2" and got["units"][0]["languages"] == ["fr"]  # merged, list replaced
    assert got["edges"] == [{"source": "x", "target": "y", "type": "intel", "reliability": 0.5}]
    pairs = [*base["trust"]["pairs"], *over["trust"]["pairs"]]
    assert got["trust"] == {"default": 0.5, "same_group": 0.9, "pairs": pairs}
    assert got["kind_defaults"] == {"u2": {"analysts": 5.0, "strength": 15}}
    assert base["units"][0]["languages"] == ["en"]  # inputs untouched


def test_remove_units_takes_their_edges_pairs_and_rivalries_along():
    spec = {
        "units": [{"id": "a", "rivals": ["b", "c"]}, {"id": "b"}, {"id": "c", "kind": "board"}],
        "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}, {"source": "a", "target": "c"}],
        "trust": {"pairs": [{"source": "a", "target": "b", "value": 0.1}, {"source": "c", "target": "a", "value": 1}]},
    }
    apply_intervention(spec, "p", {"remove_units": ["b", {"kind": "board"}]}, "test.yaml")
    assert spec == {"units": [{"id": "a", "rivals": []}], "edges": [], "trust": {"pairs": []}}


def test_add_edges_after_inserts_behind_the_last_matching_edge():
    spec = {
        "units": [{"id": i} for i in "abc"],
        "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c", "type": "command"}],
        "trust": {},
    }
    op = {"source": "c", "target": ["a", "b"], "type": "intel", "after": {"source": "a", "target": "b"}}
    apply_intervention(spec, "p", {"add_edges": [op]}, "test.yaml")
    assert [(e["source"], e["target"]) for e in spec["edges"]] == [("a", "b"), ("c", "a"), ("c", "b"), ("b", "c")]
    with pytest.raises(ScenarioError, match=r"p\.add_edges\[0\]\.after .*matches no edge"):
        apply_intervention(spec, "p", {"add_edges": [{**op, "after": {"source": "c", "target": "c"}}]}, "t.yaml")


def test_composition_errors_name_the_file_and_key(tmp_path: Path):
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "loop_a.yaml").write_text("extends: [loop_b]\n", encoding="utf-8")
    (tmp_path / "scenario" / "loop_b.yaml").write_text("extends: [loop_a]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"loop_b\.yaml: extends\[0\] = 'loop_a': extends itself"):
        read_scenario("loop_a", root=tmp_path)
    with pytest.raises(ScenarioError, match=r"^mine\.yaml: extends\[0\] = 'nowhere': no scenario file"):
        compose_scenario({"extends": ["nowhere"]}, [tmp_path], source="mine.yaml")
    with pytest.raises(ScenarioError, match=r"patches\.fast = 'mechanisms': a scenario patch cannot set mechanisms"):
        compose_scenario({"extends": ["minusma_2015"], "patches": {"fast": {"mechanisms": {"trust_gain": 1.0}}}})


def test_build_refuses_an_unresolved_scenario():
    with pytest.raises(ScenarioError, match=r"extends = \['minusma_2015'\]: unresolved"):
        build_scenario(yaml.safe_load("{name: x, extends: [minusma_2015]}"))


def test_the_app_resolves_extends_on_a_users_config_dir(cli, tmp_path: Path):
    user = tmp_path / "my_missions"
    (user / "scenario").mkdir(parents=True)
    (user / "scenario" / "quiet_2015.yaml").write_text(
        "# @package scenario\nextends: [minusma_2015]\nname: quiet_2015\n"
        "patches:\n  no_board:\n    remove_units: [jcb]\n",
        encoding="utf-8",
    )
    run_dir = tmp_path / "run"
    res = cli("--config-dir", user, "scenario=quiet_2015", "sim.replicates=1", "sim.days=5", f"hydra.run.dir={run_dir}")
    assert res.returncode == 0, res.stderr
    ran = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))["scenario"]
    assert "extends" not in ran and "patches" not in ran  # config.yaml records the composed scenario
    assert ran["name"] == "quiet_2015"
    want = [u["id"] for u in read_scenario("minusma_2015")["units"] if u["id"] != "jcb"]
    assert [u["id"] for u in ran["units"]] == want
    res = cli("--config-dir", user, "scenario=quiet_2015", "scenario.extends=[nowhere]", "sim.replicates=1")
    assert res.returncode == 2
    message = res.stderr.strip().splitlines()[-1]
    assert message.startswith("missionfit: error: my_missions/scenario/quiet_2015.yaml: extends[0] = 'nowhere': ")
    assert str(user / "scenario") in message and str(config_dir() / "scenario") in message


def test_a_bad_entry_is_reported_in_the_file_that_defines_it(compose_cfg, user_config_dir: Path):
    from missionfit.runner.validate import ConfigError, check_config

    (user_config_dir / "scenario" / "child.yaml").write_text(
        "# @package scenario\nextends: [wrong_type]\nname: child\n", encoding="utf-8"
    )
    cfg = compose_cfg(["scenario=child"], extra_dir=user_config_dir, return_hydra_config=True)
    with pytest.raises(ConfigError, match=r"wrong_type\.yaml: units\[1\]\.tech_level = high: wrong type"):
        check_config(cfg)
