"""An invalid FAQ entry drops only itself, with a warning naming file, line, field and fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from broadcast.sources.faq import load_faq
from tests.officer.conftest import run_cli

GOOD = '''
[[entry]]
id = "{id}"
topic = "Hộ tịch"
question = "Câu hỏi {id}?"
answer = "Câu trả lời {id}."
'''


def bank(tmp_path: Path, *blocks: str) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir(exist_ok=True)
    (folder / "ho-tich.toml").write_text("# ngân hàng thử\n" + "".join(blocks), encoding="utf-8")
    return folder


def test_unescaped_quote_drops_only_that_entry(tmp_path: Path) -> None:
    broken = ('\n[[entry]]\nid = "hong"\ntopic = "Hộ tịch"\nquestion = "Hỏi?"\n'
              'answer = "Mang "giấy chứng sinh" đến xã."\n')
    loaded = load_faq(bank(tmp_path, GOOD.format(id="mot"), broken, GOOD.format(id="hai")))
    assert [e.id for e in loaded.entries] == ["mot", "hai"]
    [problem] = loaded.problems
    assert problem.startswith("ho-tich.toml, dòng 13: lỗi cú pháp TOML")
    assert "“ ”" in problem and "các mục khác vẫn được dùng" in problem


def test_misspelled_key_duplicate_id_and_dates(tmp_path: Path) -> None:
    misspelled = GOOD.format(id="ba").replace("question =", "questoin =")
    dated = GOOD.format(id="bon") + 'valid_until = "31/12/2027"\nvalid_from = 2026-01-01\n'
    bad_date = GOOD.format(id="nam") + 'valid_until = "31-13-2027"\n'
    loaded = load_faq(bank(tmp_path, GOOD.format(id="mot"), misspelled, GOOD.format(id="mot"), dated, bad_date))
    assert [e.id for e in loaded.entries] == ["mot", "bon"]
    assert loaded.entries[1].valid_until == dt.date(2027, 12, 31)
    assert len(loaded.problems) == 3
    assert "dòng 9" in loaded.problems[0] and "questoin" in loaded.problems[0] and "question" in loaded.problems[0]
    assert "id \"mot\" đã dùng" in loaded.problems[1]
    assert "(id nam)" in loaded.problems[2] and "valid_until" in loaded.problems[2]
    assert "31/12/2026" in loaded.problems[2]


def test_build_with_every_faq_entry_broken_exits_3_and_says_so_first(tmp_path: Path) -> None:
    from tests.conftest import write_config

    folder = bank(tmp_path, GOOD.format(id="mot").replace("topic", "topik"))
    config = write_config(tmp_path, "", engines='["espeak"]')
    text = config.read_text(encoding="utf-8").replace(str(Path(__file__).parents[1] / "data" / "faq"), str(folder))
    config.write_text(text.replace("[column]\n", "[column]\ntarget_minutes = 2.0\n"), encoding="utf-8")
    result = run_cli("build", "--date", "27/11/2026", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Xã Đức Hạnh — cấu hình: ") and lines[0].endswith("config.toml")
    warnings = [line for line in lines if line.startswith("Cảnh báo:")]
    assert warnings[0].startswith("Cảnh báo: NGHIÊM TRỌNG: Phần hỏi – đáp bị mất")
    assert any("topik" in w for w in warnings)
    assert "mã thoát 3" in lines[-1]
    manifest = json.loads((Path(result.stdout.strip()) / "manifest.json").read_text(encoding="utf-8"))
    assert any(w.startswith("NGHIÊM TRỌNG: Phần hỏi – đáp bị mất") for w in manifest["warnings"])
