"""The experiment runner: Hydra config registration, run directories, provenance, statistics and sweeps.

Everything that knows about Hydra lives here and in `missionfit.cli`; the Python API (`missionfit.api`) and the
simulation (`missionfit.scenario`, `missionfit.model`) never import Hydra. A run goes through the API:
`run.execute_run` composes nothing itself, it builds the composed config's scenario and runs it with `missionfit.api`.
"""
