"""missionfit: intelligence flows and fit in multinational UN peacekeeping missions (Mesa 3.5 + Hydra 1.3)."""
