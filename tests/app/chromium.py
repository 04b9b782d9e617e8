"""A headless Chromium driven through the DevTools protocol, for the page tests.

Streamlit renders its pages over a websocket after the HTML has loaded, so ``--dump-dom`` (which
dumps at the load event) only ever sees the empty shell. The tests instead wait, through the
protocol, until the script run is finished and the page shows what they look for, then read the
DOM and take a screenshot. ``websockets`` speaks the protocol; Streamlit itself depends on it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--hide-scrollbars", "--mute-audio", "--remote-allow-origins=*",
    # WebGL (the map) on the CPU: without it a GPU-less headless Chromium draws an empty canvas.
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
)
# The app's script run has ended (Streamlit marks the root element).
SCRIPT_DONE = ("(() => { const app = document.querySelector('[data-testid=stApp]');"
               " return !!app && app.dataset.testScriptState === 'notRunning'"
               " && app.dataset.testConnectionState === 'CONNECTED'"
               " && !document.querySelector('[data-testid=stAppSkeleton]'); })()")


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One Chromium process with one tab; ``close()`` ends the process group it started."""

    def __init__(self, profile_dir: Path, width: int = 1440, height: int = 1000):
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium is not installed: apt-get install -y chromium")
        self.profile_dir = profile_dir
        self.width, self.height = width, height
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--window-size={width},{height}", "--remote-debugging-port=0",
             f"--user-data-dir={profile_dir}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self._id = 0
        self._socket = None
        self._exits = ExitStack()
        try:
            port = self._devtools_port()
            self._socket = self._connect_page(port)
            self.call("Page.enable")
            self.call("Runtime.enable")
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                      mobile=False)
        except BaseException:
            self.close()
            raise

    def _devtools_port(self, timeout: float = 30) -> int:
        marker = self.profile_dir / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.process.returncode} before listening")
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port within 30 s")

    def _connect_page(self, port: int):
        import urllib.request

        from websockets.sync.client import connect

        deadline = time.monotonic() + 30
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                pages = [t for t in json.load(response) if t.get("type") == "page"]
            if pages:
                return self._exits.enter_context(
                    connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
            if time.monotonic() > deadline:
                raise TimeoutError("chromium opened no tab")
            time.sleep(0.1)

    def call(self, method: str, timeout: float = 60, **params):
        """Send one command and return its result; events arriving meanwhile are dropped."""
        self._id += 1
        self._socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression[:60]!r}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def open(self, url: str | None, ready: str = "true", timeout: float = 90) -> str:
        """Load a page (``None``: stay, after an interaction) and wait until its script run has ended
        and ``ready`` (JS) holds; the DOM."""
        if url is not None:
            self.call("Page.navigate", url=url)
        time.sleep(0.5)  # let the old document (or the run before a click) go before polling
        deadline = time.monotonic() + timeout
        while True:
            if self.evaluate(f"{SCRIPT_DONE} && ({ready})"):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish rendering in {timeout:.0f} s; "
                                   f"text so far: {self.text()[:400]!r}")
            time.sleep(0.25)
        time.sleep(1.5)  # charts, the map and the sidebar's slide-in finish after the run ends
        return self.evaluate("document.documentElement.outerHTML")

    # DevTools key descriptions of the keys the tests press (key, code, Windows virtual key code).
    KEYS = {"End": ("End", "End", 35), "Home": ("Home", "Home", 36), "ArrowRight": ("ArrowRight", "ArrowRight", 39),
            "ArrowLeft": ("ArrowLeft", "ArrowLeft", 37)}

    def press(self, key: str) -> None:
        """Press and release one key in the focused element, as a person at the keyboard would."""
        name, code, virtual = self.KEYS[key]
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=name, code=code, windowsVirtualKeyCode=virtual,
                      nativeVirtualKeyCode=virtual)

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def screenshot(self, path: Path) -> Path:
        """The whole page: the window grows to the content's height first (Streamlit scrolls inside
        its main area, so a capture beyond the window would show blank space), then shrinks back."""
        height = self.evaluate(
            "Math.max(document.body.scrollHeight,"
            " ...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
            ".map(e => e.scrollHeight + e.getBoundingClientRect().top))") or self.height
        height = max(self.height, min(int(height) + 40, 12000))
        self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=height, deviceScaleFactor=1,
                  mobile=False)
        try:
            time.sleep(1.0)  # re-layout, and the charts redraw at the new size
            shot = self.call("Page.captureScreenshot", format="png")
        finally:
            self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                      deviceScaleFactor=1, mobile=False)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        try:
            self._exits.close()
        except Exception:  # noqa: BLE001 - the browser may be gone already
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
