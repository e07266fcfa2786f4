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

It emits one contingent unit per contributor and location (:class:`Contingent`), with a sector, a contributor
group and (stylized) sensors from the mission's mapping file (``configs/importers/geopko_<mission>.yaml``, read by
:mod:`missionfit.importers.mapping`: the tables are data, not code). :func:`scaffold` adds, optionally, the
battalion S2 cells and the standard contingent-level edges of the MINUSMA scenarios, and :func:`to_yaml` writes a
scenario file of ``units:`` (and ``edges:``) that conform to :class:`missionfit.scenario.schema.UnitSpec` and
:class:`missionfit.scenario.schema.EdgeSpec`, ready to be listed in a scenario's ``extends:``. The module has no
dependency on the simulation engine.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from missionfit.importers.mapping import GeoPkoMapping, contingent_sensors, load_mapping, slug

#: Citation of the dataset, to be repeated wherever its figures are used.
GEOPKO_CITATION = (
    "Cil, D., Fjelde, H., Hultman, L., & Nilsson, D. (2020). Mapping blue helmets: Introducing the "
    "Geocoded Peacekeeping Operations (Geo-PKO) dataset. Journal of Peace Research, 57(2), 360-370. "
    "Data version 2.3."
)

GEOPKO_VERSION = "2.3"

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
        group: Contributor group from the mapping's ``contributor_groups``.
        languages: From the mapping's ``contributor_languages``; ``None``: none written (``group_defaults`` apply).
        kind: Unit kind; ``battalion`` (see module docstring).
        mission: Mission acronym.
        year: Year of the deployment map.
        source: Citation of the row the figures come from, with flags ("size unknown").
        troop_types: TTMap counts at the location.
        sensors: Sensors from the mapping's rules; ``None``: none of its own (``kind_defaults`` apply).
        notes: Comments written above the unit (why it has a special sensor, or none).
    """

    id: str
    contributor: str
    location: str
    latitude: float
    longitude: float
    strength: int | None
    sector: str | None
    group: str
    languages: list[str] | None = None
    kind: str = "battalion"
    mission: str = "MINUSMA"
    year: int = 0
    source: str = ""
    troop_types: dict[str, int] = field(default_factory=dict)
    sensors: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)

    def unit(self) -> dict[str, Any]:
        """Return the unit as a mapping conforming to :class:`missionfit.scenario.schema.UnitSpec`."""
        unit = {
            "id": self.id,
            "name": f"{self.contributor} contingent, {self.location}",
            "kind": self.kind,
            "contributor": self.contributor,
            "group": self.group,
            **({"languages": list(self.languages)} if self.languages is not None else {}),
            "location": self.location,
            "sector": self.sector,
            "strength": self.strength,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source,
        }
        if self.sensors is not None:
            unit["sensors"] = [dict(s) for s in self.sensors]
        return unit


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
    """Return the sector of a location from ``table`` (default: the MINUSMA mapping file's), else ``None``."""
    table = load_mapping().location_sectors if table is None else table
    key = slug(location)
    if key in table:
        return table[key]
    base = slug(re.sub(r"\(.*?\)", "", location))
    return table.get(base)


def group_of(contributor: str, table: Mapping[str, str] | None = None) -> str | None:
    """Return the contributor group from ``table`` (default: the MINUSMA mapping file's), else ``None``."""
    table = load_mapping().contributor_groups if table is None else table
    return table.get(slug(contributor))


def import_contingents(
    data_dir: str | Path,
    mission: str = "MINUSMA",
    year: int = 2015,
    sectors: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
    strict: bool = True,
    mapping: str | Path | Mapping[str, Any] | GeoPkoMapping | None = None,
) -> list[Contingent]:
    """Read one mission-year of Geo-PKO into contingent units, one per contributor and location.

    Args:
        data_dir: Directory holding ``TCCMap*<mission>*.csv`` (and optionally TTMap, FrontMap).
        mission: Mission acronym as in the ``mission`` column.
        year: Year.
        sectors: Location -> sector table (keys normalized with :func:`slug`) replacing the mapping's.
        groups: Contributor -> group table (keys normalized with :func:`slug`) replacing the mapping's.
        strict: Raise on a location without a sector; otherwise leave ``sector`` empty and warn.
        mapping: The mission's tables (:func:`missionfit.importers.mapping.load_mapping`); default the
            mission's file in ``configs/importers/``, if there is one.

    Returns:
        Contingents ordered by location, then contributor, as in the CSV.

    Raises:
        GeoPkoError: No rows for the mission and year, a malformed overview, an unmapped location
            (strict) or a duplicate id.
    """
    tables = load_mapping(mapping, mission)
    sectors = tables.location_sectors if sectors is None else sectors
    groups = tables.contributor_groups if groups is None else groups
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
                where = tables.path or "the mapping file (--mapping)"
                raise GeoPkoError(f"{message}; add it to location_sectors in {where} or pass sectors=")
            warnings.warn(message, stacklevel=2)
        lat, lon = float(row["latitude"]), float(row["longitude"])
        types = troop_types.get(location, {})
        enablers = ", ".join(f"{label} {types[key]}" for key, label in TROOP_TYPES.items() if types.get(key))
        for contributor, strength in parse_overview(row.get("year.overview", "")):
            group = group_of(contributor, groups)
            if group is None:
                warnings.warn(
                    f"Geo-PKO contributor {contributor!r} has no group; using {tables.unknown_group!r}",
                    stacklevel=2,
                )
                group = tables.unknown_group
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
            sensors, notes = contingent_sensors(tables, contributor, location, strength, types, year)
            if strength is None and tables.sensors:
                notes = ["Geo-PKO: size unknown -> strength null; kind_defaults sensors (company-size patrols) apply"]
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
                    languages=tables.contributor_languages.get(slug(contributor)),
                    mission=mission,
                    year=year,
                    source=source,
                    troop_types=dict(types),
                    sensors=sensors,
                    notes=notes,
                )
            )
    return out


def scaffold(
    contingents: Iterable[Contingent],
    s2_min_strength: int | None = None,
    hq_sectors: Iterable[str] | None = None,
    mapping: str | Path | Mapping[str, Any] | GeoPkoMapping | None = None,
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
        s2_min_strength: Minimum strength for an own S2 cell (default: the mapping's ``scaffold``).
        hq_sectors: Sectors commanded directly by the Force HQ (default: the mapping's ``scaffold``).
        mapping: The mission's tables; default the MINUSMA file.

    Returns:
        ``(s2_units, edges)`` as mappings conforming to ``UnitSpec`` and ``EdgeSpec``.
    """
    tables = load_mapping(mapping)
    s2_min_strength = tables.s2_min_strength if s2_min_strength is None else s2_min_strength
    hq = set(tables.hq_sectors if hq_sectors is None else hq_sectors)
    s2_units: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for c in contingents:
        if c.sector is None:
            continue
        at_hq = c.sector in hq
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
                    **({"languages": list(c.languages)} if c.languages is not None else {}),
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
    return {"source": source, "target": target, "type": kind, "latency_days": latency, "reliability": reliability}


def _flow(mapping: Mapping[str, Any]) -> str:
    """Render a mapping as one line of YAML flow style."""
    text = yaml.safe_dump(dict(mapping), default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000)
    return text.strip()


def _flow_list(items: list[Any]) -> str:
    """Render a list as one line of YAML flow style."""
    return yaml.safe_dump(items, default_flow_style=True, allow_unicode=True, width=10_000).strip()


def to_yaml(
    contingents: list[Contingent],
    s2_units: list[dict[str, Any]] | None = None,
    edges: list[dict[str, Any]] | None = None,
    indent: int = 2,
    command: str | None = None,
) -> str:
    """Render contingents (and optionally S2 cells and edges) as a scenario file of its own.

    The file is meant to be listed in a scenario's ``extends:`` (see ``configs/scenario/minusma_2015.yaml``):
    a header comment that cites Geo-PKO and names the command that generated it, ``citation:``, then
    ``units:`` (contingents in block style, one key per line, preceded by the notes of the mapping's sensor
    rules; S2 cells one per line in flow style) and ``edges:`` (one per line in flow style).

    Args:
        contingents: Output of :func:`import_contingents`.
        s2_units: S2 cells from :func:`scaffold`, appended to ``units:``.
        edges: Edges from :func:`scaffold`, written under ``edges:``.
        indent: Indentation of list items below ``units:`` / ``edges:``.
        command: The command line to name in the header as the file's origin.

    Returns:
        YAML text.
    """
    pad = " " * indent
    mission = contingents[0].mission if contingents else "?"
    year = contingents[0].year if contingents else "?"
    lines = [
        f"# Contingents of {mission} {year} from Geo-PKO v{GEOPKO_VERSION}: one unit per contributor and location"
        + ("," if edges else "."),
    ]
    if edges:
        lines.append("# their S2 cells and contingent-level edges.")
    if command:
        lines += [
            "# GENERATED, do not edit: change the importer or its mapping file and regenerate with",
            f"#   {command}",
        ]
    lines += [
        "# Strengths are Geo-PKO's estimates from UN deployment-map symbols (company ~150, battalion ~650),",
        "# not head counts; 'size unknown' is kept as strength null and flagged in `source`. Sectors, groups and",
        "# the (stylized) sensors come from the importer's mapping file, e.g. configs/importers/geopko_minusma.yaml.",
        "citation: " + _flow_list([GEOPKO_CITATION]),
        "units:",
    ]
    for c in contingents:
        lines.extend(f"{pad}# {note}" for note in c.notes)
        first = True
        for key, value in c.unit().items():
            text = yaml.safe_dump({key: value}, default_flow_style=True, allow_unicode=True, width=10_000)
            text = text.strip()[1:-1].strip()  # "{key: value}" -> "key: value"
            lines.append(f"{pad}- {text}" if first else f"{pad}  {text}")
            first = False
    if s2_units:
        lines.append(f"{pad}# S2 cells of contingents with their own intelligence cell (the mapping's scaffold)")
        lines.extend(f"{pad}- {_flow(u)}" for u in s2_units)
    if edges:
        lines += [
            "edges:",
            f"{pad}# contingent-level edges (missionfit.importers.geopko.scaffold): battalion -> S2 -> G2 (intel),",
            f"{pad}# battalion -> sector HQ (commander_chain, the bypass of p. 399), sector HQ -> battalion (command)",
        ]
        lines.extend(f"{pad}- {_flow(e)}" for e in edges)
    return "\n".join(lines) + "\n"
