"""No dead or misplaced inputs (issue 16 §3): languages per contributor, the civil-military distance, the UAV route.

Structural checks of the scenario data, cheap (no model run): that the inputs sit where the paper puts them and that
the mechanism parameters reading them have something to act on. Whether they move an outcome is measured in
docs/validation.md §10 (liveness) and CHANGELOG.md, not asserted here.
"""

from __future__ import annotations

import pytest

from missionfit.importers.mapping import load_mapping, slug
from missionfit.scenario import ScenarioError, build_scenario
from missionfit.scenario.loading import load, read_scenario
from missionfit.scenario.rivalry import civmil_share

YEARS = ("minusma_2014", "minusma_2015", "minusma_2018")


@pytest.fixture(scope="module", params=YEARS)
def year(request):
    return load(request.param)


def test_every_contingent_speaks_its_contributors_official_languages(year):
    table = load_mapping().contributor_languages
    contingents = [u for u in year.units if u["kind"] in ("battalion", "s2")]
    for u in contingents:
        if slug(u["contributor"]) in table:
            assert u["languages"] == table[slug(u["contributor"])], u["id"]
    anglophone = [u for u in contingents if u["contributor"] in ("Ghana", "Nigeria", "Liberia")]
    assert anglophone and all(u["languages"] == ["en"] for u in anglophone)


def test_every_contributor_of_the_contingents_has_cited_languages(year):
    table = load_mapping().contributor_languages
    missing = {u["contributor"] for u in year.units if u["kind"] == "battalion"} - {"Multinational"}
    assert {c for c in missing if slug(c) not in table} == set()


def test_the_language_penalties_have_edges_and_sensors_to_act_on():
    sc = load("minusma_2015")
    lang = {u["id"]: set(u["languages"]) for u in sc.units}
    mismatched = [e for e in sc.edges if not lang[e["source"]] & lang[e["target"]]]
    # e.g. the Bangladesh, Cambodia and Egypt contingents and the bilingual (en, fr) sector HQs and G2s
    assert len(mismatched) >= 20
    sectors = {s["id"]: set(s["languages"]) for s in sc.sectors}
    no_access = [
        u["id"] for u in sc.units for s in u["sensors"]
        if s["needs_language"] and not lang[u["id"]] & set().union(*(sectors[x] for x in s["sectors"] or [u["sector"]]))
    ]
    assert "bn_ghana_tombouctou" in no_access and "isr_company_gao" in no_access


def test_the_civil_military_distance_acts_on_edges_between_civilian_and_military_or_intelligence_units(year):
    by_id = {u["id"]: u for u in year.units}
    acted = {
        (e["source"], e["target"]) for e in year.edges
        if civmil_share(by_id[e["source"]], by_id[e["target"]], year.civmil_shares) > 0
    }
    # the humanitarian principle (pp. 396-397): the ISR company's contact with UNOCHA, JMAC's liaison with the
    # humanitarian actors, and the military's lines to the mission's civilian components
    assert {("isr_company_gao", "humanitarian"), ("humanitarian", "isr_company_gao"), ("jmac", "humanitarian")} <= acted
    assert {("u2", "joc"), ("asifu_hq", "undss")} <= acted
    assert not any({by_id[s]["component"], by_id[t]["component"]} == {"civilian"} and "humanitarian" not in (s, t)
                   for s, t in acted)


def test_a_bad_civmil_rule_fails_in_one_line():
    spec = read_scenario("minusma_2015")
    spec["civmil_shares"] = [{"between": [{"component": "military"}, {"component": "navy"}], "share": 1.0}]
    with pytest.raises(ScenarioError, match=r"civmil_shares\[0\]\.between\[1\]\.component = 'navy'") as err:
        build_scenario(spec)
    assert "\n" not in str(err.value)
    spec["civmil_shares"] = [{"between": [{"component": "military"}, {"component": "external"}], "share": 1.5}]
    with pytest.raises(ScenarioError, match=r"civmil_shares\[0\]\.share = 1\.5"):
        build_scenario(spec)


def test_uav_intreps_reach_the_consumers_of_current_intelligence(year):
    by_id = {u["id"]: u for u in year.units}
    for u in year.units:
        if any(s["type"] == "uav" for s in u["sensors"]):
            to_sector_hq = [
                e for e in year.edges
                if e["source"] == u["id"] and e["type"] == "intel" and "sector_commander" in by_id[e["target"]]["roles"]
                and by_id[e["target"]]["sector"] == u["sector"]
            ]
            assert to_sector_hq, u["id"]
            # sanitized on the way: the sector HQ cannot hold the ISR unit's classification (p. 400)
            assert all(by_id[e["target"]]["security_level"] < u["security_level"] for e in to_sector_hq)


def test_the_2014_uav_becomes_available_inside_the_default_run():
    sc = load("minusma_2014")
    uav = [s for u in sc.units for s in u["sensors"] if s["type"] == "uav"]
    assert uav and all(0 < s["available_day"] < sc.days for s in uav)
    assert sc.days == 365
