"""Citizens' questions: CSV import, the pending list, the CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.config import Settings, SourceSettings
from broadcast.errors import DataError
from broadcast.sources.inbox import import_csv, pending_questions, read_csv

from .conftest import to_cp1258

CSV = """Mã;Ngày gửi;Người hỏi;Thôn;Câu hỏi
hq-01;03/11/2026;Ông Nguyễn Văn A;Thôn Đông;Làm lại căn cước cho người già ở nhà được không?
hq-02;2026-11-10;Bà Trần Thị B;Thôn Bắc;Đăng ký kết hôn mất bao lâu?
;15/11/2026;;;Xin cấp bản sao giấy khai sinh ở đâu?
"""
FAQ = """[[entry]]
id = "ket-hon"
question = "Đăng ký kết hôn mất bao lâu?"
answer = "Ngay trong ngày nếu đủ giấy tờ."
topic = "Hộ tịch"
answers_inbox = ["hq-02"]
"""


def settings_for(tmp_path: Path) -> Settings:
    faq = tmp_path / "faq"
    faq.mkdir(exist_ok=True)
    (faq / "a.toml").write_text(FAQ, encoding="utf-8")
    return dataclasses.replace(Settings(), sources=SourceSettings(faq=faq, inbox=tmp_path / "inbox.json"))


def test_import_is_idempotent_and_answered_questions_leave_the_list(tmp_path: Path) -> None:
    source = tmp_path / "cau-hoi.csv"
    source.write_bytes(to_cp1258(CSV))          # saved by Excel on a Vietnamese Windows
    settings = settings_for(tmp_path)
    assert import_csv(settings.sources.inbox, source) == (3, 0)
    assert import_csv(settings.sources.inbox, source) == (0, 3)
    stored = json.loads(settings.sources.inbox.read_text(encoding="utf-8"))
    assert len(stored["questions"]) == 3
    waiting = pending_questions(settings)
    assert [q.id for q in waiting][:1] == ["hq-01"] and "hq-02" not in {q.id for q in waiting}
    assert waiting[0].asker == "Ông Nguyễn Văn A" and waiting[0].place == "Thôn Đông"
    assert waiting[1].id.startswith("hq-") and waiting[1].question == "Xin cấp bản sao giấy khai sinh ở đâu?"


def test_bad_rows_name_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Ngày,Câu hỏi\n31/02/2026,Hỏi gì đó?\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x.csv, dòng 2, cột \"Ngày\""):
        read_csv(path)
    path.write_text("Ngày,Nội dung\n01/02/2026,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x.csv, dòng 2, cột \"Câu hỏi\": ô trống"):
        read_csv(path)
    path.write_text("Ngày,Tên\n01/02/2026,A\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"thiếu cột \"Câu hỏi\""):
        read_csv(path)


def test_cli_import_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings_for(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text('[sources]\nfaq = "faq"\ninbox = "inbox.json"\nfeeds = []\nstatistics = ""\n', encoding="utf-8")
    source = tmp_path / "cau-hoi.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["inbox", "import", str(source), "--config", str(config)]) == 0
    assert "Đã nhập 3 câu hỏi mới" in capsys.readouterr().err
    assert main(["inbox", "list", "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].startswith("hq-01\t03/11/2026\tÔng Nguyễn Văn A, Thôn Đông\tLàm lại căn cước")
    assert "hq-02" not in out.out and "2 câu hỏi đang chờ" in out.err
    assert main(["inbox", "import", str(tmp_path / "khong-co.csv"), "--config", str(config)]) == 1
    assert "khong-co.csv" in capsys.readouterr().err
