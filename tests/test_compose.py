"""Script composition: templates, feed text as data, template errors, golden scripts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from broadcast.compose import Programme, compose
from broadcast.config import load_settings
from broadcast.errors import NothingToSay, TemplateError
from broadcast.models import Gathered, NewsItem
from broadcast.pipeline import build
from broadcast.sources import gather
from tests import golden

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "scripts_templates"
PROGRAMME = Programme(commune="xã Đức Hạnh", station="Đài truyền thanh xã Đức Hạnh", column="Cải cách hành chính",
                      date=dt.date(2026, 11, 27))


def item(title: str, summary: str = "Bộ phận một cửa làm việc cả sáng thứ Bảy.") -> NewsItem:
    return NewsItem(title=title, summary=summary, link="http://x.example/1", guid="1", published=None, feed="f")


def test_opening_reads_the_date_in_full() -> None:
    script = compose(Gathered(news=(item("Tin"),), stats=None, faq=()), PROGRAMME, TEMPLATES)
    opening = script.segments[0].text
    assert "Đây là Đài truyền thanh xã Đức Hạnh." in opening
    assert "thứ Sáu, ngày 27 tháng 11 năm 2026" in opening
    assert [s.id for s in script.segments] == ["mo-dau", "tin-1", "ket-thuc"]


def test_feed_text_is_data_never_template_source() -> None:
    evil = item("Thông báo {{ 7*7 }} {% for x in range(3) %}x{% endfor %}", "Nội dung {{ config }} giữ nguyên")
    script = compose(Gathered(news=(evil,), stats=None, faq=()), PROGRAMME, TEMPLATES)
    news = script.segments[1].text
    assert "{{ 7*7 }}" in news and "49" not in news
    assert "{% for x in range(3) %}" in news and "{{ config }}" in news


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def test_missing_name_names_template_line_and_name(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = folder / "closing.txt.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "Xin cảm ơn {{ commune_name }}.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        compose(Gathered(news=(item("Tin"),), stats=None, faq=()), PROGRAMME, folder)
    assert str(info.value).startswith("closing.txt.j2, dòng 3: không có biến \"commune_name\"")


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "news.txt.j2").write_text("Tin.\n{% if item.title %}\nkhông đóng khối\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"news\.txt\.j2, dòng \d: lỗi cú pháp mẫu"):
        compose(Gathered(news=(item("Tin"),), stats=None, faq=()), PROGRAMME, folder)


def test_missing_template_file_is_named(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "faq.txt.j2").unlink()
    from broadcast.models import FaqEntry

    with pytest.raises(TemplateError, match=r"Thiếu mẫu kịch bản faq\.txt\.j2"):
        compose(Gathered(news=(), stats=None, faq=(FaqEntry("a", "Hỏi?", "Đáp.", "Chủ đề"),)), PROGRAMME, folder)


def test_malformed_feed_is_a_warning_and_the_build_goes_on(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    config = make_config()
    text = config.read_text(encoding="utf-8").replace('feeds = [', f'feeds = ["{broken}", ', 1)
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config, must_exist=True)
    gathered = gather(settings.sources, dt.date(2026, 11, 27), news_items=2, faq_items=1)
    assert any("broken.xml" in w for w in gathered.warnings)
    assert gathered.news, "the good feed still counts"
    episode = build(settings, dt.date(2026, 11, 27))
    assert any("broken.xml" in w for w in episode.warnings)
    assert episode.program.is_file()


def test_a_build_with_nothing_to_say_fails_clearly(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.xml"
    empty.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>", encoding="utf-8")
    config = make_config()
    text = config.read_text(encoding="utf-8")
    text = text.replace(str(ROOT / "tests" / "data" / "feed.xml"), str(empty))
    text = text.replace(f'statistics = "{ROOT / "tests" / "data" / "stats.csv"}"', 'statistics = ""')
    text = text.replace(f'faq = "{ROOT / "tests" / "data" / "faq"}"', 'faq = ""')
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config, must_exist=True)
    with pytest.raises(NothingToSay, match="Không có nội dung nào để phát cho ngày 27/11/2026"):
        build(settings, dt.date(2026, 11, 27))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_html_is_removed_from_feed_text(make_config) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_config(), must_exist=True)
    gathered = gather(settings.sources, dt.date(2026, 11, 27), news_items=5, faq_items=1)
    first = gathered.news[0]
    assert first.summary == ("Bộ phận một cửa của UBND xã cho biết tỷ lệ hồ sơ nộp qua Cổng dịch vụ công "
                             "đạt 61,5%.")
    assert all("bóng chuyền" not in n.title for n in gathered.news), "off-topic item filtered out"
    assert [e.id for e in gathered.faq] == ["kiem-thu-khai-sinh"], "expired answer never aired"


@pytest.mark.parametrize("case", golden.CASES, ids=lambda c: c.name)
def test_rendered_scripts_match_golden_files(case: golden.Case) -> None:
    expected = case.path.read_text(encoding="utf-8")
    assert golden.render(case) == expected, "run `make golden` if the template change is intended"
