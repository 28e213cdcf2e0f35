"""An officer's week on a phone, in a real browser: statistics, a question, a build, a reading fix, an edit,
approval, the schedule, the FAQ bank and an urgent notice.

Debian's Chromium at 390 × 844 against `broadcast serve`; every page is checked with axe-core (no serious
or critical violation) and photographed into the test's output (BROADCAST_SCREENSHOTS keeps them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from broadcast.config import Settings, load_settings
from broadcast.onair.items import URGENT, notices
from broadcast.review.store import Store
from broadcast.schedule.timing import WEEKDAYS
from broadcast.sources.faq import read_faq
from broadcast.sources.stats import read_stats

from .browsing import chromium, phone_page, screenshots_folder, serious_violations, serving
from .conftest import DATA, write_config

STATS_EXPORT = ("Kỳ báo cáo;Hồ sơ tiếp nhận;Giải quyết đúng hạn;Giải quyết quá hạn;Nộp trực tuyến;Hài lòng (%)\n"
                "10/2026;1.112;1.080;2;612;96,4\n"
                "11/2026;1.245;1.230;0;845;97,1\n")
QUESTIONS = ("Mã,Ngày,Người hỏi,Thôn,Câu hỏi\n"
             "hq-11,20/11/2026,Ông Trần Văn Bình,Thôn Đông,Đăng ký thường trú cho con mới sinh làm ở đâu?\n")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, speech_cache: Path) -> tuple[Settings, Path]:
    folder = tmp_path_factory.mktemp("week")
    bank = folder / "faq"
    bank.mkdir()
    (bank / "ho-tich.toml").write_bytes((DATA / "faq" / "ho-tich.toml").read_bytes())
    (folder / "thong-ke.csv").write_bytes((DATA / "stats.csv").read_bytes())
    config = write_config(folder, cache=speech_cache)
    text = config.read_text(encoding="utf-8").replace((DATA / "faq").as_posix(), bank.as_posix())
    config.write_text(text.replace('statistics = ""', 'statistics = "thong-ke.csv"'), encoding="utf-8")
    (folder / "export-thang-11.csv").write_text(STATS_EXPORT, encoding="utf-8")
    (folder / "cau-hoi.csv").write_text(QUESTIONS, encoding="utf-8")
    return load_settings(config, must_exist=True), folder


@pytest.fixture(scope="module")
def site(office: tuple[Settings, Path]) -> Iterator[str]:
    settings, folder = office
    with serving(settings.source_file, folder / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def check(page: Page, shots: Path, name: str) -> None:
    """No serious accessibility problem on this page, and a picture of it."""
    assert serious_violations(page) == [], name
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_an_officers_week_on_a_phone(site: str, browser: Browser, office: tuple[Settings, Path],
                                     tmp_path: Path) -> None:
    settings, folder = office
    shots = screenshots_folder(tmp_path / "screens")
    page = phone_page(browser)

    # 1. The month's statistics from the one-stop software's export: preview as spoken, then save.
    page.goto(site + "/thong-ke/")
    check(page, shots, "01-thong-ke")
    page.set_input_files("#tep", str(folder / "export-thang-11.csv"))
    page.get_by_role("button", name="Xem trước").first.click()
    expect(page.get_by_text("Chương trình sẽ đọc (tháng 11/2026)")).to_be_visible()
    expect(page.locator(".spoken").first).to_contain_text("một nghìn hai trăm bốn mươi lăm hồ sơ")
    check(page, shots, "02-thong-ke-xem-truoc")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu số liệu vào thong-ke.csv")
    assert settings.sources.statistics is not None
    assert {p.month for p in read_stats(settings.sources.statistics)} >= {10, 11}

    # 2. A citizen's question: upload the month's questions, answer one in place.
    page.goto(site + "/cau-hoi/")
    page.set_input_files("#tep", str(folder / "cau-hoi.csv"))
    page.get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Đã nhập 1 câu hỏi mới")
    check(page, shots, "03-cau-hoi")
    page.get_by_role("link", name=re.compile("Đăng ký thường trú")).click()
    page.get_by_label("Lĩnh vực").fill("Cư trú")
    page.get_by_label("Câu trả lời").fill("Ông đăng ký thường trú cho cháu ngay khi làm khai sinh, trên ứng dụng "
                                          "VNeID hoặc tại Bộ phận Một cửa của xã.")
    check(page, shots, "04-tra-loi")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã trả lời câu hỏi hq-11")
    assert settings.sources.faq is not None
    assert any(e.answers_inbox == ("hq-11",) for e in read_faq(settings.sources.faq))

    # 3. Build the draft from the site and land on its review page.
    page.goto(site + "/dung/")
    check(page, shots, "05-dung")
    page.get_by_label("Ngày phát (dd/mm/yyyy)").fill("27/11/2026")
    page.get_by_role("button", name="Dựng bản nháp").click()
    page.wait_for_url(re.compile(r"/episodes/\d+$"), timeout=180_000)
    check(page, shots, "06-so-phat")
    with Store.open(settings) as store:
        (record,) = store.episodes()
    assert record.state == "draft"
    page.goto(site + f"/episodes/{record.id}")

    # 4. Fix a reading: hear it, save it to the commune lexicon; the segments with it are re-voiced.
    episode_url = page.url
    page.locator("#cach-doc summary").click()
    page.get_by_label("Trong đoạn").select_option("mo-dau")
    page.get_by_label("Từ như viết trong lời viết").fill("bà con")
    page.get_by_label("Đọc là").fill("bà con cô bác")
    page.get_by_label("Không phân biệt chữ hoa, chữ thường").check()
    page.get_by_role("button", name="Nghe thử").click()
    expect(page.get_by_role("heading", name="Nghe thử cách đọc")).to_be_visible()
    expect(page.locator(".spoken")).to_contain_text("bà con cô bác")
    check(page, shots, "07-nghe-thu-cach-doc")
    page.get_by_role("button", name="Lưu cách đọc và đọc lại").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu vào từ điển phát âm")

    def voiced() -> None:
        for _ in range(300):
            if page.locator(".voicing").count() == 0:
                return
            page.wait_for_timeout(500)
            page.goto(episode_url)
        raise AssertionError("segments still waiting for their voice")

    voiced()
    # 5. Edit a segment: the save is confirmed where the editor looks.
    box = page.locator("#text-tin-1")
    box.fill(box.input_value() + " Bà con cần hỗ trợ xin đến hội trường xã.")
    page.click("#save")
    page.wait_for_url(re.compile(r"\?luu=\d+#da-luu$"), timeout=120_000)
    expect(page.locator("#da-luu")).to_contain_text("Đã lưu phiên bản")
    expect(page.locator("section#doan-tin-1 ins")).to_contain_text("hội trường xã.")
    voiced()
    check(page, shots, "08-sau-khi-sua")

    # 6. Approve after listening: the page asks for the whole programme and records how much was played.
    page.evaluate("document.getElementById('program').play()")
    page.wait_for_function("Number(document.getElementById('played-s').value) > 0.5", timeout=30_000)
    page.get_by_label("Tôi đã nghe toàn bộ chương trình").check()
    page.click("#approve")
    expect(page.locator("#state")).to_have_text("đã phê duyệt")
    check(page, shots, "09-da-phe-duyet")

    # 7. The schedule and the FAQ bank.
    page.goto(site + "/lich/")
    expect(page.get_by_role("heading", name="Lịch dựng và phát")).to_be_visible()
    check(page, shots, "10-lich")
    page.goto(site + "/hoi-dap/?q=thường+trú")
    expect(page.get_by_text("Ông Trần Văn Bình ở Thôn Đông hỏi")).to_be_visible()
    check(page, shots, "11-hoi-dap")

    # 8. An urgent notice: type it, hear it, choose khẩn cấp and a time (06:30 tomorrow), approve it: the list
    #    says when it airs.
    tomorrow = dt.datetime.now(ZoneInfo(settings.station.timezone)).date() + dt.timedelta(days=1)
    page.goto(site + "/thong-bao/")
    page.get_by_label("Tiêu đề").fill("Lịch cắt điện thôn Đông")
    page.get_by_label("Nội dung cần đọc").fill("Điện lực thông báo cắt điện thôn Đông từ 7 giờ đến 11 giờ sáng mai.")
    page.get_by_label("Mức ưu tiên", exact=True).select_option("khan-cap")
    page.get_by_label("Hẹn giờ", exact=True).check()
    page.get_by_label("Giờ phát (nếu hẹn giờ", exact=False).fill(f"{tomorrow:%d/%m/%Y} 06:30")
    page.get_by_role("button", name="Nghe thử").click()
    expect(page.get_by_role("heading", name="Lịch cắt điện thôn Đông")).to_be_visible()
    check(page, shots, "12-thong-bao")
    expect(page.get_by_label("Hẹn giờ", exact=True)).to_be_checked()
    page.get_by_label("Tôi đã nghe thông báo").check()
    page.get_by_role("button", name="Duyệt và đưa lên loa").click()
    expect(page.get_by_role("status").first).to_contain_text("sẽ phát lúc 06:30")
    airs = f"Sẽ phát lúc 06:30 {WEEKDAYS[tomorrow.weekday()]} {tomorrow:%d/%m/%Y}."
    expect(page.locator(".airs")).to_contain_text(airs)
    check(page, shots, "13-thong-bao-hen-gio")
    with Store.open(settings) as store:
        assert [n.priority for n in notices(store, waiting_only=True)] == [URGENT]


def test_reading_works_without_javascript(site: str, browser: Browser) -> None:
    page = phone_page(browser, javascript=False)
    for path, heading in (("/", "Các số phát"), ("/lich/", "Lịch dựng và phát"), ("/hoi-dap/", "Ngân hàng hỏi – đáp"),
                          ("/thong-ke/", "Số liệu Bộ phận một cửa"), ("/dung/", "Dựng bản nháp")):
        page.goto(site + path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
