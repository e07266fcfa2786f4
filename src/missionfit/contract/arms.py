"""Intervention arms: how an arm is spelled and its canonical key (part of `missionfit.contract`)."""

from __future__ import annotations

import json
import re

# ----------------------------------------------------------------------------------------------------------------
# Arms

#: The arm name of the mission as observed (no intervention; the runner's default `comparison.baseline`).
BASELINE_ARM = "baseline"
#: The arm name of every intervention combined (the runner's default `comparison.all_label`).
ALL_ARM = "all"


def parse_arm(value: object) -> tuple[str, ...]:
    """Normalize an intervention arm to a sorted tuple of intervention names.

    Accepts lists, tuples, arrays, `"[a,b]"`, `"a,b"`, the runner's arm labels `"a+b"` and `"baseline"`, a
    mapping (or JSON object) of intervention specs keyed by name, `""` and `None`; `"all"` stays `("all",)`.
    """
    if value is None:
        return ()
    if isinstance(value, float) and value != value:  # NaN
        return ()
    if isinstance(value, str) and value.strip().startswith("{"):
        try:  # a JSON object of intervention specs, keyed by name
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, dict):
        return tuple(sorted(str(k) for k in value))
    if isinstance(value, list | tuple | set) or hasattr(value, "tolist"):
        items = [str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    else:
        text = str(value).strip().strip("[]()").replace("'", "").replace('"', "")
        items = [t.strip() for t in re.split(r"[,+]", text)]
    return tuple(sorted(i for i in items if i and i.lower() not in ("none", BASELINE_ARM)))


def arm_key(value: object) -> str:
    """A canonical string key for an arm: `"[]"`, `"[a,b]"`."""
    return "[" + ",".join(parse_arm(value)) + "]"
