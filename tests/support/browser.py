"""Headless Debian Chromium for tests of HTML pages: the DOM after scripts ran, a screenshot, and a
page driven over the DevTools protocol (scripts evaluated, keys pressed) for interactions."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
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


class DevToolsPage:
    """One page of a running Chromium, driven over the DevTools protocol: scripts evaluated in
    it, and key presses that reach it as a user's would (trusted events)."""

    def __init__(self, socket) -> None:  # noqa: ANN001 (a websockets connection)
        self.socket = socket
        self.last_id = 0

    def call(self, method: str, **params) -> dict:
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=120))
            if message.get("id") == self.last_id:
                assert "error" not in message, f"{method}: {message['error']}"
                return message["result"]

    def evaluate(self, expression: str):  # noqa: ANN201 (any JSON value)
        """The value of a script expression (awaited when it is a promise)."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        assert "exceptionDetails" not in result, f"{expression}: {result['exceptionDetails']}"
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> None:
        """Until the expression holds (an error, such as a page still loading, counts as not yet)."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(
            f"(() => {{ try {{ return Boolean({expression}); }} catch {{ return false; }} }})()"
        ):
            assert time.monotonic() < deadline, f"the page never reached: {expression}"
            time.sleep(0.2)

    def press(self, key: str, key_code: int) -> None:
        """A key pressed and released on the focused element (e.g. "ArrowDown", 40)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=key_code)


@contextlib.contextmanager
def devtools_page(url: str, size: str = "1400,1000"):  # noqa: ANN201 (a DevToolsPage context)
    """Headless Chromium opened on url with its DevTools endpoint on 127.0.0.1 (a free port)."""
    from websockets.sync.client import connect

    # Chromium's own helper processes may outlive it by a moment: the profile folder is removed
    # as far as it can be, and the whole process group Chromium started ends with it.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [
                chromium_path(),
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--window-size={size}",
                url,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not (port_file.exists() and port_file.read_text().strip()):
                assert process.poll() is None, "chromium exited before opening its DevTools port"
                assert time.monotonic() < deadline, "chromium opened no DevTools port in 60 s"
                time.sleep(0.1)
            port = int(port_file.read_text().split()[0])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
                targets = json.load(response)
            (target,) = [target for target in targets if target["type"] == "page"]
            with connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=30) as socket:
                yield DevToolsPage(socket)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
