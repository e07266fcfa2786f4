"""Where the units of the structure figure go: a map layout from coordinates, or a layered one by echelon.

Both are deterministic (no random layout): co-located units are spread on a sunflower pattern around their
location, location clusters are pushed apart just enough not to overlap; without coordinates, units are layered
by the echelon their kind declares (`missionfit.scenario.codes.ECHELONS`). Used by `missionfit.analysis.network`.
"""

from __future__ import annotations

import math
import re

import networkx as nx
import numpy as np
import pandas as pd

from missionfit.scenario.codes import ECHELON_LEVEL, ECHELONS

#: Echelon whose units are left unlabelled in large structures (their location and marker identify them).
MINOR_ECHELON = "unit"
#: Layer of a unit that declares no echelon (the bottom one).
_DEFAULT_LEVEL = len(ECHELONS) - 1

#: Fallback for run directories written before units carried their `echelon` (units.parquet without the
#: column): the kinds left unlabelled, and the echelon (0 = top) per MINUSMA unit kind.
MINOR_KINDS = frozenset({"battalion", "s2", "company", "platoon"})
ECHELON = {
    "srsg_office": 0,
    "dsrsg_rc_hc": 0,
    "force_hq": 0,
    "u2": 1,
    "u3": 1,
    "force_planning": 1,
    "asifu_hq": 1,
    "jmac": 1,
    "joc": 1,
    "undss": 1,
    "unpol": 1,
    "board": 1,
    "special_forces": 1,
    "helicopter_detachment": 1,
    "sector_hq": 2,
    "g2": 2,
    "isr_company": 2,
    "isr_taskforce": 2,
    "humint_team": 2,
    "liaison_officer": 2,
    "battalion": 3,
    "s2": 3,
}

def echelon_levels(units: pd.DataFrame) -> pd.Series:
    """Layer per unit (0 = top): its `echelon` column, else (older run directories) its kind in `ECHELON`."""
    if "echelon" in units:
        return units["echelon"].map(lambda e: ECHELON_LEVEL.get(e, _DEFAULT_LEVEL) if isinstance(e, str) else
                                    _DEFAULT_LEVEL).astype(int)
    kinds = units["kind"].astype(str) if "kind" in units else pd.Series("", index=units.index)
    return kinds.map(lambda k: ECHELON.get(k, _DEFAULT_LEVEL)).astype(int)


def minor_units(units: pd.DataFrame) -> pd.Series:
    """Whether each unit is a troop contingent or one of its cells (unlabelled in large structures)."""
    if "echelon" in units:
        return units["echelon"].astype(object).eq(MINOR_ECHELON)
    if "kind" in units:
        return units["kind"].astype(str).isin(MINOR_KINDS)
    return pd.Series(False, index=units.index)


_ABBREV = (
    ("Headquarters", "HQ"),
    ("headquarters", "HQ"),
    ("battalion", "Bn"),
    ("Battalion", "Bn"),
    ("detachment", "det."),
    ("Detachment", "Det."),
    ("company", "coy"),
    ("task force", "TF"),
    ("Joint Coordination Board", "JCB"),
)


def short_label(name: object, uid: object, location: object = None, max_len: int = 22) -> str:
    """A readable node label from the unit's name.

    Parentheses and a trailing ", <location>" are dropped, military shorthand abbreviates what is still long,
    and the id is the last resort.
    """
    text = str(name) if isinstance(name, str) and name.strip() else str(uid)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip() or text
    if isinstance(location, str) and location and text.endswith(", " + location):
        text = text[: -len(location) - 2]
    for long, short in _ABBREV:
        if len(text) <= max_len:
            break
        text = text.replace(long, short)
    return text if len(text) <= max_len else str(uid)


def geo_layout(
    units: pd.DataFrame, spacing: float | None = None, minor_inside: bool = False
) -> tuple[dict[str, np.ndarray], dict]:
    """Positions from longitude (x) and latitude (y), co-located units spread deterministically.

    Units without coordinates take those of another unit at the same `location`; the rest are gathered in
    a cluster at the upper left, labelled "location unknown".

    Args:
        units: Table with id, latitude, longitude (and optionally location, kind).
        spacing: Distance between neighbouring co-located units, in degrees (default: 7.5% of the extent).
        minor_inside: Put troop contingents and S2 cells at the centre of their location and headquarters
            outside (for unlabelled contingents: the labels of the others then point outward); else the
            highest echelon sits at the centre.

    Returns:
        `(pos, clusters)`: unit id → (x, y), and cluster name → {"center": (x, y), "radius": r, "members"}.
    """
    u = units.copy()
    u["id"] = u["id"].astype(str)
    lat = pd.to_numeric(u.get("latitude"), errors="coerce")
    lon = pd.to_numeric(u.get("longitude"), errors="coerce")
    loc = u["location"].astype(str) if "location" in u else pd.Series("", index=u.index)
    known = lat.notna() & lon.notna()
    ref = pd.DataFrame({"lat": lat[known], "lon": lon[known], "loc": loc[known]}).groupby("loc").first()
    for i in u.index[~known]:
        if loc[i] in ref.index:
            lat[i], lon[i] = ref.loc[loc[i], "lat"], ref.loc[loc[i], "lon"]
    have = lat.notna() & lon.notna()
    xs, ys = lon[have].to_numpy(float), lat[have].to_numpy(float)
    extent = max(np.ptp(xs) if xs.size else 1.0, np.ptp(ys) if ys.size else 1.0, 1.0)
    step = spacing if spacing is not None else 0.075 * extent

    clusters: dict[str, dict] = {}
    for i in u.index:
        if have[i]:
            key = f"{round(float(lat[i]), 3)},{round(float(lon[i]), 3)}"
            name = loc[i] if loc[i] not in ("", "nan", "None") else key
            c = clusters.setdefault(key, {"name": name, "center": np.array([lon[i], lat[i]], float), "members": []})
        else:
            c = clusters.setdefault("?", {"name": "location unknown", "center": None, "members": []})
        c["members"].append(i)
    if "?" in clusters:
        x0 = xs.min() if xs.size else 0.0
        y1 = ys.max() if ys.size else 0.0
        clusters["?"]["center"] = np.array([x0, y1 + 0.15 * extent])
    for c in clusters.values():
        k = len(c["members"])
        c["disc"] = step * 0.72 * math.sqrt(k - 0.5) + step * 0.45 if k > 1 else step * 0.45
        c["radius"] = c["disc"] + step * 0.9  # room for labels
    _separate(clusters, gap=step * 0.6)

    pos: dict[str, np.ndarray] = {}
    golden = math.pi * (3 - math.sqrt(5))
    level, minor = echelon_levels(u), minor_units(u)

    def rank(i: int) -> tuple:
        # Troop contingents and their S2 cells inside, headquarters and staff outside (their labels point
        # outward and do not cross other nodes).
        if not minor_inside:
            return (level[i], u.at[i, "id"])
        return (not minor[i], -level[i], u.at[i, "id"])

    for c in clusters.values():
        c["ids"] = [u.at[i, "id"] for i in c["members"]]
        members = sorted(c["members"], key=rank)
        if len(members) == 1:
            pos[u.at[members[0], "id"]] = c["center"].copy()
            continue
        for k, i in enumerate(members):
            r = step * 0.72 * math.sqrt(k + 0.5)
            a = k * golden + math.pi / 2
            pos[u.at[i, "id"]] = c["center"] + r * np.array([math.cos(a), math.sin(a)])
    return pos, {c["name"]: c for c in clusters.values()}


def _separate(clusters: dict[str, dict], gap: float, iterations: int = 2000) -> None:
    """Push overlapping location clusters apart (deterministic, small moves; geography kept roughly)."""
    keys = sorted(clusters)
    for _ in range(iterations):
        moved = False
        for a_i, a in enumerate(keys):
            for b in keys[a_i + 1 :]:
                ca, cb = clusters[a], clusters[b]
                d = cb["center"] - ca["center"]
                dist = float(np.hypot(*d))
                need = ca["radius"] + cb["radius"] + gap
                if dist < need:
                    direction = d / dist if dist > 1e-9 else np.array([1.0, 0.0])
                    shift = (need - dist) / 2 + 1e-6
                    wa = len(cb["members"]) / (len(ca["members"]) + len(cb["members"]))
                    ca["center"] = ca["center"] - direction * shift * 2 * wa
                    cb["center"] = cb["center"] + direction * shift * 2 * (1 - wa)
                    moved = True
        if not moved:
            break


def layered_layout(units: pd.DataFrame) -> dict[str, np.ndarray]:
    """Positions by echelon (rows, top = mission leadership), units ordered by component then id."""
    g = nx.Graph()
    for uid, level in zip(units["id"], echelon_levels(units), strict=True):
        g.add_node(str(uid), layer=-int(level))
    pos = nx.multipartite_layout(g, subset_key="layer", align="horizontal", scale=1.0)
    return {k: np.asarray(v) for k, v in pos.items()}
