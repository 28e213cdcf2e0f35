"""On-air fixtures: a short real approved programme, a real Icecast server, a listener of its mount."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from broadcast.announce import say
from broadcast.config import Settings, load_settings
from broadcast.manifest import ManifestSegment
from broadcast.review.publish import publish
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.workflow import DRAFT, approve
from tests.schedule.waiting import wait_for

DATA = Path(__file__).resolve().parents[1] / "data"
PROJECT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 27)
ICECAST = shutil.which("icecast2") or shutil.which("icecast")
TEXT = ("Ủy ban nhân dân xã thông báo: từ ngày 1 tháng 12, bộ phận một cửa tiếp nhận hồ sơ cả sáng thứ Bảy. "
        "Người dân có thể nộp hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia.")


def write_config(folder: Path, onair: str = "", schedule: str = "") -> Path:
    path = folder / "config.toml"
    path.write_text(f"""
[column]
templates = "{(PROJECT / 'scripts_templates').as_posix()}"
[sources]
feeds = ["{(DATA / 'feed.xml').as_posix()}"]
statistics = ""
faq = "{(DATA / 'faq').as_posix()}"
[speech]
engines = ["espeak"]
cache = "cache"
[audio]
jingle = false
sample_rate = 22050
bitrate = "64k"
[output]
folder = "audio_out"
[review]
database = "state/broadcast.sqlite"
onair = "onair"
[schedule]
build = "0 14 * * 3"
remind = "0 8 * * 4"
publish = ["30 5 * * 1"]
{schedule}
[onair]
backend = "null"
retry_wait_s = 0.1
{onair}
""", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def speech_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About ten seconds of real espeak-ng speech, made once per session."""
    folder = tmp_path_factory.mktemp("onair-speech")
    settings = load_settings(write_config(folder), must_exist=True)
    out = folder / "speech.mp3"
    say(TEXT, out, settings)
    return out


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_config(tmp_path, 'outputs = ["soundcard"]'), must_exist=True)


def register_episode(settings: Settings, audio: Path, *, day: dt.date = DAY, published: bool = True) -> EpisodeRecord:
    """A short real episode (its programme is ``audio``), registered, approved and published as the workflow does."""
    store = Store.open(settings)
    folder = settings.output.folder / f"{day:%Y-%m-%d}-cai-cach-hanh-chinh"
    folder.mkdir(parents=True)
    shutil.copyfile(audio, folder / "program.mp3")
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    (folder / "segments").mkdir()
    for name in ("01.mp3", "02.mp3", "03.mp3"):   # approval checks every segment's audio is there
        shutil.copyfile(audio, folder / "segments" / name)
    segments = [
        ManifestSegment(id="ket-qua", title="Kết quả một cửa", file="segments/01.mp3",
                        text="Tháng 11, bộ phận một cửa tiếp nhận 1.245 hồ sơ, giải quyết đúng hạn 96,2%.",
                        sources=("stats:stats.csv#dòng 12",)),
        ManifestSegment(id="tin-1", title="Nộp hồ sơ trực tuyến", file="segments/02.mp3", text="…",
                        sources=("https://vnexpress.net/tin-1", "tin-1-guid")),
        ManifestSegment(id="hoi-dap-1", title="Hỏi – đáp: Chứng thực", file="segments/03.mp3", text="…",
                        sources=("faq:chung-thuc-ban-sao",)),
    ]
    from broadcast.files import sha256
    from broadcast.onair.outputs.soundcard import duration_of

    with store.transaction() as conn:
        episode_id = store.register(conn, day=day, column=settings.column.title, folder=folder, state=DRAFT,
                                    duration_s=duration_of(folder / "program.mp3"),
                                    sha256=sha256(folder / "program.mp3"), warnings=[], segments=segments,
                                    by="thử nghiệm")
    approve(settings, store, episode_id, by="Nguyễn Văn A")
    if published:
        publish(settings, store, episode_id, by="Nguyễn Văn A")
    return store.get(episode_id)


@pytest.fixture
def episode(settings: Settings, speech_mp3: Path) -> EpisodeRecord:
    return register_episode(settings, speech_mp3)


# --- Icecast ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Icecast:
    port: int
    password: str
    folder: Path

    def url(self, mount: str) -> str:
        return f"http://127.0.0.1:{self.port}/{mount}"


def _icecast_config(folder: Path, port: int, password: str) -> str:
    owner = ""
    if os.geteuid() == 0:  # icecast refuses to run as root: it drops to its own account after binding
        owner = "<changeowner><user>icecast2</user><group>icecast</group></changeowner>"
    return f"""<icecast>
  <limits><clients>20</clients><sources>8</sources><queue-size>4194304</queue-size>
    <burst-on-connect>1</burst-on-connect><burst-size>2097152</burst-size><source-timeout>10</source-timeout></limits>
  <authentication><source-password>{password}</source-password><admin-user>admin</admin-user>
    <admin-password>{password}-admin</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths><basedir>{folder}</basedir><logdir>{folder}/log</logdir><webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
  <security><chroot>0</chroot>{owner}</security>
</icecast>
"""


@pytest.fixture(scope="session")
def icecast() -> Iterator[Icecast]:
    """Debian's icecast2 on a free port of 127.0.0.1, from a generated config (``make test`` installs it)."""
    if ICECAST is None:
        pytest.fail("icecast2 is not installed: run `make test` (it installs Debian's icecast2 as root).")
    folder = Path(tempfile.mkdtemp(prefix="broadcast-icecast-"))
    os.chmod(folder, 0o755)
    (folder / "log").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder / "log", "icecast2")
    password = "thu-nghiem"
    for _attempt in range(5):  # a free port can be taken by another suite between choosing and binding
        port = free_port()
        (folder / "icecast.xml").write_text(_icecast_config(folder, port, password), encoding="utf-8")
        process = subprocess.Popen([ICECAST, "-c", str(folder / "icecast.xml")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if _started(process, port):
            break
        process.kill()
        process.wait()
    else:
        pytest.fail(f"icecast2 did not start: {(folder / 'log' / 'error.log').read_text(errors='replace')}")
    try:
        yield Icecast(port, password, folder)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def _started(process: subprocess.Popen[bytes], port: int) -> bool:
    return wait_for(lambda: _status_ok(port) or process.poll() is not None, 10) and process.poll() is None


def _status_ok(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status-json.xsl", timeout=1) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


@dataclass
class Listener:
    """A listener of one mount: connects as soon as the mount is live and reads until the stream ends."""

    url: str
    data: bytearray = field(default_factory=bytearray)
    connected: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    quit: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Listener:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            while not self.quit.is_set():
                try:
                    response = urllib.request.urlopen(self.url, timeout=15)
                except urllib.error.HTTPError:   # 404 until the source logs in
                    self.quit.wait(0.05)
                    continue
                except OSError:
                    self.quit.wait(0.05)
                    continue
                self.connected.set()
                with response:
                    while chunk := response.read(4096):
                        self.data += chunk
                return
        finally:
            self.finished.set()

    def save(self, path: Path) -> Path:
        path.write_bytes(bytes(self.data))
        return path

    def stop(self) -> None:
        self.quit.set()

