"""State machine, database migrations, edits with revisions, and the rebuild rule."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from broadcast.audio.ffmpeg import read_mp3, run_ffmpeg
from broadcast.config import Settings, load_settings
from broadcast.errors import ConflictError, ReviewError, StateError
from broadcast.files import sha256
from broadcast.manifest import ManifestSegment
from broadcast.review import workflow as wf
from broadcast.review.edits import save_edits
from broadcast.review.store import MIGRATIONS, EpisodeRecord, Store

from . import per_test
from .conftest import DAY, write_config

workdir, settings, built = per_test.workdir, per_test.settings, per_test.built  # fixtures: a fresh draft per test


def test_transition_table_allows_exactly_the_documented_moves() -> None:
    actions = ["edit", "approve", "reject", "publish", "supersede"]
    for state in wf.STATES:
        for action in actions:
            if (state, action) in wf.TRANSITIONS:
                assert wf.transition(state, action) == wf.TRANSITIONS[(state, action)]
            else:
                with pytest.raises(StateError) as info:
                    wf.transition(state, action)
                assert wf.STATE_NAMES[state] in str(info.value)
                assert "Không thể" in str(info.value)
    assert wf.transition("draft", "approve") == "approved"
    assert wf.transition("approved", "publish") == "published"
    assert wf.transition("published", "publish") == "published"  # re-airing
    assert wf.transition("approved", "edit") == "draft"
    with pytest.raises(StateError, match="phát sóng"):
        wf.transition("draft", "publish")
    with pytest.raises(StateError, match="không thể thay đổi"):
        wf.transition("superseded", "edit")


def test_schema_is_versioned_and_an_upgrade_keeps_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    assert store.migrate() == len(MIGRATIONS)
    with store.connection() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.transaction() as conn:
        episode_id = store.register(conn, day=DAY, column="Cột", folder=tmp_path / "ep", state="draft",
                                    duration_s=12.5, sha256="ab", warnings=["w"], by="t",
                                    segments=[ManifestSegment(id="mo-dau", title="Mở đầu", text="Xin chào.",
                                                              file="segments/01-mo-dau.mp3", sources=("faq:x",))])
    upgraded = (*MIGRATIONS, "ALTER TABLE episodes ADD COLUMN note TEXT NOT NULL DEFAULT 'mới'")
    assert store.migrate(upgraded) == len(MIGRATIONS) + 1
    record = store.get(episode_id)
    assert (record.duration_s, record.warnings, record.state) == (12.5, ("w",), "draft")
    assert store.segments(episode_id)[0].text == "Xin chào."
    with store.connection() as conn:
        assert conn.execute("SELECT note FROM episodes").fetchone()[0] == "mới"
    backup = tmp_path / f"db.sqlite.v{len(MIGRATIONS)}.bak"
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT COUNT(*) FROM episodes").fetchone()[0] == 1
    # a file from a newer program is refused, not damaged
    with pytest.raises(ReviewError, match="phiên bản mới hơn"):
        store.migrate(MIGRATIONS)


def test_failed_migration_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    store.migrate()
    broken = (*MIGRATIONS, "ALTER TABLE episodes ADD COLUMN x TEXT; SELECT * FROM no_such_table")
    with pytest.raises(ReviewError, match="Dữ liệu cũ không bị thay đổi"):
        store.migrate(broken)
    assert store.schema_version() == len(MIGRATIONS)
    with store.connection() as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(episodes)")]
    assert "x" not in columns


def test_build_registers_a_draft_mirrored_on_disk(settings: Settings, built: EpisodeRecord) -> None:
    assert built.state == "draft" and built.revision == 1
    manifest = json.loads((built.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["episode_id"] == built.id and manifest["status"] == "draft"
    assert built.sha256 == sha256(built.program)
    with Store.open(settings) as store:
        segments = store.segments(built.id)
        assert [s.id for s in segments] == ["mo-dau", "tin-1", "hoi-dap-1", "ket-thuc"]
        assert segments[1].sources == ("http://thunghiem.example.vn/tin/1.html",)
        assert store.episodes("draft")[0].id == built.id


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted((folder / "segments").glob("*.mp3"))}


def test_edit_revoices_only_the_changed_segment(settings: Settings, built: EpisodeRecord) -> None:
    before = _hashes(built.folder)
    with Store.open(settings) as store:
        old = store.segments(built.id)[1]
        new_text = old.text + " Bà con cần hỏi thêm xin liên hệ Bộ phận một cửa."
        unchanged = store.segments(built.id)[0].text + "\n"  # sent back as-is (trailing blank ignored)
        record = save_edits(settings, store, built.id, {"tin-1": new_text, "mo-dau": unchanged},
                               base_revision=1, by="Chị Lan")
        after = _hashes(built.folder)
        assert record.revision == 2 and record.state == "draft" and record.updated_by == "Chị Lan"
        # only the edited segment has new audio, under a new name; the old file is gone, the others untouched
        assert sorted(set(before) - set(after)) == ["02-tin-1.mp3"]
        assert [n for n in after if n not in before] == [Path(store.segments(built.id)[1].file).name]
        assert all(after[n] == before[n] for n in before if n in after)
        assert record.sha256 == sha256(record.program) != built.sha256
        program = read_mp3(record.program)
        assert abs(len(program) / 1000 - record.duration_s) < 0.2
        assert run_ffmpeg(["-v", "error", "-i", str(record.program), "-f", "null", "-"]).strip() == ""
        assert record.duration_s > built.duration_s  # one more sentence was voiced
        now = store.segments(built.id)
        assert now[1].text == new_text and now[1].saved_by == "Chị Lan" and now[1].revision == 2
        assert store.segments(built.id, revision=1)[1].text == old.text  # history kept
        manifest = json.loads((record.folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["revision"] == 2 and manifest["edited"] is True
        assert manifest["audio"]["sha256"] == record.sha256
        assert "Bộ phận một cửa." in (record.folder / "script.md").read_text(encoding="utf-8")
        assert [a.action for a in store.audit(built.id)][:2] == ["voice", "edit"]  # text first, then audio


def _lan_edits_tin_1(settings: Settings, store: Store, built: EpisodeRecord) -> EpisodeRecord:
    """Revision 2: Chị Lan adds a sentence to the first news item."""
    text = store.segments(built.id)[1].text + " Bà con cần hỏi thêm xin liên hệ Bộ phận một cửa."
    return save_edits(settings, store, built.id, {"tin-1": text}, base_revision=1, by="Chị Lan")


def _approved_then_edited(settings: Settings, store: Store, built: EpisodeRecord) -> EpisodeRecord:
    """Revision 3: revision 2 approved, then the answer edited (which voids the approval)."""
    _lan_edits_tin_1(settings, store, built)
    wf.approve(settings, store, built.id, by="Ông Hùng", revision=2)
    text = store.segments(built.id)[2].text.replace("miễn lệ phí", "không mất lệ phí")
    return save_edits(settings, store, built.id, {"hoi-dap-1": text}, base_revision=2, by="Chị Lan")


def test_a_save_from_an_old_revision_is_refused_and_changes_nothing(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        _lan_edits_tin_1(settings, store, built)
        current = store.get(built.id)
        assert current.revision == 2
        program = sha256(current.program)
        with pytest.raises(ConflictError) as info:
            save_edits(settings, store, built.id, {"tin-1": "Bản của người khác."}, base_revision=1, by="Anh Ba")
        message = str(info.value)
        assert "Chị Lan" in message and "tin-1" in message and "Bản của họ được giữ nguyên" in message
        assert store.get(built.id).revision == 2
        assert sha256(current.program) == program
        assert "Bản của người khác." not in store.segments(built.id)[1].text


def test_empty_or_unknown_segments_are_refused(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        with pytest.raises(ReviewError, match="không được để trống"):
            save_edits(settings, store, built.id, {"tin-1": "  "}, base_revision=1, by="Lan")
        with pytest.raises(ReviewError, match="không có đoạn"):
            save_edits(settings, store, built.id, {"tin-9": "x"}, base_revision=1, by="Lan")
        with pytest.raises(ReviewError, match="tên người sửa"):
            save_edits(settings, store, built.id, {"tin-1": "x"}, base_revision=1, by=" ")


def test_an_edit_after_approval_voids_it(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        _lan_edits_tin_1(settings, store, built)
        with pytest.raises(ConflictError):  # approving audio other than the one heard
            wf.approve(settings, store, built.id, by="Ông Hùng", revision=1)
        approved = wf.approve(settings, store, built.id, by="Ông Hùng", revision=2)
        assert approved.state == "approved" and store.approval(built.id) is not None
        text = store.segments(built.id)[2].text.replace("miễn lệ phí", "không mất lệ phí")
        record = save_edits(settings, store, built.id, {"hoi-dap-1": text}, base_revision=2, by="Chị Lan")
        assert record.state == "draft" and record.revision == 3
        assert store.approval(built.id) is None
        assert [d.void for d in store.decisions(built.id)] == [True]
        assert any(a.action == "approval-void" for a in store.audit(built.id))


def test_a_rebuild_never_overwrites_an_edited_draft(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        _approved_then_edited(settings, store, built)
        edited = store.get(built.id)
        files = _hashes(edited.folder) | {"program": sha256(edited.program)}
        fresh = wf.build_draft(settings, DAY)
        assert fresh is not None and fresh.id != edited.id
        assert fresh.folder.name == edited.folder.name + "-2"
        old = store.get(edited.id)
        assert old.state == "superseded" and old.revision == 3
        assert _hashes(old.folder) | {"program": sha256(old.program)} == files
        assert json.loads((old.folder / "manifest.json").read_text(encoding="utf-8"))["status"] == "superseded"
        assert "không mất lệ phí" in store.segments(old.id)[2].text
        # approved: a rebuild of that date is skipped, nothing new is made
        wf.approve(settings, store, fresh.id, by="Ông Hùng")
        count = len(store.episodes())
        folders = sorted(p.name for p in settings.output.folder.iterdir())
        messages: list[str] = []
        assert wf.build_draft(settings, DAY, log=messages.append) is None
        assert len(store.episodes()) == count
        assert sorted(p.name for p in settings.output.folder.iterdir()) == folders
        assert "Bỏ qua" in messages[0] and str(fresh.id) in messages[0]
        assert store.get(fresh.id).state == "approved"


def test_an_edit_keeps_the_jingles_of_the_built_programme(tmp_path: Path, speech_cache: Path) -> None:
    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    settings = dataclasses.replace(settings, audio=dataclasses.replace(settings.audio, jingle=True))
    record = wf.build_draft(settings, DAY)
    assert record is not None
    audio = json.loads((record.folder / "manifest.json").read_text(encoding="utf-8"))["audio"]
    assert audio["intro_s"] > 1 and (record.folder / "parts" / "intro.mp3").is_file()
    before = read_mp3(record.program)
    with Store.open(settings) as store:
        text = store.segments(record.id)[-1].text + " Hẹn gặp lại."
        saved = save_edits(settings, store, record.id, {"ket-thuc": text}, base_revision=1, by="Lan")
    after = read_mp3(saved.program)
    assert run_ffmpeg(["-v", "error", "-i", str(saved.program), "-f", "null", "-"]).strip() == ""
    intro_ms = round(audio["intro_s"] * 1000)
    # the opening jingle is the same sound as before (same loudness profile over its length)
    for start in range(0, intro_ms - 200, 250):
        assert abs(before[start:start + 200].dBFS - after[start:start + 200].dBFS) < 1.5, start
    assert len(after) / 1000 == pytest.approx(saved.duration_s, abs=0.2)
    assert len(after) > len(before)
    outro_ms = round(audio["outro_s"] * 1000)
    assert abs(before[-outro_ms:].dBFS - after[-outro_ms:].dBFS) < 1.5


def test_two_saves_at_the_same_moment_on_different_segments_are_both_kept(tmp_path: Path,
                                                                         speech_cache: Path) -> None:
    import threading

    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    record = wf.build_draft(settings, DAY)
    assert record is not None
    store = Store.open(settings)
    base = store.segments(record.id)
    results: dict[str, object] = {}
    gate = threading.Barrier(2)

    def save(who: str, segment: int, extra: str) -> None:
        gate.wait()
        try:
            results[who] = save_edits(settings, store, record.id, {base[segment].id: base[segment].text + extra},
                                      base_revision=1, by=who)
        except ConflictError as exc:
            results[who] = exc

    threads = [threading.Thread(target=save, args=("Lan", 1, " Một.")),
               threading.Thread(target=save, args=("Ba", 2, " Hai."))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, EpisodeRecord) for r in results.values()), results
    final = store.get(record.id)
    assert final.revision == 3
    assert final.sha256 == sha256(final.program)
    texts = [s.text for s in store.segments(record.id)]
    assert texts[1].endswith(" Một.") and texts[2].endswith(" Hai.")  # both editors' changes are there
    assert all(s.voiced for s in store.segments(record.id))
    assert not list(record.folder.rglob(".*.tmp.mp3"))
