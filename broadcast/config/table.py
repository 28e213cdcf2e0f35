"""The settings table: each setting declared once, with its default and help text.

This module imports nothing above it; reading and checking a TOML file is
``broadcast.config.loader``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.cron import trigger
from broadcast.speech.voices import NAMES as VOICE_NAMES

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PACKAGE_DIR / "samples"
PROJECT_DIR = PACKAGE_DIR.parent


def setting(default: Any, help: str, **extra: Any) -> Any:
    """Declare a setting: its default, its help text, optional ``choices``/``min``."""
    meta = {"help": help, **extra}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


def _timezone_problem(value: str) -> str | None:
    """Why a time zone name is unusable, or None: every date and schedule depends on it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return (f"múi giờ {value!r} không tồn tại. Hãy ghi tên múi giờ IANA, ví dụ \"Asia/Ho_Chi_Minh\" "
                f"(giờ Việt Nam).")
    return None


@dataclass(frozen=True)
class StationSettings:
    """Who is on air."""

    commune: str = setting("xã Đức Hạnh", "Tên xã như đọc trên sóng, ví dụ \"xã Đức Hạnh\".")
    name: str = setting("Đài truyền thanh xã Đức Hạnh", "Tên đài, đọc khi giới thiệu đài.")
    dialect: str = setting("north", "Cách đọc số: north (miền Bắc: nghìn, lẻ) hoặc south (miền Nam: ngàn, linh).",
                           choices=("north", "south"))
    day_prefix: str = setting("", 'Đặt "mùng" để đọc ngày mùng một đến mùng mười ("ngày mùng năm tháng mười hai"); '
                              'để trống thì đọc "ngày năm tháng mười hai".', choices=("", "mùng"))
    timezone: str = setting("Asia/Ho_Chi_Minh", "Múi giờ của đài (ngày phát và lịch chạy).",
                            check=_timezone_problem)


@dataclass(frozen=True)
class ColumnSettings:
    """The weekly column and its script."""

    title: str = setting("Cải cách hành chính", "Tên chuyên mục, đọc ở phần mở đầu và dùng trong tên thư "
                                                     "mục.")
    target_minutes: float = setting(12.0, "Thời lượng chương trình cần vừa, tính bằng phút.", min=1)
    templates: Path = setting(PROJECT_DIR / "scripts_templates", "Thư mục chứa các mẫu kịch bản (Jinja2).")
    news_items: int = setting(5, "Nhiều nhất bấy nhiêu tin mỗi số phát.", min=0)
    faq_items: int = setting(3, "Số câu hỏi – đáp mỗi số phát.", min=0)


@dataclass(frozen=True)
class SourceSettings:
    """Where the week's material comes from."""

    feeds: list[str] = setting([str(SAMPLES_DIR / "feed.xml")],
                               "Nguồn tin RSS/Atom: địa chỉ http(s) hoặc tệp trên máy.")
    statistics: Path | None = setting(SAMPLES_DIR / "stats.csv",
                                      "Tệp số liệu của Bộ phận Một cửa (xuất ra CSV hoặc XLSX); \"\" nếu không có.")
    faq: Path | None = setting(SAMPLES_DIR / "faq", "Ngân hàng hỏi – đáp: một thư mục các tệp TOML; \"\" nếu không "
                                                    "có.")
    keywords: list[str] = setting(
        ["cải cách hành chính", "thủ tục", "dịch vụ công", "một cửa", "hồ sơ", "VNeID", "định danh",
         "trực tuyến", "TTHC", "CCHC", "hành chính", "tiếp công dân", "không dùng tiền mặt", "số hóa"],
        "Chỉ giữ tin có tiêu đề hoặc nội dung chứa một trong các từ này (không phân biệt hoa thường); [] giữ tất "
        "cả.")
    timeout_s: float = setting(15.0, "Thời gian chờ tối đa khi tải một nguồn tin, tính bằng giây.", min=1)
    cache: Path | None = setting(Path("audio_out/.cache/feeds"),
                                 "Thư mục lưu bản sao nguồn tin: khi cổng thông tin không vào được thì dùng bản "
                                 "gần nhất (có ghi chú); \"\" để tắt.")
    max_feed_mb: float = setting(5.0, "Chỉ đọc nhiều nhất bấy nhiêu MB của một nguồn tin; phần thừa bị cắt.", min=0.01)
    max_feed_items: int = setting(300, "Chỉ đọc nhiều nhất bấy nhiêu tin của một nguồn tin; phần thừa bị cắt.", min=1)
    window_days: int = setting(14, "Chỉ giữ tin đăng trong bấy nhiêu ngày trước ngày dựng (tin không có ngày vẫn "
                                   "giữ và được ghi chú).", min=1)
    faq_rest_weeks: int = setting(8, "Một câu hỏi – đáp không phát lại trong bấy nhiêu tuần.", min=0)
    inbox: Path = setting(Path("state/inbox.json"),
                          "Câu hỏi của người dân nhập bằng lệnh \"broadcast inbox import\" (tệp JSON).")


@dataclass(frozen=True)
class StatsColumnSettings:
    """Header of each column in the one-stop shop export; empty means: recognise the usual names."""

    period: str = setting("", "Cột kỳ báo cáo (ví dụ \"Kỳ báo cáo\": 11/2026).")
    received: str = setting("", "Cột số hồ sơ tiếp nhận (ví dụ \"Hồ sơ tiếp nhận\").")
    on_time: str = setting("", "Cột số hồ sơ giải quyết đúng hạn (ví dụ \"Giải quyết đúng hạn\").")
    late: str = setting("", "Cột số hồ sơ giải quyết quá hạn (ví dụ \"Giải quyết quá hạn\").")
    online: str = setting("", "Cột số hồ sơ nộp trực tuyến (ví dụ \"Nộp trực tuyến\").")
    satisfaction: str = setting("", "Cột tỷ lệ hài lòng, tính bằng phần trăm (không bắt buộc).")
    apologies: str = setting("", "Cột số văn bản xin lỗi đã gửi vì hồ sơ trễ hạn (không bắt buộc; câu xin lỗi "
                             "chỉ được đọc khi cột này có số).")
    sheet: str = setting("", "Trang tính của tệp XLSX; \"\" để dùng trang đầu tiên.")


@dataclass(frozen=True)
class SpeechSettings:
    """Voices, tried in order for each segment."""

    engines: list[str] = setting(["gtts", "espeak"], "Các giọng đọc theo thứ tự thử: edge (trực tuyến), gtts "
                                                     "(trực tuyến), espeak (không cần mạng).")
    rate: int = setting(155, "Tốc độ đọc của giọng không cần mạng (espeak), số từ mỗi phút.", min=80, max=400)
    espeak_voice: str = setting("vi", "Giọng không cần mạng: vi (miền Bắc), vi-vn-x-central (miền Trung) hoặc "
                                      "vi-vn-x-south (miền Nam).",
                                choices=("vi", "vi-vn-x-central", "vi-vn-x-south"))
    espeak_pitch: int = setting(50, "Cao độ gốc của giọng không cần mạng, từ 0 đến 99 (mặc định của espeak là 50).",
                                min=0, max=99)
    espeak_range: int = setting(70, "Biên độ cao độ của giọng không cần mạng, từ 0 đến 99: càng rộng thì các thanh "
                                    "điệu càng dễ phân biệt.", min=0, max=99)
    espeak_wordgap: int = setting(2, "Khoảng nghỉ giữa các từ của giọng không cần mạng, tính theo đơn vị 10 mili "
                                     "giây.", min=0, max=50)
    espeak_clause_ms: int = setting(220, "Khoảng nghỉ của giọng không cần mạng sau dấu phẩy, chấm phẩy hoặc hai "
                                         "chấm, mili giây.", min=0, max=2000)
    espeak_eq: bool = setting(True, "Chỉnh âm cho giọng không cần mạng: cắt tiếng ù dưới 150 Hz, nâng dải 2-4 kHz "
                                    "thêm 4 dB, nơi có các phụ âm.")
    timeout_s: float = setting(10.0, "Thời gian chờ một yêu cầu đọc trực tuyến, tính bằng giây.", min=1)
    retries: int = setting(3, "Số lần thử lại một yêu cầu trực tuyến khi máy chủ bận hoặc mất mạng.", min=1)
    backoff_s: float = setting(1.0, "Thời gian chờ trước lần thử lại đầu tiên, tính bằng giây; mỗi lần sau gấp "
                                    "đôi.", min=0)
    lexicon: Path | None = setting(None, "Từ điển phát âm riêng của xã (tệp TOML); để trống: tệp mà các sửa cách "
                                         "đọc trên trang duyệt bài ghi vào, state/tu-dien-phat-am.toml.")
    cache: Path | None = setting(Path("audio_out/.cache/speech"),
                                 "Thư mục lưu âm thanh đã làm (các câu đã đọc, các đoạn đã chỉnh độ to, tệp MP3 "
                                 "của từng đoạn, nhạc hiệu, chương trình): dựng lại chỉ làm lại phần đã sửa; "
                                 "\"\" để tắt.")
    cache_mb: int = setting(1024, "Dung lượng tối đa của thư mục speech.cache, MB. Khi vượt quá, các tệp lâu không "
                                  "dùng đến nhất bị xóa trước; tệp số phát đang dựng cần thì không bị xóa. Xem và "
                                  "dọn bằng lệnh \"broadcast cache\".", min=16)
    takes: Path | None = setting(Path("state/takes"), "Thư mục các bản thu giọng của cán bộ (kho câu thu sẵn và các "
                                                      "phần thu cả đoạn), dùng thay giọng máy; \"\" nếu không có.")
    take_max_wer: float = setting(0.6, "Một bản thu bị đánh dấu (chưa dùng cho đến khi có người xác nhận) khi lời "
                                       "bộ nhận dạng giọng nói nghe được khác văn bản của nó quá tỉ lệ số từ này; "
                                       "đã đo: một câu khác đạt 0,95-1,0, lời đọc tự nhiên khoảng 0,1. Cần gói "
                                       "[asr]; 1.0 thì không bao giờ đánh dấu.", min=0.0, max=1.0)
    voice: str = setting("", "Giọng đọc của đài: \"Hoài My (nữ, miền Bắc)\" hoặc \"Nam Minh (nam, miền Bắc)\" "
                             "(người kia đọc câu trả lời trong phần hỏi – đáp; giọng này cần mạng và được thử trước "
                             "tiên); \"\" là theo engines và edge_voice. Chọn được trên trang Giọng đọc.",
                         choices=("", *VOICE_NAMES))
    edge_voice: str = setting("vi-VN-HoaiMyNeural", "Giọng Edge của người dẫn và của câu hỏi, khi voice = \"\".")
    edge_answer_voice: str = setting("vi-VN-NamMinhNeural", "Giọng Edge đọc câu trả lời trong phần hỏi – đáp, khi "
                                                            "voice = \"\".")
    edge_rate: int = setting(0, "Tốc độ giọng Edge, phần trăm nhanh hơn (+) hoặc chậm hơn (-).",
                             min=-50, max=100)
    gtts_tempo: float = setting(1.0, "Tốc độ giọng Google: 1.0 là nguyên bản, 0.9 là chậm hơn 10 % (giữ nguyên "
                                     "cao độ).", min=0.5, max=2.0)
    gtts_url: str = setting("", "Địa chỉ máy chủ đọc của Google; \"\" là máy chủ của Google. Chỉ bài đo hiệu năng "
                                "mới đổi.")
    concurrency: int = setting(4, "Số yêu cầu đọc trực tuyến gửi cùng lúc.", min=1, max=16)
    min_interval_s: float = setting(0.05, "Khoảng cách tối thiểu giữa hai yêu cầu tới một dịch vụ trực tuyến, "
                                          "tính bằng giây.", min=0)


@dataclass(frozen=True)
class AudioSettings:
    """How the programme sounds and is encoded."""

    preset: str = setting("", "Bộ thông số có sẵn: \"loa\" (64 kbps, mono, 44,1 kHz cho loa truyền thanh IP), \"web\" "
                              "(128 kbps, mono, cho trang web) hoặc \"\" để dùng các giá trị bên dưới. Khóa ghi rõ "
                              "trong [audio] được ưu tiên hơn bộ thông số.", choices=("", "loa", "web"))
    sample_rate: int = setting(44100, "Tần số lấy mẫu của tệp MP3, Hz.", choices=(22050, 32000, 44100, 48000))
    channels: int = setting(1, "1 là mono (loa truyền thanh), 2 là stereo.", choices=(1, 2))
    bitrate: str = setting("128k", "Tốc độ bit MP3 cố định, ví dụ 64k cho loa IP, 128k cho trang web.",
                           pattern=r"^\d{2,3}k$")
    segment_pause_ms: int = setting(900, "Khoảng lặng giữa các phần, mili giây.", min=0)
    sentence_pause_ms: int = setting(350, "Khoảng lặng giữa các câu, mili giây.", min=0)
    jingle: bool = setting(True, "Phát nhạc hiệu mở đầu và kết thúc.")
    sting: bool = setting(True, "Phát tiếng chuyển ngắn giữa các phần.")
    loudness_target: float = setting(-16.0, "Độ to tích hợp của chương trình, LUFS (ITU-R BS.1770): -16 cho loa "
                                            "và web, -23 theo chuẩn EBU R128.",
                                     min=-31.0, max=-10.0)
    true_peak: float = setting(-1.5, "Đỉnh thực cao nhất cho phép trong tệp MP3, dBTP.", min=-9.0, max=0.0)
    level_match: bool = setting(True, "Đưa mọi phần về cùng độ to trước khi ghép, để các giọng nghe to đều nhau.")
    fade_ms: int = setting(15, "Thời gian tăng giảm âm ở hai đầu mỗi đoạn, mili giây (không bị tiếng lách cách).",
                           min=0, max=2000)
    bed: str = setting("none", "Nhạc nền: none (không), pad (nền êm tự tạo) hoặc file (tệp bed_file); tự nhỏ lại "
                               "khi có lời.", choices=("none", "pad", "file"))
    bed_file: Path | None = setting(None, "Tệp nhạc nền không bản quyền khi bed = \"file\"; \"\" nếu không có.")
    bed_level: float = setting(-18.0, "Độ to của nhạc nền giữa các lời, LU so với mức đích.",
                               min=-40.0, max=0.0)
    archive_wav: bool = setting(False, "Giữ thêm tệp program.wav không nén bên cạnh program.mp3.")


@dataclass(frozen=True)
class OutputSettings:
    """Where episodes are written."""

    folder: Path = setting(Path("audio_out"), "Thư mục nhận các số phát, mỗi số một thư mục con.")


def _cron_problem(value: list[str]) -> str | None:
    """Why a list of cron expressions is unusable, or None: checked at start-up, not at 5 a.m."""
    for expr in value:
        try:
            trigger(expr, "UTC")
        except (ValueError, TypeError) as exc:
            return (f"biểu thức cron {expr!r} không hợp lệ ({exc}). Dạng đúng: \"phút giờ ngày tháng thứ\", "
                    f"ví dụ \"30 5 * * 1,3,5\" là 5 giờ 30 sáng thứ Hai, thứ Tư, thứ Sáu.")
    return None


@dataclass(frozen=True)
class ScheduleSettings:
    """Unattended runs of ``broadcast schedule``; cron times are in ``station.timezone``."""

    build: list[str] = setting(["0 14 * * 3"], "Lúc thu thập và dựng bản nháp của tuần (cron, một hoặc một danh "
                                               "sách).",
                               one_or_many=True, check=_cron_problem)
    remind: list[str] = setting(["0 16 * * 3", "0 8 * * 4"],
                                "Lúc nhắc người duyệt về các bản nháp đang chờ (cron, một hoặc một danh sách).",
                                one_or_many=True, check=_cron_problem)
    publish: list[str] = setting(["30 5 * * 1,3,5", "45 16 * * 1,3,5"],
                                 "Giờ phát sóng: phát số mới nhất đã duyệt (cron, một hoặc một danh sách).",
                                 one_or_many=True, check=_cron_problem)
    policy: str = setting("hold", "Khi đến giờ phát mà chưa có số nào được duyệt: hold (không phát số mới, ghi "
                                  "cảnh báo) hoặc evergreen (phát lại số evergreen_episode).",
                          choices=("hold", "evergreen"))
    evergreen_episode: str = setting("", "Mã hoặc tên thư mục của một số đã duyệt, dùng để phát lại theo cách "
                                         "evergreen.")
    revoice_minutes: int = setting(30, "Bản nháp đọc bằng giọng dự phòng vì mất mạng: cứ bấy nhiêu phút bộ lập lịch "
                                       "thử lại giọng trực tuyến, có mạng thì tự đọc lại các đoạn đó (lời đã sửa giữ "
                                       "nguyên; bản đã duyệt không bao giờ bị đổi). 0 để tắt.", min=0)
    revoice_stop_minutes: int = setting(120, "Thôi tự đọc lại khi còn ít hơn bấy nhiêu phút đến giờ phát của số phát, "
                                             "để người duyệt kịp nghe lại.", min=0)
    grace_minutes: int = setting(180, "Một lần chạy bị lỡ vì máy tắt vẫn được chạy bù nếu máy bật lại trong bấy "
                                      "nhiêu phút.", min=1)
    jobs_database: Path | None = setting(None, "Tệp SQLite lưu các công việc theo lịch; \"\" là "
                                               "<output.folder>/.schedule/jobs.sqlite.")
    log_file: Path | None = setting(None, "Nhật ký xoay vòng của mọi lần chạy; \"\" là "
                                          "<output.folder>/.schedule/schedule.log.")
    reminder_file: Path | None = setting(None, "Tệp nhắc việc cho văn phòng, liệt kê các bản nháp chờ duyệt; \"\" "
                                               "là <output.folder>/CHO-DUYET.txt.")


@dataclass(frozen=True)
class ReviewSettings:
    """Editorial review, publication to the loudspeakers and the review site."""

    database: Path = setting(Path("state/broadcast.sqlite"),
                             "Cơ sở dữ liệu SQLite của các số phát, bản sửa, lượt duyệt và nhật ký.")
    onair: Path = setting(Path("onair"), "Thư mục phát sóng: số đã duyệt được chép vào đây khi phát hành.")
    playlist: str = setting("phat-song.m3u", "Tên danh sách phát M3U trong thư mục phát sóng.",
                            pattern=r"^[\w.\-]+\.m3u8?$", example="phat-song.m3u")
    feed_file: str = setting("podcast.xml", "Tên tệp podcast RSS của các số đã phát hành, trong thư mục phát "
                                            "sóng.",
                             pattern=r"^[\w.\-]+\.xml$", example="podcast.xml")
    feed_title: str = setting("Chuyên mục Cải cách hành chính", "Tiêu đề của kênh podcast.")
    base_url: str = setting("http://127.0.0.1:8080/onair/",
                            "Địa chỉ công khai của thư mục phát sóng, dùng cho đường dẫn âm thanh trong podcast.",
                            pattern=r"^https?://", example="http://192.168.1.10:8080/onair/")
    host: str = setting("127.0.0.1", "Địa chỉ trang duyệt bài lắng nghe; khác 127.0.0.1 thì cần ít nhất một "
                        "tài khoản (lệnh \"broadcast users add\").")
    port: int = setting(8080, "Cổng của trang duyệt bài.", min=1, max=65535)
    site_names: list[str] = setting([], "Tên khác của máy này mà trang duyệt bài chấp nhận (ví dụ "
                                        "\"phong-vh.local\"); yêu cầu mang tên máy khác bị từ chối (lỗi 400).")
    session_idle_minutes: int = setting(30, "Phiên đăng nhập kết thúc sau bấy nhiêu phút không có yêu cầu nào.",
                                        min=1, max=24 * 60)
    password_hash: str = setting("", "Không còn dùng: mật khẩu chung của bản cũ, không dùng để đăng nhập; khi nó "
                                     "còn mà chưa có tài khoản nào, trang duyệt bài không mở. Hãy xóa dòng này và "
                                     "tạo tài khoản bằng lệnh \"broadcast users add\".")


OUTPUT_NAMES = ("soundcard", "icecast", "folder")


def _outputs_problem(value: list[str]) -> str | None:
    unknown = [name for name in value if name not in OUTPUT_NAMES]
    if unknown:
        return (f"đầu ra {unknown[0]!r} không tồn tại. Hãy chọn trong: "
                + ", ".join(f'"{name}"' for name in OUTPUT_NAMES) + ".")
    return None


@dataclass(frozen=True)
class OnAirSettings:
    """Playout at the airing times: which outputs play the approved programme, and how."""

    outputs: list[str] = setting([], "Các đầu ra phát vào mỗi giờ phát, chọn trong \"soundcard\" (card âm thanh), "
                                     "\"icecast\" (luồng phát cho loa IP), \"folder\" (chép vào thư mục); [] thì chỉ "
                                     "xuất bản, không phát.", one_or_many=True, check=_outputs_problem)
    device: str = setting("", "Card âm thanh dùng để phát: tên (một phần tên) như lệnh \"broadcast air --devices\" "
                              "liệt kê; \"\" là card mặc định của máy.")
    backend: str = setting("", "Hệ thống âm thanh của đầu ra card âm thanh; \"\" để tự chọn (WASAPI trên Windows, "
                               "PulseAudio/ALSA trên Linux); \"null\" phát im lặng (chỉ dùng khi kiểm thử).",
                           choices=("", "null", "wasapi", "dsound", "winmm", "pulseaudio", "alsa", "jack",
                                    "coreaudio"))
    icecast_url: str = setting("http://127.0.0.1:8000/cchc.mp3", "Địa chỉ điểm phát (mount) Icecast nhận chương "
                               "trình; loa IP và điện thoại mở địa chỉ này để nghe.", pattern=r"^https?://[^/]+/.+",
                               example="http://127.0.0.1:8000/cchc.mp3")
    icecast_user: str = setting("source", "Tên đăng nhập nguồn phát Icecast (thường là \"source\").")
    icecast_password: str = setting("", "Mật khẩu nguồn phát Icecast (<source-password> trong icecast.xml); chỉ để "
                                        "tài khoản của đài đọc được tệp cấu hình này.")
    folder: Path = setting(Path("onair/dang-phat"), "Đầu ra thư mục: chương trình đang phát được chép vào đây thành "
                           "dang-phat.mp3, cho đài có đầu phát đọc tệp.")
    retries: int = setting(3, "Số lần thử lại một đầu ra bị lỗi; các đầu ra khác vẫn phát bình thường.",
                           min=0, max=20)
    retry_wait_s: float = setting(5.0, "Thời gian chờ trước mỗi lần thử lại, tính bằng giây.", min=0)
    late_minutes: int = setting(0, "Giờ phát bị trễ (máy tắt, máy bận) vẫn được phát nếu trễ không quá bấy nhiêu "
                                   "phút; 0: giờ phát đã lỡ không bao giờ phát muộn.", min=0)
    notice_poll_s: float = setting(5.0, "Cứ bấy nhiêu giây bộ lập lịch lại kiểm tra thông báo khẩn cấp và "
                                        "thông báo hẹn giờ đã duyệt.",
                                   min=0.2)


@dataclass(frozen=True)
class EmailSettings:
    """E-mail reminders to the people who approve, when a draft waits (SMTP)."""

    smtp_host: str = setting("", "Máy chủ gửi thư (SMTP), ví dụ \"smtp.gmail.com\"; \"\" để tắt nhắc việc qua thư.")
    smtp_port: int = setting(587, "Cổng SMTP: 587 cho starttls, 465 cho ssl, 25 cho none.", min=1, max=65535)
    security: str = setting("starttls", "Cách mã hóa kết nối: starttls, ssl hoặc none (chỉ trong mạng nội bộ).",
                            choices=("starttls", "ssl", "none"))
    username: str = setting("", "Tên đăng nhập SMTP (thường là địa chỉ thư); \"\" nếu máy chủ không cần đăng nhập.")
    password_file: Path = setting(Path("state/smtp-password"),
                                  "Tệp chứa mật khẩu SMTP, đặt bằng lệnh \"broadcast email password\" "
                                  "(không bao giờ ghi mật khẩu trong tệp cấu hình).")
    sender: str = setting("", "Địa chỉ người gửi, ví dụ \"dai.truyenthanh@example.vn\"; \"\" là username.")
    to: list[str] = setting([], "Địa chỉ thư của những người duyệt bài, ví dụ [\"pho.chu.tich@example.vn\"].")
    site_url: str = setting("", "Địa chỉ trang duyệt bài mà điện thoại mở được, ví dụ \"http://192.168.1.10:8080\"; "
                            "dùng cho đường dẫn trong thư.")
    timeout_s: float = setting(20.0, "Thời gian chờ tối đa khi gửi thư, tính bằng giây.", min=1)


@dataclass(frozen=True)
class Settings:
    """All settings; one attribute per TOML table."""

    station: StationSettings = field(default_factory=StationSettings)
    column: ColumnSettings = field(default_factory=ColumnSettings)
    sources: SourceSettings = field(default_factory=SourceSettings)
    stats_columns: StatsColumnSettings = field(default_factory=StatsColumnSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    onair: OnAirSettings = field(default_factory=OnAirSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    source_file: Path | None = field(default=None, compare=False)


SECTIONS: dict[str, type] = {f.name: f.type for f in dataclasses.fields(Settings)  # type: ignore[misc]
                             if f.name != "source_file"}
