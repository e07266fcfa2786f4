"""Performance properties that can be checked without timing anything (docs/performance.md).

No test here measures speed: timings on a shared machine are noise. They check what the speed relies on
and what the benchmark promises: the bench CLI's output contract, no memory growth from one replicate to
the next, work counters that grow linearly with the size of a generated mission, and that the engine's
shortcuts (uninitialised stores, per-domain sensor lists, the linear-time sort) change no result.
"""

from __future__ import annotations

import gc
import re
import sys
import tracemalloc

import numpy as np
import pytest
import yaml

from conftest import SHARED_DIR
from missionfit import engine
from missionfit.cli import bench
from missionfit.model import MissionModel
from missionfit.model.replicate import run_replicate
from missionfit.model.world import stable_argsort
from missionfit.scenario.loading import load, scenario_file
from model_runs import compiled, trust_state

NAIVE_FILE = "bench/naive_mesa_reference.py"
NAIVE = SHARED_DIR / NAIVE_FILE
LINE = re.compile(
    r"^missionfit units=(\d+) days=(\d+) replicates=(\d+) ms_per_replicate=(\d+\.\d) hops_per_second=(\d+)$"
)


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def test_bench_prints_the_contract_line(capsys):
    assert bench.main(["--days", "20", "--replicates", "2", "--repeats", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    m = LINE.match(out[0])
    assert m, out[0]
    assert (int(m[1]), int(m[2]), int(m[3])) == (compiled("minusma_2015").n_units, 20, 2)
    assert float(m[4]) > 0 and int(m[5]) > 0


@pytest.mark.needs_shared(NAIVE_FILE)
def test_bench_naive_prints_both_lines_and_the_ratio(capsys):
    assert bench.main(["--days", "10", "--replicates", "1", "--repeats", "1", "--naive", str(NAIVE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and LINE.match(out[0])
    assert re.match(r"^naive-mesa units=100 days=10 replicates=5 ms_per_replicate=\d+\.\d hops_per_second=\d+$",
                    out[1]), out[1]
    assert re.match(r"^ratio hops_per_second missionfit/naive=\d+\.\d\d$", out[2]), out[2]


def test_bench_rejects_nonpositive_arguments(capsys):
    assert bench.main(["--replicates", "0"]) == 2
    assert "must be positive" in capsys.readouterr().err


def test_bench_counts_the_model_hops():
    """The bench's hops are the model's `hops` metric: every attempt to cross an edge, nothing else."""
    sc = compiled("minusma_2015")
    hops = bench.missionfit_job(sc, 30, 0, 1)()
    res = run_replicate(sc, seed=0, replicate=1, days=30)
    assert hops == res.metrics["hops"] == int(res.flows["hops"].sum())


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_no_memory_growth_across_replicates():
    """Replicates after the first leave nothing behind: Python objects (tracemalloc) and resident memory."""
    sc = compiled("minusma_2015")
    run_replicate(sc, seed=0, replicate=0, days=180)  # warm-up: numba cache, pandas, first-use caches
    gc.collect()
    tracemalloc.start()
    try:
        traced, rss = [], []
        for r in range(12):
            run_replicate(sc, seed=0, replicate=r, days=180)
            gc.collect()
            traced.append(tracemalloc.get_traced_memory()[0])
            rss.append(_rss_mb())
    finally:
        tracemalloc.stop()
    per_replicate = (traced[-1] - traced[3]) / 8
    assert per_replicate < 20_000, f"{per_replicate:.0f} bytes of Python objects kept per replicate"
    assert rss[-1] - rss[3] < 16, f"resident memory grew {rss[-1] - rss[3]:.1f} MB over 8 replicates"


def _work(n_units: int, days: int = 60) -> tuple[float, float]:
    sc = compiled("hierarchy", n_units=n_units)
    m = MissionModel(scenario=sc, seed=0, replicate=0, days=days)
    m.run()
    c = m.engine_state.flow.counters
    return c[engine.C_HOPS] / (n_units * days), c[engine.C_IND_CUR] / (n_units * days)


def test_work_grows_linearly_with_units():
    """Hops and indicators per unit-day of the generic hierarchy stay flat from 100 to 800 units."""
    small, large = _work(100), _work(800)
    for a, b in zip(small, large, strict=True):
        assert 0.5 < b / a < 2.0, (small, large)


def test_more_than_63_sectors_run():
    """Tasking picks from a list of covered sectors, so a mission may have any number of sectors."""
    # 68 sectors of 4 - 5 units (not 1700 units at the default 25 a sector: the sector count is what matters)
    generator = {**yaml.safe_load(scenario_file("hierarchy").read_text(encoding="utf-8"))["generator"], "sectors": 68}
    sc = load("hierarchy", overrides={"n_units": 300, "generator": generator})
    assert len(sc.sectors) > 63
    m = MissionModel(scenario=sc, seed=0, replicate=0, days=5)
    m.run()
    assert m.engine_state.flow.counters[engine.C_TASKS] > 0


def test_uninitialised_stores_are_never_read():
    """Filling the message, queue and log stores and the assessment qualities with junk changes nothing."""
    sc = compiled("minusma_2015")
    clean = MissionModel(scenario=sc, seed=3, replicate=2, days=90)
    dirty = MissionModel(scenario=sc, seed=3, replicate=2, days=90)
    fl = dirty.engine_state.flow
    state = dirty.engine_state
    for a in (
        fl.mi, fl.pending, fl.pending_time, fl.qi, fl.sf_reached, state.assessment_log, state.queue_order, fl.bp_slots,
        fl.dy_slots, fl.dy_i, fl.rc_i, fl.bp_sfroot,
    ):
        a.fill(-7)
    fl.bp_flags.fill(0xF9)
    for a in (fl.mf, fl.qf, fl.bp_quality, fl.dy_f, fl.rc_acc):
        a.fill(np.nan)
    clean.run()
    dirty.run()
    np.testing.assert_array_equal(trust_state(clean), trust_state(dirty))
    for name in ("counters", "edge_counts", "esi", "esf", "sf_reached"):
        a, b = getattr(clean.engine_state.flow, name), getattr(dirty.engine_state.flow, name)
        n = int(clean.engine_state.flow.counters[engine.C_NSF]) if name == "sf_reached" else None
        np.testing.assert_array_equal(a[:n], b[:n], err_msg=name)
    np.testing.assert_array_equal(clean.engine_state.day_record, dirty.engine_state.day_record)


def test_growing_the_stores_changes_nothing():
    """A run that starts with tiny stores (and grows them several times) equals one that never grows."""
    sc = compiled("minusma_2015")
    roomy = MissionModel(scenario=sc, seed=1, replicate=4, days=120)
    tight = MissionModel(scenario=sc, seed=1, replicate=4, days=120)
    st = tight.engine_static
    tight.engine_state = engine.new_state(st, sc.arrays["n_branches"], 64, 120)
    roomy.run()
    tight.run()
    assert engine.capacity(tight.engine_state) > 64
    np.testing.assert_array_equal(roomy.engine_state.flow.counters, tight.engine_state.flow.counters)
    np.testing.assert_array_equal(trust_state(roomy), trust_state(tight))


def test_coverage_lists_match_the_sector_lists():
    """Per (sector, domain): exactly the sector's sensors that see the domain, in the sector-list order."""
    a = compiled("minusma_2015").arrays
    n_dom = engine.N_DOMAINS
    for sec in range(a["n_sectors"]):
        members = a["sector_sensor"][a["sector_ptr"][sec] : a["sector_ptr"][sec + 1]]
        for d in range(n_dom):
            cell = sec * n_dom + d
            got = a["cover_sensor"][a["cover_ptr"][cell] : a["cover_ptr"][cell + 1]]
            want = [k for k in members if (a["sensor_domains"][k] >> d) & 1]
            assert list(got) == want


def test_stable_argsort_equals_numpys_stable_sort():
    rng = np.random.default_rng(0)
    for trial in range(60):
        x = rng.uniform(0.0, 180.0, int(rng.integers(0, 3000)))
        if trial % 3 == 0:
            x = np.floor(x)  # many ties
        np.testing.assert_array_equal(stable_argsort(x, 180.0), np.argsort(x, kind="stable"))
