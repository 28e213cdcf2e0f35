"""The whole editor's path in a real browser: log in → edit → listen → approve → publish → log out,
on a phone-sized screen.

Debian's Chromium driven by Playwright, against `broadcast serve` (waitress) on 127.0.0.1, with a
personal account created by `broadcast users add` before the server starts.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from broadcast.config import Settings
from broadcast.files import sha256
from broadcast.review.store import EpisodeRecord, Store

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PASSWORD = "mat-khau-cua-ong-hung"


@pytest.fixture(scope="module")
def server(settings: Settings, built: EpisodeRecord, workdir: Path) -> Iterator[str]:
    subprocess.run([sys.executable, "-m", "broadcast", "users", "add", "hung", "--vai-tro", "phe-duyet", "--ho-ten",
                    "Lê Văn Hùng", "--mat-khau-tu-stdin", "--config", str(settings.source_file)],
                   input=PASSWORD + "\n", text=True, check=True, timeout=120)
    port = free_port()
    log = (workdir / "serve.log").open("w", encoding="utf-8")  # a file: a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--config", str(settings.source_file)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/login", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    log.flush()
                    output = (workdir / "serve.log").read_text(encoding="utf-8")
                    raise AssertionError(f"the server stopped: {output}") from None
                time.sleep(0.1)
        else:
            raise AssertionError("the review site did not answer")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium (make browser)"
    with sync_playwright() as playwright:
        args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


def wait_true(page: Page, expression: str, timeout_s: float = 15) -> None:
    """Poll ``expression`` with page.evaluate (the site's CSP rightly forbids eval-based waiting)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {expression}")
        time.sleep(0.1)


def audio_duration(page: Page, selector: str) -> float:
    """Wait until the browser has loaded the audio's metadata; return its duration in seconds."""
    wait_true(page, f"document.querySelector({selector!r}).readyState >= 1")
    return float(page.evaluate(f"document.querySelector({selector!r}).duration"))


def test_edit_listen_approve_publish(server: str, browser: Browser, settings: Settings, built: EpisodeRecord) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")  # a phone
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + f"/episodes/{built.id}")
    page.wait_for_url(f"{server}/login?next=/episodes/{built.id}")  # no account, no page
    page.fill("#name", "hung")
    page.fill("#password", "sai-mat-khau")
    page.click("button[type=submit]")
    expect(page.locator("p.error")).to_contain_text("không đúng")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/episodes/{built.id}")
    expect(page.locator("#account")).to_contain_text("Lê Văn Hùng (hung)")
    page.goto(server + "/")
    page.get_by_role("link", name="Cải cách hành chính 27/11/2026").click()
    expect(page.locator("#state")).to_have_text("bản nháp")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    # listen before editing: the segment and the whole programme load and play
    assert audio_duration(page, "audio[data-segment='tin-1']") > 1
    assert audio_duration(page, "#program") == pytest.approx(built.duration_s, abs=0.5)
    page.evaluate("document.querySelector(\"audio[data-segment='mo-dau']\").play()")
    wait_true(page, "document.querySelector(\"audio[data-segment='mo-dau']\").currentTime > 0.2")

    # edit one segment and save: progress page, then back to the episode at revision 2
    box = page.locator("#text-tin-1")
    box.fill(box.input_value() + " Bà con cần hỗ trợ xin đến hội trường xã.")
    expect(page.locator("#save-by")).to_have_text("Lê Văn Hùng (hung)")  # the account, not a typed name
    page.click("#save")
    page.wait_for_url(re.compile(rf"{re.escape(server)}/episodes/{built.id}\?luu=2#da-luu$"), timeout=60000)
    expect(page.locator("#da-luu")).to_contain_text("Đã lưu phiên bản 2")  # the save is confirmed where one looks
    expect(page.locator("#revision")).to_have_text("2")
    expect(page.locator("#text-tin-1")).to_have_value(box.input_value())
    assert "hội trường xã." in box.input_value()

    # listen to the new audio: the edited segment is longer now
    with Store.open(settings) as store:
        new = store.get(built.id)
        tin = store.segments(built.id)[1]
    assert audio_duration(page, "audio[data-segment='tin-1']") == pytest.approx(tin.duration_s, abs=0.3)
    assert audio_duration(page, "#program") == pytest.approx(new.duration_s, abs=0.5)

    # approve as the logged-in account, then publish
    page.click("#approve")
    expect(page.locator("#state")).to_have_text("bản nháp")  # the browser asks: listened to all of it?
    page.evaluate("document.getElementById('program').play()")
    wait_true(page, "Number(document.getElementById('played-s').value) > 0.5")
    page.get_by_label("Tôi đã nghe toàn bộ chương trình").check()
    page.click("#approve")
    expect(page.locator("#state")).to_have_text("đã phê duyệt")
    page.click("#publish")
    expect(page.locator("#state")).to_have_text("đã đưa lên sóng")
    onair = settings.review.onair / "2026-11-27-cai-cach-hanh-chinh.mp3"
    with Store.open(settings) as store:
        approval = store.approval(built.id)
    assert approval is not None and approval.by == "Lê Văn Hùng (hung)"
    with Store.open(settings) as store:
        heard = [a.detail for a in store.audit(built.id) if a.action == "nghe trước khi duyệt"]
    assert len(heard) == 1 and heard[0].startswith("đã xác nhận nghe toàn bộ; đã nghe ")
    assert sha256(onair) == approval.sha256 == new.sha256

    # log out: the page and the cookie the browser still holds no longer open anything
    cookies = context.cookies()
    page.click("header button.link")
    page.wait_for_url(f"{server}/login")
    other = browser.new_context()
    other.add_cookies(cookies)  # the copied cookie, as a thief would use it
    stolen = other.new_page()
    stolen.goto(server + f"/episodes/{built.id}")
    assert stolen.url.startswith(f"{server}/login")
    other.close()
    assert errors == []
    context.close()
