"""Sweeps, by phase: plan the jobs, run each job (with resume), collect the results.

Layout of a sweep directory::

    sweep.json            # manifest: jobs, swept keys, design, written before the first job
    multirun.yaml         # Hydra's
    0/ 1/ ...             # one run directory per job (Hydra's sweep subdir); a batch job holds p00000/ ...
    errors/<job>.json     # one per failed job: job, overrides, message
    summary.parquet       # one row per run × replicate: job, swept keys, metrics, provenance
    comparison.parquet    # sweeps over `interventions`: paired differences against the baseline arm
    sensitivity.parquet   # Sobol/Morris designs: indices per parameter and metric

Modules, in the order a sweep uses them:

- `layout`: the manifest and error records above, and the sweep's progress lines;
- `plan`: the design, the job list, the cheap check that every job will compose, the manifest (the sweeper);
- `job`: one job in Hydra's task function: skip a finished run, record a failure instead of raising;
- `collect`: `summary.parquet` and the comparison / sensitivity tables (end of sweep, `missionfit-collect`).

The package imports none of them: the sweeper plugin loads `plan` without the engine behind `job`.
"""
