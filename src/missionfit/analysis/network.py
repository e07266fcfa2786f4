"""The command structure with its realised flows: units on the map, edges styled by relation type.

Positions come from the units' latitude/longitude when most units have them (co-located units are spread on
a deterministic sunflower pattern around their location, and location clusters are pushed apart just enough
not to overlap); otherwise a layered layout by echelon. Both are deterministic: no random layout.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.lines as mlines
import matplotlib.patches as mpatches
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from missionfit.analysis.layout import (
    geo_layout,
    layered_layout,
    minor_units,
    short_label,
)
from missionfit.analysis.style import (
    OKABE_ITO,
    PAGE_WIDTH,
    humanize,
    new_figure,
    publication_style,
)

#: Fill colour per mission component.
COMPONENT_COLORS = {
    "military": OKABE_ITO["blue"],
    "police": OKABE_ITO["bluish_green"],
    "civilian": OKABE_ITO["orange"],
    "external": OKABE_ITO["reddish_purple"],
}
_OTHER_COLOR = "#999999"

#: Contributor groups gathered into regions, one marker each (a dozen markers would not be told apart).
REGION_OF_GROUP = {
    "western_european": "European",
    "eastern_european": "European",
    "northern_european": "European",
    "southern_european": "European",
    "european": "European",
    "west_african": "African",
    "central_african": "African",
    "east_african": "African",
    "north_african": "African",
    "southern_african": "African",
    "african": "African",
    "south_asian": "Asian",
    "east_asian": "Asian",
    "southeast_asian": "Asian",
    "asian": "Asian",
    "latin_american": "Americas",
    "north_american": "Americas",
    "multinational": "Multinational",
    "mixed": "Multinational",
    "un_mission": "UN civilian",
    "un_civilian": "UN civilian",
    "un_humanitarian": "Humanitarian",
    "humanitarian": "Humanitarian",
}
#: Marker per region.
REGION_MARKERS = {
    "European": "o",
    "African": "s",
    "Asian": "^",
    "Americas": "v",
    "Multinational": "X",
    "UN civilian": "h",
    "Humanitarian": "P",
    "Other": "D",
}


def region_of(group: object) -> str:
    """The region of a contributor group (`Other` when unknown)."""
    return REGION_OF_GROUP.get(str(group), "Other")


def _node_area(strength: float, smax: float) -> float:
    """Marker area (pt²) for a strength: ∝ √strength, so that a battalion does not swamp a cell of ten."""
    return 10 + 120 * math.sqrt(max(strength, 0.0) / smax) if smax > 0 else 30.0


#: Style per relation type: colour, line style, arc curvature (separates parallel edges), z-order.
EDGE_STYLES = {
    "command": {"color": "#000000", "style": "solid", "rad": 0.04, "label": "Command"},
    "intel": {"color": OKABE_ITO["sky_blue"], "style": "solid", "rad": 0.08, "label": "Intelligence line"},
    "commander_chain": {
        "color": OKABE_ITO["vermillion"],
        "style": "dashed",
        "rad": 0.12,
        "label": "Commander chain",
    },
    "liaison": {"color": OKABE_ITO["bluish_green"], "style": "dotted", "rad": 0.1, "label": "Liaison"},
    "informal": {
        "color": OKABE_ITO["reddish_purple"],
        "style": "dashdot",
        "rad": 0.16,
        "label": "Informal tie",
    },
    "board": {"color": "#8C8C8C", "style": (0, (1, 1.5)), "rad": 0.0, "label": "Board membership"},
}

def plot_network(
    units: pd.DataFrame,
    flows: pd.DataFrame | None = None,
    layout: str = "auto",
    width: float = PAGE_WIDTH,
    height: float | None = None,
    labels: bool | str = "auto",
) -> tuple[Figure, np.ndarray]:
    """Draw the command structure with the report flow on each edge.

    Nodes are units: fill colour = component, marker = contributor group (by region, `REGION_OF_GROUP`),
    area ∝ √strength (personnel).
    Edges are typed relations: colour and dash = type, width ∝ √delivered reports, arrow = direction.

    Args:
        units: `units.parquet` (id, name, kind, component, group, strength, latitude, longitude, location).
        flows: `flows.parquet` (source, target, type, delivered, ...); `None` draws units only.
        layout: `geo` (latitude/longitude), `layered` (by echelon) or `auto` (geo if most units have
            coordinates).
        width: Figure width, inches.
        height: Figure height, inches (default from the layout's aspect ratio).
        labels: Write unit names next to the nodes: True (all), False (none) or `auto` (all up to 45 units,
            else all but troop contingents and their S2 cells, which their location and marker identify).

    Returns:
        `(fig, axes)`: axes[0] is the network, axes[1] the strip of legends under it.
    """
    units = units.copy()
    units["id"] = units["id"].astype(str)
    units = units.drop_duplicates("id").reset_index(drop=True)
    flows = _clean_flows(flows, set(units["id"]))
    has_geo = {"latitude", "longitude"} <= set(units.columns)
    if layout == "auto":
        share = (pd.to_numeric(units["latitude"], errors="coerce").notna()).mean() if has_geo else 0.0
        layout = "geo" if share >= 0.5 else "layered"
    clusters: dict = {}
    label_minor = labels is True or (labels == "auto" and len(units) <= 45)
    if layout == "geo":
        pos, clusters = geo_layout(units, minor_inside=not label_minor)
    else:
        pos = layered_layout(units)

    xy = np.array(list(pos.values()))
    span = np.ptp(xy, axis=0) if len(xy) > 1 else np.array([1.0, 1.0])
    span = np.where(span > 0, span, 1.0)
    legend_h = 1.0
    if height is None:
        height = float(np.clip(width * span[1] / span[0], 2.4, 6.0)) + legend_h

    with publication_style():
        fig = new_figure(width, height)
        grid = fig.add_gridspec(2, 1, height_ratios=[height - legend_h, legend_h])
        ax = fig.add_subplot(grid[0, 0])
        lax = fig.add_subplot(grid[1, 0])
        lax.axis("off")
        ax.set_aspect("equal" if layout == "geo" else "auto")
        ax.axis("off")

        g = nx.DiGraph()
        g.add_nodes_from(units["id"])
        max_deliv = float(flows["delivered"].max()) if flows is not None and len(flows) else 0.0

        strengths = pd.to_numeric(units.get("strength"), errors="coerce").fillna(0).clip(lower=0)
        smax = float(strengths.max()) or 1.0
        units["_size"] = [_node_area(v, smax) for v in strengths]
        node_size = dict(zip(units["id"], units["_size"], strict=True))

        if flows is not None:
            for etype in [t for t in EDGE_STYLES if t in set(flows["type"])] + sorted(
                set(flows["type"]) - set(EDGE_STYLES)
            ):
                sub = flows[flows["type"] == etype]
                st = EDGE_STYLES.get(etype, {"color": "#555555", "style": "solid", "rad": 0.3})
                widths = [_edge_width(d, max_deliv) for d in sub["delivered"]]
                arts = nx.draw_networkx_edges(
                    g,
                    pos,
                    ax=ax,
                    edgelist=list(zip(sub["source"], sub["target"], strict=True)),
                    width=widths,
                    edge_color=st["color"],
                    style=st["style"],
                    alpha=0.65,
                    arrows=True,
                    arrowstyle="-|>",
                    arrowsize=4,
                    connectionstyle=f"arc3,rad={st['rad']}",
                    node_size=[node_size[n] for n in g.nodes],
                    min_source_margin=1,
                    min_target_margin=2,
                )
                for a in arts if isinstance(arts, list) else [arts]:
                    a.set_gid(f"edge:{etype}")
                    a.set_zorder(1)

        groups = (units["group"] if "group" in units else pd.Series("", index=units.index)).map(region_of)
        markers = {g: REGION_MARKERS[g] for g in set(groups)}
        comp = units["component"].astype(str) if "component" in units else pd.Series("", index=units.index)
        for grp in sorted(set(groups)):
            sel = units[groups == grp]
            coll = nx.draw_networkx_nodes(
                g,
                pos,
                ax=ax,
                nodelist=list(sel["id"]),
                node_size=list(sel["_size"]),
                node_color=[COMPONENT_COLORS.get(c, _OTHER_COLOR) for c in comp[sel.index]],
                node_shape=markers[grp],
                edgecolors="#222222",
                linewidths=0.5,
            )
            coll.set_gid("units")
            coll.set_zorder(3)

        placed = []
        if labels:
            which = units
            if not label_minor:
                which = units[~minor_units(units)]
            placed = _draw_labels(ax, which, pos, clusters)
        place_names = []
        for c in clusters.values():
            cx, cy = c["center"]
            ax.add_patch(
                mpatches.Circle((cx, cy), c["disc"], facecolor="#F0F0F0", edgecolor="#D0D0D0", lw=0.5, zorder=0)
            )
            name = ax.annotate(
                c["name"],
                (cx, cy + c["disc"]),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=6.5,
                style="italic",
                color="#444444",
                zorder=5,
            )
            place_names.append(name)
        ax.margins(0.06)
        ax.autoscale_view()
        _legends(lax, units, comp, groups, markers, flows, max_deliv, smax)
        _declutter(ax, placed, place_names)
        if layout == "geo":
            ax.text(
                0.0,
                -0.01,
                "Units at their deployment locations; co-located units spread around them.",
                transform=ax.transAxes,
                fontsize=6,
                color="#555555",
                va="top",
            )
    return fig, np.array([ax, lax], dtype=object)


def _clean_flows(flows: pd.DataFrame | None, ids: set[str]) -> pd.DataFrame | None:
    if flows is None or not len(flows):
        return None
    f = flows.copy()
    f["source"] = f["source"].astype(str)
    f["target"] = f["target"].astype(str)
    f["type"] = f["type"].astype(str) if "type" in f else "intel"
    f["delivered"] = pd.to_numeric(f["delivered"], errors="coerce").fillna(0) if "delivered" in f else 0.0
    f = f[f["source"].isin(ids) & f["target"].isin(ids) & (f["source"] != f["target"])]
    return f.groupby(["source", "target", "type"], as_index=False)["delivered"].sum()


def _edge_width(delivered: float, max_delivered: float) -> float:
    if max_delivered <= 0:
        return 0.5
    return 0.25 + 1.6 * math.sqrt(max(float(delivered), 0.0) / max_delivered)


def _draw_labels(ax: Axes, units: pd.DataFrame, pos: Mapping[str, np.ndarray], clusters: dict) -> list:
    """Labels placed radially outward from the unit's cluster centre (to the right for lone units)."""
    out = []
    center_of = {}
    for c in clusters.values():
        for uid in c.get("ids", []):
            center_of[uid] = c["center"] if len(c["ids"]) > 1 else None
    for _, r in units.iterrows():
        x, y = pos[r["id"]]
        c = center_of.get(r["id"])
        if c is None:
            dx, dy = 1.0, 0.0
        else:
            d = np.array([x, y]) - c
            n = float(np.hypot(*d))
            dx, dy = (d / n) if n > 0 else (1.0, 0.0)
        off = 2.5 + math.sqrt(float(r["_size"])) / 2
        ann = ax.annotate(
            short_label(r.get("name"), r["id"], r.get("location")),
            (x, y),
            xytext=(dx * off, dy * off),
            textcoords="offset points",
            ha="left" if dx > 0.25 else ("right" if dx < -0.25 else "center"),
            va="bottom" if dy > 0.5 else ("top" if dy < -0.5 else "center"),
            fontsize=5,
            color="#222222",
            zorder=4,
        )
        ann.set_gid("label")
        out.append((ann, dy))
    return out


def _declutter(ax: Axes, labels: list, fixed: list, iterations: int = 40) -> None:
    """Nudge overlapping labels apart vertically (deterministic; a few points at a time, in label order).

    Args:
        ax: The axes (its figure is drawn once to measure text).
        labels: `(annotation, dy)` pairs; a label moves in the direction of `dy` (its radial direction), up
            when `dy` is 0.
        fixed: Other text artists that labels must avoid (location names).
        iterations: Most passes over the labels.
    """
    if len(labels) < 2:
        return
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    scale = 72.0 / fig.dpi
    for _ in range(iterations):
        boxes = [a.get_window_extent(renderer) for a, _ in labels]
        others = [t.get_window_extent(renderer) for t in fixed]
        moved = False
        for j, (ann, dy) in enumerate(labels):
            bj = boxes[j]
            hit = any(bj.overlaps(boxes[i]) for i in range(j)) or any(bj.overlaps(o) for o in others)
            if hit:
                step = bj.height * scale * 0.55 * (1 if dy >= 0 else -1)
                x, y = ann.xyann
                ann.xyann = (x, y + step)
                boxes[j] = ann.get_window_extent(renderer)
                moved = True
        if not moved:
            break


def _legends(lax: Axes, units, comp, groups, markers, flows, max_deliv: float, smax: float) -> None:
    """Legends side by side in the strip under the map: component, group, relation, flow, strength."""
    comps = [c for c in COMPONENT_COLORS if c in set(comp)] + sorted(set(comp) - set(COMPONENT_COLORS))
    handles = [
        mlines.Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=5,
            mfc=COMPONENT_COLORS.get(c, _OTHER_COLOR),
            mec="#222222",
            mew=0.5,
            label=humanize(c),
        )
        for c in comps
    ]
    blocks: list[tuple[str, list, int]] = [("Component", handles, 1)]
    ghandles = [
        mlines.Line2D([], [], ls="", marker=markers[g], ms=4.5, mfc="white", mec="#222222", mew=0.7, label=g)
        for g in REGION_MARKERS
        if g in markers
    ]
    blocks.append(("Contributor", ghandles, 1 if len(ghandles) <= 5 else 2))
    if flows is not None:
        types = [t for t in EDGE_STYLES if t in set(flows["type"])]
        ehandles = [
            mlines.Line2D(
                [],
                [],
                color=EDGE_STYLES[t]["color"],
                ls=EDGE_STYLES[t]["style"],
                lw=1.1,
                label=EDGE_STYLES[t]["label"],
            )
            for t in types
        ]
        blocks.append(("Relation", ehandles, 1))
        if max_deliv > 0:
            whandles = [
                mlines.Line2D([], [], color="#444444", lw=_edge_width(v, max_deliv), label=f"{v:,.0f}")
                for v in _nice_levels(max_deliv)
            ]
            blocks.append(("Reports delivered", whandles, 1))
    shandles = [
        mlines.Line2D(
            [],
            [],
            ls="",
            marker="o",
            mfc="#BBBBBB",
            mec="#222222",
            mew=0.5,
            ms=math.sqrt(_node_area(v, smax)),
            label=f"{v:,.0f}",
        )
        for v in _nice_levels(smax)
    ]
    blocks.append(("Strength (personnel)", shandles, 1))
    widths = [1.0 * ncol for _, _, ncol in blocks]
    total = sum(widths)
    x = 0.0
    for (title, hs, ncol), w in zip(blocks, widths, strict=True):
        leg = lax.legend(
            handles=hs,
            title=title,
            loc="upper left",
            bbox_to_anchor=(x / total, 1.0),
            ncol=ncol,
            alignment="left",
            handlelength=1.8,
            handletextpad=0.4,
            columnspacing=0.8,
            labelspacing=0.35,
            borderaxespad=0.0,
            fontsize=6,
            title_fontsize=6.5,
        )
        lax.add_artist(leg)
        x += w


def _nice_levels(vmax: float) -> list[float]:
    """Two or three round values up to vmax for size/width keys."""
    if vmax <= 0:
        return [0.0]
    mag = 10 ** math.floor(math.log10(vmax))
    top = math.floor(vmax / mag) * mag
    vals = sorted({top, _round_nice(top / 4), _round_nice(top / 16)})
    return [v for v in vals if v > 0][-3:]


def _round_nice(x: float) -> float:
    if x <= 0:
        return 0.0
    mag = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if x <= m * mag * 1.5:
            return m * mag
    return 10 * mag
