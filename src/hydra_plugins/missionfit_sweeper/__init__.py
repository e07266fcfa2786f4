"""Hydra sweeper plugin of missionfit: grid sweeps, experimental designs and end-of-sweep aggregation."""
