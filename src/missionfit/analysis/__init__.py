"""Analysis and publication figures of missionfit outputs (placeholder, filled below)."""
