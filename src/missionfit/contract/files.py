"""The files of a run directory and of a sweep directory (part of `missionfit.contract`)."""

from __future__ import annotations

#: Version of the output contract: "major.minor" (minor: names added; major: a meaning re-defined or removed).
CONTRACT_VERSION = "3.0"

# ----------------------------------------------------------------------------------------------------------------
# Files

#: Means over replicates with their 95% t-intervals; written last, so its presence marks a complete run.
METRICS_FILE = "metrics.json"
#: One row per replicate: `replicate`, `seed` and every metric (nested ones with dotted names).
REPLICATES_FILE = "replicates.parquet"
#: One row per replicate and day.
TIMESERIES_FILE = "timeseries.parquet"
#: One row per edge (source, target, type), counters summed over replicates.
FLOWS_FILE = "flows.parquet"
#: The units as run: identity, placement and every resolved attribute.
UNITS_FILE = "units.parquet"
#: One row per replicate and message delivered to the Force Commander.
FC_LATENCY_FILE = "fc_latency.parquet"
#: The resolved config of the run (plain YAML; Hydra also writes `.hydra/config.yaml`).
CONFIG_FILE = "config.yaml"
#: Versions, git commit, contract version, scenario hash, seeds and wall time.
PROVENANCE_FILE = "provenance.json"

#: One row per event and replicate (truth, awareness, action, path, outcome); optional (`sim.events_table`).
EVENTS_FILE = "events.parquet"
#: One row per interacting dyad and replicate (trust components at the prior and at the end); optional
#: (`sim.trust_table`; contract 3.0).
TRUST_FILE = "trust.parquet"

#: The tables of a run directory.
RUN_TABLES = (REPLICATES_FILE, TIMESERIES_FILE, FLOWS_FILE, UNITS_FILE, FC_LATENCY_FILE)
#: Every file a complete run directory holds.
RUN_FILES = (METRICS_FILE, *RUN_TABLES, CONFIG_FILE, PROVENANCE_FILE)
#: Tables a run directory may hold besides `RUN_FILES` (written when asked; absent in large designs).
OPTIONAL_RUN_TABLES = (EVENTS_FILE, TRUST_FILE)

#: One row per job × replicate: job identity, every swept key, `replicate`, `seed`, every metric.
SUMMARY_FILE = "summary.parquet"
#: Paired differences of every intervention arm from the baseline (`COMPARISON_COLUMNS`).
COMPARISON_FILE = "comparison.parquet"
#: Sobol or Morris indices of a sensitivity design (method, parameter, metric, indices).
SENSITIVITY_FILE = "sensitivity.parquet"
#: The sweep's manifest: its design, swept keys, jobs and comparison settings.
SWEEP_MANIFEST_FILE = "sweep.json"
#: The sweep-level config that Hydra writes.
MULTIRUN_FILE = "multirun.yaml"
#: Markdown report of a sweep (written by `missionfit-figures`).
REPORT_FILE = "report.md"
#: Folder of the failed jobs' error records (`errors/<job>.json`).
ERRORS_DIR = "errors"
#: Folder of the figures (PDF + PNG) of a run or sweep directory.
FIGURES_DIR = "figures"

#: The files a sweep directory holds besides its job run directories (`0/`, `1/`, ...); the last two as they apply.
SWEEP_FILES = (SUMMARY_FILE, SWEEP_MANIFEST_FILE, MULTIRUN_FILE, COMPARISON_FILE, SENSITIVITY_FILE)
