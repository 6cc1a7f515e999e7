"""A real headless Chromium driven over the DevTools protocol, with the network off.

``Browser.open(path)`` loads a local page, waits for its scripts, and returns every URL the page
requested plus whatever a JavaScript expression evaluates to; ``screenshot`` saves a PNG.  Any
http(s) request goes to a proxy that does not exist (127.0.0.1:9), so nothing leaves the machine
even if a page tried; the requests are still listed, so a test can assert there were none.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


class Browser:
    """One headless Chromium process and one page (tab) talking DevTools over a WebSocket."""

    def __init__(self, width: int = 1280, height: int = 1600):
        from websockets.sync.client import connect

        exe = chromium_path()
        if exe is None:
            raise RuntimeError("no Chromium found (Debian: apt-get install chromium; `make sysdeps`)")
        self._profile = tempfile.mkdtemp(prefix="jixiao-chromium-")
        self._proc = subprocess.Popen(
            [
                exe,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>",
                f"--window-size={width},{height}",
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = self._devtools_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            pages = [t for t in json.load(resp) if t["type"] == "page"]
        self._ws = connect(pages[0]["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=20)
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self.call("Network.enable")
        self.call("Page.enable")
        self.call("Network.setCacheDisabled", cacheDisabled=True)

    def _devtools_port(self) -> int:
        deadline = time.monotonic() + 60
        assert self._proc.stderr is not None
        while time.monotonic() < deadline:
            line = self._proc.stderr.readline()
            if not line and self._proc.poll() is not None:
                raise RuntimeError(f"Chromium exited with {self._proc.returncode}")
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                return int(found.group(1))
        raise RuntimeError("Chromium did not start its DevTools endpoint within 60 s")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and wait for its answer (events that arrive meanwhile are kept)."""
        msg_id = next(self._ids)
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv(timeout=60))
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._events.append(msg)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def open(self, path: Path, ready: str = "true", timeout_s: float = 30) -> list[str]:
        """Load ``path``; wait until the JS expression ``ready`` is true; return the URLs requested."""
        self._events.clear()
        self.call("Page.navigate", url=Path(path).resolve().as_uri())
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.evaluate(f"document.readyState === 'complete' && Boolean({ready})"):
                break
            time.sleep(0.2)
        else:
            raise TimeoutError(f"{path}: not ready within {timeout_s} s ({ready})")
        self.call("Runtime.evaluate", expression="0")  # drain events sent before this point
        return [e["params"]["request"]["url"] for e in self._events if e.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, target: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
        return target

    def close(self) -> None:
        try:
            self._ws.close()
        finally:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
