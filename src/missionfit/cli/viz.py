"""`missionfit-viz`: serve the interactive browser view (Mesa SolaraViz) on 127.0.0.1.

    missionfit-viz [--port N] [--host 127.0.0.1]

Runs Solara's server in this process (production mode, no browser opened, no version check, no telemetry)
with the app `missionfit.viz.app`, and prints its address. Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

#: The Solara app that the command serves.
APP = "missionfit.viz.app"
#: Default address: loopback only, so the view is not exposed on the network unless asked for.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command's options."""
    parser = argparse.ArgumentParser(
        prog="missionfit-viz",
        description="Serve missionfit's interactive browser view (Mesa SolaraViz) and print its address.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: a free one)")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this machine only)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be in 0..65535, got {args.port}")
    return args


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port that is free on `host` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def solara_args(host: str, port: int) -> list[str]:
    """Arguments of `solara run` for the app."""
    return ["run", APP, "--host", host, "--port", str(port), "--production", "--no-open", "--no-check-version"]


def main(argv: list[str] | None = None) -> int:
    """Serve the view until interrupted."""
    args = parse_args(argv)
    port = args.port or free_port(args.host)
    # read by solara's settings at import: no usage statistics sent, no icon font fetched from a CDN
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_ASSETS_FONTAWESOME_ENABLED", "False")
    from solara.__main__ import cli

    print(f"missionfit-viz: serving on http://{args.host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        cli.main(args=solara_args(args.host, port), prog_name="missionfit-viz", standalone_mode=True)
    except KeyboardInterrupt:
        return 0
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
