"""Import contingent units from Geo-PKO CSV files.

The Geocoded Peacekeeping Operations dataset (Geo-PKO, v2.3; Cil, Fjelde, Hultman & Nilsson 2020, "Mapping
blue helmets: Introducing the Geocoded Peacekeeping Operations (Geo-PKO) dataset", Journal of Peace
Research 57(2): 360-370) records, per mission, year and deployment location, the troop-contributing
countries with an *estimated* number of troops (estimated from the unit symbols on UN deployment maps with
standard unit sizes, company about 150, battalion about 650; not head counts).

This module reads three of its tables:

- ``TCCMap``: one row per location and year; ``year.overview`` lists the contributors, e.g.
  ``"Bangladesh (300), Benin (150), Indonesia (size unknown)"``. This is the source of the units.
- ``TTMap``: troop types per location and year (infantry troops; counts of engineer, medical, signals,
  aviation, riverine, maintenance and transport units). The types are not attributed to contributors,
  so they annotate a unit's ``source`` but do not decide its kind.
- ``FrontMap``: locations per map of the year with an ``hq`` code (2 = sector HQ, 3 = mission HQ). Used to
  check that the sector-HQ locations agree with the location-to-sector table.

It emits one contingent unit per contributor and location (:class:`Contingent`), with a sector from a
documented location-to-sector table (:data:`LOCATION_SECTORS`, MINUSMA) and a contributor group from a
documented table (:data:`CONTRIBUTOR_GROUPS`). :func:`scaffold` adds, optionally, the battalion S2 cells
and the standard contingent-level edges of the MINUSMA scenarios, and :func:`to_yaml` writes ``units:``
(and ``edges:``) entries that conform to :class:`missionfit.scenario.schema.UnitSpec` and
:class:`missionfit.scenario.schema.EdgeSpec`. The module has no dependency on the simulation engine.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Citation of the dataset, to be repeated wherever its figures are used.
GEOPKO_CITATION = (
    "Cil, D., Fjelde, H., Hultman, L., & Nilsson, D. (2020). Mapping blue helmets: Introducing the "
    "Geocoded Peacekeeping Operations (Geo-PKO) dataset. Journal of Peace Research, 57(2), 360-370. "
    "Data version 2.3."
)

GEOPKO_VERSION = "2.3"

#: Location (normalized with :func:`slug`) -> sector, MINUSMA. Rietjens & Ruffa (2019, p. 391) name the
#: Force HQ in Bamako and three sector HQs: West (Timbuktu), East (Gao) and North (Kidal, created 2014,
#: "a smaller but very turbulent region"). Locations are assigned by administrative region:
#:
#: - west: Timbuktu region (Tombouctou, Goundam, Ber, Léré, Diré, Niafunké, Gossi/Gourma-Rharous) and, as a
#:   modelling choice, the central regions Mopti (Mopti/Sévaré, Douentza) and Ségou (Diabaly, spelled
#:   "Dyabali" in Geo-PKO): the paper knows no sector HQ for the centre, and these deployments lie on the
#:   western side of the Niger bend, closer to Timbuktu than to Gao. A "centre" sector would be an
#:   addition the paper does not support for 2014-2018.
#: - east: Gao region (Gao, Ansongo, Bourem, Ménaka, Tessit, Labbezanga).
#: - north: Kidal region (Kidal, Aguelhok, Tessalit, Anefis, Abeibara, Tin-Essako).
#: - bamako: the capital, seat of the Force HQ (FHQ) and the mission HQ.
LOCATION_SECTORS: dict[str, str] = {
    # West: Timbuktu region
    "tombouctou_timbuktu": "west",
    "tombouctou": "west",
    "timbuktu": "west",
    "goundam": "west",
    "ber": "west",
    "lere": "west",
    "dire": "west",
    "niafunke": "west",
    "gossi": "west",
    "gourma_rharous": "west",
    # West (modelling choice): Mopti and Segou regions
    "mopti_sevare": "west",
    "mopti": "west",
    "sevare": "west",
    "douentza": "west",
    "dyabali": "west",
    "diabaly": "west",
    # East: Gao region (Menaka became a region of its own in 2016; same sector)
    "gao": "east",
    "ansongo": "east",
    "bourem": "east",
    "menaka": "east",
    "tessit": "east",
    "labbezanga": "east",
    # North: Kidal region
    "kidal": "north",
    "aguelhok": "north",
    "tessalit": "north",
    "anefis": "north",
    "abeibara": "north",
    "tin_essako": "north",
    # Force HQ
    "bamako": "bamako",
}

#: Sector -> location of its headquarters (p. 391), used to cross-check against FrontMap's hq codes.
SECTOR_HQ_LOCATIONS: dict[str, str] = {
    "west": "tombouctou_timbuktu",
    "east": "gao",
    "north": "kidal",
    "bamako": "bamako",
}

#: Contributor (normalized with :func:`slug`) -> contributor group. Groups follow broad world regions
#: (African contributors by the sub-regional economic community they belong to: ECOWAS = west_african,
#: ECCAS = central_african), because the paper's cultural mechanisms are stated at that level: European vs
#: African (p. 397 "divided information and divided race"), West-African command culture (p. 397),
#: western high-tech vs African and Asian low-tech contributors (p. 399).
CONTRIBUTOR_GROUPS: dict[str, str] = {
    # western_european (incl. Nordic); "the skiing nations" (p. 397)
    "austria": "western_european",
    "belgium": "western_european",
    "denmark": "western_european",
    "finland": "western_european",
    "france": "western_european",
    "germany": "western_european",
    "ireland": "western_european",
    "italy": "western_european",
    "netherlands": "western_european",
    "norway": "western_european",
    "portugal": "western_european",
    "spain": "western_european",
    "sweden": "western_european",
    "switzerland": "western_european",
    "uk": "western_european",
    "united_kingdom": "western_european",
    # eastern_european (p. 400: the Estonian HUMINT team inside the Dutch ISR company)
    "czech_republic": "eastern_european",
    "estonia": "eastern_european",
    "latvia": "eastern_european",
    "lithuania": "eastern_european",
    "poland": "eastern_european",
    "romania": "eastern_european",
    # west_african (ECOWAS)
    "benin": "west_african",
    "burkina_faso": "west_african",
    "cote_divoire": "west_african",
    "gambia": "west_african",
    "ghana": "west_african",
    "guinea": "west_african",
    "guinea_bissau": "west_african",
    "liberia": "west_african",
    "mali": "west_african",
    "niger": "west_african",
    "nigeria": "west_african",
    "senegal": "west_african",
    "sierra_leone": "west_african",
    "togo": "west_african",
    # central_african (ECCAS)
    "burundi": "central_african",
    "cameroon": "central_african",
    "chad": "central_african",
    "gabon": "central_african",
    "rwanda": "central_african",
    # north_african
    "algeria": "north_african",
    "egypt": "north_african",
    "mauritania": "north_african",
    "morocco": "north_african",
    "tunisia": "north_african",
    # middle_eastern
    "jordan": "middle_eastern",
    # south_asian
    "bangladesh": "south_asian",
    "bhutan": "south_asian",
    "india": "south_asian",
    "nepal": "south_asian",
    "pakistan": "south_asian",
    "sri_lanka": "south_asian",
    # east_asian
    "china": "east_asian",
    "japan": "east_asian",
    "mongolia": "east_asian",
    "south_korea": "east_asian",
    # southeast_asian
    "cambodia": "southeast_asian",
    "indonesia": "southeast_asian",
    "malaysia": "southeast_asian",
    "vietnam": "southeast_asian",
    # latin_american
    "el_salvador": "latin_american",
    "guatemala": "latin_american",
    "mexico": "latin_american",
    "uruguay": "latin_american",
    # north_american
    "canada": "north_american",
    "united_states": "north_american",
    # Geo-PKO's "Multinational" (e.g. a force HQ or mixed support unit)
    "multinational": "multinational",
}

#: Group used for contributors missing from :data:`CONTRIBUTOR_GROUPS` (a warning is issued).
UNKNOWN_GROUP = "other"

#: Troop-type columns of TTMap, with labels used in ``source`` annotations.
TROOP_TYPES: dict[str, str] = {
    "eng": "engineer",
    "med": "medical",
    "sig": "signals",
    "av": "aviation",
    "riv": "riverine",
    "maint": "maintenance",
    "trans": "transport",
}

#: Minimum Geo-PKO strength of a contingent that gets its own S2 cell in :func:`scaffold`. 150 is Geo-PKO's
#: company size; the 35-troop entries (a platoon-size symbol) get none.
S2_MIN_STRENGTH = 150

_OVERVIEW_ITEM = re.compile(r"\s*([^,()]+?)\s*\(\s*([^()]*?)\s*\)\s*(?:,|$)")


class GeoPkoError(ValueError):
    """Raised on malformed Geo-PKO input or an unmapped location."""


@dataclass
class Contingent:
    """One contributor at one location in one year (a row of ``year.overview``, split).

    Attributes:
        id: Stable id, ``bn_<contributor>_<location>``.
        contributor: Country as spelled by Geo-PKO.
        location: Location as spelled by Geo-PKO.
        latitude: Latitude of the location.
        longitude: Longitude of the location.
        strength: Geo-PKO's troop estimate; ``None`` where Geo-PKO says "size unknown".
        sector: Sector from the location table; ``None`` if the location is not mapped (non-strict).
        group: Contributor group from :data:`CONTRIBUTOR_GROUPS`.
        kind: Unit kind; ``battalion`` (see module docstring).
        mission: Mission acronym.
        year: Year of the deployment map.
        source: Citation of the row the figures come from, with flags ("size unknown").
    """

    id: str
    contributor: str
    location: str
    latitude: float
    longitude: float
    strength: int | None
    sector: str | None
    group: str
    kind: str = "battalion"
    mission: str = "MINUSMA"
    year: int = 0
    source: str = ""
    troop_types: dict[str, int] = field(default_factory=dict)

    def unit(self) -> dict[str, Any]:
        """Return the unit as a mapping conforming to :class:`missionfit.scenario.schema.UnitSpec`."""
        return {
            "id": self.id,
            "name": f"{self.contributor} contingent, {self.location}",
            "kind": self.kind,
            "contributor": self.contributor,
            "group": self.group,
            "location": self.location,
            "sector": self.sector,
            "strength": self.strength,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source,
        }


def slug(text: str) -> str:
    """Normalize a name to an ASCII identifier: ``"Côte d'Ivoire"`` -> ``"cote_divoire"``.

    Args:
        text: A place or country name.

    Returns:
        Lowercase ASCII with apostrophes dropped and other non-alphanumerics collapsed to ``_``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")


def parse_overview(text: str) -> list[tuple[str, int | None]]:
    """Split a Geo-PKO ``year.overview`` cell into (contributor, strength) pairs.

    Args:
        text: E.g. ``"Bangladesh (300), Benin (150), Indonesia (size unknown)"`` or ``"Niger (950)"``.

    Returns:
        The pairs in order; strength is ``None`` for "size unknown" (or any non-numeric estimate).

    Raises:
        GeoPkoError: If the cell does not follow the ``Name (number), ...`` pattern.
    """
    text = (text or "").strip()
    if not text:
        return []
    items: list[tuple[str, int | None]] = []
    pos = 0
    while pos < len(text):
        match = _OVERVIEW_ITEM.match(text, pos)
        if match is None:
            raise GeoPkoError(f"cannot parse Geo-PKO year.overview {text!r} at position {pos}")
        name, size = match.group(1).strip(), match.group(2).strip()
        digits = size.replace(",", "").replace(" ", "")
        items.append((name, int(digits) if digits.isdigit() else None))
        pos = match.end()
    return items


def _find(data_dir: Path, table: str, mission: str) -> Path:
    """Return the CSV of one Geo-PKO table in ``data_dir`` (e.g. ``TCCMap_v.2.3_MINUSMA.csv``)."""
    candidates = sorted(data_dir.glob(f"{table}*{mission}*.csv")) or sorted(data_dir.glob(f"{table}*.csv"))
    if not candidates:
        raise GeoPkoError(f"no {table} CSV in {data_dir} (expected e.g. {table}_v.2.3_{mission}.csv)")
    return candidates[0]


def _rows(path: Path, mission: str, year: int) -> list[dict[str, str]]:
    """Read the rows of one mission and year from a Geo-PKO CSV."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [
            row
            for row in reader
            if row.get("mission", "").strip().upper() == mission.upper() and _int(row.get("year")) == year
        ]


def _int(value: str | None) -> int | None:
    """Parse an integer cell, ``None`` if empty or not a number."""
    try:
        return int(float(value)) if value not in (None, "", "NA") else None
    except ValueError:
        return None


def read_troop_types(data_dir: str | Path, mission: str, year: int) -> dict[str, dict[str, int]]:
    """Read TTMap: per location, infantry troops and counts of enabler unit types.

    Args:
        data_dir: Directory holding the Geo-PKO CSV files.
        mission: Mission acronym, e.g. ``MINUSMA``.
        year: Year.

    Returns:
        ``{location: {"infantry": n, "eng": n, ...}}``; empty if there is no TTMap file.
    """
    try:
        path = _find(Path(data_dir), "TTMap", mission)
    except GeoPkoError:
        return {}
    out: dict[str, dict[str, int]] = {}
    for row in _rows(path, mission, year):
        types = {"infantry": _int(row.get("Infantry")) or 0}
        types.update({key: _int(row.get(key)) or 0 for key in TROOP_TYPES})
        out[row["location"].strip()] = types
    return out


def read_hq_levels(data_dir: str | Path, mission: str, year: int) -> dict[str, int]:
    """Read FrontMap: the highest ``hq`` code of each location over the year's maps.

    Args:
        data_dir: Directory holding the Geo-PKO CSV files.
        mission: Mission acronym.
        year: Year.

    Returns:
        ``{location: hq}`` with 3 = mission HQ, 2 = sector HQ (Geo-PKO codebook), 0 = none.
    """
    try:
        path = _find(Path(data_dir), "FrontMap", mission)
    except GeoPkoError:
        return {}
    out: dict[str, int] = {}
    for row in _rows(path, mission, year):
        location = row["location"].strip()
        out[location] = max(out.get(location, 0), _int(row.get("hq")) or 0)
    return out


def contingent_id(contributor: str, location: str, kind: str = "battalion") -> str:
    """Return the stable id of a contingent, e.g. ``bn_niger_menaka``.

    Args:
        contributor: Country as spelled by Geo-PKO.
        location: Location as spelled by Geo-PKO; a parenthesised alias is dropped
            (``"Tombouctou (Timbuktu)"`` -> ``tombouctou``).
        kind: Unit kind; ``battalion`` gives the ``bn_`` prefix, others their own name.
    """
    prefix = "bn" if kind == "battalion" else kind
    place = slug(re.sub(r"\(.*?\)", "", location)) or slug(location)
    return f"{prefix}_{slug(contributor)}_{place}"


def sector_of(location: str, table: Mapping[str, str] | None = None) -> str | None:
    """Return the sector of a location from ``table`` (default :data:`LOCATION_SECTORS`), else ``None``."""
    table = LOCATION_SECTORS if table is None else table
    key = slug(location)
    if key in table:
        return table[key]
    base = slug(re.sub(r"\(.*?\)", "", location))
    return table.get(base)


def group_of(contributor: str, table: Mapping[str, str] | None = None) -> str | None:
    """Return the contributor group from ``table`` (default :data:`CONTRIBUTOR_GROUPS`), else ``None``."""
    table = CONTRIBUTOR_GROUPS if table is None else table
    return table.get(slug(contributor))


def import_contingents(
    data_dir: str | Path,
    mission: str = "MINUSMA",
    year: int = 2015,
    sectors: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
    strict: bool = True,
) -> list[Contingent]:
    """Read one mission-year of Geo-PKO into contingent units, one per contributor and location.

    Args:
        data_dir: Directory holding ``TCCMap*<mission>*.csv`` (and optionally TTMap, FrontMap).
        mission: Mission acronym as in the ``mission`` column.
        year: Year.
        sectors: Location -> sector table (keys normalized with :func:`slug`); default MINUSMA's.
        groups: Contributor -> group table (keys normalized with :func:`slug`); default
            :data:`CONTRIBUTOR_GROUPS`.
        strict: Raise on a location without a sector; otherwise leave ``sector`` empty and warn.

    Returns:
        Contingents ordered by location, then contributor, as in the CSV.

    Raises:
        GeoPkoError: No rows for the mission and year, a malformed overview, an unmapped location
            (strict) or a duplicate id.
    """
    data_dir = Path(data_dir)
    rows = _rows(_find(data_dir, "TCCMap", mission), mission, year)
    if not rows:
        raise GeoPkoError(f"no Geo-PKO TCCMap rows for mission {mission!r} and year {year} in {data_dir}")
    troop_types = read_troop_types(data_dir, mission, year)
    out: list[Contingent] = []
    seen: set[str] = set()
    for row in sorted(rows, key=lambda r: slug(r["location"])):
        location = row["location"].strip()
        sector = sector_of(location, sectors)
        if sector is None:
            message = f"Geo-PKO location {location!r} ({mission} {year}) has no sector in the location table"
            if strict:
                raise GeoPkoError(message + "; add it to missionfit.importers.geopko.LOCATION_SECTORS or pass sectors=")
            warnings.warn(message, stacklevel=2)
        lat, lon = float(row["latitude"]), float(row["longitude"])
        types = troop_types.get(location, {})
        enablers = ", ".join(f"{label} {types[key]}" for key, label in TROOP_TYPES.items() if types.get(key))
        for contributor, strength in parse_overview(row.get("year.overview", "")):
            group = group_of(contributor, groups)
            if group is None:
                warnings.warn(
                    f"Geo-PKO contributor {contributor!r} has no group; using {UNKNOWN_GROUP!r}", stacklevel=2
                )
                group = UNKNOWN_GROUP
            uid = contingent_id(contributor, location)
            if uid in seen:
                raise GeoPkoError(f"duplicate contingent id {uid!r} ({mission} {year}, {location})")
            seen.add(uid)
            size = "size unknown" if strength is None else str(strength)
            source = f"Geo-PKO v{GEOPKO_VERSION} TCCMap {mission} {year}, {location}: {contributor} ({size})"
            if strength is None:
                source += "; strength unknown in Geo-PKO (size unknown), left null"
            if types:
                source += f"; TTMap at location: infantry {types.get('infantry', 0)}"
                source += f", {enablers}" if enablers else ""
            out.append(
                Contingent(
                    id=uid,
                    contributor=contributor,
                    location=location,
                    latitude=lat,
                    longitude=lon,
                    strength=strength,
                    sector=sector,
                    group=group,
                    mission=mission,
                    year=year,
                    source=source,
                    troop_types=dict(types),
                )
            )
    return out


def scaffold(
    contingents: Iterable[Contingent],
    s2_min_strength: int = S2_MIN_STRENGTH,
    hq_sectors: Iterable[str] = ("bamako",),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Derive the S2 cells and contingent-level edges used by the MINUSMA scenarios.

    Conventions (Rietjens & Ruffa 2019, Figure 1; p. 392: battalion cells S2, sector headquarters cells G2 and the
    Force Headquarters cell U2; p. 399: the commander chain):
    sector ``X`` has a sector HQ ``shq_X`` and a G2 cell ``g2_X``; the Force HQ is ``force_hq`` with its U2
    ``u2``. A contingent of at least ``s2_min_strength`` outside the HQ sectors gets an S2 cell
    ``s2_<contributor>_<location>``; its reports go battalion -> S2 -> G2. Smaller contingents (or
    "size unknown") report directly to the sector G2. Contingents in an HQ sector (Bamako) report to U2 and
    are commanded by the Force HQ. Every contingent has a ``commander_chain`` edge to its commander (the
    bypass route, p. 399) and receives a ``command`` edge from it. Latencies and reliabilities are stylized:
    low-tech field reporting is slow and lossy (p. 399 "I don't think any officer in Nigerbat ... has a UN
    account"), the commander's phone call is fast (p. 399 "This commander immediately calls the commander of
    the sector headquarters").

    Args:
        contingents: Output of :func:`import_contingents`.
        s2_min_strength: Minimum strength for an own S2 cell.
        hq_sectors: Sectors commanded directly by the Force HQ.

    Returns:
        ``(s2_units, edges)`` as mappings conforming to ``UnitSpec`` and ``EdgeSpec``.
    """
    hq_sectors = set(hq_sectors)
    s2_units: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for c in contingents:
        if c.sector is None:
            continue
        at_hq = c.sector in hq_sectors
        commander = "force_hq" if at_hq else f"shq_{c.sector}"
        branch = "u2" if at_hq else f"g2_{c.sector}"
        if not at_hq and c.strength is not None and c.strength >= s2_min_strength:
            s2_id = "s2_" + c.id.removeprefix("bn_")
            s2_units.append(
                {
                    "id": s2_id,
                    "name": f"S2, {c.contributor} contingent, {c.location}",
                    "kind": "s2",
                    "contributor": c.contributor,
                    "group": c.group,
                    "location": c.location,
                    "sector": c.sector,
                    "latitude": c.latitude,
                    "longitude": c.longitude,
                    "source": "battalion intelligence cell (Rietjens & Ruffa 2019, p. 392); size stylized",
                }
            )
            edges.append(_edge(c.id, s2_id, "intel", 0.5, 0.9))
            edges.append(_edge(s2_id, branch, "intel", 1.0, 0.85))
        else:
            edges.append(_edge(c.id, branch, "intel", 1.0, 0.85))
        edges.append(_edge(c.id, commander, "commander_chain", 0.1, 0.95))
        edges.append(_edge(commander, c.id, "command", 0.25, 0.95))
    return s2_units, edges


def _edge(source: str, target: str, kind: str, latency: float, reliability: float) -> dict[str, Any]:
    """Return an edge mapping conforming to ``EdgeSpec``."""
    return {
        "source": source,
        "target": target,
        "type": kind,
        "latency_days": latency,
        "reliability": reliability,
    }


def _flow(mapping: Mapping[str, Any]) -> str:
    """Render a mapping as one line of YAML flow style."""
    return yaml.safe_dump(
        dict(mapping), default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000
    ).strip()


def to_yaml(
    contingents: list[Contingent],
    s2_units: list[dict[str, Any]] | None = None,
    edges: list[dict[str, Any]] | None = None,
    indent: int = 2,
) -> str:
    """Render contingents (and optionally S2 cells and edges) as YAML ready to paste into a scenario.

    Contingents are written in block style, one key per line; S2 cells and edges one per line in flow
    style. The header comment cites Geo-PKO.

    Args:
        contingents: Output of :func:`import_contingents`.
        s2_units: S2 cells from :func:`scaffold`, appended to ``units:``.
        edges: Edges from :func:`scaffold`, written under ``edges:``.
        indent: Indentation of list items below ``units:`` / ``edges:``.

    Returns:
        YAML text.
    """
    pad = " " * indent
    mission = contingents[0].mission if contingents else "?"
    year = contingents[0].year if contingents else "?"
    lines = [
        f"# Contingents of {mission} {year} from Geo-PKO v{GEOPKO_VERSION}: one unit per contributor",
        "# and location.",
        f"# {GEOPKO_CITATION}",
        "# Strengths are Geo-PKO's estimates from UN deployment-map symbols (company ~150, battalion ~650),",
        "# not head counts; 'size unknown' is kept as strength null and flagged in `source`.",
        "# Sector: missionfit.importers.geopko.LOCATION_SECTORS;",
        "# group: missionfit.importers.geopko.CONTRIBUTOR_GROUPS.",
        "units:",
    ]
    for c in contingents:
        unit = c.unit()
        first = True
        for key, value in unit.items():
            text = yaml.safe_dump({key: value}, default_flow_style=True, allow_unicode=True, width=10_000)
            text = text.strip()[1:-1].strip()  # "{key: value}" -> "key: value"
            lines.append(f"{pad}- {text}" if first else f"{pad}  {text}")
            first = False
    if s2_units:
        lines.append(f"{pad}# S2 cells of contingents with strength >= {S2_MIN_STRENGTH} outside Bamako")
        lines.extend(f"{pad}- {_flow(u)}" for u in s2_units)
    if edges:
        lines.append("edges:")
        lines.append(
            f"{pad}# contingent-level edges (missionfit.importers.geopko.scaffold); latency/reliability stylized"
        )
        lines.extend(f"{pad}- {_flow(e)}" for e in edges)
    return "\n".join(lines) + "\n"
