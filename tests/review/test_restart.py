"""A real `broadcast serve` process killed with SIGTERM mid-save, then restarted: no text is lost.

Also: the session secret lives in the state folder (0600), so a form opened
before a restart still saves after it.
"""

from __future__ import annotations

import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from broadcast.config import Settings, load_settings
from broadcast.errors import StateError
from broadcast.files import sha256
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.workflow import approve, build_draft

from .conftest import DAY, write_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`broadcast serve` as a subprocess on a free port."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("a", encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--config", str(settings.source_file)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError(f"the server stopped: {log.read_text(encoding='utf-8')}") from None
                time.sleep(0.1)
        raise AssertionError("the review site did not answer")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture()
def site(tmp_path: Path, speech_cache: Path) -> Iterator[tuple[Settings, EpisodeRecord, list[Server]]]:
    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    record = build_draft(settings, DAY)
    assert record is not None
    servers: list[Server] = []
    yield settings, record, servers
    for server in servers:
        server.stop(signal.SIGKILL)


def form_fields(html: str) -> dict[str, str]:
    form = html.split('id="luu"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def long_text(words: int) -> str:
    """Many different sentences (so the sentence cache cannot voice them for free), under the segment limit."""
    sentences = [f"Trong tuần thứ {n}, bộ phận một cửa của xã tiếp nhận hồ sơ của thôn số {n % 9 + 1} "
                 f"và trả kết quả đúng hẹn cho bà con." for n in range(1, words)]
    text = " ".join(sentences)
    return text[:5800].rsplit(".", 1)[0] + "."


def test_sigterm_during_save_loses_no_text(site: tuple[Settings, EpisodeRecord, list[Server]],
                                           tmp_path: Path) -> None:
    settings, record, servers = site
    servers.append(Server(settings, tmp_path / "serve.log"))
    browser = requests.Session()
    page = browser.get(f"{servers[0].url}/episodes/{record.id}", timeout=10).text
    fields = form_fields(page)
    with Store.open(settings) as store:
        target = store.segments(record.id)[1]
    text = long_text(200)
    assert len(text) > 5000
    fields.update({"by": "Chị Lan", f"text-{target.id}": text})
    response = browser.post(f"{servers[0].url}/episodes/{record.id}/save", data=fields, allow_redirects=False,
                            timeout=30)
    assert response.status_code == 303, response.text[:500]
    servers[0].stop(signal.SIGTERM)     # while the segment is being voiced
    assert servers[0].proc.returncode != 0
    with Store.open(settings) as store:
        segment = store.segments(record.id)[1]
        assert segment.text == text and not segment.voiced          # the text is there, its audio is not
        assert store.get(record.id).revision == 2
        with pytest.raises(StateError, match="chưa lồng tiếng"):   # nothing unheard can be approved
            approve(settings, store, record.id, by="Ông Hùng", revision=2)
    show = subprocess.run([sys.executable, "-m", "broadcast", "review", "show", str(record.id), "--config",
                           str(settings.source_file)], capture_output=True, text=True, timeout=60)
    assert f"## [{target.id}] {target.title}  (chưa lồng tiếng)" in show.stdout
    # the restart voices what was left
    servers.append(Server(settings, tmp_path / "serve.log"))
    deadline = time.monotonic() + 120
    with Store.open(settings) as store:
        while True:
            segment = store.segments(record.id)[1]
            current = store.get(record.id)
            if segment.voiced and sha256(current.program) == current.sha256:
                break
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text(encoding="utf-8")
            time.sleep(0.2)
        assert segment.text == text and segment.file != target.file
        assert sha256(record.folder / segment.file) == segment.sha256
        assert current.duration_s > record.duration_s + 60   # five more minutes of speech in the programme
    page = browser.get(f"{servers[1].url}/episodes/{record.id}", timeout=10).text
    assert "Chưa lồng tiếng" not in page


def test_a_restart_does_not_void_open_forms(site: tuple[Settings, EpisodeRecord, list[Server]],
                                            tmp_path: Path) -> None:
    settings, record, servers = site
    servers.append(Server(settings, tmp_path / "serve.log"))
    browser = requests.Session()
    fields = form_fields(browser.get(f"{servers[0].url}/episodes/{record.id}", timeout=10).text)
    servers[0].stop(signal.SIGTERM)
    secret = settings.review.database.parent / "session-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    servers.append(Server(settings, tmp_path / "serve.log"))
    with Store.open(settings) as store:
        target = store.segments(record.id)[0]
    fields.update({"by": "Chị Lan", f"text-{target.id}": target.text + " Mở sau khi khởi động lại."})
    response = browser.post(f"{servers[1].url}/episodes/{record.id}/save", data=fields, allow_redirects=False,
                            timeout=30)
    assert response.status_code == 303, response.text[:500]    # the token from before the restart still holds
    with Store.open(settings) as store:
        assert store.segments(record.id)[0].text.endswith("Mở sau khi khởi động lại.")
