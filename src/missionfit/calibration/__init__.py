"""Pattern-oriented calibration (issue 17 §1; docs/validation.md §7.1): priors as data, a Latin hypercube, rejection.

Modules: `selectors` (dotted paths into a scenario spec), `priors` (the prior file: ranges, operations,
orderings), `design` (the hypercube, with the orderings kept), `patterns` (P1-P3 as statistics and conditions),
`run` (resumable, parallel evaluation of every set), `ensemble` (posterior ranges and the medoid) and `report`
(the run directory's tables, figure and report). `missionfit-calibrate` and `missionfit.calibrate` run it.
"""
