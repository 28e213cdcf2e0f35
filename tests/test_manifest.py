"""manifest.json: typed records, one read/write pair, older versions upgraded, bad ones refused in one line."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from broadcast.errors import ManifestError, StateError
from broadcast.manifest import MANIFEST_VERSION, Manifest, as_json, read_manifest, write_manifest
from broadcast.models import ProgrammeTiming, TakeNote
from broadcast.output import publish_folder

OLD = Path(__file__).resolve().parent / "data" / "manifests"


def episode_with(tmp_path: Path, fixture: str, change: object = None) -> Path:
    """An episode folder holding the fixture's manifest.json (optionally changed as JSON first)."""
    folder = tmp_path / "2026-11-27-cai-cach-hanh-chinh"
    folder.mkdir()
    data = json.loads((OLD / fixture).read_text(encoding="utf-8"))
    if callable(change):
        change(data)
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def refusal(folder: Path) -> str:
    with pytest.raises(ManifestError) as info:
        read_manifest(folder)
    message = str(info.value)
    assert "\n" not in message and str(folder / "manifest.json") in message
    return message


def test_a_manifest_written_by_the_previous_code_is_read_and_written_back_with_the_same_meaning(
        tmp_path: Path) -> None:
    folder = episode_with(tmp_path, "v1-published.json")
    manifest = read_manifest(folder)
    assert manifest.version == MANIFEST_VERSION == 2
    assert (manifest.status, manifest.episode_id, manifest.revision, manifest.edited) == ("published", 1, 2, True)
    assert manifest.onair_file == "2026-11-27-cai-cach-hanh-chinh.mp3" and manifest.rejected_reason is None
    assert manifest.audio.timing == ProgrammeTiming(intro_s=0.0, outro_s=0.0, pause_s=0.3, pauses=3.0,
                                                    sting_s=0.75, stings=3.0)
    assert manifest.audio.loudness is not None and manifest.audio.loudness.within_spec
    assert manifest.segments[1].gain_db == pytest.approx(22.048, abs=0.001)
    assert manifest.fit is not None and manifest.fit.error_s == 10.0
    write_manifest(folder, manifest)
    old = json.loads((OLD / "v1-published.json").read_text(encoding="utf-8"))
    new = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert new == {**old, "version": 2}
    assert list(new) == list(old) and list(new["audio"]) == list(old["audio"]), "the same keys in the same order"
    assert [list(s) for s in new["segments"]] == [list(s) for s in old["segments"]]
    assert read_manifest(folder) == manifest


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    folder = episode_with(tmp_path, "v1-build.json")
    first = read_manifest(folder)
    take = TakeNote(text="Kính chào bà con.", by="Chị Lan", at="2026-12-01T08:00:00+00:00", revision=2)
    changed = dataclasses.replace(
        first, episode_id=7, revision=3, status="rejected", rejected_reason="Sai số liệu tháng 11.",
        segments=(dataclasses.replace(first.segments[0], roles=("main", "question"), recorded=(take,)),
                  *first.segments[1:]),
        audio=dataclasses.replace(first.audio, archive="program.wav", bed="pad"))
    write_manifest(folder, changed)
    assert read_manifest(folder) == changed
    written = (folder / "manifest.json").read_text(encoding="utf-8")
    assert "Sai số liệu tháng 11." in written and "\\u" not in written, "Vietnamese kept as UTF-8 text"
    assert "episode_id" not in json.loads((OLD / "v1-build.json").read_text(encoding="utf-8"))


def test_review_fields_are_left_out_until_the_workflow_sets_them(tmp_path: Path) -> None:
    folder = episode_with(tmp_path, "v1-build.json")
    data = as_json(read_manifest(folder))
    assert not {"episode_id", "revision", "edited", "approved_by", "published_at"} & set(data)
    assert data["fit"] == json.loads((OLD / "v1-build.json").read_text(encoding="utf-8"))["fit"]


def test_the_first_layout_is_upgraded_with_what_its_missing_fields_meant(tmp_path: Path) -> None:
    folder = episode_with(tmp_path, "v1-first-layout.json")
    manifest = read_manifest(folder)
    assert manifest.version == 2 and manifest.fit is None
    audio = manifest.audio
    assert (audio.preset, audio.bed, audio.archive, audio.loudness, audio.assembly) == ("", "none", None, None, "mixed")
    assert (audio.jingle, audio.sting) == (False, False), "no intro and no stings were recorded"
    assert audio.timing.sting_s == audio.timing.stings == 0.0 and audio.timing.pause_s == 0.3
    assert all(s.roles == () and s.gain_db is None and s.recorded == () for s in manifest.segments)
    assert [s.id for s in manifest.segments] == ["mo-dau", "tin-1", "hoi-dap-1", "ket-thuc"]
    write_manifest(folder, manifest)
    written = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert written["version"] == 2 and written["audio"]["assembly"] == "mixed"
    assert "loudness" not in written["audio"], "a measurement that was never made is not invented"
    assert read_manifest(folder) == manifest


def test_a_manifest_without_a_version_reads_as_version_1(tmp_path: Path) -> None:
    def unversioned(data: dict[str, Any]) -> None:
        del data["version"]
        data["audio"]["intro_s"] = 4.2   # and a jingle: before the flag was written, an intro meant one

    manifest = read_manifest(episode_with(tmp_path, "v1-first-layout.json", unversioned))
    assert manifest.version == 2 and manifest.audio.jingle is True and manifest.audio.timing.intro_s == 4.2


def test_a_newer_version_is_refused_in_one_vietnamese_line(tmp_path: Path) -> None:
    def newer(data: dict[str, Any]) -> None:
        data["version"] = MANIFEST_VERSION + 1

    message = refusal(episode_with(tmp_path, "v1-published.json", newer))
    assert f"phiên bản {MANIFEST_VERSION + 1}" in message and "mới hơn" in message
    assert "Hãy cập nhật broadcast" in message


@pytest.mark.parametrize(("change", "field", "expected"), [
    (lambda d: d["segments"][2].__setitem__("duration_s", "24,5"), "segments[2].duration_s", "một số"),
    (lambda d: d.pop("date"), "date", "thiếu trường"),
    (lambda d: d.__setitem__("date", "27/11/2026"), "date", "YYYY-MM-DD"),
    (lambda d: d["audio"]["loudness"].pop("within_spec"), "audio.loudness.within_spec", "thiếu trường"),
    (lambda d: d["segments"][0].__setitem__("sources", "faq:x"), "segments[0].sources", "danh sách chuỗi"),
    (lambda d: d["audio"].__setitem__("sample_rate", True), "audio.sample_rate", "số nguyên"),
    (lambda d: d.__setitem__("version", "2"), "version", "số nguyên"),
    (lambda d: d.__setitem__("status", "đã duyệt"), "status", '"draft", "approved"'),
    (lambda d: d["audio"].__setitem__("assembly", "ghép"), "audio.assembly", '"joined", "mixed"'),
    (lambda d: d["segments"].__setitem__(1, None), "segments[1]", "đối tượng JSON"),
])
def test_a_corrupt_or_missing_field_names_the_file_and_the_field(tmp_path: Path, change: object, field: str,
                                                                  expected: str) -> None:
    message = refusal(episode_with(tmp_path, "v1-published.json", change))
    assert f'"{field}"' in message and expected in message
    assert "Hãy khôi phục tệp từ bản sao lưu, hoặc dựng lại số phát này." in message


def test_a_version_2_manifest_must_have_every_field(tmp_path: Path) -> None:
    """Version 1 may lack the fields added to it over time; version 2 may not."""
    def v2_without_roles(data: dict[str, Any]) -> None:
        data["version"] = 2
        del data["segments"][3]["roles"]

    assert '"segments[3].roles"' in refusal(episode_with(tmp_path, "v1-build.json", v2_without_roles))


def test_not_json_and_no_file_are_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ep"
    folder.mkdir()
    assert "Không có tệp" in refusal(folder)
    (folder / "manifest.json").write_text('{"version": 2,\n "status": ', encoding="utf-8")
    message = refusal(folder)
    assert "không phải JSON hợp lệ (dòng 2)" in message
    assert issubclass(ManifestError, StateError)


def test_writing_replaces_the_file_whole_and_follows_the_umask(tmp_path: Path) -> None:
    folder = episode_with(tmp_path, "v1-build.json")
    manifest = read_manifest(folder)
    path = folder / "manifest.json"
    with path.open(encoding="utf-8") as reader:   # a reader that opened the old file keeps reading it whole
        old = os.stat(path).st_ino
        previous = os.umask(0o027)
        try:
            write_manifest(folder, dataclasses.replace(manifest, status="approved"))
        finally:
            os.umask(previous)
        assert json.loads(reader.read())["status"] == "draft"
    assert os.stat(path).st_ino != old, "renamed into place, never rewritten in place"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert read_manifest(folder).status == "approved"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"], "no temporary file left behind"


def test_a_rebuild_never_replaces_a_folder_whose_manifest_cannot_be_read(tmp_path: Path) -> None:
    target = episode_with(tmp_path, "v1-build.json", lambda d: d.__setitem__("version", 99))
    staging = tmp_path / ".building-x"
    staging.mkdir()
    before = (target / "manifest.json").read_bytes()
    with pytest.raises(StateError, match="không rõ"):
        publish_folder(staging, target)
    assert (target / "manifest.json").read_bytes() == before and not staging.exists()


def test_an_untouched_old_draft_may_be_replaced_by_a_rebuild(tmp_path: Path) -> None:
    target = episode_with(tmp_path, "v1-first-layout.json")
    staging = tmp_path / ".building-x"
    staging.mkdir()
    (staging / "new").write_text("mới", encoding="utf-8")
    publish_folder(staging, target)
    assert (target / "new").is_file() and not (target / "manifest.json").exists()


def test_records_are_frozen(tmp_path: Path) -> None:
    manifest = read_manifest(episode_with(tmp_path, "v1-build.json"))
    assert isinstance(manifest, Manifest)
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.segments[0].text = "khác"  # type: ignore[misc]


def test_the_manifest_knows_every_state_of_the_workflow() -> None:
    from broadcast.manifest import STATUSES
    from broadcast.review.workflow import STATES

    assert STATUSES == STATES
