"""Every input lives (issue 16 §5): moving it across its range moves the output its parameters.md entry names.

The table is `tests/data/liveness.yaml`: one row per input (every mechanism parameter, the three fit knobs and
the paper-cited unit, edge, trust and scenario attributes), with how it is set (`mechanism`, `fit`, or
`scenario`: dotted paths into the composed scenario), its low and high value (the prior ranges of
docs/validation.md §10, else the documented range), the scenario and run length it acts in, and the output
metrics it must move (`acts_on`). Each row runs the model paired: replicates 0..n-1 of the same seed at the
low and at the high value, so that both arms share every random number the input does not change. The
per-replicate differences of each named metric get a two-sided sign-flip permutation p-value; the p-values of
all (row, metric) pairs are Holm-corrected together (familywise alpha 0.05), and every one must be
significant. Counters of message traffic (hops, messages created, delivered, withheld, requests) cannot be a
row's output. A row with `dead:` is an input found to move nothing across its range: it is kept, as a strict
xfail naming what was measured, until the lead removes the input or makes it act.

The model runs are slow (about two minutes on one core once the engine is compiled); the checks of the table
itself (every mechanism parameter and knob has a row, every named metric is an outcome of the contract, the
docs name the same metrics) are fast.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from scipy import stats

import missionfit as mf
from missionfit.api.results import flatten_metrics
from missionfit.contract.metrics import Kind, is_metric, metric
from missionfit.model.replicate import run_replicate
from missionfit.scenario import schema

ROOT = Path(__file__).resolve().parents[1]
TABLE = Path(__file__).parent / "data" / "liveness.yaml"
PARAMETERS_MD = ROOT / "docs" / "parameters.md"

#: Familywise error rate of the Holm correction over every (row, metric) pair.
ALPHA = 0.05
#: Seed of the model runs; the sign-flip draws have their own.
SEED = 0
#: Random sign flips per p-value (the smallest attainable p is 1 / (FLIPS + 1), below alpha over the family).
FLIPS = 20_000
#: Counts that are outcomes, not message traffic: noticed leaks, escorts and incidents, what sensors observed.
OUTCOME_COUNTS = frozenset({"leaks", "escorts", "escorts_refused", "safety_incidents", "observations"})
HOW = ("mechanism", "fit", "scenario")


@dataclasses.dataclass(frozen=True)
class Row:
    """One input of the table (tests/data/liveness.yaml).

    Attributes:
        input: The input's name as docs/parameters.md writes it (e.g. `mechanisms.leak_rate`).
        how: `mechanism` (an override), `fit` (a knob) or `scenario` (paths into the composed scenario).
        key: The mechanism or knob name (`mechanism`, `fit`).
        paths: Dotted paths the value is written to (`scenario`); `[k=v]` selects list entries, `*` every one.
        op: `set` writes the value; `union` adds the value's items to each existing list (`scenario`).
        low: The low value; `observed` leaves the scenario as it is (`scenario`).
        high: The high value.
        scenario: The scenario it acts in.
        interventions: Interventions both arms apply (an input that acts only in a counterfactual structure).
        days: Days per replicate.
        replicates: Paired replicates.
        acts_on: The output metrics it must move (flat contract names).
        fit: Fit knobs of both arms (an input that acts only through a knob).
        mechanisms: Mechanism overrides of both arms.
        range: Where the low and high value come from.
        dead: Why the input is a strict xfail (what was measured), or None.
        doc: The docs/parameters.md entry of the input, when `input` names one case of it.
    """

    input: str
    how: str
    low: Any
    high: Any
    acts_on: tuple[str, ...]
    range: str
    key: str | None = None
    paths: tuple[str, ...] = ()
    op: str = "set"
    scenario: str = "minusma_2015"
    interventions: tuple[str, ...] = ()
    days: int = 180
    replicates: int = 20
    fit: tuple[tuple[str, float], ...] = ()
    mechanisms: tuple[tuple[str, Any], ...] = ()
    dead: str | None = None
    doc: str | None = None

    @property
    def entry(self) -> str:
        """The first cell of the input's docs/parameters.md entry."""
        return self.doc or self.input


def load_table(path: Path = TABLE) -> list[Row]:
    """The rows of the liveness table, in file order."""
    rows = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        entry = dict(entry)
        entry["acts_on"] = tuple(entry["acts_on"])
        entry["paths"] = tuple(entry.get("paths", ()))
        entry["interventions"] = tuple(entry.get("interventions", ()))
        entry["fit"] = tuple(sorted((entry.get("fit") or {}).items()))
        entry["mechanisms"] = tuple(sorted((entry.get("mechanisms") or {}).items()))
        rows.append(Row(**entry))
    return rows


ROWS = load_table()

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def _tokens(path: str) -> list[Any]:
    """`units[id=soltg].protection.incident_rate` -> `["units", {"id": "soltg"}, "protection", "incident_rate"]`."""
    out: list[Any] = []
    for name, selector in _TOKEN.findall(path):
        if name:
            out.append(name)
        else:
            out.append({} if selector == "*" else dict(part.split("=", 1) for part in selector.split(",")))
    return out


def _matches(node: Any, selector: dict[str, str]) -> bool:
    return isinstance(node, dict) and all(str(node.get(k)) == v for k, v in selector.items())


def set_path(root: dict, path: str, value: Any, op: str = "set") -> int:
    """Write `value` at every place `path` selects in `root`; return how many places were written.

    A mapping key `*` selects every value; `[k=v,...]` selects the list entries whose keys have those values
    (`[*]`: every entry). `op="set"` creates missing final keys; `op="union"` extends only existing lists.
    """
    tokens = _tokens(path)
    nodes = [root]
    for token in tokens[:-1]:
        nxt: list[Any] = []
        for node in nodes:
            if isinstance(token, dict):
                nxt.extend(item for item in node if _matches(item, token))
            elif token == "*":
                nxt.extend(v for v in node.values() if isinstance(v, dict))
            elif isinstance(node, dict) and token in node:
                nxt.append(node[token])
        nodes = nxt
    last, written = tokens[-1], 0
    for node in nodes:
        if op == "union":
            if isinstance(node.get(last), list):
                node[last] = node[last] + [v for v in value if v not in node[last]]
                written += 1
        else:
            node[last] = copy.deepcopy(value)
            written += 1
    return written


@cache
def _spec(name: str, interventions: tuple[str, ...] = ()) -> dict:
    return mf.scenario_spec(name, interventions)


def build_arm(row: Row, value: Any):
    """The compiled scenario of one arm of a row: the row's context with the input at `value`."""
    spec = copy.deepcopy(_spec(row.scenario, row.interventions))
    fit, mechanisms = dict(row.fit), dict(row.mechanisms)
    if row.how == "mechanism":
        mechanisms[row.key] = value
    elif row.how == "fit":
        fit[row.key] = value
    elif value != "observed":
        for path in row.paths:
            assert set_path(spec["scenario"], path, value, row.op), f"{row.input}: {path} selects nothing"
    return mf.build(spec, fit=fit, mechanisms=mechanisms)


def arm_metrics(row: Row, value: Any) -> list[dict[str, float]]:
    """Flat metrics of replicates 0..n-1 of one arm."""
    sc = build_arm(row, value)
    return [
        flatten_metrics(run_replicate(sc, seed=SEED, replicate=r, days=row.days).metrics) for r in range(row.replicates)
    ]


def sign_flip_p(diff: np.ndarray, flips: int = FLIPS, seed: int = 0) -> float:
    """Two-sided sign-flip permutation p-value of the mean of paired differences (NaN pairs dropped).

    Under the null that the input changes nothing, each difference is as likely positive as negative; the
    p-value counts random sign assignments whose mean is at least as far from 0 as the observed one.
    """
    d = diff[np.isfinite(diff)]
    if d.size == 0 or not np.any(d):
        return 1.0
    signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(flips, d.size))
    null = np.abs(signs @ d) / d.size
    return float((1 + np.count_nonzero(null >= abs(d.mean()) - 1e-12)) / (flips + 1))


def holm(pvalues: list[float]) -> list[float]:
    """Holm step-down adjusted p-values (familywise), in the order given."""
    m = len(pvalues)
    order = np.argsort(pvalues, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted.tolist()


def paired_effect(row: Row) -> dict[str, dict[str, float]]:
    """Per named metric: paired mean difference high - low, its 95% t-interval, pairs used, and the p-value."""
    low, high = arm_metrics(row, row.low), arm_metrics(row, row.high)
    out = {}
    for name in row.acts_on:
        d = np.array([h[name] - lo[name] for lo, h in zip(low, high, strict=True)], dtype=float)
        d = d[np.isfinite(d)]
        se = float(d.std(ddof=1) / math.sqrt(d.size)) if d.size > 1 else math.nan
        half = float(stats.t.ppf(0.975, d.size - 1)) * se
        out[name] = {
            "mean": float(d.mean()),
            "low": float(d.mean() - half),
            "high": float(d.mean() + half),
            "n": int(d.size),
            "p": sign_flip_p(d),
        }
    return out


def table_effects(rows: list[Row]) -> dict[tuple[str, str], dict[str, float]]:
    """Every (row, metric): its paired effect and its Holm-adjusted p-value over all of `rows`."""
    results = {}
    for row in rows:
        for name, effect in paired_effect(row).items():
            results[(row.input, name)] = effect
    keys = list(results)
    for key, adjusted in zip(keys, holm([results[k]["p"] for k in keys]), strict=True):
        results[key]["p_holm"] = adjusted
    return results


@pytest.fixture(scope="module")
def effects() -> dict[tuple[str, str], dict[str, float]]:
    """The effects of the whole table (the family of the Holm correction)."""
    return table_effects(ROWS)


def _params() -> list[Any]:
    out = []
    for row in ROWS:
        marks = [pytest.mark.xfail(strict=True, reason=f"dead input: {row.dead}")] if row.dead else []
        out.append(pytest.param(row, id=row.input, marks=marks))
    return out


@pytest.mark.slow
@pytest.mark.xdist_group("liveness")
@pytest.mark.parametrize("row", _params())
def test_input_moves_its_named_output(row: Row, effects):
    for name in row.acts_on:
        e = effects[(row.input, name)]
        assert e["p_holm"] < ALPHA, (
            f"{row.input} {row.low} -> {row.high} ({row.scenario}, {row.days} d, {row.replicates} pairs) does not "
            f"move {name}: paired mean {e['mean']:+.4g} [{e['low']:+.4g}, {e['high']:+.4g}], "
            f"p = {e['p']:.2g}, Holm p = {e['p_holm']:.2g}"
        )


def test_every_mechanism_parameter_and_fit_knob_has_a_row():
    named = {(r.how, r.key) for r in ROWS if r.how in ("mechanism", "fit")}
    mechanisms = {("mechanism", f.name) for f in dataclasses.fields(schema.MechanismSpec)}
    knobs = {("fit", k) for k in ("strategic", "cultural", "operational")}
    assert mechanisms | knobs <= named, sorted((mechanisms | knobs) - named)


def test_the_table_is_well_formed():
    assert len({r.input for r in ROWS}) == len(ROWS), "an input has two rows"
    for r in ROWS:
        assert r.how in HOW, r.input
        assert (r.how == "scenario") == bool(r.paths) and (r.how == "scenario") != bool(r.key), r.input
        assert r.low != r.high and r.acts_on and r.range, r.input
        assert r.replicates >= 10, f"{r.input}: too few pairs for a paired test"


@pytest.mark.parametrize("name", sorted({m for r in ROWS for m in r.acts_on}))
def test_named_outputs_are_contract_outcomes_not_traffic_counters(name):
    assert is_metric(name), f"{name} is not a metric of the output contract"
    assert metric(name).kind is not Kind.COUNT or name in OUTCOME_COUNTS, f"{name} counts message traffic"


def _docs_entry(text: str, name: str) -> str | None:
    """The table line of docs/parameters.md whose first cell is the input (in backticks), or None."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1] == f"`{name}`":
            return line
    return None


@pytest.mark.parametrize("row", ROWS, ids=[r.input for r in ROWS])
def test_the_docs_entry_names_what_the_input_acts_on(row: Row):
    entry = _docs_entry(PARAMETERS_MD.read_text(encoding="utf-8"), row.entry)
    assert entry is not None, f"docs/parameters.md has no entry for `{row.entry}`"
    acts = [c.strip() for c in entry.split("|")][-2]
    if row.dead:
        assert "dead" in acts, f"docs/parameters.md `{row.entry}`: its acts-on cell does not say it is dead"
        return
    for name in row.acts_on:
        assert f"`{name}`" in acts, f"docs/parameters.md `{row.entry}`: its acts-on cell does not name `{name}`"


def test_set_path_selects_list_entries_and_unions():
    doc = {"units": [{"id": "a", "x": {"y": 1}, "l": ["en"]}, {"id": "b", "l": ["fr"]}], "g": {"p": {"l": ["en"]}}}
    assert set_path(doc, "units[id=a].x.y", 2) == 1 and doc["units"][0]["x"]["y"] == 2
    assert set_path(doc, "units[*].l", ["fr"], op="union") == 2 and doc["units"][0]["l"] == ["en", "fr"]
    assert set_path(doc, "g.*.l", ["fr"], op="union") == 1 and doc["g"]["p"]["l"] == ["en", "fr"]
    assert set_path(doc, "units[id=c].x", 0) == 0


def test_holm_and_the_sign_flip_test():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert sign_flip_p(np.zeros(20)) == 1.0
    assert sign_flip_p(np.full(20, 0.1)) < 1e-3  # every pair moves the same way
    rng = np.random.default_rng(1)
    assert sign_flip_p(rng.normal(size=20)) > 0.05  # noise around 0
