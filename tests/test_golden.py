"""Golden-value regression of the MINUSMA 2015 baseline at a fixed seed (as SALib's test_regression).

If a deliberate model change moves these values, regenerate the file with
`python tests/test_golden.py --write` and say why in the commit message.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from missionfit.model.replicate import run_replicate
from missionfit.scenario.loading import load

GOLDEN = Path(__file__).parent / "golden" / "minusma_2015_seed42.json"
CASES = [(42, 0), (42, 1), (42, 2)]


def _flat(metrics: dict) -> dict:
    out = {}
    for k, v in metrics.items():
        if isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in v.items()})
        else:
            out[k] = v
    return out


def current() -> dict:
    sc = load("minusma_2015")
    return {f"{s}/{r}": _flat(run_replicate(sc, seed=s, replicate=r, days=180).metrics) for s, r in CASES}


def test_baseline_matches_golden_values():
    expected = json.loads(GOLDEN.read_text())
    got = current()
    assert set(got) == set(expected)
    for case, metrics in expected.items():
        for key, value in metrics.items():
            have = got[case][key]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                assert have is None or math.isnan(have), (case, key)
            else:
                assert math.isclose(have, value, rel_tol=1e-9, abs_tol=1e-12), (case, key, have, value)


if __name__ == "__main__" and "--write" in sys.argv:
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
