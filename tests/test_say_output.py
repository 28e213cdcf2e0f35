"""`broadcast say -o`: only a regular file in a writable folder; long texts in pieces; a length limit."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.announce import SAY_MAX_CHARS, sentence_chunks
from broadcast.audio.ffmpeg import read_mp3
from broadcast.cli import main

TEXT = "Ủy ban nhân dân xã thông báo: sáng thứ Bảy, Bộ phận một cửa làm việc bình thường."


def run_say(config: Path, out: Path, capsys: pytest.CaptureFixture[str], text: str = TEXT) -> tuple[int, list[str]]:
    code = main(["say", text, "-o", str(out), "--config", str(config)])
    return code, capsys.readouterr().err.strip().splitlines()


def assert_one_vietnamese_line(lines: list[str], names: object) -> None:
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("Lỗi: ") and str(names) in line and "Traceback" not in line
    assert any(word in line for word in ("Hãy", "không")), line


def test_say_refuses_fifo_and_device(make_config: Callable[..., Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config()
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "FIFO"), (Path("/dev/full"), "thiết bị"), (Path("/dev/null"), "thiết bị")):
        before = os.lstat(target)
        code, lines = run_say(config, target, capsys)
        assert code == 1
        assert_one_vietnamese_line(lines, target)
        assert kind in lines[0]
        after = os.lstat(target)   # still the same node: nothing renamed over it
        assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_say_refuses_a_folder(make_config: Callable[..., Path], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "thong-bao"
    folder.mkdir()
    code, lines = run_say(make_config(), folder, capsys)
    assert code == 1
    assert_one_vietnamese_line(lines, folder)
    assert "là một thư mục" in lines[0]
    assert list(folder.iterdir()) == []


def test_say_never_writes_through_a_symlink(make_config: Callable[..., Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "quan-trong.txt"
    elsewhere.write_text("sổ sách của xã", encoding="utf-8")
    link = tmp_path / "thong-bao.mp3"
    link.symlink_to(elsewhere)
    code, lines = run_say(make_config(), link, capsys)
    assert code == 1
    assert_one_vietnamese_line(lines, link)
    assert "liên kết" in lines[0]
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "sổ sách của xã"


def test_say_names_a_missing_folder(make_config: Callable[..., Path], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "chua-co" / "thong-bao.mp3"
    code, lines = run_say(make_config(), out, capsys)
    assert code == 1
    assert_one_vietnamese_line(lines, out.parent)
    assert "không tồn tại" in lines[0]
    assert not out.parent.exists()


def test_say_refuses_text_over_the_limit(make_config: Callable[..., Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "thong-bao.mp3"
    code, lines = run_say(make_config(), out, capsys, text="Xin chào bà con. " * (SAY_MAX_CHARS // 10))
    assert code == 2
    assert len(lines) == 1 and "quá giới hạn 20.000 ký tự" in lines[0]
    assert not out.exists()


def test_sentence_chunks_keep_sentences_whole() -> None:
    sentences = [f"Câu số {k} nói về thủ tục hành chính ở xã." for k in range(200)]
    chunks = sentence_chunks(" ".join(sentences), 300)
    assert len(chunks) > 10 and all(len(c) <= 300 for c in chunks)
    assert " ".join(chunks).split(". ") == " ".join(sentences).split(". ")


def test_long_announcement_is_one_mp3_of_all_pieces(make_config: Callable[..., Path], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "thong-bao.mp3"
    out.write_bytes(b"old")  # a regular file is replaced
    text = " ".join([TEXT] * 40)   # ~3,400 characters: three pieces
    code, lines = run_say(make_config(), out, capsys, text=text)
    assert code == 0, lines
    seconds = len(read_mp3(out)) / 1000
    short = tmp_path / "mot-cau.mp3"
    assert run_say(make_config(), short, capsys)[0] == 0
    one = len(read_mp3(short)) / 1000
    assert 35 * one < seconds < 45 * one   # every sentence is there, once
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
