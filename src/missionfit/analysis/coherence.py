"""Coherence matrix: each pair of actor blocks placed on de Coning & Friis's six levels of coherence.

de Coning, C. and Friis, K. (2011), "Coherence and Coordination: The Limits of the Comprehensive Approach",
Journal of International Peacekeeping 15: 243-272, define six levels of coherence between actors, from
actors that are *united* to actors that *compete*, with *integrated*, *cooperating*, *coordinating* and
*co-existing* in between; Rietjens & Ruffa (2019, International Peacekeeping 26(4), p. 388) adopt this
scale and zoom in within the mission. Here the level of a pair is *derived from realised flows* (what the
simulation actually did), not from the organisation chart alone: see `coherence_level` and docs/figures.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from missionfit.analysis.style import PAGE_WIDTH, new_figure, publication_style

#: The six levels, lowest to highest coherence (de Coning & Friis 2011).
LEVELS = ("competing", "co-existing", "coordinating", "cooperating", "integrated", "united")

#: One colour per level: vermillion (Okabe-Ito) = competing, light grey = co-existing (no working relation),
#: then ColorBrewer Blues from coordinating (light) to united (dark). Red-blue contrast survives the common
#: colour-vision deficiencies; the blues are ordered by lightness, so the scale also reads in greyscale.
LEVEL_COLORS = ("#D55E00", "#E6E6E6", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C")

#: Units carry their actor block (`actor_block` in units.parquet, declared per kind in the scenario's
#: `kind_defaults`). For run directories written before that, the MINUSMA blocks with the unit kinds that
#: belong to each (docs/ODD.md §2; Rietjens & Ruffa 2019, Figure 1); kinds not listed fall back on their component
#: (see `actor_block`). The order of this table is also the display order of these blocks.
ACTOR_BLOCKS: dict[str, tuple[str, ...]] = {
    "Force & sector HQ": ("force_hq", "sector_hq", "u3", "force_planning"),
    "U2/G2/S2 line": ("u2", "g2", "s2"),
    "ASIFU": ("asifu_hq", "isr_company", "isr_taskforce", "humint_team"),
    "SOLTG/helicopters": ("special_forces", "helicopter_detachment"),
    "Battalions": ("battalion",),
    "JMAC": ("jmac",),
    "JOC": ("joc",),
    "UNDSS": ("undss",),
    "UNPOL": ("unpol",),
    "SRSG office": ("srsg_office", "dsrsg_rc_hc"),
    "Civilian sections": ("civil_affairs",),
    "Liaison officers": ("liaison_officer",),
    "Humanitarian": ("humanitarian",),
}
_KIND_TO_BLOCK = {k: b for b, kinds in ACTOR_BLOCKS.items() for k in kinds}
_COMPONENT_FALLBACK = {
    "military": "Battalions",
    "police": "UNPOL",
    "civilian": "Civilian sections",
    "external": "Humanitarian",
}
#: Kinds that are venues, not actors, in run directories without a `roles` column: their edges say who sits
#: together, they get no row. With the column, venues are the units with the role below.
VENUE_KINDS = ("board",)
VENUE_ROLE = "coordination_board"


def _roles(value: object) -> list[str]:
    """The roles of a units.parquet cell (comma-joined), `[]` when empty or missing."""
    return [r for r in value.split(",") if r] if isinstance(value, str) else []


def _venues(u: pd.DataFrame) -> set[str]:
    """Ids of the venue units (boards): by role, else (older run directories) by kind."""
    if "roles" in u:
        return {i for i, r in zip(u["id"], u["roles"], strict=True) if VENUE_ROLE in _roles(r)}
    return {i for i, k in zip(u["id"], u["kind"].astype(str), strict=True) if k in VENUE_KINDS}


def _block_of(u: pd.DataFrame, comp: pd.Series, venues: set[str], blocks: Mapping[str, str] | None) -> dict:
    """Unit id -> actor block: the `block` column, the `actor_block` column, else by kind (`actor_block`)."""
    if "block" in u:
        return dict(zip(u["id"], u["block"], strict=True))
    if "actor_block" in u and not blocks:
        out = {}
        for i, b, c in zip(u["id"], u["actor_block"], comp, strict=True):
            out[i] = None if i in venues else (b if isinstance(b, str) and b else _component_block(c))
        return out
    return {i: actor_block(k, c, blocks) for i, k, c in zip(u["id"], u["kind"], comp, strict=True)}


def _component_block(component: object) -> str:
    return _COMPONENT_FALLBACK.get(str(component), "Other")


@dataclass(frozen=True)
class CoherenceThresholds:
    """Thresholds of `coherence_level` (reasoning in docs/figures.md, "Coherence matrix").

    Attributes:
        min_hops: Fewer transmission attempts than this between two blocks = no working relationship.
        compete_withheld: Share of attempts withheld at or above which the pair is hoarding (competing).
        compete_withheld_rival: Lower withheld share that already counts as competing between declared rivals.
        coexist_delivered: Delivered share below which exchange is too thin to be coordination.
        cooperate_delivered: Delivered share needed for cooperation (and integration).
        unite_delivered: Delivered share needed, with a single command and two-way flow, for unity.
        two_way_balance: The weaker direction must carry at least this fraction of the stronger one's
            deliveries for the flow to count as two-way.
    """

    min_hops: float = 1.0
    compete_withheld: float = 0.5
    compete_withheld_rival: float = 0.25
    coexist_delivered: float = 0.25
    cooperate_delivered: float = 0.5
    unite_delivered: float = 0.8
    two_way_balance: float = 0.2


DEFAULT_THRESHOLDS = CoherenceThresholds()


def coherence_level(
    hops: float,
    delivered: float,
    withheld: float,
    two_way: bool,
    command: bool = False,
    directive_board: bool = False,
    rivals: bool = False,
    thresholds: CoherenceThresholds = DEFAULT_THRESHOLDS,
) -> str:
    """Place one pair of actors on de Coning & Friis's (2011) scale from its realised flows.

    The rules are applied in this order (the first that matches wins):

    1. fewer than `min_hops` attempts between them → **co-existing** (they share the mission but no work);
    2. withheld share ≥ `compete_withheld` (≥ `compete_withheld_rival` for declared rivals) → **competing**
       (information is hoarded: "most people keep information to themselves, due to the competition",
       Rietjens & Ruffa 2019, p. 395);
    3. delivered share < `coexist_delivered` → **co-existing** (contact, but little gets through);
    4. two-way, delivered share ≥ `unite_delivered`, and one command over both (a `command` edge between
       them) → **united** (one chain, one effort);
    5. two-way, delivered share ≥ `cooperate_delivered`, and a command edge *or* a directive board →
       **integrated** (shared structures that can mandate sharing);
    6. two-way and delivered share ≥ `cooperate_delivered` → **cooperating** (voluntary, reciprocal work);
    7. otherwise → **coordinating** (one-way or partial sharing, e.g. through a coordinating-only board).

    Args:
        hops: Transmission attempts between the two, both directions.
        delivered: Of which delivered.
        withheld: Of which withheld by the sender (trust, rivalry).
        two_way: Both directions deliver (see `CoherenceThresholds.two_way_balance`).
        command: A `command` edge links them (either direction).
        directive_board: Both sit on a board with directive power, or a directive board edge links them.
        rivals: One lists the other as a rival.
        thresholds: The thresholds.

    Returns:
        One of `LEVELS`.
    """
    t = thresholds
    if not hops or hops < t.min_hops:
        return "co-existing"
    d_share = delivered / hops
    w_share = withheld / hops
    if w_share >= t.compete_withheld or (rivals and w_share >= t.compete_withheld_rival):
        return "competing"
    if d_share < t.coexist_delivered:
        return "co-existing"
    if two_way and command and d_share >= t.unite_delivered:
        return "united"
    if two_way and (command or directive_board) and d_share >= t.cooperate_delivered:
        return "integrated"
    if two_way and d_share >= t.cooperate_delivered:
        return "cooperating"
    return "coordinating"


def actor_block(kind: object, component: object = None, blocks: Mapping[str, str] | None = None) -> str | None:
    """The actor block of a unit: from `blocks` (kind → block) if given, its kind, else its component.

    Returns `None` for venues (boards), which are not actors.
    """
    kind = str(kind)
    if blocks and kind in blocks:
        return blocks[kind]
    if kind in VENUE_KINDS:
        return None
    if kind in _KIND_TO_BLOCK:
        return _KIND_TO_BLOCK[kind]
    return _component_block(component)


def coherence_table(
    units: pd.DataFrame,
    flows: pd.DataFrame,
    directive_boards: set[str] | None = None,
    blocks: Mapping[str, str] | None = None,
    thresholds: CoherenceThresholds = DEFAULT_THRESHOLDS,
    board_edges: pd.DataFrame | None = None,
    boards_directive: bool = False,
) -> pd.DataFrame:
    """Aggregate realised flows per pair of actor blocks and place each pair on the scale.

    Args:
        units: `units.parquet` (id, kind, component; `actor_block` and `roles` when the run wrote them, else
            blocks by kind from `ACTOR_BLOCKS`; an optional `block` column overrides; optional `rivals`).
        flows: `flows.parquet` (source, target, type, hops, delivered, withheld; optional `directive`).
        directive_boards: Ids of board units with directive power (besides any `directive` flow column).
        blocks: Optional kind → block mapping overriding `ACTOR_BLOCKS`.
        thresholds: Thresholds of `coherence_level`.
        board_edges: Board membership as written in the scenario (source, target, [directive]): member →
            board unit. Needed when the flows hold the member-to-member exchanges of a board (type `board`)
            rather than edges to the board unit itself.
        boards_directive: Every board is directive (the `jcb_directive` intervention).

    Returns:
        One row per unordered pair (block_a, block_b), including a block with itself when it has internal
        flows: hops, delivered, withheld, delivered_share, withheld_share, two_way, command,
        directive_board, coordinating_board, rivals, level, level_index.
    """
    u = units.copy()
    u["id"] = u["id"].astype(str)
    comp = u["component"] if "component" in u else pd.Series(None, index=u.index)
    venues = _venues(u)
    block_of = _block_of(u, comp, venues, blocks)
    f = flows.copy()
    f["source"] = f["source"].astype(str)
    f["target"] = f["target"].astype(str)
    for col in ("hops", "delivered", "withheld"):
        f[col] = pd.to_numeric(f[col], errors="coerce").fillna(0.0) if col in f else 0.0
    f["type"] = f["type"].astype(str) if "type" in f else "intel"

    # Board venues: who sits on which board, and whether it is directive.
    directive = set(directive_boards or ())
    membership = f[f["type"] == "board"][["source", "target"]].copy()
    membership["directive"] = f.loc[f["type"] == "board", "directive"] if "directive" in f else False
    if board_edges is not None and len(board_edges):
        be = board_edges.copy()
        be["directive"] = be["directive"] if "directive" in be else False
        membership = pd.concat(
            [membership, be[["source", "target", "directive"]].astype({"source": str, "target": str})]
        )
    board_members: dict[str, set[str]] = {}
    for s, t, d in zip(membership["source"], membership["target"], membership["directive"], strict=True):
        for venue, member in ((t, s), (s, t)):
            if venue in venues and block_of.get(member):
                board_members.setdefault(venue, set()).add(block_of[member])
                if bool(d) if d is not None and d == d else False:
                    directive.add(venue)
    if boards_directive:
        directive |= set(board_members)
    # Board exchanges recorded member to member: the pair sits together on a board.
    direct_board = {
        frozenset((block_of.get(s), block_of.get(t)))
        for s, t in zip(membership["source"], membership["target"], strict=True)
        if s not in venues and t not in venues and block_of.get(s) and block_of.get(t)
    }

    rivals = _rival_blocks(u, block_of)

    f["a"] = f["source"].map(block_of)
    f["b"] = f["target"].map(block_of)
    f = f[f["a"].notna() & f["b"].notna()]
    directed = f.groupby(["a", "b"])[["hops", "delivered", "withheld"]].sum()
    command = {frozenset((a, b)) for a, b in f.loc[f["type"] == "command", ["a", "b"]].itertuples(index=False)}

    present = [b for b in ACTOR_BLOCKS if b in set(block_of.values())]
    present += list(dict.fromkeys(b for b in block_of.values() if b and b not in present))  # then in unit order
    rows = []
    for i, a in enumerate(present):
        for b in present[: i + 1]:
            ab = directed.loc[(a, b)] if (a, b) in directed.index else None
            ba = directed.loc[(b, a)] if (b, a) in directed.index and a != b else None
            parts = [x for x in (ab, ba) if x is not None]
            if a == b and ab is None:
                continue
            hops = float(sum(x["hops"] for x in parts))
            deliv = float(sum(x["delivered"] for x in parts))
            withheld = float(sum(x["withheld"] for x in parts))
            d1 = float(ab["delivered"]) if ab is not None else 0.0
            d2 = float(ba["delivered"]) if ba is not None else 0.0
            two_way = (a == b and d1 > 0) or (
                min(d1, d2) > 0 and min(d1, d2) >= thresholds.two_way_balance * max(d1, d2)
            )
            shared = [v for v, m in board_members.items() if a in m and b in m and a != b]
            dboard = any(v in directive for v in shared) or (
                boards_directive and frozenset((a, b)) in direct_board and a != b
            )
            shared = shared or ([True] if frozenset((a, b)) in direct_board and a != b else [])
            cmd = frozenset((a, b)) in command
            riv = frozenset((a, b)) in rivals
            level = coherence_level(hops, deliv, withheld, two_way, cmd, dboard, riv, thresholds)
            rows.append(
                {
                    "block_a": a,
                    "block_b": b,
                    "hops": hops,
                    "delivered": deliv,
                    "withheld": withheld,
                    "delivered_share": deliv / hops if hops else np.nan,
                    "withheld_share": withheld / hops if hops else np.nan,
                    "two_way": bool(two_way),
                    "command": cmd,
                    "directive_board": dboard,
                    "coordinating_board": bool(shared) and not dboard,
                    "rivals": riv,
                    "level": level,
                    "level_index": LEVELS.index(level),
                }
            )
    return pd.DataFrame(rows)


def _rival_blocks(u: pd.DataFrame, block_of: Mapping[str, str | None]) -> set[frozenset]:
    out: set[frozenset] = set()
    if "rivals" not in u:
        return out
    for uid, rv in zip(u["id"], u["rivals"], strict=True):
        if rv is None or (isinstance(rv, float) and np.isnan(rv)):
            continue
        items = list(rv) if hasattr(rv, "__iter__") and not isinstance(rv, str) else str(rv).split(",")
        for other in items:
            a, b = block_of.get(uid), block_of.get(str(other).strip())
            if a and b and a != b:
                out.add(frozenset((a, b)))
    return out


def plot_coherence_matrix(
    table: pd.DataFrame, width: float = PAGE_WIDTH, annotate: bool = True
) -> tuple[Figure, np.ndarray]:
    """Draw the lower triangle of block × block coherence levels (one cell per pair).

    Each cell is coloured by level and, if `annotate`, shows the level and the share of transmission
    attempts delivered. Pairs without any attempt are co-existing by rule 1 and marked "no flow".

    Args:
        table: Output of `coherence_table`.
        width: Figure width, inches.
        annotate: Write level and delivered share in each cell.

    Returns:
        `(fig, axes)`: axes[0] the matrix, axes[1] the colour key.
    """
    blocks = list(dict.fromkeys(list(table["block_a"]) + list(table["block_b"])))
    order = [b for b in ACTOR_BLOCKS if b in blocks] + [b for b in blocks if b not in ACTOR_BLOCKS]
    n = len(order)
    idx = {b: i for i, b in enumerate(order)}
    grid = np.full((n, n), np.nan)
    cells = {}
    for r in table.itertuples(index=False):
        i, j = idx[r.block_a], idx[r.block_b]
        i, j = max(i, j), min(i, j)
        grid[i, j] = r.level_index
        cells[(i, j)] = r
    cmap = ListedColormap(LEVEL_COLORS).with_extremes(bad="white")
    norm = BoundaryNorm(np.arange(-0.5, len(LEVELS)), cmap.N)
    height = min(0.45 * n + 1.3, 8.5)
    with publication_style():
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        im = ax.imshow(grid, cmap=cmap, norm=norm, aspect="equal")
        im.set_gid("coherence")
        for i in range(n):
            for j in range(i + 1):
                ax.add_patch(_cell_frame(j, i))
                r = cells.get((i, j))
                if r is None:
                    ax.text(j, i, "—", ha="center", va="center", fontsize=5.5, color="#888888")
                    continue
                if annotate and np.isfinite(r.delivered_share):
                    dark = r.level_index in (0, 4, 5)
                    ax.text(
                        j,
                        i,
                        f"{_abbrev(r.level)}\n{r.delivered_share:.0%}",
                        ha="center",
                        va="center",
                        fontsize=5.5,
                        linespacing=1.1,
                        color="white" if dark else "#222222",
                    )
        ax.set_xticks(range(n), order, rotation=40, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), order)
        ax.set_xlabel("Actor block")
        ax.set_ylabel("Actor block")
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        cb = fig.colorbar(im, ax=ax, ticks=range(len(LEVELS)), shrink=0.55, aspect=14, pad=0.02)
        cax = cb.ax
        cb.ax.set_yticklabels([lvl.capitalize() for lvl in LEVELS])
        cb.ax.tick_params(length=0)
        cb.outline.set_linewidth(0.4)
        cb.set_label("Level of coherence (de Coning & Friis 2011)")
        fig.supxlabel(
            "Cell: level and share of transmission attempts delivered; grey without text: no exchange "
            "(co-existing); diagonal: within a block (—: none).",
            fontsize=6,
            color="#444444",
        )
    return fig, np.array([ax, cax], dtype=object)


def _abbrev(level: str) -> str:
    short = {
        "competing": "compet.",
        "co-existing": "co-exist.",
        "coordinating": "coord.",
        "cooperating": "coop.",
        "integrated": "integr.",
    }
    return short.get(level, level)


def _cell_frame(x: int, y: int):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="white", lw=0.8)
