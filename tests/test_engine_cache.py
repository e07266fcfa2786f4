"""The numba cache is keyed on the whole engine's source, so an edited callee in another file is recompiled.

numba keys a cached function on its own file only (numba issue #1833): a caller whose file did not change
would load its cached machine code, old callee inlined, and run stale. `missionfit.engine.jit` stamps every
engine kernel's cache (and `missionfit.model.world`'s) with a hash of the engine package's source. These
tests run a caller on a temporary copy of the package, in fresh processes: first compiled, then reused
unchanged, then after an edit of the inlined callees `keyed.to_unit` (in `engine/keyed.py`) and `pcg64.random`
(in `engine/pcg64.py`) that their callers `engine.collection.next_detection` and `model.world._draw_world` (other
files, unchanged) must see.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from numba.core.dispatcher import Dispatcher

import missionfit
from missionfit import engine
from missionfit.engine.jit import EngineFunctionCache

PACKAGE = Path(missionfit.__file__).resolve().parent

#: Runs both callers and prints their results and cache statistics as JSON.
PROBE = r"""
import json
import numpy as np
from missionfit.engine import collection, layout, pcg64
from missionfit.model import world
from missionfit.scenario.information import world_tables

seed = 7
n = 3
empty = np.zeros(1)
# only what `next_detection` reads is real; the rest of the bundles are placeholders
static = layout.Static(*[empty] * len(layout.Static._fields))._replace(
    net=layout.Net(*[np.zeros((1, 1), np.int64)] * len(layout.Net._fields)),
    cover_ptr=np.array([0, n]), cover_prob=np.full(n, 1.0), cover_prob_tasked=np.full(n, 1.0),
    cover_slot=np.arange(n), cover_unit=np.zeros(n, np.int64), cover_available=np.zeros(n),
    cover_group=np.arange(n), cover_key=np.arange(n, dtype=np.uint64), ind_event=np.zeros(1, np.int64),
)
state = layout.State(*[empty] * len(layout.State._fields))._replace(
    observed=np.zeros((1, 1), np.uint64), task_until=np.full(n, -1.0)
)
first = collection.next_detection(static, state, np.array([seed], np.uint64), 0, 0, n, 1.0)
tables = world_tables(
    [{"event_rate": 1.0}],
    [{"share": 1.0, "severity": [1, 2], "warning_days": [1, 3], "indicators": 2, "line": "security",
      "domain": "military", "horizon": "imminent"}],
)
drawn = world._draw_world(np.array([5]), tables, 30.0, pcg64.state_of(np.random.default_rng(seed)))


def stats(dispatcher):
    return {"hits": sum(dispatcher.stats.cache_hits.values()), "misses": sum(dispatcher.stats.cache_misses.values())}


print(json.dumps({
    "engine_file": collection.__file__,
    "first_detection": int(first),
    "event_time_sum": float(drawn[0].sum()),
    "next_detection": stats(collection.next_detection),
    "draw_world": stats(world._draw_world),
}))
"""


def _run_probe(root: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("NUMBA_CACHE_DIR", None)  # cache next to the copy's sources, as numba does by default
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_an_edited_inlined_callee_in_another_file_is_recompiled(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "missionfit", ignore=shutil.ignore_patterns("__pycache__"))
    fresh = _run_probe(tmp_path)
    assert Path(fresh["engine_file"]).is_relative_to(tmp_path)  # the copy runs, not the installed package
    assert fresh["next_detection"]["misses"] > 0 and fresh["draw_world"]["misses"] > 0
    assert fresh["first_detection"] == 0  # a uniform in [0, 1) is below p = 1: the first candidate detects
    assert fresh["event_time_sum"] > 0.0

    reused = _run_probe(tmp_path)
    assert reused["next_detection"] == {"hits": 1, "misses": 0}
    assert reused["draw_world"] == {"hits": 1, "misses": 0}
    assert (reused["first_detection"], reused["event_time_sum"]) == (fresh["first_detection"], fresh["event_time_sum"])

    # the keyed uniform is now always 1.0 (no candidate detects), and the world stream draws 0.0 (every event at 0)
    keyed_file = tmp_path / "missionfit" / "engine" / "keyed.py"
    source = keyed_file.read_text()
    old = "    return np.float64(z >> _S11) * (1.0 / 9007199254740992.0)\n"
    assert source.count(old) == 1
    keyed_file.write_text(source.replace(old, "    return 1.0 + 0.0 * np.float64(z)\n"))
    pcg64_file = tmp_path / "missionfit" / "engine" / "pcg64.py"
    source = pcg64_file.read_text()
    old = "    return np.float64(out >> np.uint64(11)) * (1.0 / 9007199254740992.0)\n"
    assert source.count(old) == 1
    pcg64_file.write_text(source.replace(old, "    return 0.0 * np.float64(out)\n"))
    edited = _run_probe(tmp_path)
    assert edited["next_detection"]["misses"] > 0 and edited["draw_world"]["misses"] > 0
    assert edited["first_detection"] == 3  # `end`: no candidate detects
    assert edited["event_time_sum"] == 0.0


def test_every_engine_and_world_kernel_uses_the_source_keyed_cache():
    modules = [importlib.import_module(f"missionfit.engine.{m.name}") for m in pkgutil.iter_modules(engine.__path__)]
    modules.append(importlib.import_module("missionfit.model.world"))
    kernels = {
        f"{module.__name__}.{name}": obj
        for module in modules
        for name, obj in vars(module).items()
        if isinstance(obj, Dispatcher) and obj.py_func.__module__ == module.__name__
    }
    assert len(kernels) >= 25  # every engine module's kernels, pcg64.random and the world's two
    plain = [name for name, kernel in kernels.items() if not isinstance(kernel._cache, EngineFunctionCache)]
    assert plain == []
