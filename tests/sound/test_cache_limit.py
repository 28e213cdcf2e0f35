"""The audio cache stays under its size limit: least recently used first, never what a build is using."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.config import Settings, override
from broadcast.pipeline import render_episode
from broadcast.speech.cache import MB, RECENT_S, AudioCache
from broadcast.speech.fake import FakeEngine
from broadcast.speech.stage import make_speaker

from .helpers import short_script

ENTRY = 100 * 1024
DAY_S = 86400.0


def _fill(folder: Path, count: int, *, size: int = ENTRY) -> list[str]:
    """``count`` entries, the first used longest ago (a day apart, all older than RECENT_S)."""
    writer = AudioCache(folder)
    keys = [AudioCache.key("test", str(n)) for n in range(count)]
    now = time.time()
    for age, key in enumerate(reversed(keys), start=1):
        writer.put_bytes(key, os.urandom(size), ".mp3")
        os.utime(folder / key[:2] / f"{key}.mp3", (now - age * DAY_S, now - age * DAY_S))
    return keys


def _on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*/*") if not p.name.startswith("."))


def test_a_folder_filled_past_the_limit_shrinks_under_it_oldest_used_first(tmp_path: Path) -> None:
    keys = _fill(tmp_path, 30)
    assert _on_disk(tmp_path) == 30 * ENTRY
    cache = AudioCache(tmp_path, limit_bytes=1 * MB)
    pruned = cache.prune()
    assert _on_disk(tmp_path) == pruned.left <= 1 * MB
    assert pruned.removed == 30 - 10 and pruned.freed == 20 * ENTRY
    kept = [key for key in keys if cache.get_bytes(key, ".mp3") is not None]
    assert kept == keys[-10:]      # the ten used most recently


def test_an_entry_used_by_the_running_build_is_kept_even_if_it_looks_oldest(tmp_path: Path) -> None:
    keys = _fill(tmp_path, 20)
    build = AudioCache(tmp_path, limit_bytes=5 * ENTRY)
    assert build.get_bytes(keys[0], ".mp3") is not None            # the build reads the oldest entry …
    path = tmp_path / keys[0][:2] / f"{keys[0]}.mp3"
    os.utime(path, (0, 0))                                          # … and its time is lost (copied, restored)
    build.prune()
    assert path.is_file()
    assert AudioCache(tmp_path, limit_bytes=5 * ENTRY).prune().left <= 5 * ENTRY   # another process: it goes


def test_an_entry_used_recently_elsewhere_is_kept(tmp_path: Path) -> None:
    keys = _fill(tmp_path, 10)
    recent = tmp_path / keys[0][:2] / f"{keys[0]}.mp3"
    moment = time.time() - RECENT_S / 2        # touched by a build in another process a few minutes ago
    os.utime(recent, (moment, moment))
    AudioCache(tmp_path, limit_bytes=0).prune()
    assert [p for p in tmp_path.glob("*/*.mp3")] == [recent]


def test_a_put_past_the_limit_prunes_without_being_asked(tmp_path: Path) -> None:
    old = _fill(tmp_path, 20)
    build = AudioCache(tmp_path, limit_bytes=10 * ENTRY)
    mine = [AudioCache.key("new", str(n)) for n in range(5)]
    for key in mine:
        build.put_bytes(key, os.urandom(ENTRY), ".mp3")
    assert _on_disk(tmp_path) <= 10 * ENTRY       # pruned as it grew
    assert all(build.get_bytes(key, ".mp3") is not None for key in mine)
    assert build.get_bytes(old[-1], ".mp3") is not None and build.get_bytes(old[0], ".mp3") is None


def test_a_build_with_a_small_cache_prunes_old_entries_and_keeps_its_own(settings: Settings,
                                                                         tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _fill(folder, 200)                                              # 20 MB of old entries
    settings = override(override(settings, "speech.cache_mb", 16), "speech.engines", ["fake"])
    render_episode(short_script(), settings, speaker=make_speaker(settings, [FakeEngine(settings.speech)]))
    assert _on_disk(folder) <= 16 * MB

    class Counting(FakeEngine):
        calls = 0

        def synthesize(self, text: str):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            return super().synthesize(text)

    again = override(settings, "output.folder", tmp_path / "again")
    render_episode(short_script(), again, speaker=make_speaker(again, [Counting(again.speech)]))
    assert Counting.calls == 0          # everything the first build made was still there


def test_a_file_removed_between_check_and_read_is_a_miss(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path)
    key = AudioCache.key("x", "y")
    cache.put_bytes(key, b"data", ".mp3")
    assert cache.has(key, ".mp3")
    (tmp_path / key[:2] / f"{key}.mp3").unlink()                   # another process pruned it
    assert cache.get_bytes(key, ".mp3") is None
    assert cache.get(key) is None


def test_readers_writers_and_a_pruner_at_once_see_whole_entries_or_misses(tmp_path: Path) -> None:
    """Writes are atomic: a reader gets the whole entry or nothing, while another process prunes."""
    payloads = {AudioCache.key("c", str(n)): bytes([n]) * (50_000 + n) for n in range(40)}
    errors: list[BaseException] = []
    seen = {"whole": 0, "miss": 0}
    stop = threading.Event()

    def writer() -> None:
        cache = AudioCache(tmp_path)
        while not stop.is_set():
            for key, data in payloads.items():
                cache.put_bytes(key, data, ".mp3")

    def reader() -> None:
        cache = AudioCache(tmp_path)
        while not stop.is_set():
            for key, data in payloads.items():
                got = cache.get_bytes(key, ".mp3")
                if got is None:
                    seen["miss"] += 1
                elif got != data:
                    errors.append(AssertionError(f"partial entry {key}: {len(got)} bytes"))
                else:
                    seen["whole"] += 1

    def pruner() -> None:
        while not stop.is_set():
            AudioCache(tmp_path, limit_bytes=0).prune(now=time.time() + 2 * RECENT_S)

    def guarded(work):  # type: ignore[no-untyped-def]
        def run() -> None:
            try:
                work()
            except BaseException as exc:   # reported below
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guarded(w)) for w in (writer, writer, reader, reader, pruner)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert seen["whole"] > 0 and seen["miss"] > 0     # both happened: the pruner really raced the readers


def test_stale_temporary_files_go_and_fresh_ones_stay(tmp_path: Path) -> None:
    (tmp_path / "ab").mkdir()
    stale, fresh = tmp_path / "ab" / ".x.1234.tmp", tmp_path / "ab" / ".y.5678.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * DAY_S,) * 2)
    assert AudioCache(tmp_path).usage().files == 0
    assert not stale.exists() and fresh.exists()


def test_cache_command_shows_the_size_and_prunes_past_the_limit(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cache"
    _fill(folder, 30)
    config = tmp_path / "config.toml"
    config.write_text(f'[speech]\ncache = "{folder}"\ncache_mb = 16\n', encoding="utf-8")
    assert main(["cache", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "2,9 MB trong 30 tệp" in out and "giới hạn 16 MB" in out and "không cần dọn" in out
    assert main(["cache", "--config", str(config), "--limit-mb", "1"]) == 0
    out = capsys.readouterr().out
    assert "Đã xóa 20 tệp" in out and _on_disk(folder) <= MB


def test_cache_command_refuses_a_negative_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["cache", "--limit-mb", "-5"])
    assert stop.value.code == 2
    assert "từ 0 trở lên" in capsys.readouterr().err
