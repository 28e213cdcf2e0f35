"""A draft voiced offline is re-voiced online by the scheduler once the voice service answers again.

Google is the local fake (bench/fake_tts.py, real HTTP, real MP3) on a port that is closed while the
drafts are built and edited, then opened; the job runs in a real APScheduler and the test waits on its
executed event. The approved episode's files are compared byte for byte (sha256) afterwards.
"""

from __future__ import annotations

import datetime as dt
import queue
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent

from bench.fake_tts import FakeTts
from broadcast.audio.ffmpeg import decode_mp3
from broadcast.config import Settings, load_settings, override
from broadcast.files import sha256
from broadcast.review.edits import save_edits
from broadcast.review.revoice import MAX_TRIES, tries
from broadcast.review.store import AuditEntry, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import approve, build_draft
from broadcast.schedule import revoice as job
from broadcast.schedule.jobs import Outcome
from broadcast.schedule.runner import start
from tests.conftest import closed_port
from tests.voices.online import write_config

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
EDITED = "Kính thưa bà con, đây là lời biên tập viên Lan đã sửa khi mất mạng."


def files_of(store: Store, episode_id: int) -> dict[str, str]:
    record = store.get(episode_id)
    digests = {"program.mp3": sha256(record.program)}
    for segment in store.segments(episode_id):
        digests[segment.file] = sha256(record.folder / segment.file)
    return digests


def run_job_in_scheduler(settings: Settings, config: Path) -> Outcome:
    """Start the real scheduler, fire the re-voice job now and wait for its executed event."""
    done: queue.Queue[JobExecutionEvent] = queue.Queue()
    scheduler = start(settings, str(config), specs=[])
    try:
        scheduler.add_listener(lambda event: done.put(event) if event.job_id == job.JOB_ID else None,
                               EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        assert scheduler.get_job(job.JOB_ID, jobstore=job.JOB_ID) is not None
        scheduler.modify_job(job.JOB_ID, jobstore=job.JOB_ID, next_run_time=dt.datetime.now(HCM))
        event = done.get(timeout=180)
    finally:
        scheduler.shutdown(wait=True)
    assert event.exception is None
    assert isinstance(event.retval, Outcome)
    return event.retval


def test_draft_voiced_offline_is_revoiced_when_google_returns(tmp_path: Path) -> None:
    port = closed_port()
    config = write_config(tmp_path, port)
    settings = load_settings(config, must_exist=True)
    today = dt.datetime.now(HCM).date()
    draft = build_draft(settings, today + dt.timedelta(days=3))
    kept = build_draft(settings, today + dt.timedelta(days=10))
    assert draft is not None and kept is not None
    store = Store.open(settings)
    approve(settings, store, kept.id, by="Chủ tịch Hùng", revision=kept.revision)
    approved_files = files_of(store, kept.id)
    # The editor edits the opening while the network is still down: it is voiced offline too.
    first = store.segments(draft.id)[0]
    save_edits(settings, store, draft.id, {first.id: EDITED}, base_revision=draft.revision, by="Lan")
    before = store.get(draft.id)
    assert {s.engine for s in store.segments(draft.id)} == {"espeak"}

    site = create_app(settings, secret_key="x").test_client()
    waiting = site.get(f"/episodes/{draft.id}").get_data(as_text=True)
    assert "đang đọc bằng giọng dự phòng" in waiting and "máy sẽ tự đọc lại" in waiting
    # Still down: the job asks once, changes nothing.
    outcome = run_job_in_scheduler(settings, config)
    assert outcome.result == "skipped" and "vẫn chưa dùng được" in outcome.detail
    assert store.get(draft.id).revision == before.revision

    with FakeTts(delay_s=0.01, port=port) as google:
        outcome = run_job_in_scheduler(settings, config)
    assert outcome.result == "revoiced", outcome.detail
    assert outcome.episode == str(draft.id)

    after = store.get(draft.id)
    segments = store.segments(draft.id)
    assert after.state == "draft" and after.revision == before.revision + 1
    assert {s.engine for s in segments} == {"gtts"} and all(s.voiced for s in segments)
    assert segments[0].text == EDITED and segments[0].saved_by == "Lan"          # the edit is kept
    assert any("biên tập viên Lan" in text for text in google.requests)          # ... and read online
    # The programme was joined again from the new segments and decodes to its recorded length.
    assert sha256(after.program) == after.sha256
    programme = decode_mp3(after.program.read_bytes())
    assert abs(len(programme) / 1000 - after.duration_s) < 0.5
    assert after.duration_s > sum(s.duration_s for s in segments)
    # The approved episode is untouched, file by file.
    assert files_of(store, kept.id) == approved_files
    assert store.get(kept.id).state == "approved" and store.approval(kept.id) is not None
    assert {s.engine for s in store.segments(kept.id)} == {"espeak"}
    # The editor is told: the log, and one plain line on the episode page.
    entry = next(e for e in store.audit(draft.id) if e.action == "revoice")
    assert entry.who == "bộ lập lịch tự động" and f"phiên bản {after.revision}" in entry.detail
    page = site.get(f"/episodes/{draft.id}").get_data(as_text=True)
    assert "khi có mạng trở lại, máy đã tự đọc lại" in page and "giọng Google" in page
    assert "đọc lại bằng giọng trực tuyến khi có mạng trở lại" in page          # the log entry, in words

    # Nothing read offline is left: the next run does nothing.
    assert job.revoice(str(config)).result == "skipped"
    assert store.get(draft.id).revision == after.revision


def test_no_revoicing_close_to_the_airing(tmp_path: Path) -> None:
    """A draft whose airing is less than revoice_stop_minutes away stays as it is, and nobody is asked."""
    with FakeTts(delay_s=0.01) as google:
        config = write_config(tmp_path, closed_port())
        settings = load_settings(config, must_exist=True)
        yesterday = dt.datetime.now(HCM).date() - dt.timedelta(days=1)
        draft = build_draft(settings, yesterday)
        assert draft is not None
        config = write_config(tmp_path, int(google.url.rsplit(":", 1)[1]))
        outcome = job.revoice(str(config))
        assert outcome.result == "skipped" and "quá gần giờ phát" in outcome.detail
        assert google.requests == []
    store = Store.open(settings)
    assert store.get(draft.id).revision == draft.revision


def test_airing_deadline_counts_from_the_first_airing_of_the_day(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, 9, publish="30 5 * * 1,3,5"), must_exist=True)
    monday = dt.date(2026, 11, 30)
    assert job.airing_of(settings, monday) == dt.datetime(2026, 11, 30, 5, 30, tzinfo=HCM)
    assert job.airing_of(settings, dt.date(2026, 12, 1)) is None          # Tuesday: no airing that day
    assert not job.too_late(settings, monday, dt.datetime(2026, 11, 30, 3, 29, tzinfo=HCM))
    assert job.too_late(settings, monday, dt.datetime(2026, 11, 30, 3, 30, tzinfo=HCM))   # 120 minutes before


def test_a_text_the_online_voice_keeps_refusing_is_tried_a_few_times_only() -> None:
    def entry(action: str) -> AuditEntry:
        return AuditEntry("2026-12-04T10:00:00+00:00", "x", action, 1, "")

    machine = [entry("voice"), entry("revoice")] * MAX_TRIES
    assert tries(machine) == MAX_TRIES
    assert tries([entry("voice"), entry("revoice"), entry("edit"), *machine]) == 1   # a person acted since


def test_the_watch_runs_only_with_an_online_voice_and_a_period(tmp_path: Path) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.jobs: list[str] = []

        def add_jobstore(self, store: object, alias: str) -> None:
            pass

        def add_job(self, func: object, trigger: str, **options: object) -> None:
            self.jobs.append(f"{trigger}:{options['minutes']}:{options['id']}")

    settings = load_settings(write_config(tmp_path, 9), must_exist=True)
    for changed, expected in ((settings, ["interval:30:revoice"]),
                              (override(settings, "schedule.revoice_minutes", 0), []),
                              (override(settings, "speech.engines", ["espeak"]), [])):
        recorder = Recorder()
        job.add_revoice_watch(recorder, changed, "cfg")
        assert recorder.jobs == expected
