"""Playout: checksum at play time, retries, priorities and pre-emption, grace, the as-played log."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from broadcast.config import Settings, load_settings
from broadcast.errors import OnAirError
from broadcast.onair.items import NORMAL, PRIORITY, URGENT, add_notice, episode_item
from broadcast.onair.log import FAILED, INTERRUPTED, MISSED, PLAYED, REFUSED, AsPlayedLog
from broadcast.onair.outputs import Played
from broadcast.onair.outputs.icecast import IcecastOutput
from broadcast.onair.outputs.soundcard import SoundCardOutput
from broadcast.onair.playout import OnAir, Retry
from broadcast.onair.slot import air_slot
from broadcast.review.store import EpisodeRecord, Store
from broadcast.schedule.timing import station_zone
from tests.onair.conftest import free_port, write_config
from tests.onair.test_outputs import Tap

MONDAY_0530 = dt.datetime(2026, 11, 30, 5, 30, 2)


def log_of(settings: Settings) -> AsPlayedLog:
    return AsPlayedLog(Store.open(settings))


def test_tampered_programme_is_refused_at_play_time_and_logged(settings: Settings, episode: EpisodeRecord) -> None:
    store = Store.open(settings)
    item = episode_item(settings.review.onair, store, episode.id)
    with item.path.open("r+b") as handle:  # one byte changed on the on-air copy after publication
        handle.seek(2000)
        byte = handle.read(1)
        handle.seek(2000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    tap = Tap()
    with pytest.raises(OnAirError, match="đã bị thay đổi sau khi được duyệt"):
        OnAir().air(item, [SoundCardOutput(backend="null", tap=tap)], log_of(settings))
    assert tap.blocks == [], "not one sample reached the loudspeakers"
    [row] = log_of(settings).rows()
    assert (row.result, row.started, row.ref_id) == (REFUSED, None, episode.id)
    assert item.sha256 in row.detail


def test_as_played_log_is_append_only(settings: Settings, episode: EpisodeRecord) -> None:
    store = Store.open(settings)
    item = episode_item(settings.review.onair, store, episode.id)
    log = AsPlayedLog(store)
    log.refused(item, MISSED, "thử")
    with sqlite3.connect(settings.review.database) as db:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE aired SET result = 'played'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM aired")
    assert [r.result for r in log.rows()] == [MISSED]


def test_unreachable_icecast_is_retried_and_logged_while_the_sound_card_plays_on(
        settings: Settings, episode: EpisodeRecord) -> None:
    """A network outage costs the stream only: the loudspeakers play the whole programme."""
    store = Store.open(settings)
    item = episode_item(settings.review.onair, store, episode.id)
    tap = Tap()
    outputs = [SoundCardOutput(backend="null", tap=tap),
               IcecastOutput(f"http://127.0.0.1:{free_port()}/cchc.mp3", password="x")]
    report = OnAir().air(item, outputs, log_of(settings), retry=Retry(retries=2, wait_s=0.05))  # type: ignore[list-item]
    results = {r.output: r for r in report.results}
    assert results["soundcard"].result == PLAYED
    assert results["soundcard"].seconds == pytest.approx(item.duration_s, abs=0.05)
    assert (results["icecast"].result, results["icecast"].attempts) == (FAILED, 3)
    rows = log_of(settings).rows()
    assert sorted((r.output, r.attempt, r.result) for r in rows) == [
        ("icecast", 1, FAILED), ("icecast", 2, FAILED), ("icecast", 3, FAILED), ("soundcard", 1, PLAYED)]
    sound = next(r for r in rows if r.output == "soundcard")
    assert sound.started is not None and sound.ended is not None
    assert (sound.ended - sound.started).total_seconds() == pytest.approx(item.duration_s, abs=1.5)
    assert sound.started.utcoffset() == dt.timedelta(hours=7), "station time, with its offset"


class Blocking:
    """An output that plays until stopped (stands for a long column) and says when it started."""

    name = "soundcard"
    label = "card âm thanh"

    def __init__(self) -> None:
        self.started = threading.Event()

    def available(self) -> bool:
        return True

    def disabled_message(self) -> str:
        return ""

    def play(self, path: Path, *, stop: threading.Event) -> Played:
        self.started.set()
        stop.wait(30)
        return Played(1.0, interrupted=stop.is_set())


def test_urgent_notice_preempts_the_column_on_the_sound_card(settings: Settings, episode: EpisodeRecord,
                                                              speech_mp3: Path, tmp_path: Path) -> None:
    store = Store.open(settings)
    column = episode_item(settings.review.onair, store, episode.id)
    shutil.copyfile(speech_mp3, tmp_path / "khan.mp3")
    notice = add_notice(store, tmp_path / "khan.mp3", title="Bão số 15", priority=URGENT, by="Trần Thị B")
    air, log = OnAir(), log_of(settings)
    column_tap, notice_tap = Tap(), Tap()
    reports = {}
    playing = threading.Thread(target=lambda: reports.setdefault(
        "column", air.air(column, [SoundCardOutput(backend="null", tap=column_tap)], log)))
    playing.start()
    assert column_tap.first.wait(10), "the column is on air"
    reports["notice"] = air.air(notice, [SoundCardOutput(backend="null", tap=notice_tap)], log, urgent=True)
    playing.join(15)
    assert reports["column"].interrupted
    assert reports["notice"].played
    assert reports["notice"].results[0].seconds == pytest.approx(notice.duration_s, abs=0.05)
    rows = log.rows()
    by_kind = {r.kind: r for r in rows}
    assert by_kind["episode"].result == INTERRUPTED and by_kind["notice"].result == PLAYED
    assert by_kind["episode"].ended <= by_kind["notice"].started, "the column stopped before the notice began"


def test_slot_plays_priority_notice_then_column_then_normal_notice(tmp_path: Path, speech_mp3: Path) -> None:
    from tests.onair.conftest import register_episode

    settings = load_settings(write_config(tmp_path, 'outputs = ["folder"]'), must_exist=True)
    episode = register_episode(settings, speech_mp3)
    store = Store.open(settings)
    for name, priority in (("thuong.mp3", NORMAL), ("uu-tien.mp3", PRIORITY)):
        shutil.copyfile(speech_mp3, tmp_path / name)
        add_notice(store, tmp_path / name, title=name, priority=priority, by="Trần Thị B")
    moment = MONDAY_0530.replace(tzinfo=station_zone(settings))
    report = air_slot(settings, str(episode.id), "on-air", moment=moment)
    assert [r.item.title for r in report.reports] == ["uu-tien.mp3", episode.column + " 27/11/2026", "thuong.mp3"]
    rows = log_of(settings).rows()
    assert [(r.kind, r.priority, r.result) for r in rows] == [
        ("notice", PRIORITY, PLAYED), ("episode", NORMAL, PLAYED), ("notice", NORMAL, PLAYED)]
    assert {r.slot for r in rows} == {"2026-11-30T05:30:00+07:00"}
    # a notice airs once: the next slot has only the column
    again = air_slot(settings, str(episode.id), "on-air", moment=moment + dt.timedelta(days=7))
    assert [r.item.kind for r in again.reports] == ["episode"]


@pytest.mark.parametrize(("late_minutes", "plays"), [(0, False), (10, True)])
def test_missed_slot_is_played_late_only_within_the_configured_grace(tmp_path: Path, speech_mp3: Path,
                                                                      late_minutes: int, plays: bool) -> None:
    from tests.onair.conftest import register_episode

    settings = load_settings(write_config(tmp_path, f'outputs = ["folder"]\nlate_minutes = {late_minutes}'),
                             must_exist=True)
    episode = register_episode(settings, speech_mp3)
    late = MONDAY_0530.replace(tzinfo=station_zone(settings)) + dt.timedelta(minutes=5)
    report = air_slot(settings, str(episode.id), "on-air", moment=late)
    assert report.missed is not plays
    [row] = log_of(settings).rows()
    assert row.result == (PLAYED if plays else MISSED)
    assert (settings.onair.folder / "dang-phat.mp3").exists() is plays
