"""`broadcast review …` and `broadcast publish` from the command line, with a real $EDITOR process."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.config import Settings
from broadcast.review import workflow as wf
from broadcast.review.accounts import local_user
from broadcast.review.publish import publish
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app

from . import per_test

workdir, settings, built = per_test.workdir, per_test.settings, per_test.built  # fixtures: a fresh draft per test

EDITOR = r'''#!{python}
"""A scripted editor: waits for a go-ahead file if asked, then rewrites the script file."""
import os, sys, time, pathlib

path = pathlib.Path(sys.argv[1])
mode = os.environ["TEST_EDIT_MODE"]
signal = os.environ.get("TEST_EDIT_SIGNAL")
if signal:
    pathlib.Path(signal + ".opened").write_text("1")
    for _ in range(600):
        if pathlib.Path(signal + ".go").exists():
            break
        time.sleep(0.05)
text = path.read_text(encoding="utf-8")
if mode == "sentence":
    text = text.replace("Bộ phận một cửa của UBND xã", "Bộ phận một cửa của Ủy ban nhân dân xã")
elif mode == "append":
    text = text.rstrip() + " Xin trân trọng cảm ơn bà con.\n"
elif mode == "heading":
    text = text.replace("## [ket-thuc]", "## ket-thuc")
path.write_text(text, encoding="utf-8")
'''


@pytest.fixture
def editor(workdir: Path) -> Path:
    path = workdir / "editor.py"
    path.write_text(EDITOR.format(python=sys.executable), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def run_cli(config: Path, *args: str, editor: Path | None = None, mode: str = "", signal: Path | None = None,
            stdin: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "TEST_EDIT_MODE": mode}
    env.pop("VISUAL", None)
    if editor:
        env["EDITOR"] = str(editor)
    if signal:
        env["TEST_EDIT_SIGNAL"] = str(signal)
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", *args, "--config", str(config)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    return proc


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def test_list_and_show(settings: Settings, built: EpisodeRecord, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(settings.source_file)
    assert main(["review", "list", "--config", config]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^\s*{built.id}\s+2026-11-27\s+bản nháp\s+1:\d\d\s+1\s+0\s+{built.folder.name}$", out, re.M)
    assert main(["review", "show", str(built.id), "--config", config]) == 0
    out = capsys.readouterr().out
    assert "## [tin-1] Xã Thử Nghiệm tiếp nhận 312 hồ sơ" in out
    assert "Viết:" in out and "Đọc:" in out and "Nguồn: faq:kiem-thu-khai-sinh" in out
    assert main(["review", "show", "999", "--config", config]) == 1
    assert "Không có số phát mã 999" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["review", "show", "../1", "--config", config])


def test_edit_with_editor_revoices_only_the_edited_segment(settings: Settings, built: EpisodeRecord,
                                                           editor: Path) -> None:
    segments = {p.name: p.stat().st_mtime_ns for p in (built.folder / "segments").glob("*.mp3")}
    with Store.open(settings) as store:
        old_file = store.segments(built.id)[1].file
    code, out, err = finish(run_cli(settings.source_file, "review", "edit", str(built.id), "--by", "Chị Mai",  # type: ignore[arg-type]
                                    editor=editor, mode="sentence"))
    assert code == 0, err
    assert out.strip() == str(built.folder)
    assert "[1/1] lồng tiếng đoạn tin-1" in err
    kept = {p.name for p in (built.folder / "segments").glob("*.mp3")}
    assert set(segments) - kept == {Path(old_file).name}   # only the edited segment's audio was replaced
    assert all((built.folder / "segments" / n).stat().st_mtime_ns == t for n, t in segments.items() if n in kept)
    with Store.open(settings) as store:
        record = store.get(built.id)
        assert store.segments(built.id)[1].file != old_file and store.segments(built.id)[1].voiced
        assert record.revision == 2 and record.updated_by == "Chị Mai"
        assert "Ủy ban nhân dân xã" in store.segments(built.id)[1].text


def _cli_edit(settings: Settings, built: EpisodeRecord, editor: Path) -> None:
    """Revision 2: Chị Mai adds a sentence through `review edit` (what the tests below start from)."""
    code, _, err = finish(run_cli(settings.source_file, "review", "edit", str(built.id), "--by", "Chị Mai",  # type: ignore[arg-type]
                                  editor=editor, mode="sentence"))
    assert code == 0, err


def _to_revision_3(settings: Settings, built: EpisodeRecord) -> None:
    from broadcast.review.edits import save_edits

    with Store.open(settings) as store:
        first = store.segments(built.id)[1]
        save_edits(settings, store, built.id, {first.id: first.text + " Ủy ban nhân dân xã thông báo."},
                   base_revision=1, by="Chị Mai")
        last = store.segments(built.id)[-1]
        save_edits(settings, store, built.id, {last.id: last.text + " Chúc bà con mạnh khỏe."},
                   base_revision=2, by="Chị Lan")


def test_a_malformed_file_is_refused_with_its_line_and_kept(settings: Settings, built: EpisodeRecord,
                                                            editor: Path) -> None:
    _cli_edit(settings, built, editor)
    code, _, err = finish(run_cli(settings.source_file, "review", "edit", str(built.id), "--by", "Chị Mai",  # type: ignore[arg-type]
                                  editor=editor, mode="heading"))
    assert code == 1
    line = re.search(r"dòng (\d+): tiêu đề \"## ket-thuc", err)
    assert line, err
    match = re.search(r"được giữ ở (\S+\.md)", err)
    assert match, err
    kept = Path(match.group(1)).read_text(encoding="utf-8").splitlines()
    assert kept[int(line.group(1)) - 1].startswith("## ket-thuc")  # the line named is the broken one
    assert "Ủy ban nhân dân xã" in "\n".join(kept)  # exactly what the editor wrote, kept
    with Store.open(settings) as store:
        assert store.get(built.id).revision == 2


def test_web_and_cli_saving_the_same_segment_at_once_the_second_is_refused(settings: Settings, built: EpisodeRecord,
                                                                          editor: Path, workdir: Path) -> None:
    """The CLI opens revision 2; meanwhile the web saves the closing segment; the CLI's closing is refused, kept."""
    _cli_edit(settings, built, editor)
    signal = workdir / "signal"
    proc = run_cli(settings.source_file, "review", "edit", str(built.id), "--by", "Anh Ba",  # type: ignore[arg-type]
                   editor=editor, mode="append", signal=signal)
    for _ in range(400):
        if Path(f"{signal}.opened").exists():
            break
        time.sleep(0.05)
    assert Path(f"{signal}.opened").exists()
    app = create_app(settings)
    client = app.test_client()
    page = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    with Store.open(settings) as store:
        last = store.segments(built.id)[-1]
        text = last.text + " Chúc bà con một tuần làm việc hiệu quả."
    response = client.post(f"/episodes/{built.id}/save", data={"csrf_token": token, f"base-{last.id}": "1",
                                                              "by": "Chị Lan", f"text-{last.id}": text})
    assert response.status_code == 303
    job_url = response.headers["Location"]
    for _ in range(600):
        status = client.get(job_url + ".json").get_json()
        if status["state"] != "running":
            break
        time.sleep(0.1)
    assert status["state"] == "done" and status["revision"] == 3, status
    Path(f"{signal}.go").write_text("1")
    code, _, err = finish(proc)
    assert code == 1
    assert local_user() in err and last.id in err and "Bản của họ được giữ nguyên" in err
    kept = Path(re.search(r"được giữ ở (\S+\.md)", err).group(1))  # type: ignore[union-attr]
    assert "Xin trân trọng cảm ơn bà con." in kept.read_text(encoding="utf-8")
    with Store.open(settings) as store:
        record = store.get(built.id)
        assert record.revision == 3 and record.updated_by == local_user()
        assert "Ủy ban nhân dân xã" in store.segments(built.id)[1].text  # the earlier CLI save, untouched
        assert "hiệu quả" in store.segments(built.id)[-1].text
        assert "Xin trân trọng" not in store.segments(built.id)[-1].text


def test_approve_reject_publish_from_the_command_line(settings: Settings, built: EpisodeRecord,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _to_revision_3(settings, built)
    config = str(settings.source_file)
    assert main(["publish", str(built.id), "--config", config, "--by", "Tú"]) == 1
    assert "Không thể phát sóng" in capsys.readouterr().err
    assert main(["review", "reject", str(built.id), "--by", "Ông Hùng", "--reason", "Thiếu tin về VNeID",
                 "--config", config]) == 0
    assert main(["review", "approve", str(built.id), "--by", "Ông Hùng", "--revision", "3", "--config", config]) == 1
    assert "bị từ chối" in capsys.readouterr().err
    with Store.open(settings) as store:
        text = store.segments(built.id)[0].text + " Xin cảm ơn."
        from broadcast.review.edits import save_edits

        save_edits(settings, store, built.id, {"mo-dau": text}, base_revision=3, by="Chị Lan")
    assert main(["review", "approve", str(built.id), "--by", "Ông Hùng", "--revision", "3", "--config", config]) == 1
    refused = capsys.readouterr().err   # the approver heard revision 3; Chị Lan saved 4 since
    assert "phiên bản 4" in refused and "Chị Lan" in refused and "--revision 4" in refused
    assert main(["review", "approve", str(built.id), "--by", "Ông Hùng", "--revision", "4", "--config", config]) == 0
    capsys.readouterr()
    assert main(["publish", str(built.id), "--config", config, "--by", "Tú"]) == 0
    target = Path(capsys.readouterr().out.strip())
    assert target.is_file() and target.parent == settings.review.onair


def test_build_prints_the_folder_and_skips_an_approved_date(settings: Settings, built: EpisodeRecord,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = str(settings.source_file)
    with Store.open(settings) as store:
        wf.approve(settings, store, built.id, by="Ông Hùng")
        publish(settings, store, built.id, by="Anh Tú")
        assert store.get(built.id).state == "published"
        count = len(store.episodes())
    assert main(["build", "--date", "2026-11-27", "--config", config]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(built.folder)  # `make demo` still gets the folder that airs
    assert "Bỏ qua" in captured.err
    assert main(["build", "--date", "2026-11-30", "--config", config]) == 0
    captured = capsys.readouterr()
    folder = Path(captured.out.strip())
    assert folder.name == "2026-11-30-cai-cach-hanh-chinh" and (folder / "program.mp3").is_file()
    assert "bản nháp" in captured.err
    with Store.open(settings) as store:
        assert len(store.episodes()) == count + 1 and store.episodes()[0].folder == folder
