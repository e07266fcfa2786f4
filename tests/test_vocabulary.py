"""The mission vocabulary is data: code finds units by role, so renaming every kind and id changes no result.

The rename test writes a copy of `minusma_2015` and of the intervention files to a temporary config folder with
every unit kind and every unit id renamed (edges, rivals, trust pairs and intervention selectors follow), in an
order that reverses the alphabetical order of the names, and checks that the metrics, flows and trust of
several replicates are identical to the original's: no random draw depends on an id or a kind string.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bit_identity import _canonical
from missionfit.analysis.coherence import _block_of, _venues, coherence_table
from missionfit.analysis.layout import echelon_levels, minor_units
from missionfit.analysis.style import arm_label, intervention_labels
from missionfit.model import MissionModel
from missionfit.model.metrics import flows_table, replicate_metrics
from missionfit.paths import config_dir
from missionfit.scenario import ScenarioError, build_scenario, load
from missionfit.scenario.codes import ECHELONS, ROLES
from missionfit.scenario.loading import available, read_intervention, read_scenario
from model_runs import trust_state

CONFIGS = config_dir()
#: Interventions run on both copies: their selectors use roles (integrate_u2_asifu), kinds and ids.
RENAMED_INTERVENTIONS = [(), ("integrate_u2_asifu",), ("asifu_tasking_authority", "joint_database")]
REPLICATES = 3
DAYS = 120
#: Patch keys whose values are unit selectors.
_SELECTOR_KEYS = ("select", "source", "target")


def _read(name: str) -> dict[str, Any]:
    """A shipped scenario as composed (its `extends:` and `patches:` resolved)."""
    return read_scenario(name)


def _renaming(names: set[str], prefix: str, fixed: dict[str, str]) -> dict[str, str]:
    """New names that reverse the names' alphabetical order (and share no prefix with the old ones)."""
    ordered = sorted(names, reverse=True)
    return {old: fixed.get(old, f"{prefix}{i:03d}") for i, old in enumerate(ordered)}


class Renamer:
    """Renames kinds and unit ids wherever a scenario or an intervention patch names them."""

    def __init__(self, scenario: dict[str, Any], patches: dict[str, dict[str, Any]]):
        kinds = set(scenario["kind_defaults"]) | {u["kind"] for u in scenario["units"]}
        ids = {u["id"] for u in scenario["units"]}
        for patch in patches.values():
            kinds |= {u["kind"] for u in patch.get("add_units") or []}
            ids |= {u["id"] for u in patch.get("add_units") or []}
        self.kind = _renaming(kinds, "k", {"force_hq": "fhq", "asifu_hq": "fusion_cell"})
        self.id = _renaming(ids, "unit_", {})

    def selector(self, sel: Any) -> Any:
        """A selector with its ids and kinds renamed (roles and other attributes stay)."""
        if isinstance(sel, str):
            return self.id[sel]
        if isinstance(sel, list):
            return [self.id[s] for s in sel]
        out = dict(sel)
        if "id" in out:
            out["id"] = [self.id[s] for s in _as_list(out["id"])]
        if "kind" in out:
            out["kind"] = [self.kind[k] for k in _as_list(out["kind"])]
        return out

    def unit(self, u: dict[str, Any]) -> dict[str, Any]:
        """A unit with its id, kind and rivals renamed."""
        u = dict(u, id=self.id[u["id"]], kind=self.kind[u["kind"]])
        if u.get("rivals"):
            u["rivals"] = [self.id[r] for r in u["rivals"]]
        if u.get("protection"):
            u["protection"] = {**u["protection"], "by": self.id[u["protection"]["by"]]}
        return u

    def scenario(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The scenario with every kind and unit id renamed."""
        spec = copy.deepcopy(spec)
        spec["kind_defaults"] = {self.kind[k]: v for k, v in spec["kind_defaults"].items()}
        spec["units"] = [self.unit(u) for u in spec["units"]]
        spec["edges"] = [dict(e, source=self.id[e["source"]], target=self.id[e["target"]]) for e in spec["edges"]]
        spec["trust"]["pairs"] = [
            dict(p, source=self.id[p["source"]], target=self.id[p["target"]]) for p in spec["trust"]["pairs"]
        ]
        return spec

    def patch(self, patch: dict[str, Any]) -> dict[str, Any]:
        """An intervention patch with the ids and kinds of its units and selectors renamed."""
        patch = copy.deepcopy(patch)
        patch["add_units"] = [self.unit(u) for u in patch.get("add_units") or []]
        for op_key in ("set_units", "add_edges", "remove_edges", "set_trust"):
            for op in patch.get(op_key) or []:
                for key in _SELECTOR_KEYS:
                    if key in op:
                        op[key] = self.selector(op[key])
                if "rivals" in (op.get("set") or {}):
                    op["set"]["rivals"] = [self.id[r] for r in op["set"]["rivals"]]
        for op in patch.get("set_edges") or []:
            for key in ("source", "target"):
                if key in op["select"]:
                    op["select"][key] = self.selector(op["select"][key])
        return patch


def _as_list(x: Any) -> list[Any]:
    return list(x) if isinstance(x, list) else [x]


@pytest.fixture(scope="module")
def renamed_root(tmp_path_factory) -> tuple[Path, Renamer]:
    """A config folder with the renamed copy of minusma_2015 and of every intervention."""
    root = tmp_path_factory.mktemp("renamed")
    scenario = _read("minusma_2015")
    patches = {name: read_intervention(name)[0] for name in available("interventions")}
    renamer = Renamer(scenario, patches)
    (root / "scenario").mkdir()
    (root / "interventions").mkdir()
    text = yaml.safe_dump(renamer.scenario(scenario), sort_keys=False, allow_unicode=True)
    (root / "scenario" / "minusma_2015.yaml").write_text(text, encoding="utf-8")
    for name, patch in patches.items():
        text = yaml.safe_dump({name: renamer.patch(patch)}, sort_keys=False, allow_unicode=True)
        (root / "interventions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root, renamer


def _run(sc, replicate: int) -> MissionModel:
    model = MissionModel(scenario=sc, seed=11, replicate=replicate, days=DAYS)
    model.run()
    return model


@pytest.mark.parametrize("interventions", RENAMED_INTERVENTIONS, ids=lambda ivs: "+".join(ivs) or "baseline")
def test_renaming_every_kind_and_id_changes_no_result(renamed_root, interventions):
    root, renamer = renamed_root
    original = load("minusma_2015", interventions=interventions)
    renamed = load("minusma_2015", interventions=interventions, root=root)
    # the copy really shares no kind and no id with the original, and the role slots found the same units
    assert not {u["kind"] for u in original.units} & {u["kind"] for u in renamed.units}
    assert not {u["id"] for u in original.units} & {u["id"] for u in renamed.units}
    assert [renamer.id[u["id"]] for u in original.units] == [u["id"] for u in renamed.units]
    for slot in ("fc", "asifu", "jmac", "u2"):
        assert original.arrays[slot] >= 0 and renamed.arrays[slot] == original.arrays[slot], slot
    for mask in ("is_peer", "is_sf_isr", "is_s2", "g2_of"):
        assert np.array_equal(original.arrays[mask], renamed.arrays[mask]), mask
    for r in range(REPLICATES):
        a, b = _run(original, r), _run(renamed, r)
        assert _canonical(replicate_metrics(a)) == _canonical(replicate_metrics(b)), f"replicate {r}"
        fa, fb = flows_table(a), flows_table(b)
        assert [renamer.id[s] for s in fa["source"]] == list(fb["source"])
        counts = ["hops", "delivered", "withheld", "sanitized", "lost"]
        assert np.array_equal(fa[counts].to_numpy(), fb[counts].to_numpy()), f"replicate {r}"
        assert np.array_equal(trust_state(a), trust_state(b)), f"replicate {r}"


def test_integrating_u2_and_asifu_by_role_changes_the_structure(renamed_root):
    # the role selectors of integrate_u2_asifu found the U2, ASIFU HQ and the FC in the renamed copy too
    root, renamer = renamed_root
    renamed = load("minusma_2015", interventions=["integrate_u2_asifu"], root=root)
    fc, asifu, u2 = (renamed.units[renamed.arrays[s]]["id"] for s in ("fc", "asifu", "u2"))
    commands = {(e["source"], e["target"]) for e in renamed.edges if e["type"] == "command"}
    assert (u2, asifu) in commands and (fc, asifu) not in commands
    assert renamed.units[renamed.arrays["asifu"]]["focus"]["horizon"] == 0.45
    assert renamed.trust_prior[renamed.arrays["u2"], renamed.arrays["asifu"]] == 0.85


def test_analysis_reads_the_vocabulary_from_the_units_table(renamed_root):
    root, renamer = renamed_root
    original, renamed = load("minusma_2015"), load("minusma_2015", root=root)
    units_a, units_b = original.units_table(), renamed.units_table()
    assert {"roles", "echelon", "actor_block", "kind_label"} <= set(units_b.columns)
    assert list(echelon_levels(units_a)) == list(echelon_levels(units_b))
    assert list(minor_units(units_a)) == list(minor_units(units_b))
    assert minor_units(units_b).sum() == (units_a["kind"].isin(["battalion", "s2"])).sum()
    fa, fb = flows_table(_run(original, 0)), flows_table(_run(renamed, 0))
    table_a = coherence_table(units_a, fa)
    table_b = coherence_table(units_b, fb)
    assert len(table_a) > 10
    cols = ["block_a", "block_b", "hops", "delivered", "withheld", "level"]
    assert table_a[cols].equals(table_b[cols])


def test_every_kind_of_the_minusma_scenarios_declares_known_roles():
    for name in ("minusma_2014", "minusma_2015", "minusma_2018"):
        kinds = _read(name)["kind_defaults"]
        for kind, attrs in kinds.items():
            assert attrs.get("roles") and set(attrs["roles"]) <= set(ROLES), (name, kind)
            assert attrs.get("echelon") in (None, *ECHELONS), (name, kind)
            assert attrs.get("kind_label"), (name, kind)


def _tiny(roles: Any = None, **unit: Any) -> dict[str, Any]:
    return {
        "name": "tiny",
        "sectors": [{"id": "west"}],
        "event_types": [{"id": "attack"}],
        "kind_defaults": {"hq": {"roles": roles or ["force_commander"], "echelon": "leadership"}},
        "units": [{"id": "boss", "kind": "hq", "sector": "west", **unit}, {"id": "bn", "kind": "company"}],
    }


def test_roles_resolve_through_kind_defaults_and_fill_the_slots():
    sc = build_scenario(_tiny())
    assert sc.arrays["fc"] == 0 and sc.arrays["u2"] == -1
    assert sc.units[0]["roles"] == ["force_commander"] and sc.units[1]["roles"] == []
    # a unit's own roles and echelon win over its kind's
    own = build_scenario(_tiny(**{"roles": ["military_intelligence"], "echelon": "headquarters"}))
    assert own.arrays["fc"] == -1 and own.arrays["u2"] == 0 and own.arrays["is_peer"][0]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (_tiny(roles=["force_commandr"]), "kind_defaults.hq.roles = 'force_commandr': unknown role"),
        (_tiny(roles="force_commander"), "kind_defaults.hq.roles = 'force_commander': must be a list of roles"),
        (_tiny(echelon="brigade"), "units[0].echelon (id boss) = 'brigade': must be one of"),
        (_tiny(roles=["isr"], actor_block=3), "units[0].actor_block (id boss) = 3: must be a string"),
    ],
)
def test_unknown_vocabulary_is_a_one_line_error_naming_file_key_and_value(spec, message):
    with pytest.raises(ScenarioError) as err:
        build_scenario(spec, sources={"scenario": "my/tiny.yaml"})
    text = str(err.value)
    assert "\n" not in text and text.startswith("my/tiny.yaml: ") and message in text


def test_role_selector_matches_by_resolved_role_and_rejects_unknown_roles():
    patch = {"set_units": [{"select": {"role": "force_commander"}, "set": {"tech_level": 0.9}}]}
    sc = build_scenario(_tiny(), interventions={"p": patch})
    assert sc.units[0]["tech_level"] == 0.9 and sc.units[1]["tech_level"] != 0.9
    bad = {"set_units": [{"select": {"role": "commander"}, "set": {"tech_level": 0.9}}]}
    with pytest.raises(ScenarioError, match=r"interventions/p: .*select\.role = 'commander': unknown role"):
        build_scenario(_tiny(), interventions={"p": bad})


def test_generated_hierarchy_declares_its_roles():
    sc = load("hierarchy")
    assert sc.arrays["fc"] == 0 and sc.units[0]["roles"] == ["force_commander"]
    assert {tuple(u["roles"]) for u in sc.units[1:]} == {("military_intelligence",), ("collector",)}
    assert sc.arrays["u2"] == -1 and not sc.arrays["is_s2"].any()


def test_every_intervention_file_carries_its_label():
    labels = intervention_labels()
    for name in available("interventions"):
        patch, _ = read_intervention(name)
        assert patch.get("label") and labels[name] == patch["label"], name


def test_a_new_intervention_is_one_new_file(tmp_path):
    (tmp_path / "interventions").mkdir()
    (tmp_path / "interventions" / "night_patrols.yaml").write_text(
        "# @package interventions\nnight_patrols:\n  label: Night patrols\n  description: test\n"
        "  set_units:\n    - select: {role: collector}\n      set: {escort_cost: 0.0}\n",
        encoding="utf-8",
    )
    labels = intervention_labels(root=tmp_path)
    assert arm_label("[night_patrols]", labels) == "Night patrols"
    # a run's resolved config wins over the folder
    cfg = {"interventions": {"night_patrols": {"label": "Patrols at night"}}}
    assert arm_label("night_patrols", intervention_labels(cfg, root=tmp_path)) == "Patrols at night"


@pytest.mark.parametrize("name", ["minusma_2014", "minusma_2015", "minusma_2018", "hierarchy", "edge"])
def test_units_table_vocabulary_draws_the_figures_as_the_legacy_tables_did(name):
    # figures of new run directories (columns) and of older ones (MINUSMA tables by kind) agree on every shipped
    # scenario: layers, unlabelled units, actor blocks and venues
    extra = ["liaison_officers", "jcb_directive"] if name.startswith("minusma") else []
    units = load(name, interventions=extra).units_table()
    legacy = units.drop(columns=["roles", "echelon", "actor_block", "kind_label"])
    assert list(echelon_levels(units)) == list(echelon_levels(legacy))
    assert list(minor_units(units)) == list(minor_units(legacy))
    assert _venues(units) == _venues(legacy)
    venues = _venues(units)
    assert _block_of(units, units["component"], venues, None) == _block_of(legacy, legacy["component"], venues, None)
