"""The mission-specific tables of the Geo-PKO importer, read from a mapping file (data, not code).

A mapping file (e.g. ``configs/importers/geopko_minusma.yaml``) holds what the importer cannot know from
Geo-PKO itself: which sector each deployment location belongs to, which contributor group each country
belongs to, which contingents get their own S2 cell, and the (stylized) sensors of a contingent. Keys of the
location and contributor tables are normalized with :func:`slug`, so ``"Ménaka"`` and ``menaka`` are the same.

Every key is optional; an absent table is empty, so a new mission starts from a file with just
``location_sectors`` and ``contributor_groups``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from missionfit.paths import config_dir

#: Keys a mapping file may hold.
MAPPING_KEYS = (
    "mission",
    "location_sectors",
    "sector_hq_locations",
    "contributor_groups",
    "contributor_languages",
    "unknown_group",
    "scaffold",
    "sensors",
)


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


@dataclass
class GeoPkoMapping:
    """The tables of one mission (see the module docstring and ``configs/importers/geopko_minusma.yaml``).

    Attributes:
        mission: Mission acronym the tables are for.
        location_sectors: Location (slug) -> sector.
        sector_hq_locations: Sector -> location (slug) of its headquarters, cross-checked against FrontMap.
        contributor_groups: Contributor (slug) -> contributor group.
        contributor_languages: Contributor (slug) -> the languages its contingents (and their S2 cells) speak,
            written into each unit's ``languages``; a contributor missing from it gets none written, so its
            group's ``group_defaults`` apply.
        unknown_group: Group of a contributor missing from ``contributor_groups``.
        s2_min_strength: Minimum strength of a contingent that gets its own S2 cell (``scaffold``).
        hq_sectors: Sectors commanded directly by the Force HQ (``scaffold``).
        sensors: Sensor rules of contingents of known strength: ``patrol`` (coverage per strength), ``fixed``
            (a list of sensors every such contingent has) and ``by_troop_type`` (extra sensors by
            contributor, location and a TTMap troop type counted there). Empty: no sensors are written.
        path: The file the mapping was read from, if any.
    """

    mission: str = ""
    location_sectors: dict[str, str] = field(default_factory=dict)
    sector_hq_locations: dict[str, str] = field(default_factory=dict)
    contributor_groups: dict[str, str] = field(default_factory=dict)
    contributor_languages: dict[str, list[str]] = field(default_factory=dict)
    unknown_group: str = "other"
    s2_min_strength: int = 150
    hq_sectors: tuple[str, ...] = ()
    sensors: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Path | None = None) -> GeoPkoMapping:
        """Build a mapping from the contents of a mapping file.

        Args:
            data: The parsed YAML.
            path: The file it came from (named in errors).

        Raises:
            ValueError: An unknown key, or a table that is not a mapping.
        """
        where = str(path) if path else "mapping"
        unknown = sorted(set(data) - set(MAPPING_KEYS))
        if unknown:
            raise ValueError(f"{where}: {unknown[0]}: unknown key (known: {', '.join(MAPPING_KEYS)})")
        for key in (
            "location_sectors", "sector_hq_locations", "contributor_groups", "contributor_languages", "scaffold",
            "sensors",
        ):
            if not isinstance(data.get(key) or {}, Mapping):
                raise ValueError(f"{where}: {key}: must be a mapping")
        languages = {}
        for k, v in (data.get("contributor_languages") or {}).items():
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
                raise ValueError(f"{where}: contributor_languages.{k} = {v!r}: must be a non-empty list of languages")
            languages[slug(str(k))] = [str(x) for x in v]
        scaffold = dict(data.get("scaffold") or {})
        return cls(
            mission=str(data.get("mission") or ""),
            location_sectors={slug(str(k)): str(v) for k, v in (data.get("location_sectors") or {}).items()},
            sector_hq_locations={str(k): slug(str(v)) for k, v in (data.get("sector_hq_locations") or {}).items()},
            contributor_groups={slug(str(k)): str(v) for k, v in (data.get("contributor_groups") or {}).items()},
            contributor_languages=languages,
            unknown_group=str(data.get("unknown_group") or "other"),
            s2_min_strength=int(scaffold.get("s2_min_strength", 150)),
            hq_sectors=tuple(str(s) for s in scaffold.get("hq_sectors") or ()),
            sensors=dict(data.get("sensors") or {}),
            path=path,
        )


def mapping_file(mission: str, root: Path | None = None) -> Path:
    """Return the default mapping file of a mission: ``<config dir>/importers/geopko_<mission>.yaml``."""
    return (root or config_dir()) / "importers" / f"geopko_{slug(mission)}.yaml"


def load_mapping(
    source: str | Path | Mapping[str, Any] | GeoPkoMapping | None = None, mission: str = "MINUSMA"
) -> GeoPkoMapping:
    """Read a mapping file.

    Args:
        source: A file, an already parsed mapping, a :class:`GeoPkoMapping` (returned as is), or ``None`` for
            the mission's default file (:func:`mapping_file`); a mission without one gets empty tables.
        mission: Mission acronym, used when ``source`` is ``None``.

    Returns:
        The :class:`GeoPkoMapping`.
    """
    if isinstance(source, GeoPkoMapping):
        return source
    if isinstance(source, Mapping):
        return GeoPkoMapping.from_dict(source)
    path = Path(source) if source is not None else mapping_file(mission)
    if source is None and not path.is_file():
        return GeoPkoMapping(mission=mission)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: a Geo-PKO mapping file holds a mapping of tables")
    return GeoPkoMapping.from_dict(data, path=path)


def contingent_sensors(
    mapping: GeoPkoMapping,
    contributor: str,
    location: str,
    strength: int | None,
    troop_types: Mapping[str, int],
    year: int,
) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """The sensors the mapping's rules give a contingent, and notes explaining the special ones.

    Args:
        mapping: The mission's tables.
        contributor: Country as spelled by Geo-PKO.
        location: Location as spelled by Geo-PKO.
        strength: Geo-PKO's estimate; ``None`` ("size unknown") gets no sensors, so the scenario's
            ``kind_defaults`` apply.
        troop_types: TTMap counts at the location.
        year: Year of the deployment map (for the notes).

    Returns:
        ``(sensors or None, notes)``.
    """
    rules = mapping.sensors
    if not rules or strength is None:
        return None, []
    sensors: list[dict[str, Any]] = []
    patrol = rules.get("patrol")
    if patrol:
        factor = min(float(patrol.get("cap", float("inf"))), strength / float(patrol["per_strength"]))
        coverage = round(float(patrol["coverage"]) * factor, int(patrol.get("digits", 4)))
        sensors.append({"type": "patrol", "coverage": coverage, "domains": list(patrol.get("domains") or [])})
    sensors.extend(dict(s) for s in rules.get("fixed") or [])
    notes = []
    for rule in rules.get("by_troop_type") or []:
        count = troop_types.get(rule["troop_type"], 0)
        if (
            count > 0
            and slug(contributor) in {slug(c) for c in rule.get("contributors") or [contributor]}
            and slug(location) in {slug(x) for x in rule.get("locations") or [location]}
        ):
            sensors.append(dict(rule["sensor"]))
            if rule.get("comment"):
                note = " ".join(str(rule["comment"]).split())
                notes.append(note.replace("{count}", str(count)).replace("{year}", str(year)))
    return sensors, notes
