"""The public Python API: compose a scenario spec, build it, run it (a contract, like the commands).

Import the names from `missionfit` itself, which loads each module on first use (docs/api.md)::

    import missionfit as mf

    spec = mf.scenario_spec("minusma_2015", interventions=["jcb_directive"])  # plain dict, editable
    sc = mf.build(spec, fit={"cultural": 0.5}, mechanisms={"trust_gain": 0.1})  # validated and compiled
    res = mf.run(sc, replicates=20, seed=0, days=180)  # the numbers of the `missionfit` command
    res.metrics, res.replicates, res.timeseries, res.flows, res.units, res.fc_latency

Modules: `spec` (scenario_spec, build: the scenario code only) and `results` (run, Results: the engine too).
This package imports neither, so that building a scenario never loads the numba engine.
"""
