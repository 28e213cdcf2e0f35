"""Publication: approved only, exactly the approved audio, on-air file + M3U + RSS."""

from __future__ import annotations

import datetime as dt
import shutil

import feedparser
import pytest

from broadcast.audio.ffmpeg import read_mp3
from broadcast.config import Settings
from broadcast.errors import StateError
from broadcast.files import sha256
from broadcast.review import workflow as wf
from broadcast.review.edits import save_edits
from broadcast.review.publish import publish
from broadcast.review.store import EpisodeRecord, Store

from . import per_test
from .conftest import DAY

workdir, settings, built = per_test.workdir, per_test.settings, per_test.built  # fixtures: a fresh draft per test


def test_a_draft_cannot_be_published(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store, pytest.raises(StateError, match="bản nháp"):
        publish(settings, store, built.id, by="Anh Tú")
    assert not (settings.review.onair).exists() or not any(settings.review.onair.glob("*.mp3"))


def test_tampered_audio_after_approval_is_not_published(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        wf.approve(settings, store, built.id, by="Ông Hùng")
        original = built.program.read_bytes()
        other = sorted((built.folder / "segments").glob("*.mp3"))[0]
        shutil.copyfile(other, built.program)  # someone swaps the file behind the editors' back
        try:
            with pytest.raises(StateError, match="mã kiểm tra không khớp"):
                publish(settings, store, built.id, by="Anh Tú")
            assert not any(settings.review.onair.glob("*.mp3")) if settings.review.onair.exists() else True
            assert store.get(built.id).state == "approved"
            assert store.audit(built.id)[0].action == "publish-refused"
        finally:
            built.program.write_bytes(original)


def test_publication_puts_exactly_the_approved_audio_on_air(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        wf.approve(settings, store, built.id, by="Ông Hùng")
        approved_sha = store.approval(built.id).sha256  # type: ignore[union-attr]
        target = publish(settings, store, built.id, by="Anh Tú")
        assert target.parent == settings.review.onair
        assert target.name == "2026-11-27-cai-cach-hanh-chinh.mp3"
        assert sha256(target) == approved_sha == sha256(built.program)
        assert len(read_mp3(target)) / 1000 == pytest.approx(built.duration_s, abs=0.2)
        record = store.get(built.id)
        assert record.state == "published"
        assert store.audit(built.id)[0].who == "Anh Tú" and store.audit(built.id)[0].action == "publish"

        playlist = (settings.review.onair / settings.review.playlist).read_text(encoding="utf-8").splitlines()
        assert playlist[0] == "#EXTM3U"
        assert playlist[-1] == target.name
        assert playlist[1].startswith(f"#EXTINF:{round(built.duration_s)},")

        feed = feedparser.parse((settings.review.onair / settings.review.feed_file).read_bytes())
        assert feed.feed.title == "Thử nghiệm"
        assert len(feed.entries) == 1
        enclosure = feed.entries[0].enclosures[0]
        assert enclosure.href == settings.review.base_url + target.name
        assert int(enclosure.length) == target.stat().st_size
        assert enclosure.type == "audio/mpeg"

        # the sources of what aired, for the scheduler's "do not repeat" rule
        aired = store.aired_sources(DAY - dt.timedelta(days=7))
        assert aired == {"http://thunghiem.example.vn/tin/1.html": store.local_today(),
                         "faq:kiem-thu-khai-sinh": store.local_today()}
        assert store.aired_sources(store.local_today() + dt.timedelta(days=1)) == {}


def test_a_published_episode_can_be_aired_again_but_not_edited(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        wf.approve(settings, store, built.id, by="Ông Hùng")
        publish(settings, store, built.id, by="Anh Tú")
        target = publish(settings, store, built.id, by="Lịch phát tự động")
        assert sha256(target) == sha256(built.program)
        assert len(store.publications(built.id)) == 2
        with pytest.raises(StateError, match="đã đưa lên sóng"):
            save_edits(settings, store, built.id, {"tin-1": "Sửa sau khi phát."}, base_revision=1, by="Lan")
