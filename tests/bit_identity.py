"""A hash of everything a set of replicates produces, to prove refactors bit-identical (a plain module).

`python tests/bit_identity.py` prints the hash; `tests/test_bit_identity.py` checks it against the value
recorded when the engine last changed results on purpose. It covers every metric, the per-day, per-edge,
FC-latency and event tables (`events.parquet`, v2), and the final trust matrix, for 20 replicates of the MINUSMA
2015 baseline and a few replicates of every other shipped scenario and of each intervention.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import math
import sys

import numpy as np
import pandas as pd

from missionfit.model import MissionModel
from missionfit.model.awareness import events_table
from missionfit.model.metrics import fc_latency_table, flows_table, replicate_metrics, timeseries_table
from missionfit.scenario import build_scenario
from missionfit.scenario.loading import available, read_intervention, read_scenario, scenario_file
from model_runs import trust_state

#: (scenario, interventions, replicates): what the hash covers.
CASES: list[tuple[str, tuple[str, ...], int]] = [
    ("minusma_2015", (), 20),
    ("minusma_2014", (), 5),
    ("minusma_2018", (), 5),
    ("hierarchy", (), 3),
    ("edge", (), 3),
]


def _canonical(value):
    """Floats as exact hex strings, containers recursively, so the hash sees every bit."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        # fast paths of whole columns of one type, with the same result as the general one (`float.hex` of a
        # NaN is "nan"; ints, booleans and strings are their own canonical form); a table column or the trust
        # matrix has ~10^4 values
        if all(type(v) is float for v in value):
            return [v.hex() for v in value]
        if value and type(value[0]) in (int, bool, str) and all(type(v) is type(value[0]) for v in value):
            return list(value)
        return [_canonical(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return "nan" if math.isnan(v) else v.hex()
    if value is None or value is pd.NA:
        return None
    return str(value)


def _table(df: pd.DataFrame) -> dict:
    return {str(c): _canonical(df[c].tolist()) for c in df.columns}


def replicate_digest(sc, seed: int, replicate: int) -> str:
    """The SHA-256 of one replicate's metrics, tables and final trust matrix (`sc`: a compiled scenario)."""
    model = MissionModel(scenario=sc, seed=seed, replicate=replicate, days=180)
    model.run()
    payload = {
        "metrics": _canonical(replicate_metrics(model)),
        "timeseries": _table(timeseries_table(model)),
        "flows": _table(flows_table(model)),
        "fc_latency": _table(fc_latency_table(model)),
        "events": _table(events_table(model)),
        "trust": _canonical(trust_state(model).tolist()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def cases() -> list[tuple[str, tuple[str, ...], int]]:
    """The scenarios of `CASES`, then each intervention on minusma_2015 (3 replicates)."""
    return CASES + [("minusma_2015", (iv,), 3) for iv in available("interventions")]


@functools.cache
def _parsed(name: str) -> dict:
    """A scenario file as `missionfit.scenario.load` reads it, parsed once for all cases."""
    return read_scenario(name)


def _load(name: str, ivs: tuple[str, ...]):
    """`missionfit.scenario.load(name, interventions=ivs)`, from the scenario parsed once."""
    patches, sources = {}, {"scenario": str(scenario_file(name))}
    for iv in ivs:
        patches[iv], path = read_intervention(iv)
        sources[iv] = str(path)
    return build_scenario(copy.deepcopy(_parsed(name)), interventions=patches, sources=sources)


def digest() -> str:
    """The combined hash of every case."""
    h = hashlib.sha256()
    for name, ivs, reps in cases():
        sc = _load(name, ivs)
        for r in range(reps):
            h.update(f"{name}|{','.join(ivs)}|{r}|".encode())
            h.update(replicate_digest(sc, seed=7, replicate=r).encode())
    return h.hexdigest()


if __name__ == "__main__":
    print(digest())
    sys.exit(0)
