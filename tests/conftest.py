"""Shared fixtures: small configs over the fixtures in tests/data, written to a temp folder."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
ROOT = TESTS.parent


def write_config(folder: Path, extra: str = "", *, engines: str = '["espeak"]', jingle: bool = False) -> Path:
    """A config over the test fixtures; ``extra`` is appended TOML (later tables may repeat keys? no: use sections
    not already present)."""
    path = folder / "config.toml"
    path.write_text(f"""
[column]
templates = "{ROOT / 'scripts_templates'}"
news_items = 2
faq_items = 1

[sources]
feeds = ["{DATA / 'feed.xml'}"]
statistics = "{DATA / 'stats.csv'}"
faq = "{DATA / 'faq'}"

[speech]
engines = {engines}
backoff_s = 0.0
cache = "{folder / 'cache'}"

[audio]
jingle = {'true' if jingle else 'false'}
segment_pause_ms = 500

[output]
folder = "{folder / 'out'}"
{extra}
""", encoding="utf-8")
    return path


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(extra: str = "", **kwargs: object) -> Path:
        return write_config(tmp_path, extra, **kwargs)  # type: ignore[arg-type]

    return make


def closed_port() -> int:
    """A local port nobody listens on: a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Background work the site starts (voicing after a save or a reading fix, a build from the site).
BACKGROUND_THREADS = ("voicing-", "build-")


@pytest.fixture(autouse=True)
def background_work_ends_with_its_test() -> Iterator[None]:
    """A test's background voicing or build finishes before the next test starts.

    Otherwise it runs on into the next test (in random order, any test) and shows up there:
    a spy counting assembly calls sees a fourth one, a slow machine sees its CPU taken.
    """
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 120
    for thread in threading.enumerate():
        if thread not in before and thread.name.startswith(BACKGROUND_THREADS):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.fixture(autouse=True)
def online_voices_at_a_closed_port(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """gTTS and edge-tts talk to a closed local port unless a test points them at its own fake.

    So no test depends on this machine having (or lacking) a network: with a network, a test that
    forgot its fake would otherwise reach Google or Microsoft; here it fails fast, the same everywhere.
    Tests that stand in for Google with ``responses`` keep gTTS's real address (``responses`` answers
    for it); tests with their own server patch the address again after this fixture.
    """
    import edge_tts.communicate
    import gtts.tts

    port = closed_port()
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", f"ws://127.0.0.1:{port}/edge/v1?closed=1")
    if not hasattr(request.module, "responses"):
        monkeypatch.setattr(gtts.tts, "_translate_url",
                            lambda tld="com", path="": f"http://127.0.0.1:{port}/{path}")
    yield
