"""Command-line entry points of missionfit."""
