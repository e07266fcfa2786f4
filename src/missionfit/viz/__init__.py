"""The interactive browser view of a running model (Mesa SolaraViz), started by `missionfit-viz`."""

from missionfit.viz.model import REPORTERS, VizMissionModel

__all__ = ["REPORTERS", "VizMissionModel"]
