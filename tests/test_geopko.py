"""Tests of the Geo-PKO importer and of the MINUSMA scenario files built from it."""

from __future__ import annotations

import copy
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml
from omegaconf import OmegaConf

from conftest import SHARED_DIR
from missionfit.cli import import_geopko
from missionfit.importers import geopko
from missionfit.importers.mapping import GeoPkoMapping, load_mapping
from missionfit.scenario import build_scenario
from missionfit.scenario.loading import read_scenario
from missionfit.scenario.schema import InterventionSpec, ScenarioSpec, UnitSpec

REPO = Path(__file__).resolve().parents[1]
#: The shared Geo-PKO v2.3 MINUSMA files live next to the repository (``../shared/data/geopko``): the tests of
#: the real rows skip without them and fail in CI (conftest.py, MISSIONFIT_REQUIRE_SHARED).
GEOPKO_DIR = SHARED_DIR / "data" / "geopko"
MINUSMA = load_mapping(REPO / "configs" / "importers" / "geopko_minusma.yaml")
SCENARIO_DIR = REPO / "configs" / "scenario"
INTERVENTION_DIR = REPO / "configs" / "interventions"
YEARS = (2014, 2015, 2018)
#: Every intervention of the config folder (a new intervention is one new file, found here).
INTERVENTIONS = tuple(sorted(p.stem for p in INTERVENTION_DIR.glob("*.yaml")))

needs_geopko = pytest.mark.needs_shared(
    *(f"data/geopko/{table}_v.2.3_MINUSMA.csv" for table in ("TCCMap", "TTMap", "FrontMap"))
)

TCC = """mission,year,location,latitude,longitude,No.TCC,year.overview
MINUSMA,2015,Ménaka,15.9182,2.4022,2,"Benin (150), Niger (450)"
MINUSMA,2015,Tombouctou (Timbuktu),16.77348,-3.00742,3,"Cote d'Ivoire (35), Indonesia (size unknown), \
Sweden (150)"
MINUSMA,2015,Bamako,12.65,-8,1,Egypt (150)
MINUSMA,2014,Gao,16.27167,-0.04472,1,Netherlands (750)
MINUSCA,2015,Bangui,4.36,18.55,1,Rwanda (650)
"""
TT = """mission,year,location,latitude,longitude,Infantry,eng,med,sig,av,riv,maint,trans
MINUSMA,2015,Ménaka,15.9182,2.4022,360,0,0,0,0,0,0,0
MINUSMA,2015,Tombouctou (Timbuktu),16.77348,-3.00742,731,3,5,5,3,0,0,0
"""
FRONT = """mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO,\
ave.no.troops
MINUSMA,2015,Mali,Tombouctou (Timbuktu),16.77348,-3.00742,731,1050,0,2,0,1,1,0,1498
MINUSMA,2015,Mali,Tombouctou (Timbuktu),16.77348,-3.00742,731,1085,0,1,0,1,1,0,1498
MINUSMA,2015,Mali,Bamako,12.65,-8,150,1200,0,3,0,0,1,0,1260
"""


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    (tmp_path / "TCCMap_v.2.3_MINUSMA.csv").write_text(TCC, encoding="utf-8")
    (tmp_path / "TTMap_v.2.3_MINUSMA.csv").write_text(TT, encoding="utf-8")
    (tmp_path / "FrontMap_v.2.3_MINUSMA.csv").write_text(FRONT, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------------------------------
# parsing


def test_parse_overview_single_and_quoted_list():
    assert geopko.parse_overview("Niger (950)") == [("Niger", 950)]
    assert geopko.parse_overview("Bangladesh (300), Benin (150), Indonesia (size unknown)") == [
        ("Bangladesh", 300),
        ("Benin", 150),
        ("Indonesia", None),
    ]
    assert geopko.parse_overview("Cote d'Ivoire (150), El Salvador (35)") == [
        ("Cote d'Ivoire", 150),
        ("El Salvador", 35),
    ]
    assert geopko.parse_overview("  ") == []


def test_parse_overview_rejects_malformed():
    with pytest.raises(geopko.GeoPkoError):
        geopko.parse_overview("Bangladesh 300, Benin (150)")


def test_slug_and_stable_ids():
    assert geopko.slug("Côte d'Ivoire") == "cote_divoire"
    assert geopko.contingent_id("Niger", "Ménaka") == "bn_niger_menaka"
    assert geopko.contingent_id("Burkina Faso", "Tombouctou (Timbuktu)") == "bn_burkina_faso_tombouctou"
    assert geopko.contingent_id("Senegal", "Mopti/Sevare") == "bn_senegal_mopti_sevare"
    assert geopko.sector_of("Tombouctou (Timbuktu)") == "west"
    assert geopko.sector_of("Leré") == "west"
    assert geopko.sector_of("Ménaka") == "east"
    assert geopko.sector_of("Tessalit") == "north"
    assert geopko.sector_of("Bamako") == "bamako"
    assert geopko.sector_of("Bangui") is None


def test_import_small_csv(small_dir: Path):
    units = geopko.import_contingents(small_dir, "MINUSMA", 2015)
    by_id = {u.id: u for u in units}
    assert [u.id for u in units] == [
        "bn_egypt_bamako",
        "bn_benin_menaka",
        "bn_niger_menaka",
        "bn_cote_divoire_tombouctou",
        "bn_indonesia_tombouctou",
        "bn_sweden_tombouctou",
    ]
    niger = by_id["bn_niger_menaka"]
    assert (niger.contributor, niger.location, niger.strength, niger.sector, niger.group) == (
        "Niger",
        "Ménaka",
        450,
        "east",
        "west_african",
    )
    assert (niger.latitude, niger.longitude) == (15.9182, 2.4022)
    indonesia = by_id["bn_indonesia_tombouctou"]
    assert indonesia.strength is None
    assert "size unknown" in indonesia.source
    assert "Geo-PKO v2.3" in indonesia.source
    assert "riverine" not in indonesia.source and "aviation 3" in indonesia.source
    assert by_id["bn_sweden_tombouctou"].group == "western_european"
    assert by_id["bn_egypt_bamako"].sector == "bamako"
    # other missions and years are filtered out
    assert all(u.mission == "MINUSMA" and u.year == 2015 for u in units)


def test_hq_levels_and_troop_types(small_dir: Path):
    assert geopko.read_hq_levels(small_dir, "MINUSMA", 2015) == {"Tombouctou (Timbuktu)": 2, "Bamako": 3}
    types = geopko.read_troop_types(small_dir, "MINUSMA", 2015)
    assert types["Tombouctou (Timbuktu)"]["av"] == 3
    assert types["Ménaka"]["infantry"] == 360


def test_unmapped_location_strict_and_lenient(small_dir: Path):
    # MINUSCA has no mapping file: borrow MINUSMA's tables, which know the contributor but not the location
    with pytest.raises(geopko.GeoPkoError, match="Bangui"):
        geopko.import_contingents(small_dir, "MINUSCA", 2015, mapping=MINUSMA)
    with pytest.warns(UserWarning, match="Bangui"):
        units = geopko.import_contingents(small_dir, "MINUSCA", 2015, strict=False, mapping=MINUSMA)
    assert units[0].sector is None and units[0].group == "central_african"
    units = geopko.import_contingents(small_dir, "MINUSCA", 2015, sectors={"bangui": "west"}, mapping=MINUSMA)
    assert units[0].sector == "west"


def test_the_mapping_file_is_the_importers_tables(small_dir: Path):
    assert MINUSMA.path is not None and MINUSMA.mission == "MINUSMA"
    assert geopko.load_mapping() == MINUSMA  # the default mapping is the file in configs/importers/
    other = {
        "location_sectors": {"Ménaka": "desert", "Tombouctou": "river", "Bamako": "capital"},
        "contributor_groups": {"Niger": "sahel"},
        "unknown_group": "elsewhere",
        "scaffold": {"s2_min_strength": 400, "hq_sectors": ["capital"]},
    }
    with pytest.warns(UserWarning, match="has no group"):
        units = {u.id: u for u in geopko.import_contingents(small_dir, "MINUSMA", 2015, mapping=other)}
    assert (units["bn_niger_menaka"].sector, units["bn_niger_menaka"].group) == ("desert", "sahel")
    assert units["bn_benin_menaka"].group == "elsewhere"
    assert all(u.sensors is None for u in units.values())  # no sensor rules, no sensors
    s2, _ = geopko.scaffold(units.values(), mapping=other)
    assert [u["id"] for u in s2] == ["s2_niger_menaka"]  # the only contingent of strength >= 400


def test_sensor_rules_of_the_minusma_mapping(small_dir: Path):
    units = {u.id: u for u in geopko.import_contingents(small_dir, "MINUSMA", 2015)}
    niger = units["bn_niger_menaka"].unit()["sensors"]
    # 0.12 per 650 troops: 450 -> 0.0831; plus community HUMINT
    assert niger[0] == {"type": "patrol", "coverage": 0.0831, "domains": ["military", "social"]}
    assert [s["type"] for s in niger] == ["patrol", "humint"]
    assert "sensors" not in units["bn_indonesia_tombouctou"].unit()  # size unknown: kind_defaults apply
    assert units["bn_indonesia_tombouctou"].notes


def test_mapping_file_rejects_unknown_keys():
    with pytest.raises(ValueError, match="sector_table: unknown key"):
        GeoPkoMapping.from_dict({"sector_table": {}})


def test_no_rows_is_an_error(small_dir: Path):
    with pytest.raises(geopko.GeoPkoError, match="no Geo-PKO TCCMap rows"):
        geopko.import_contingents(small_dir, "MINUSMA", 1999)


def test_unknown_contributor_gets_other_group(tmp_path: Path):
    (tmp_path / "TCCMap_v.2.3_MINUSMA.csv").write_text(
        "mission,year,location,latitude,longitude,No.TCC,year.overview\n"
        "MINUSMA,2016,Gao,16.2,-0.04,1,Atlantis (150)\n",
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match="Atlantis"):
        units = geopko.import_contingents(tmp_path, "MINUSMA", 2016)
    assert units[0].group == MINUSMA.unknown_group == "other"


def test_scaffold_s2_threshold_and_edges(small_dir: Path):
    units = geopko.import_contingents(small_dir, "MINUSMA", 2015)
    s2, edges = geopko.scaffold(units)
    # S2 cells only for strength >= 150 outside Bamako: Benin 150, Niger 450, Sweden 150
    assert sorted(u["id"] for u in s2) == ["s2_benin_menaka", "s2_niger_menaka", "s2_sweden_tombouctou"]
    pairs = {(e["source"], e["target"], e["type"]) for e in edges}
    assert ("bn_niger_menaka", "s2_niger_menaka", "intel") in pairs
    assert ("s2_niger_menaka", "g2_east", "intel") in pairs
    assert ("bn_niger_menaka", "shq_east", "commander_chain") in pairs
    assert ("shq_east", "bn_niger_menaka", "command") in pairs
    # small or unknown contingents report to the sector G2 directly; Bamako ones to U2 under the FC
    assert ("bn_cote_divoire_tombouctou", "g2_west", "intel") in pairs
    assert ("bn_indonesia_tombouctou", "g2_west", "intel") in pairs
    assert ("bn_egypt_bamako", "u2", "intel") in pairs
    assert ("force_hq", "bn_egypt_bamako", "command") in pairs


def test_yaml_output_conforms_to_schema(small_dir: Path):
    units = geopko.import_contingents(small_dir, "MINUSMA", 2015)
    s2, edges = geopko.scaffold(units)
    text = geopko.to_yaml(units, s2, edges)
    assert "Cil, D., Fjelde, H., Hultman, L., & Nilsson, D. (2020)" in text
    data = yaml.safe_load(text)
    assert len(data["units"]) == len(units) + len(s2)
    for unit in data["units"]:
        OmegaConf.merge(OmegaConf.structured(UnitSpec), unit)
    indonesia = next(u for u in data["units"] if u["id"] == "bn_indonesia_tombouctou")
    assert "strength" in indonesia and indonesia["strength"] is None
    spec = OmegaConf.merge(OmegaConf.structured(ScenarioSpec), {"name": "t", **data})
    assert len(spec.edges) == len(edges)


def test_cli_prints_and_writes(small_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert import_geopko.main(["--data-dir", str(small_dir), "--mission", "MINUSMA", "--year", "2015"]) == 0
    printed = capsys.readouterr().out
    assert yaml.safe_load(printed)["units"][0]["id"] == "bn_egypt_bamako"
    out = tmp_path / "units.yaml"
    argv = ["--data-dir", str(small_dir), "--year", "2015", "--scaffold", "--out", str(out)]
    assert import_geopko.main(argv) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert {"units", "edges"} <= set(data)
    assert import_geopko.main(["--data-dir", str(tmp_path / "missing"), "--year", "2015"]) == 2


# --------------------------------------------------------------------------------------------------
# the real Geo-PKO v2.3 MINUSMA rows


@needs_geopko
def test_real_rows_2015():
    units = geopko.import_contingents(GEOPKO_DIR, "MINUSMA", 2015)
    by_id = {u.id: u for u in units}
    assert len(units) == 51
    assert by_id["bn_bangladesh_gao"].strength == 1550
    assert by_id["bn_niger_menaka"].strength == 450
    assert by_id["bn_indonesia_tombouctou"].strength is None
    assert "size unknown" in by_id["bn_indonesia_tombouctou"].source
    bamako = [u for u in units if u.location == "Bamako"]
    assert len(bamako) == 8 and {u.sector for u in bamako} == {"bamako"}
    assert len({u.id for u in units}) == len(units)


@needs_geopko
def test_real_rows_every_year_fully_mapped():
    for year in range(2014, 2025):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an unmapped contributor would warn
            try:
                units = geopko.import_contingents(GEOPKO_DIR, "MINUSMA", year)
            except geopko.GeoPkoError as exc:
                if "no Geo-PKO TCCMap rows" in str(exc):
                    continue
                raise
        assert all(u.sector in {"west", "east", "north", "bamako"} for u in units), year


@needs_geopko
@pytest.mark.parametrize("year", YEARS)
def test_front_map_hq_locations_agree_with_sector_table(year: int):
    hq = geopko.read_hq_levels(GEOPKO_DIR, "MINUSMA", year)
    mission_hq = {geopko.slug(loc) for loc, level in hq.items() if level == 3}
    sector_hq = {geopko.slug(loc) for loc, level in hq.items() if level == 2}
    assert mission_hq == {"bamako"}
    assert sector_hq <= set(MINUSMA.sector_hq_locations.values())
    for loc in sector_hq:
        assert MINUSMA.sector_hq_locations[MINUSMA.location_sectors[loc]] == loc


# --------------------------------------------------------------------------------------------------
# the MINUSMA scenario files


@cache
def _parsed_scenario(year: int) -> dict:
    """The composed scenario of a year (`extends:` and `patches:` resolved), parsed once.

    As `missionfit.scenario.load` reads it (plain YAML, C loader): what the runner builds from. Typing it with
    OmegaConf against the schema first would cost seconds per year and add only defaults these tests do not read.
    """
    return read_scenario(f"minusma_{year}")


def _scenario(year: int) -> dict:
    return copy.deepcopy(_parsed_scenario(year))  # building may change the dict it is given


def _intervention(name: str) -> dict:
    raw = OmegaConf.load(INTERVENTION_DIR / f"{name}.yaml")
    assert list(raw) == [name]
    return OmegaConf.to_container(OmegaConf.merge(OmegaConf.structured(InterventionSpec), raw[name]))


@needs_geopko
@pytest.mark.parametrize("year", YEARS)
def test_scenario_contingents_are_exactly_geopko(year: int):
    scenario = _scenario(year)
    expected = {
        u.id: (u.contributor, u.location, u.strength, u.sector, u.latitude, u.longitude)
        for u in geopko.import_contingents(GEOPKO_DIR, "MINUSMA", year)
    }
    got = {
        u["id"]: tuple(u.get(k) for k in ("contributor", "location", "strength", "sector", "latitude", "longitude"))
        for u in scenario["units"]
        if u["kind"] == "battalion"
    }
    assert got == expected
    s2, edges = geopko.scaffold(geopko.import_contingents(GEOPKO_DIR, "MINUSMA", year))
    assert {u["id"] for u in scenario["units"] if u["kind"] == "s2"} == {u["id"] for u in s2}
    have = {(e["source"], e["target"], e["type"]) for e in scenario["edges"]}
    assert {(e["source"], e["target"], e["type"]) for e in edges} <= have


@pytest.mark.parametrize("year", YEARS)
def test_scenario_file_is_consistent(year: int):
    path = SCENARIO_DIR / f"minusma_{year}.yaml"
    assert path.read_text(encoding="utf-8").startswith("# @package scenario")
    scenario = _scenario(year)
    ids = [u["id"] for u in scenario["units"]]
    assert len(ids) == len(set(ids))
    assert 60 <= len(ids) <= 125
    for e in scenario["edges"]:
        assert e["source"] in ids and e["target"] in ids, e
    assert abs(sum(scenario["mandate_weights"].values()) - 1.0) < 1e-9
    assert abs(sum(t["share"] for t in scenario["event_types"]) - 1.0) < 1e-9
    assert 8.0 <= sum(s["event_rate"] for s in scenario["sectors"]) <= 12.0
    kinds = {u["kind"] for u in scenario["units"]}
    assert {
        "force_hq",
        "u2",
        "u3",
        "asifu_hq",
        "isr_company",
        "special_forces",
        "jmac",
        "humanitarian",
    } <= kinds
    assert ("jcb" in ids) == (year >= 2015)
    asifu_boss = {
        e["source"] for e in scenario["edges"] if e["type"] == "command" and e["target"] == "asifu_hq"
    }
    assert asifu_boss == ({"u2"} if year >= 2018 else {"force_hq"})


def _units_added(name: str, year: int) -> int:
    """Units an intervention adds to a year: those of its `add_units` the year does not have yet."""
    have = {u["id"] for u in _parsed_scenario(year)["units"]}
    return len({u["id"] for u in _intervention(name).get("add_units") or []} - have)


#: What a year already has, its intervention cannot add: the UAVs are accredited from 2015 on (docs/scenarios.md),
#: and 2018 is 2015 with U2 and ASIFU integrated.
ALREADY_IN_THE_YEAR = {("uav_fast_accreditation", 2015), ("uav_fast_accreditation", 2018), ("integrate_u2_asifu", 2018)}


def _changed_arrays(a, b) -> list[str]:
    """Names of the compiled arrays that differ between two builds of a scenario (any shape or value)."""
    changed = []
    for key in sorted(set(a.arrays) | set(b.arrays)):
        x, y = a.arrays.get(key), b.arrays.get(key)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            same = np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True)
        else:
            same = repr(x) == repr(y)
        if not same:
            changed.append(key)
    return changed


@pytest.mark.parametrize("year", YEARS)
def test_scenario_with_all_interventions_builds(year: int):
    base = build_scenario(_scenario(year))
    everything = build_scenario(_scenario(year), interventions={n: _intervention(n) for n in INTERVENTIONS})
    # every unit an intervention adds, once, where the year does not have it (e.g. the JCB before 2015)
    added = {u["id"] for n in INTERVENTIONS for u in _intervention(n).get("add_units") or []}
    assert [u["id"] for u in everything.units[: base.n_units]] == [u["id"] for u in base.units]
    assert {u["id"] for u in everything.units} == {u["id"] for u in base.units} | added
    assert everything.n_units == len({u["id"] for u in base.units} | added)


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_each_intervention_applies_alone(year: int):
    """Each intervention, alone, adds exactly its units and changes what the engine runs (no silent no-op patch),
    except where the year already has what it brings."""
    base = build_scenario(_scenario(year))
    for name in INTERVENTIONS:
        compiled = build_scenario(_scenario(year), interventions={name: _intervention(name)})
        assert compiled.n_units == base.n_units + _units_added(name, year), name
        changed = _changed_arrays(base, compiled) + [
            k for k in set(base.mechanisms) | set(compiled.mechanisms)
            if base.mechanisms.get(k) != compiled.mechanisms.get(k)
        ]
        if (name, year) in ALREADY_IN_THE_YEAR:
            assert not changed, f"{name} was expected to change nothing in minusma_{year}: {changed}"
        else:
            assert changed, f"{name} changes nothing in minusma_{year}"


def test_intervention_files_have_package_line_and_source():
    for name in INTERVENTIONS:
        text = (INTERVENTION_DIR / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# @package interventions"), name
        spec = _intervention(name)
        assert spec["description"] and "Rietjens & Ruffa 2019, p" in spec["source"], name
