"""The experiment runner: Hydra config registration, run directories, provenance, statistics and sweeps.

Everything that knows about Hydra lives here and in `missionfit.cli`; the simulation engine
(`missionfit.scenario`, `missionfit.model.replicate`) never imports Hydra.
"""
