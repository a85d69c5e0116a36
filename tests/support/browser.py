"""Headless Debian Chromium for tests of HTML pages: the DOM after scripts ran, and a screenshot."""

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = "chromium"
# Without the background-networking flags Chromium keeps dialling Google on this closed network.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium_path() -> str:
    path = shutil.which(CHROMIUM)
    assert path, (
        "Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium"
    )
    return path


def _run(url: str, *extra: str, budget_ms: int) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                chromium_path(),
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )


def rendered_dom(url: str, budget_ms: int = 15000) -> str:
    """The page's DOM once its scripts have run for budget_ms of virtual time."""
    return _run(url, "--dump-dom", budget_ms=budget_ms).stdout


def screenshot(url: str, path: Path, size: str = "1400,1000", budget_ms: int = 15000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(url, f"--screenshot={path}", f"--window-size={size}", budget_ms=budget_ms)
    assert path.exists() and path.stat().st_size > 0
    return path
