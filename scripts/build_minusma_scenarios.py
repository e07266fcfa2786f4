"""Builder of configs/scenario/minusma_{2014,2015,2018}.yaml: contingents from the Geo-PKO importer, plus the
intelligence structure, civilian sections and stylized parameters written below (traced to the paper's pages).

    python scripts/build_minusma_scenarios.py [YEAR ...]

Environment: GEOPKO_DIR (default ../shared/data/geopko beside the repository) and OUT_DIR (default
configs/scenario). The
committed scenario files are this script's output; edit here and rebuild rather than editing them by hand.
"""

import os
import sys
from pathlib import Path

import yaml

from missionfit.importers import geopko

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("GEOPKO_DIR", REPO.parent / "shared" / "data" / "geopko"))
OUT = Path(os.environ.get("OUT_DIR", REPO / "configs" / "scenario"))

COORD = {
    "bamako": (12.65, -8.0),
    "tombouctou": (16.77348, -3.00742),
    "gao": (16.27167, -0.04472),
    "kidal": (18.44111, 1.40778),
}


def patrol(strength):
    return round(0.12 * min(1.5, strength / 650.0), 4)


def flow(obj):
    return yaml.safe_dump(obj, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip()


HEADER = """# @package scenario
# =====================================================================================================
# MINUSMA {year}: {title}
#
# Sources
#   [GeoPKO] Cil, D., Fjelde, H., Hultman, L., & Nilsson, D. (2020). Mapping blue helmets: Introducing the
#            Geocoded Peacekeeping Operations (Geo-PKO) dataset. Journal of Peace Research 57(2): 360-370.
#            Data v2.3, MINUSMA rows of TCCMap/TTMap/FrontMap, year {year}. The contingent units below
#            (id, contributor, location, latitude/longitude, strength, sector, group, source), their S2
#            cells and contingent-level edges are the output of `missionfit-import-geopko --data-dir
#            <geopko> --mission MINUSMA --year {year} --scaffold`, verbatim; only their sensors (stylized,
#            computed from strength) were added.
#            Strengths are Geo-PKO's ESTIMATES from map symbols (company ~150, battalion ~650), not head counts.
#   [R&R]    Rietjens, S. & Ruffa, C. (2019). Understanding Coherence in UN Peacekeeping: A Conceptual
#            Framework. International Peacekeeping 26(4): 383-407. The intelligence structure (S2/G2/U2,
#            ASIFU and its ISR units, SOLTG, helicopters, JMAC, JOC, UNDSS, UNPOL, JCB) and every
#            behavioural mechanism trace to a page of it, cited as "p. NNN".
#
# STYLIZED PARAMETERS. All behavioural and technical numbers (event rates, reporting propensities, trust
# priors, tech levels, coverages, latencies, reliabilities, analysts, strengths of staff cells) are
# STYLIZED: chosen to express the qualitative findings of [R&R] at the cited page, NOT measured. They are
# meant for comparing structures (counterfactuals), not for predicting absolute outcomes. See
# docs/scenarios.md for the reasoning behind each and for how this file was built.
# =====================================================================================================
"""

COMMON_TOP = """name: minusma_{year}
description: >-
  {description}
citation:
  - "Rietjens, S. & Ruffa, C. (2019). Understanding Coherence in UN Peacekeeping: A Conceptual Framework. International Peacekeeping 26(4): 383-407. doi:10.1080/13533312.2019.1596742"
  - "Cil, D., Fjelde, H., Hultman, L., & Nilsson, D. (2020). Mapping blue helmets: Introducing the Geocoded Peacekeeping Operations (Geo-PKO) dataset. Journal of Peace Research 57(2): 360-370. Data v2.3."
start_date: "{start_date}"
rotation_days: 180            # contingents rotate about every six months (stylized)

# Mandate weights (sum 1; stylized). Res. 2100 (2013) and 2164 (2014) put security and stabilization of key
# population centres and the protection of civilians first; MINUSMA also guides the political/peace process
# (p. 391) and the integrated strategy names state authority and humanitarian assistance (p. 392). The same
# weights are used in 2014, 2015 and 2018 so that differences between the three scenarios come from
# structure and deployment, not from the scoring.
mandate_weights:
  security: 0.30
  protection_of_civilians: 0.25
  political_process: 0.20
  state_authority: 0.15
  humanitarian: 0.10

# Sectors (p. 391): FHQ Bamako; SHQ-West in Timbuktu, SHQ-East in Gao, SHQ-North in Kidal ("created in 2014,
# covering a smaller but very turbulent region"). event_rate = ground-truth events/day (stylized; 10/day
# mission-wide): North the most turbulent, East and West busy, Bamako low. languages = local languages a
# HUMINT collector must speak (French is the official language and the lingua franca of the towns).
sectors:
  - {{id: west, name: "Sector West (Timbuktu)", event_rate: 3.0, languages: [fr, bambara, songhai, tamasheq, fulfulde, arabic]}}
  - {{id: east, name: "Sector East (Gao)", event_rate: 3.0, languages: [fr, songhai, tamasheq, fulfulde, arabic]}}
  - {{id: north, name: "Sector North (Kidal)", event_rate: 3.5, languages: [fr, tamasheq, arabic]}}
  - {{id: bamako, name: "Bamako (FHQ)", event_rate: 0.5, languages: [fr, bambara]}}

# Ground-truth event classes (shares sum to 1; severities, warning windows and indicator counts stylized).
event_types:
  # p. 394: FC and sector chiefs lacked current intelligence on "the threat along MINUSMA's main supply routes"
  - {{id: ied_ambush_msr, line: security, domain: military, horizon: imminent, share: 0.22, severity: [0.5, 1.0], warning_days: [0.25, 3.0], indicators: 3}}
  # p. 394: "... and the whereabouts of armed groups"
  - {{id: armed_group_movement, line: security, domain: military, horizon: imminent, share: 0.18, severity: [0.3, 0.8], warning_days: [0.5, 4.0], indicators: 3}}
  # p. 391: the mandate for "protection of civilians"
  - {{id: attack_on_civilians, line: protection_of_civilians, domain: social, horizon: imminent, share: 0.15, severity: [0.5, 1.0], warning_days: [0.5, 5.0], indicators: 3}}
  # p. 393: ASIFU's X-PMESII topics include "ethnic dynamics and tribal tensions"
  - {{id: intercommunal_tension, line: protection_of_civilians, domain: social, horizon: mid, share: 0.07, severity: [0.3, 0.8], warning_days: [5.0, 20.0], indicators: 3}}
  # p. 391: MINUSMA is to "guide the political/peace process"; spoilers of it
  - {{id: peace_process_spoiler, line: political_process, domain: political, horizon: mid, share: 0.12, severity: [0.4, 0.9], warning_days: [7.0, 30.0], indicators: 2}}
  # p. 393: "illegal trafficking and narcotics-trade"
  - {{id: trafficking_network, line: state_authority, domain: economic, horizon: long, share: 0.08, severity: [0.3, 0.7], warning_days: [30.0, 90.0], indicators: 3}}
  # p. 393: "corruption and bad governance within Mali"; p. 392: re-establishment of state authority
  - {{id: governance_corruption, line: state_authority, domain: political, horizon: long, share: 0.07, severity: [0.3, 0.7], warning_days: [30.0, 90.0], indicators: 2}}
  # p. 392: humanitarian assistance in the integrated strategy; access and displacement (stylized)
  - {{id: humanitarian_access, line: humanitarian, domain: infrastructure, horizon: mid, share: 0.11, severity: [0.3, 0.8], warning_days: [5.0, 20.0], indicators: 2}}
"""

GROUP_DEFAULTS = """
# Culture and technology by contributor group (stylized; precedence unit > kind_defaults > group_defaults).
# Security levels: 0 = the UN-unclassified mission network (p. 400: "'UN-classified,' meaning that the
# system was unsafe"), 1 = restricted, 2 = NATO/national secret.
group_defaults:
  west_african:
    # p. 397: West-African command culture, intelligence "to find out little things for the commander when
    # asked ... but not to present information proactively"; "most soldiers in African units were
    # illiterate and not used to writing reports"; p. 399: no UN accounts, poor internet; "intelligence to
    # be a matter for commanding officers only" -> bypass; p. 398: they "mastered many of the local languages"
    tech_level: 0.25
    security_level: 0
    procedures: none
    reporting_culture: {proactive: 0.1, responsive: 0.6, bypass: 0.7}
    report_writing: 0.3
    languages: [fr, bambara, fulfulde, songhai]
    local_knowledge: 0.7
    trust_threshold: 0.5
  central_african:
    # Chad (and Rwanda): "African units" of pp. 397-399; Chadian troops share Arabic with the north
    tech_level: 0.25
    security_level: 0
    procedures: none
    reporting_culture: {proactive: 0.1, responsive: 0.6, bypass: 0.7}
    report_writing: 0.3
    languages: [fr, arabic]
    local_knowledge: 0.6
    trust_threshold: 0.5
  north_african:
    # Egypt: no specific passage; intermediate values (stylized)
    tech_level: 0.4
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.3, responsive: 0.7, bypass: 0.4}
    report_writing: 0.5
    languages: [arabic, en]
    local_knowledge: 0.35
    trust_threshold: 0.45
  south_asian:
    # p. 400: the Bangladesh Riverine Unit: "They do report and asked us for [intelligence] formats"
    tech_level: 0.45
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.5, responsive: 0.8, bypass: 0.2}
    report_writing: 0.55
    languages: [en]
    local_knowledge: 0.2
    trust_threshold: 0.45
  east_asian:
    # China (Gao): p. 399 groups African and Asian contributors as mainly low-tech (stylized: middling)
    tech_level: 0.55
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.3, responsive: 0.8, bypass: 0.3}
    report_writing: 0.6
    languages: [en]
    local_knowledge: 0.15
    trust_threshold: 0.5
  southeast_asian:
    # Cambodia, Indonesia (p. 399: Asian contributors mainly low-tech)
    tech_level: 0.35
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.3, responsive: 0.7, bypass: 0.3}
    report_writing: 0.5
    languages: [en]
    local_knowledge: 0.15
    trust_threshold: 0.45
  latin_american:
    # El Salvador: no specific passage (stylized)
    tech_level: 0.45
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.4, responsive: 0.75, bypass: 0.2}
    report_writing: 0.6
    languages: [es, en]
    local_knowledge: 0.15
    trust_threshold: 0.45
  western_european:
    # p. 399: "high-tech and innovative resources"; NATO procedures from Afghanistan, "strict and prescribed
    # in handbooks"; p. 398: Europeans "lacked strong connections to the local culture", few spoke French or
    # Arabic; p. 394: "intelligence is a trust sport"
    tech_level: 0.85
    security_level: 2
    procedures: nato
    reporting_culture: {proactive: 0.7, responsive: 0.9, bypass: 0.05}
    report_writing: 0.85
    languages: [en]
    local_knowledge: 0.15
    trust_threshold: 0.5
  eastern_european:
    # p. 400: the Estonian HUMINT team, NATO-trained but not cleared for the Dutch FM9000 radios
    tech_level: 0.75
    security_level: 1
    procedures: nato
    reporting_culture: {proactive: 0.7, responsive: 0.9, bypass: 0.05}
    report_writing: 0.8
    languages: [en]
    local_knowledge: 0.15
    trust_threshold: 0.5
  north_american:
    # Canada (2018, Gao): like the western European enablers (stylized); French-speaking
    tech_level: 0.85
    security_level: 2
    procedures: nato
    reporting_culture: {proactive: 0.7, responsive: 0.9, bypass: 0.05}
    report_writing: 0.85
    languages: [en, fr]
    local_knowledge: 0.15
    trust_threshold: 0.5
  multinational:
    # Geo-PKO's "Multinational" entries and the multinational staffs of FHQ and the sector HQs
    tech_level: 0.5
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.5, responsive: 0.8, bypass: 0.1}
    report_writing: 0.65
    languages: [en, fr]
    local_knowledge: 0.3
    trust_threshold: 0.45
  un_mission:
    # civilian sections and police of the mission (p. 391-392); UN network is unclassified (p. 400)
    tech_level: 0.6
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.6, responsive: 0.8, bypass: 0.0}
    report_writing: 0.8
    languages: [en, fr]
    local_knowledge: 0.45
    trust_threshold: 0.45
  un_humanitarian:
    # humanitarian actors outside MINUSMA (OCHA, NGOs), p. 396: they "saw the military peacekeepers as a
    # threat to their perceived impartiality"
    tech_level: 0.5
    security_level: 0
    procedures: un
    reporting_culture: {proactive: 0.4, responsive: 0.3, bypass: 0.0}
    report_writing: 0.75
    languages: [en, fr, bambara, songhai, tamasheq]
    local_knowledge: 0.7
    trust_threshold: 0.5
"""

KIND_DEFAULTS = """
# Capabilities and roles by unit kind (stylized). Sensor coverage = daily probability of detecting one
# indicator in a covered sector at full effort. Patrols of a contingent: coverage = 0.12 * min(1.5,
# strength / 650), computed per unit below; the default here is for strength 150 (Geo-PKO's company),
# used where Geo-PKO gives "size unknown". Community HUMINT of a contingent needs a local language (p. 398).
kind_defaults:
  battalion:
    component: military
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military, social]}
    sensors:
      - {type: patrol, coverage: 0.0277, domains: [military, social]}
      - {type: humint, coverage: 0.05, domains: [social, political], needs_language: true}
    roles: [collector]
    echelon: unit
    actor_block: Battalions
    kind_label: Battalion
  s2:
    # battalion intelligence cell (p. 392); "understaffed", quality of personnel "fell short" (p. 394)
    component: military
    strength: 4
    analysts: 1.0
    focus: {horizon: 0.2, domains: [military, social]}
    roles: [military_intelligence]
    echelon: unit
    actor_block: U2/G2/S2 line
    kind_label: Battalion S2
  sector_hq:
    # sector commander: needs current security intelligence (p. 394), acts on short notice. tasking_rate = daily
    # probability of a new request per subordinate; low (0.1) because African battalions "really have to be
    # tasked" (p. 398) and tasking was not routine (p. 394: G2 East did not know its S2 officers)
    component: military
    strength: 120
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military, social]}
    consumer: {lines: [security, protection_of_civilians], horizons: [imminent], lead_days: 0.25, sector_scoped: true}
    tasking_rate: 0.1
    roles: [sector_commander]
    echelon: sector
    actor_block: Force & sector HQ
    kind_label: Sector HQ
  g2:
    # sector intelligence cell: "understaffed" (p. 394); mid-2015 G2 East "did not even know who the S2
    # officers of its own battalions were" (p. 394)
    component: military
    strength: 8
    analysts: 3.0
    focus: {horizon: 0.2, domains: [military, social, political]}
    roles: [military_intelligence]
    echelon: sector
    actor_block: U2/G2/S2 line
    kind_label: Sector G2
  force_hq:
    # the Force Commander: wants current security intelligence (pp. 394-395)
    component: military
    strength: 200
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military, social]}
    consumer: {lines: [security, protection_of_civilians], horizons: [imminent], lead_days: 0.5, sector_scoped: false}
    tasking_rate: 0.3
    roles: [force_commander]
    echelon: leadership
    actor_block: Force & sector HQ
    kind_label: Force HQ
  u2:
    component: military
    strength: 15
    analysts: 4.0
    focus: {horizon: 0.25, domains: [military, social, political]}
    roles: [military_intelligence]
    echelon: headquarters
    actor_block: U2/G2/S2 line
    kind_label: U2
  u3:
    # operations branch of FHQ: uses current security intelligence
    component: military
    strength: 20
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military]}
    consumer: {lines: [security], horizons: [imminent], lead_days: 0.5, sector_scoped: false}
    roles: [staff_branch]
    echelon: headquarters
    actor_block: Force & sector HQ
    kind_label: U3
  asifu_hq:
    # p. 393: X-PMESII "Political, Military, Economic, Social, Infrastructure and Information"; p. 394: ASIFU
    # "refused ... and largely maintained its original focus on comprehensive intelligence on the mid- and
    # long-term"
    component: military
    strength: 40
    analysts: 8.0
    security_level: 2
    procedures: nato
    focus: {horizon: 0.85, domains: [political, military, economic, social, infrastructure, information]}
    tasking_rate: 0.3
    roles: [all_source_fusion]
    echelon: headquarters
    actor_block: ASIFU
    kind_label: ASIFU HQ
  isr_company:
    # p. 393: ISR company "of approximately 65 people"; its all-source cell (p. 397 fn. 57) fuses what the
    # company collects into INTREPs for ASIFU (p. 400): a current focus (0.25); the long-term focus is ASIFU HQ's
    component: military
    strength: 65
    analysts: 2.0
    focus: {horizon: 0.25, domains: [military, social, political, infrastructure]}
    tasking_rate: 0.2
    roles: [isr]
    echelon: sector
    actor_block: ASIFU
    kind_label: ISR company
  isr_taskforce:
    # p. 393: "a Swedish ISR Taskforce of approximately 200 people in sector West"
    component: military
    strength: 200
    analysts: 2.0
    focus: {horizon: 0.25, domains: [military, social, political, infrastructure]}
    roles: [isr]
    echelon: sector
    actor_block: ASIFU
    kind_label: ISR task force
  humint_team:
    component: military
    strength: 10
    analysts: 0.0
    focus: {horizon: 0.4, domains: [military, social, political]}
    roles: [isr]
    echelon: sector
    actor_block: ASIFU
    kind_label: HUMINT team
  special_forces:
    component: military
    strength: 90
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military]}
    roles: [isr]
    echelon: headquarters
    actor_block: SOLTG/helicopters
    kind_label: Special forces
  helicopter_detachment:
    component: military
    strength: 150
    analysts: 0.0
    focus: {horizon: 0.1, domains: [military, infrastructure]}
    roles: [isr]
    echelon: headquarters
    actor_block: SOLTG/helicopters
    kind_label: Helicopter det.
  jmac:
    # p. 391: "mission-wide and longer-term analysis for the senior management"
    component: civilian
    strength: 20
    analysts: 5.0
    focus: {horizon: 0.8, domains: [political, military, economic, social, infrastructure, information]}
    roles: [mission_analysis]
    echelon: headquarters
    actor_block: JMAC
    kind_label: JMAC
  joc:
    # p. 391: "kept track of the situation on the ground, focusing on unfolding events and the immediate future"
    component: civilian
    strength: 15
    analysts: 2.0
    focus: {horizon: 0.1, domains: [military, political, social, infrastructure]}
    roles: [operations_centre]
    echelon: headquarters
    actor_block: JOC
    kind_label: JOC
  undss:
    component: civilian
    strength: 30
    analysts: 1.0
    focus: {horizon: 0.15, domains: [military, social]}
    consumer: {lines: [security], horizons: [imminent], lead_days: 0.25, sector_scoped: false}
    roles: [security_service]
    echelon: headquarters
    actor_block: UNDSS
    kind_label: UNDSS
  unpol:
    # p. 391: about 1000 police by 2015
    component: police
    strength: 1000
    analysts: 0.0
    focus: {horizon: 0.2, domains: [social, military]}
    consumer: {lines: [protection_of_civilians], horizons: [imminent], lead_days: 0.5, sector_scoped: false}
    roles: [police]
    echelon: headquarters
    actor_block: UNPOL
    kind_label: UNPOL
  police_commissioner:
    component: police
    strength: 10
    analysts: 0.0
    focus: {horizon: 0.4, domains: [social, political]}
    consumer: {lines: [protection_of_civilians], horizons: [mid], lead_days: 2.0, sector_scoped: false}
    tasking_rate: 0.1
    roles: [police]
    actor_block: UNPOL
    kind_label: Police commissioner
  srsg_office:
    component: civilian
    strength: 30
    analysts: 0.0
    focus: {horizon: 0.7, domains: [political, social, economic]}
    consumer: {lines: [political_process, state_authority, protection_of_civilians], horizons: [mid, long], lead_days: 3.0, sector_scoped: false}
    tasking_rate: 0.2
    roles: [mission_leadership]
    echelon: leadership
    actor_block: SRSG office
    kind_label: SRSG office
  civil_affairs:
    component: civilian
    strength: 60
    analysts: 0.0
    focus: {horizon: 0.7, domains: [political, social, economic]}
    consumer: {lines: [state_authority], horizons: [mid, long], lead_days: 5.0, sector_scoped: false}
    roles: [civilian_section]
    actor_block: Civilian sections
    kind_label: Civil affairs
  humanitarian:
    component: external
    strength: 100
    analysts: 0.0
    focus: {horizon: 0.5, domains: [social, infrastructure]}
    consumer: {lines: [humanitarian], horizons: [mid], lead_days: 2.0, sector_scoped: false}
    roles: [external_actor]
    actor_block: Humanitarian
    kind_label: Humanitarian
  board:
    component: civilian
    strength: 0
    analysts: 0.0
    roles: [coordination_board]
    echelon: headquarters
    kind_label: Coordination board
  liaison_officer:
    component: military
    strength: 2
    analysts: 0.0
    roles: [liaison]
    echelon: sector
    actor_block: Liaison officers
    kind_label: Liaison officer
"""

TRUST = """
# Trust priors (stylized), trust[truster][trustee]. Precedence in the engine: pair override > group row >
# same group > default; same contributor raises a prior to at least same_contributor unless a group row
# names the trustee's group.
trust:
  default: 0.5
  same_group: 0.75
  same_contributor: 0.8
  groups:
    western_european:
      # p. 397: "divided information and divided race"; p. 394: "a trust sport, which you only play with
      # those you trust"; p. 400: the Estonians not allowed to operate Dutch radios
      west_african: 0.25
      central_african: 0.25
      north_african: 0.35
      south_asian: 0.4
      east_asian: 0.35
      southeast_asian: 0.4
      latin_american: 0.4
      multinational: 0.4
      un_mission: 0.4
      un_humanitarian: 0.45
      eastern_european: 0.55
      north_american: 0.7
    eastern_european: {western_european: 0.7, west_african: 0.3, central_african: 0.3, multinational: 0.45}
    north_american: {western_european: 0.75, west_african: 0.3, central_african: 0.3, multinational: 0.45}
    # p. 397: exclusion is felt by the excluded (stylized)
    west_african: {western_european: 0.4, eastern_european: 0.4, north_american: 0.4, central_african: 0.6, multinational: 0.55, un_mission: 0.5}
    central_african: {western_european: 0.4, eastern_european: 0.4, north_american: 0.4, west_african: 0.6, multinational: 0.55}
    # p. 400: the Bangladesh riverine unit asked ASIFU for formats
    south_asian: {western_european: 0.55}
    # pp. 392, 396: civilian and military components in different stovepipes
    un_mission: {western_european: 0.45, eastern_european: 0.45, north_american: 0.45, west_african: 0.45, central_african: 0.45, north_african: 0.45, south_asian: 0.45, east_asian: 0.45, southeast_asian: 0.45, latin_american: 0.45, multinational: 0.45, un_humanitarian: 0.5}
    # pp. 396-397: the humanitarian principle; "not very keen on us visiting them ... to not be identified
    # with the military part of the UN"
    un_humanitarian: {western_european: 0.15, eastern_european: 0.15, north_american: 0.15, west_african: 0.15, central_african: 0.15, north_african: 0.15, south_asian: 0.15, east_asian: 0.15, southeast_asian: 0.15, latin_american: 0.15, multinational: 0.15, un_mission: 0.35}
  pairs:
    # p. 398: SOLTG's "'macho' culture"; p. 401: ISR personnel ignoring SOLTG safety orders
    - {{source: soltg, target: isr_company_gao, value: 0.3}}
    - {{source: isr_company_gao, target: soltg, value: 0.3}}
    # p. 395: JMAC-ASIFU rivalry; "most people keep information to themselves"
    - {{source: jmac, target: asifu_hq, value: 0.3}}
    - {{source: asifu_hq, target: jmac, value: 0.3}}
    # p. 394: ASIFU sat "under direct hierarchical control of the Force Commander": it reports to its own
    # commander (the group row, western_european -> multinational 0.4, would have it withhold from him); its
    # products were used little because they were "detached from the Force Commander's main interest"
    - {{source: asifu_hq, target: force_hq, value: 0.6}}
{extra_pairs}"""


def unit_block(fields, comment=None, indent="  "):
    """Block-style YAML list item from an ordered mapping (values rendered as flow YAML)."""
    lines = []
    if comment:
        for c in comment.strip().splitlines():
            lines.append(f"{indent}# {c.strip()}")
    first = True
    for k, v in fields.items():
        if v is None and k != "strength":
            continue
        text = flow({k: v})[1:-1].strip()
        lines.append(f"{indent}- {text}" if first else f"{indent}  {text}")
        first = False
    return "\n".join(lines)


def loc(name, place, sector):
    lat, lon = COORD[place]
    return {"location": name, "sector": sector, "latitude": lat, "longitude": lon}


def staff_units(year):
    """Non-Geo-PKO units: HQs, intelligence cells, enablers, civilian sections."""
    U = []
    integrated = year >= 2018
    has_jcb = year >= 2015
    # --- sector HQs and their G2 cells
    for sec, place, name, where in (
        ("west", "tombouctou", "Sector HQ West (Timbuktu)", "Tombouctou (Timbuktu)"),
        ("east", "gao", "Sector HQ East (Gao)", "Gao"),
        ("north", "kidal", "Sector HQ North (Kidal)", "Kidal"),
    ):
        U.append((
            {"id": f"shq_{sec}", "name": name, "kind": "sector_hq", "component": "military",
             "contributor": "MINUSMA (multinational)", "group": "multinational", **loc(where, place, sec),
             "source": "p. 391: SHQ-West in Timbuktu, SHQ-East in Gao, SHQ-North in Kidal (created 2014)"},
            None,
        ))
        U.append((
            {"id": f"g2_{sec}", "name": f"G2, {name}", "kind": "g2", "component": "military",
             "contributor": "MINUSMA (multinational)", "group": "multinational", **loc(where, place, sec),
             "source": "p. 392: G2 cells of the sector HQs; p. 394: understaffed"},
            None,
        ))
    # --- Force HQ
    U.append(({"id": "force_hq", "name": "Force Commander (FHQ Bamako)", "kind": "force_hq",
               "component": "military", "contributor": "MINUSMA (multinational)", "group": "multinational",
               **loc("Bamako", "bamako", "bamako"),
               "source": "p. 392: the force commander directed all the military assets; pp. 394-395"},
              "Force HQ, Bamako (p. 391). The FC holds command of the SHQs, U2, SOLTG and the helicopters (p. 395)."))
    u2 = {"id": "u2", "name": "U2 (FHQ intelligence branch)", "kind": "u2", "component": "military",
          "contributor": "MINUSMA (multinational)", "group": "multinational", **loc("Bamako", "bamako", "bamako")}
    if integrated:
        u2.update({"security_level": 2, "rivals": [],
                   "source": "p. 392: U2; p. 394 and fn. 72 (p. 403): U2 and ASIFU integrated in late 2017, "
                             "shared database (stylized: U2 cleared to level 2)"})
    else:
        u2.update({"rivals": ["asifu_hq"],
                   "source": "p. 392: U2; p. 394: stove-piped from ASIFU, understaffed; p. 396: leaders pit "
                             "ASIFU, JMAC and U2 against each other"})
    U.append((u2, None))
    U.append(({"id": "u3", "name": "U3 (FHQ operations)", "kind": "u3", "component": "military",
               "contributor": "MINUSMA (multinational)", "group": "multinational",
               **loc("Bamako", "bamako", "bamako"), "source": "p. 396: U3 is a JCB member; consumer of current security intelligence"},
              None))
    # --- ASIFU and its ISR units
    asifu = {"id": "asifu_hq", "name": "ASIFU HQ (All Sources Information Fusion Unit)", "kind": "asifu_hq",
             "component": "military", "contributor": "Netherlands", "group": "western_european",
             **loc("Bamako", "bamako", "bamako")}
    if integrated:
        asifu.update({"focus": {"horizon": 0.45}, "rivals": ["jmac"],
                      "source": "p. 393: ASIFU HQ in Bamako; fn. 72 (p. 403): integrated with U2 (late 2017, p. 394); "
                                "stylized: focus moved toward current intelligence (0.85 -> 0.45)"})
    else:
        asifu.update({"rivals": ["jmac", "u2"],
                      "source": "p. 393: ASIFU HQ in Bamako under the FC (p. 394); p. 394: kept its mid- and long-term "
                                "focus; p. 395: rivalry with JMAC"})
    U.append((asifu, "ASIFU (p. 393): HQ in Bamako with an ISR company in Gao and (from 2015) a Swedish ISR task force in Timbuktu."))
    uav_day = 180 if year == 2014 else 0
    isr_sensors = [
        {"type": "uav", "coverage": 0.35, "domains": ["military", "infrastructure"], "available_day": uav_day},
        {"type": "humint", "coverage": 0.2, "domains": ["military", "social", "political"], "needs_language": True},
        {"type": "patrol", "coverage": 0.06, "domains": ["military", "social", "infrastructure"]},
    ]
    isr_contrib = "Germany" if integrated else "Netherlands"
    isr_src = ("p. 393: multinational ISR company of about 65 under Dutch command in Gao (2014-2016); "
               + ("2018: Germany leads in Gao (Geo-PKO 2018: Germany 1750 at Gao) - lead nation an assumption; "
                  if integrated else "")
               + "pp. 400-401: Scaneagle UAVs"
               + (", accreditation took almost half a year in 2014 (available_day 180)" if year == 2014 else ""))
    U.append(({"id": "isr_company_gao", "name": "ISR company (Gao)", "kind": "isr_company", "component": "military",
               "contributor": isr_contrib, "group": "western_european", **loc("Gao", "gao", "east"),
               "sensors": isr_sensors, "source": isr_src}, None))
    if year >= 2015:
        U.append(({"id": "isr_tf_timbuktu", "name": "Swedish ISR task force (Timbuktu)", "kind": "isr_taskforce",
                   "component": "military", "contributor": "Sweden", "group": "western_european",
                   **loc("Tombouctou (Timbuktu)", "tombouctou", "west"),
                   "sensors": [dict(s, available_day=0) for s in isr_sensors],
                   "source": "p. 393: Swedish ISR Taskforce of about 200 in sector West; p. 401: Swedish UAVs; "
                             "Geo-PKO has Sweden at Timbuktu from 2015 (absent in 2014)"}, None))
        U.append(({"id": "humint_ee", "name": "Estonian HUMINT team (in the ISR company)", "kind": "humint_team",
                   "component": "military", "contributor": "Estonia", "group": "eastern_european",
                   **loc("Gao", "gao", "east"), "escort_cost": 0.3,
                   "languages": ["en"],
                   "sensors": [{"type": "humint", "coverage": 0.2, "domains": ["military", "social", "political"],
                                "needs_language": True}],
                   "source": "p. 400: from 2015 an Estonian HUMINT team embedded in the Dutch ISR company in Gao; "
                             "not allowed to operate the FM9000 radios, so Dutch escorts were needed (escort_cost)"
                             + ("; 2018 presence assumed (carried over)" if integrated else "")}, None))
    U.append(({"id": "soltg", "name": "SOLTG (Special Operations Land Task Group)", "kind": "special_forces",
               "component": "military", "contributor": "Netherlands", "group": "western_european",
               **loc("Gao", "gao", "east"), "mandate_fidelity": 0.5,
               "sensors": [{"type": "patrol", "coverage": 0.15, "domains": ["military"],
                            "sectors": ["east", "north", "west"]}],
               "source": "p. 395: Dutch SF under the FC's direct command; acted as if it had a counter-terrorism "
                         "mandate ('went to Mali to kill people') -> mandate_fidelity 0.5 (stylized)"
                         + ("; 2018 presence assumed (carried over for comparability)" if integrated else "")},
              None))
    heli_contrib = "Germany" if integrated else "Netherlands"
    U.append(({"id": "heli_det", "name": "Helicopter detachment (Apache/Chinook)", "kind": "helicopter_detachment",
               "component": "military", "contributor": heli_contrib, "group": "western_european",
               **loc("Gao", "gao", "east"),
               "sensors": [{"type": "helicopter", "coverage": 0.25, "domains": ["military", "infrastructure"],
                            "sectors": ["east", "north", "west"]}],
               "source": "p. 391: Apache and Chinook detachment; p. 395: under the FC's direct command; p. 400: "
                         "image metadata withheld on the UN-classified network (security_level 2)"
                         + ("; 2018: lead nation Germany (first half of 2018) is an assumption" if integrated else "")},
              None))
    # --- civilian side
    U.append(({"id": "srsg_office", "name": "Office of the SRSG", "kind": "srsg_office", "component": "civilian",
               "contributor": "UN", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "source": "p. 392: the mission is headed by the SRSG; civilian officials emphasize the political and "
                         "reconstruction processes"},
              "Civilian component (pp. 391-392). The chief of staff directs JMAC, JOC and UNDSS; the police commissioner UNPOL."))
    U.append(({"id": "jmac", "name": "JMAC (Joint Mission Analysis Centre)", "kind": "jmac", "component": "civilian",
               "contributor": "UN", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "languages": ["en", "fr", "bambara", "arabic"], "rivals": ["asifu_hq"],
               "source": "p. 391: mission-wide, longer-term analysis; pp. 395-396: rivalry with ASIFU"
                         + ("; p. 396: chairs the JCB" if has_jcb else "")}, None))
    U.append(({"id": "joc", "name": "JOC (Joint Operations Centre)", "kind": "joc", "component": "civilian",
               "contributor": "UN", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "source": "p. 391: current situational awareness"}, None))
    U.append(({"id": "undss", "name": "UNDSS", "kind": "undss", "component": "civilian", "contributor": "UN",
               "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "sensors": [{"type": "security_network", "coverage": 0.03, "domains": ["military", "social"],
                            "sectors": ["west", "east", "north", "bamako"]}],
               "source": "p. 391: UNDSS; p. 394: ASIFU was to support the SRSG 'through the JMAC and UNDSS'"}, None))
    U.append(({"id": "police_commissioner", "name": "Police Commissioner", "kind": "police_commissioner",
               "component": "police", "contributor": "UN", "group": "un_mission",
               **loc("Bamako", "bamako", "bamako"), "source": "p. 392: the police commissioner directs UNPOL"}, None))
    U.append(({"id": "unpol", "name": "UNPOL (police component)", "kind": "unpol", "component": "police",
               "contributor": "UN (police contributors)", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "sensors": [{"type": "patrol", "coverage": 0.05, "domains": ["social", "military"],
                            "sectors": ["west", "east", "north", "bamako"]}],
               "source": "p. 391: about 1000 police (2015); p. 395: overlapping strategies with ASIFU; strength "
                         "and patrol coverage stylized"}, None))
    U.append(({"id": "civil_affairs", "name": "Civil Affairs", "kind": "civil_affairs", "component": "civilian",
               "contributor": "UN", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
               "languages": ["fr", "en", "bambara", "songhai", "tamasheq", "fulfulde", "arabic"],
               "local_knowledge": 0.6,
               "sensors": [{"type": "humint", "coverage": 0.08, "domains": ["political", "social", "economic"],
                            "sectors": ["west", "east", "north", "bamako"], "needs_language": True}],
               "source": "p. 391: Civil Affairs among the civilian agencies; national staff speak local languages "
                         "(stylized)"}, None))
    U.append(({"id": "humanitarian", "name": "Humanitarian actors (OCHA, NGOs)", "kind": "humanitarian",
               "component": "external", "contributor": "OCHA/NGOs", "group": "un_humanitarian",
               **loc("Bamako", "bamako", "bamako"),
               "sensors": [{"type": "humint", "coverage": 0.06, "domains": ["social", "infrastructure"],
                            "sectors": ["west", "east", "north"], "needs_language": True}],
               "source": "pp. 396-397: humanitarian actors outside MINUSMA keep their distance from the military "
                         "(humanitarian principle); UNOCHA in Gao"}, None))
    if has_jcb:
        U.append(({"id": "jcb", "name": "Joint Coordination Board", "kind": "board", "component": "civilian",
                   "contributor": "UN", "group": "un_mission", **loc("Bamako", "bamako", "bamako"),
                   "board": {"period_days": 7},
                   "source": "p. 396: installed in 2015, chaired by the chief of JMAC, weekly; coordinating only, "
                             "'no directive powers'"}, None))
    return U


def e(source, target, type_, latency, reliability, **kw):
    d = {"source": source, "target": target, "type": type_, "latency_days": latency, "reliability": reliability}
    d.update(kw)
    return d


def staff_edges(year, sectors_present):
    integrated = year >= 2018
    C = []  # (comment, [edges])
    # command
    cmd = [e("force_hq", f"shq_{s}", "command", 0.25, 0.95) for s in ("west", "east", "north")]
    cmd += [e(f"shq_{s}", f"g2_{s}", "command", 0.1, 0.98) for s in ("west", "east", "north")]
    cmd += [e("force_hq", "u2", "command", 0.1, 0.98), e("force_hq", "u3", "command", 0.1, 0.98)]
    if integrated:
        cmd += [e("u2", "asifu_hq", "command", 0.1, 0.98)]
    else:
        cmd += [e("force_hq", "asifu_hq", "command", 0.1, 0.98)]
    cmd += [e("force_hq", "soltg", "command", 0.25, 0.95), e("force_hq", "heli_det", "command", 0.25, 0.95)]
    cmd += [e("asifu_hq", "isr_company_gao", "command", 0.25, 0.95)]
    if year >= 2015:
        cmd += [e("asifu_hq", "isr_tf_timbuktu", "command", 0.25, 0.95),
                e("isr_company_gao", "humint_ee", "command", 0.1, 0.95)]
    cmd += [e("srsg_office", x, "command", 0.25, 0.95) for x in ("jmac", "joc", "undss", "civil_affairs",
                                                                 "police_commissioner")]
    cmd += [e("police_commissioner", "unpol", "command", 0.25, 0.95)]
    C.append(("command (authority to task). p. 395: SOLTG and helicopters under the FC's direct command; "
              + ("p. 394 / fn. 72: ASIFU under U2 since late 2017" if integrated else
                 "p. 394: ASIFU 'under direct hierarchical control of the Force Commander'")
              + "; p. 392: chief of staff -> JMAC, JOC, UNDSS; police commissioner -> UNPOL", cmd))
    cc = [e(f"shq_{s}", "force_hq", "commander_chain", 0.1, 0.95) for s in ("west", "east", "north")]
    C.append(("commander chain, sector commander -> FC (p. 399: 'if you are unlucky the Sector commander reports "
              "it to the Force Commander')", cc))
    intel = []
    for s in ("west", "east", "north"):
        intel += [e(f"g2_{s}", "u2", "intel", 0.5, 0.9), e(f"g2_{s}", f"shq_{s}", "intel", 0.1, 0.98)]
    intel += [e("u2", "force_hq", "intel", 0.1, 0.98), e("u2", "u3", "intel", 0.1, 0.98),
              e("u2", "joc", "intel", 0.25, 0.9)]
    C.append(("military intelligence line S2 -> G2 -> U2 (p. 392), G2 products to the sector commander, U2 to FC/U3/JOC", intel))
    asifu = [e("isr_company_gao", "asifu_hq", "intel", 0.25, 0.95)]
    if year >= 2015:
        asifu += [e("isr_tf_timbuktu", "asifu_hq", "intel", 0.25, 0.95),
                  e("humint_ee", "isr_company_gao", "intel", 0.1, 0.95)]
    asifu += [e("asifu_hq", "force_hq", "intel", 0.25, 0.95)]
    asifu += [e("asifu_hq", f"shq_{s}", "intel", 0.5, 0.85) for s in ("west", "east", "north")]
    if integrated:
        asifu += [e("u2", "asifu_hq", "intel", 0.1, 0.98), e("asifu_hq", "u2", "intel", 0.1, 0.98)]
    C.append(("ASIFU line (p. 393): ISR units -> ASIFU HQ -> FC and the sector HQs (p. 394: products to support "
              "'the operational (force headquarters) and tactical (sector headquarters) level')"
              + ("; integrated U2-ASIFU with a shared database, both ways (p. 394, fn. 72)" if integrated else ""),
              asifu))
    sf = [e("soltg", "u2", "intel", 0.25, 0.9), e("heli_det", "u2", "intel", 0.25, 0.9)]
    C.append(("SOLTG and helicopters report to U2 (p. 396: 'Their reports went to the U2 and ASIFU, but not to the wider mission')", sf))
    inf = [e("soltg", "asifu_hq", "informal", 0.5, 0.6), e("heli_det", "asifu_hq", "informal", 0.5, 0.6),
           e("asifu_hq", "jmac", "informal", 0.5, 0.6), e("asifu_hq", "undss", "informal", 0.5, 0.6)]
    C.append(("informal (p. 395): flows from SOLTG/helicopters to ASIFU 'heavily relied on informal agreements and "
              "relationships'; ASIFU was to support the SRSG 'through the JMAC and UNDSS' (p. 394) but no formal "
              "line existed", inf))
    civ = [e("jmac", "srsg_office", "intel", 0.25, 0.95), e("joc", "srsg_office", "intel", 0.1, 0.95),
           e("undss", "srsg_office", "intel", 0.25, 0.95), e("undss", "joc", "intel", 0.25, 0.9),
           e("joc", "undss", "intel", 0.1, 0.95), e("joc", "unpol", "intel", 0.25, 0.9),
           e("unpol", "jmac", "intel", 0.5, 0.9), e("unpol", "joc", "intel", 0.25, 0.9),
           e("unpol", "police_commissioner", "intel", 0.25, 0.95),
           e("civil_affairs", "jmac", "intel", 0.5, 0.9), e("civil_affairs", "srsg_office", "intel", 0.5, 0.9),
           e("jmac", "civil_affairs", "intel", 0.5, 0.9), e("jmac", "police_commissioner", "intel", 0.5, 0.9)]
    C.append(("civilian information lines (pp. 391-392): JMAC and JOC serve the senior management", civ))
    hum = [e("humanitarian", "civil_affairs", "liaison", 1.0, 0.8), e("jmac", "humanitarian", "liaison", 1.0, 0.8)]
    C.append(("humanitarian coordination, at arm's length (pp. 396-397)", hum))
    if year >= 2015:
        members = ["jmac", "asifu_hq", "u2", "undss", "u3", "unpol", "joc", "srsg_office"]
        board = [e(m, "jcb", "board", 0.0, 0.95, directive=False) for m in members]
        C.append(("JCB membership (p. 396): chaired by JMAC; JMAC, ASIFU, U2, UNDSS, U3, UNPOL, JOC and the office of "
                  "the SRSG; 'a coordinating body only, it had no directive powers'", board))
    return C


def build(year):
    cs = geopko.import_contingents(DATA, "MINUSMA", year)
    s2_units, scaffold_edges = geopko.scaffold(cs)
    meta = {
        2014: dict(title="ASIFU arrives; no Joint Coordination Board",
                   description=("MINUSMA in 2014: ASIFU deployed under the Force Commander, stove-piped from "
                                "U2/G2/S2; the Dutch Scaneagle UAVs await UN accreditation (about half a year, "
                                "p. 401); no Joint Coordination Board yet; no Swedish ISR task force and no "
                                "Estonian HUMINT team yet. Contingents from Geo-PKO v2.3 (2014)."),
                   start_date="2014-07-01"),
        2015: dict(title="JCB installed, coordinating only",
                   description=("MINUSMA in 2015: ASIFU under the Force Commander with the Dutch-led ISR company "
                                "(Gao), the Swedish ISR task force (Timbuktu) and an Estonian HUMINT team; the "
                                "weekly Joint Coordination Board chaired by JMAC, without directive powers "
                                "(p. 396). Contingents from Geo-PKO v2.3 (2015)."),
                   start_date="2015-07-01"),
        2018: dict(title="U2 and ASIFU integrated (late 2017)",
                   description=("MINUSMA in 2018: U2 and ASIFU integrated since late 2017 (p. 394, fn. 72 p. 403), "
                                "ASIFU HQ under U2 with a shared database; the JCB remains coordinating only. "
                                "Contingents from Geo-PKO v2.3 (2018)."),
                   start_date="2018-01-01"),
    }[year]
    out = [HEADER.format(year=year, title=meta["title"]).rstrip("\n"), ""]
    out.append(COMMON_TOP.format(year=year, **meta).rstrip("\n"))
    out.append(GROUP_DEFAULTS.rstrip("\n"))
    out.append(KIND_DEFAULTS.rstrip("\n"))
    # units
    out.append("")
    out.append("units:")
    out.append(f"  # ---- (a) contingents: Geo-PKO v2.3 TCCMap, MINUSMA {year}, one per contributor x location ----")
    out.append("  # contributor, location, latitude, longitude, strength: Geo-PKO, verbatim (tests/test_geopko.py checks).")
    out.append("  # sector: missionfit.importers.geopko.LOCATION_SECTORS; group: missionfit.importers.geopko.CONTRIBUTOR_GROUPS.")
    out.append("  # sensors (stylized): patrol coverage = 0.12 * min(1.5, strength / 650); community HUMINT 0.05.")
    riverine = set()
    for c in cs:
        u = c.unit()
        if c.strength is not None:
            sensors = [
                {"type": "patrol", "coverage": patrol(c.strength), "domains": ["military", "social"]},
                {"type": "humint", "coverage": 0.05, "domains": ["social", "political"], "needs_language": True},
            ]
            if c.contributor == "Bangladesh" and c.location == "Gao" and c.troop_types.get("riv", 0) > 0:
                sensors.append({"type": "riverine", "coverage": 0.08, "domains": ["military", "economic"]})
                riverine.add(c.id)
            u["sensors"] = sensors
        comment = None
        if c.strength is None:
            comment = "Geo-PKO: size unknown -> strength null; kind_defaults sensors (company-size patrols) apply"
        if c.id in riverine:
            comment = ("Bangladesh Riverine Unit (p. 400: 'They do report and asked us for formats'); TTMap counts "
                       f"{c.troop_types['riv']} riverine units at Gao in {year} -> riverine sensor (stylized)")
        out.append(unit_block(u, comment))
    out.append(f"  # ---- (b) S2 cells: contingents of strength >= {geopko.S2_MIN_STRENGTH} outside Bamako (p. 392) ----")
    out.append("  # smaller contingents and 'size unknown' report straight to the sector G2; Bamako contingents to U2.")
    for s in s2_units:
        out.append("  - " + flow(s))
    out.append("  # ---- (c)-(g) headquarters, intelligence components and civilian sections (Rietjens & Ruffa 2019) ----")
    for u, comment in staff_units(year):
        out.append(unit_block(u, comment))
    # edges
    out.append("")
    out.append("# Edges. Latency (days) and reliability are stylized: low-tech field reporting is slow and lossy")
    out.append("# (p. 399), HQ-internal lines fast and reliable. The engine adds tech, language and procedure penalties.")
    out.append("edges:")
    out.append("  # ---- contingent-level edges (missionfit.importers.geopko.scaffold): battalion -> S2 -> G2 (intel), battalion ->")
    out.append("  # sector HQ (commander_chain, the bypass of p. 399), sector HQ -> battalion (command) ----")
    for ed in scaffold_edges:
        out.append("  - " + flow(ed))
    for comment, edges in staff_edges(year, None):
        out.append(f"  # ---- {comment} ----")
        for ed in edges:
            out.append("  - " + flow(ed))
    extra = ""
    if year >= 2018:
        extra = ("    # p. 394, fn. 72 (p. 403): U2 and ASIFU integrated in late 2017 (stylized high trust)\n"
                 "    - {source: u2, target: asifu_hq, value: 0.85}\n"
                 "    - {source: asifu_hq, target: u2, value: 0.85}\n")
    out.append(TRUST.replace("{{", "{").replace("}}", "}").replace("{extra_pairs}", extra).rstrip("\n"))
    text = "\n".join(out) + "\n"
    (OUT / f"minusma_{year}.yaml").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    for y in (int(a) for a in (sys.argv[1:] or ["2014", "2015", "2018"])):
        build(y)
        print("built", y)
