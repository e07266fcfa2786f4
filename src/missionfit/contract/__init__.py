"""The output contract of missionfit (docs/contract.md), defined once: file names, metric names and kinds, arm keys.

Everything a user's script, a figure or a test may rely on about the files missionfit writes is declared here:

- the names of the files of a run directory and of a sweep directory;
- every metric a replicate produces, with its **kind** (a share or an index in [0, 1], a count, a summed severity,
  seconds, days, a distribution given by quantiles) and a one-line meaning, in the order the model produces them;
- the metrics declared for the v2 core but not produced yet (`PLANNED_METRICS`, see "Planned metrics" below);
- the columns of the run tables (`timeseries.parquet`, `flows.parquet`, `units.parquet`, `fc_latency.parquet`,
  and the optional `events.parquet`), each with its dtype family and kind;
- intervention arms: how an arm is spelled (`"[]"`, `"[a,b]"`, `"a+b"`, `"baseline"`, ...) and its canonical key.

The contract is versioned (`CONTRACT_VERSION`, recorded in every `provenance.json`): the minor version grows when
names are added, the major version when the meaning of an existing name changes or a name is removed. Every change
is recorded, with a migration note, in `CHANGELOG.md` at the repository root (see docs/contract.md).

Planned metrics: a metric declared with `planned=True` is part of the contract (`metric`, `kind_of`, `is_metric`
know it) but left out of `METRICS`, `REPLICATE_METRICS`, `METRICS_JSON_KEYS` and `REPLICATES` until the engine
produces it (`_V2_PLANNED` for the v2 metrics, `V2_METRICS`, docs/design/v2-core.md §6).

This module imports only the standard library, so that analysis code can use it on results copied to a laptop.
"""

# one package, one contract: the version and file names (`files`), kinds and metrics (`metrics`), the run tables
# columns (`tables`) and intervention arms (`arms`); everything is importable from `missionfit.contract`
from missionfit.contract.arms import *  # noqa: F403
from missionfit.contract.files import *  # noqa: F403
from missionfit.contract.metrics import *  # noqa: F403
from missionfit.contract.tables import *  # noqa: F403
