"""An episode whose manifest.json the previous code wrote still goes build → edit → approve → publish → air."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from broadcast.config import Settings, load_settings
from broadcast.files import sha256
from broadcast.manifest import read_manifest
from broadcast.onair.items import episode_item
from broadcast.onair.log import PLAYED, AsPlayedLog
from broadcast.onair.outputs.folder import ONAIR_FILE, FolderOutput
from broadcast.onair.playout import OnAir
from broadcast.review import workflow as wf
from broadcast.review.edits import save_edits
from broadcast.review.publish import publish
from broadcast.review.store import Store

from .conftest import DAY, write_config

LATER_FIELDS = {"audio": ("preset", "sting_s", "stings", "jingle", "sting", "bed", "archive", "loudness", "assembly"),
                "segment": ("roles", "gain_db", "recorded")}


def as_first_code_wrote_it(folder: Path) -> None:
    """Rewrite the episode's manifest.json in the first layout (version 1, without every field added since)."""
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 1
    data.pop("fit", None)
    for key in LATER_FIELDS["audio"]:
        data["audio"].pop(key)
    for segment in data["segments"]:
        for key in LATER_FIELDS["segment"]:
            segment.pop(key)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_an_old_manifest_is_upgraded_along_the_whole_review_path(tmp_path: Path, speech_cache: Path) -> None:
    settings: Settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    built = wf.build_draft(settings, DAY)
    assert built is not None
    as_first_code_wrote_it(built.folder)
    with Store.open(settings) as store:
        news = store.segments(built.id)[1]
        edited = save_edits(settings, store, built.id, {news.id: news.text + " Xin cảm ơn bà con."},
                            base_revision=1, by="Chị Lan")
        manifest = read_manifest(edited.folder)
        assert (manifest.version, manifest.revision, manifest.edited) == (2, 2, True)
        assert manifest.audio.sha256 == edited.sha256 == sha256(edited.program)
        assert manifest.audio.loudness is not None, "the edit measured the programme afresh"
        assert manifest.segments[1].text.endswith("Xin cảm ơn bà con.")
        assert manifest.segments[1].file == store.segments(built.id)[1].file != news.file
        written = json.loads((edited.folder / "manifest.json").read_text(encoding="utf-8"))
        assert written["version"] == 2 and all(set(LATER_FIELDS["segment"]) <= set(s) for s in written["segments"])

        approved = wf.approve(settings, store, built.id, by="Nguyễn Văn A")
        on_air = publish(settings, store, built.id, by="Nguyễn Văn A")
        manifest = read_manifest(edited.folder)
        assert (manifest.status, manifest.approved_by, manifest.approved_sha256) == (
            "published", "Nguyễn Văn A", approved.sha256)
        assert manifest.onair_file == on_air.name and manifest.published_at

        item = episode_item(settings.review.onair, store, built.id)
        out = tmp_path / "dang-phat"
        OnAir().air(item, [FolderOutput(out)], AsPlayedLog(store))
        assert sha256(out / ONAIR_FILE) == approved.sha256 == manifest.audio.sha256
        assert [row.result for row in AsPlayedLog(store).rows()] == [PLAYED]


EDITOR = '''#!{python}
import pathlib, sys
path = pathlib.Path(sys.argv[1])
path.write_text(path.read_text(encoding="utf-8").rstrip() + " Xin cảm ơn bà con.\\n", encoding="utf-8")
'''


def test_a_manifest_from_a_newer_version_stops_the_command_in_one_line_and_is_kept(
        tmp_path: Path, speech_cache: Path) -> None:
    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    built = wf.build_draft(settings, DAY)
    assert built is not None
    path = built.folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "version": 3}, ensure_ascii=False), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in [path, built.program, *sorted((built.folder / "segments").iterdir())]}
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR.format(python=sys.executable), encoding="utf-8")
    editor.chmod(0o755)
    env = {**os.environ, "EDITOR": str(editor)}
    env.pop("VISUAL", None)
    done = subprocess.run([sys.executable, "-m", "broadcast", "review", "edit", str(built.id), "--by", "Chị Lan",
                           "--config", str(settings.source_file)], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("Lỗi:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(path) in errors[0] and "phiên bản 3" in errors[0] and "Hãy cập nhật broadcast" in errors[0]
    after = {p.name: p.read_bytes() for p in [path, built.program, *sorted((built.folder / "segments").iterdir())]}
    assert after == before, "no file was touched"
    with Store.open(settings) as store:   # the text is saved first (the database is the truth), voiced later
        closing = store.segments(built.id)[-1]
        assert closing.text.endswith("Xin cảm ơn bà con.") and not closing.voiced
