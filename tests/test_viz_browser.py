"""End-to-end test of `missionfit-viz` in headless Chromium, driven by Playwright.

Starts the command on a free port on 127.0.0.1, opens the page, steps the model five days and checks that
every panel changed (as Mesa's own browser tests compare screenshots after `run_for(5)`), then saves a
screenshot to `test-artifacts/viz.png`. Uses the system Chromium (`.ci/install-browser.sh` installs it);
Playwright's own browser downloads are never used. Skips only where no Chromium is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from missionfit.cli.viz import free_port

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: The panels of SolaraViz's main area (vue-grid-layout also has a placeholder item while dragging).
PANEL = ".vue-grid-item:not(.vue-grid-placeholder)"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


def chromium() -> str | None:
    """The system Chromium: $MISSIONFIT_CHROMIUM, /usr/bin/chromium, or one on PATH."""
    candidates = [os.environ.get("MISSIONFIT_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def viz_command() -> list[str]:
    script = Path(sys.executable).with_name("missionfit-viz")
    return [str(script)] if script.exists() else [sys.executable, "-m", "missionfit.cli.viz"]


@pytest.fixture
def server(tmp_path):
    """`missionfit-viz` serving on a free port of 127.0.0.1; yields (url, log path)."""
    port = free_port()
    log = tmp_path / "missionfit-viz.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*viz_command(), "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"missionfit-viz exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"missionfit-viz did not answer on {url} within 120 s:\n{log.read_text()}")
            time.sleep(0.5)
        yield url, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def panels(page: Page) -> list[bytes]:
    """Screenshots of the panels of the main area (network, shares plot, throughput plot)."""
    items = page.locator(PANEL)
    return [items.nth(i).screenshot() for i in range(items.count())]


def test_browser_view_steps_and_redraws(server):
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium installed (bash .ci/install-browser.sh installs Debian's chromium)")
    url, log = server
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1480})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            step = page.get_by_role("button", name="Step")
            step.wait_for(timeout=180_000)
            page.get_by_text("Time: 0.0").wait_for(timeout=60_000)
            page.locator(f"{PANEL} img").nth(2).wait_for(timeout=60_000)
            assert page.locator(PANEL).count() == 3
            for label in ("Scenario", "Seed = 0", "Interventions", "Fit: cultural & human = 0.00"):
                assert page.get_by_text(label, exact=True).count() >= 1, f"no control labelled {label!r}"
            page.wait_for_timeout(1000)
            before = panels(page)

            for day in range(1, 6):
                step.click()
                page.get_by_text(f"Time: {day}.0").wait_for(timeout=60_000)
            page.wait_for_timeout(2000)
            after = panels(page)

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viz.png"))
        finally:
            browser.close()

    assert not errors, f"JavaScript errors in the page: {errors}"
    assert len(before) == len(after) == 3
    changed = [a != b for a, b in zip(before, after, strict=True)]
    assert all(changed), f"panels unchanged after 5 steps (network, shares, throughput): {changed}"
    assert (ARTIFACTS / "viz.png").stat().st_size > 10_000
    text = log.read_text()
    assert "Traceback" not in text, text
    assert "Could not load URL" not in text, f"the page needed assets from outside this machine:\n{text}"
