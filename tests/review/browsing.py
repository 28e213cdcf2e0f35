"""What the real-browser tests share: a `broadcast serve` process, Debian's Chromium, axe-core, screenshots."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(config: Path, log_path: Path) -> Iterator[str]:
    """`broadcast serve` on a free loopback port, until the block ends."""
    port = free_port()
    log = log_path.open("w", encoding="utf-8")  # a file: a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--config", str(config)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=1) as response:
                    if response.status in (200, 302):
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise AssertionError(f"the server did not start: {log_path.read_text(encoding='utf-8')}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium (make browser)"
    with sync_playwright() as playwright:
        args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield browser
        finally:
            browser.close()


def phone_page(browser: Browser, *, javascript: bool = True) -> Page:
    # axe is injected through the DevTools protocol; bypass_csp lets it run under the site's strict CSP.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  java_script_enabled=javascript, bypass_csp=True, locale="vi-VN")
    return context.new_page()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (one line each)."""
    assert AXE.exists(), f"axe-core is needed at {AXE}: run make test (it installs axe-core from npm)"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    found = json.loads(result)["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v["impact"] in ("serious", "critical")]


def screenshots_folder(default: Path) -> Path:
    """BROADCAST_SCREENSHOTS names a folder to keep the screenshots in (CI artefacts); else the test's tmp."""
    folder = Path(os.environ.get("BROADCAST_SCREENSHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
