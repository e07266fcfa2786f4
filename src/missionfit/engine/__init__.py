"""The compiled core: one simulated day of collection, reporting, transmission, fusion and use.

The Mesa agents (`missionfit.model.agents.Unit`) are the model's units; for speed, their daily processes run
here over all units at once on flat arrays, compiled with numba. Every process names the passage of
Rietjens & Ruffa (2019) it models. Time is continuous inside a day: a report created at an indicator's
time crosses edges with their latencies and may make several hops in one day.

One module per submodel of docs/ODD.md §7, in call order (each imports only those above it):
`layout` (codes, array rows and columns, the `Net`/`Flow`/`Static`/`State` bundles), `jit` (the numba
flavours and the source-keyed cache), `keyed` (keyed behavioural draws), `pcg64` (the world stream, drawn inline
by `missionfit.model.world`), `heap` (arrival heap, stable sort),
`transmission`, `decision`, `fusion`, `arrival`, `collection`, `tasking`, `boards`, `rotation`, `outcomes`
and `schedule` (`step_day`, `run_days`), with `stores` (growing the state between days).

Randomness: `seed` in every kernel is the replicate's behaviour seed (a uint64[1]); every behavioural uniform is
keyed by it and by what it decides (`missionfit.engine.keyed`, docs/ODD.md §4.9), so no generator state passes in
or out, and the same decision meets the same uniform in every arm of an experiment.

This package re-exports the layout and the entry points the rest of the code uses
(`engine.Net`, `engine.step_day`, `engine.C_CREATED`, ...); the kernels are reached through their modules.
"""

from missionfit.engine.layout import *  # noqa: F403 (the layout is the engine's public vocabulary)
from missionfit.engine.layout import __all__ as _layout_names
from missionfit.engine.schedule import run_days, step_day
from missionfit.engine.stores import capacity, grow_state, grow_tables, make_room, used

__all__ = [*_layout_names, "capacity", "grow_state", "grow_tables", "make_room", "run_days", "step_day", "used"]
