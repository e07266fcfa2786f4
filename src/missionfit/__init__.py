"""missionfit: intelligence flows and fit in multinational UN peacekeeping missions (Mesa 3.5 + Hydra 1.3).

The public Python API (docs/api.md) is importable from here::

    import missionfit as mf

    spec = mf.scenario_spec("minusma_2015", interventions=["jcb_directive"])
    res = mf.run(mf.build(spec, fit={"cultural": 0.5}), replicates=20, seed=0, days=180)

`import missionfit` stays light: each name imports its module on first use (the engine compiles with numba,
pandas and numpy take a while), so a script that only reads a run directory never pays for the model.
"""

from __future__ import annotations

import importlib
from typing import Any

# No imports of the submodules here, not even under TYPE_CHECKING: the model's modules import `missionfit.engine`
# through this package, and a static import from here back into the model would close a cycle.
#: Public name -> (module, attribute). `run` and `Results` need the engine; the others only the scenario code.
_LAZY = {
    "scenario_spec": ("missionfit.api.spec", "scenario_spec"),
    "build": ("missionfit.api.spec", "build"),
    "run": ("missionfit.api.results", "run"),
    "Results": ("missionfit.api.results", "Results"),
    "calibrate": ("missionfit.calibration.run", "calibrate"),
    "Scenario": ("missionfit.scenario.compiler", "CompiledScenario"),
    "ScenarioError": ("missionfit.scenario.errors", "ScenarioError"),
}

__all__ = ["Results", "Scenario", "ScenarioError", "build", "calibrate", "run", "scenario_spec"]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first access (PEP 562) and cache the name in this module."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'missionfit' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names plus the lazily imported public ones (for tab completion)."""
    return sorted({*globals(), *__all__})
