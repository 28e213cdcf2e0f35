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

    commune: str = setting("xã Đức Hạnh", "Commune name as read on air.")
    name: str = setting("Đài truyền thanh xã Đức Hạnh", "Station name for the station identification.")
    dialect: str = setting("north", "Cách đọc số: north (miền Bắc: nghìn, lẻ) hoặc south (miền Nam: ngàn, linh).",
                           choices=("north", "south"))
    day_prefix: str = setting("", 'Đặt "mùng" để đọc ngày mùng một đến mùng mười ("ngày mùng năm tháng mười hai"); '
                              'để trống thì đọc "ngày năm tháng mười hai".', choices=("", "mùng"))
    timezone: str = setting("Asia/Ho_Chi_Minh", "Time zone of the station (dates and schedules).",
                            check=_timezone_problem)


@dataclass(frozen=True)
class ColumnSettings:
    """The weekly column and its script."""

    title: str = setting("Cải cách hành chính", "Column title, read in the opening and used in folder names.")
    target_minutes: float = setting(12.0, "Length the programme should fit, in minutes.", min=1)
    templates: Path = setting(PROJECT_DIR / "scripts_templates", "Folder of the Jinja2 script templates.")
    news_items: int = setting(5, "At most this many news items per episode.", min=0)
    faq_items: int = setting(3, "Questions and answers per episode.", min=0)


@dataclass(frozen=True)
class SourceSettings:
    """Where the week's material comes from."""

    feeds: list[str] = setting([str(SAMPLES_DIR / "feed.xml")],
                               "RSS/Atom feeds: http(s) URLs or local files.")
    statistics: Path | None = setting(SAMPLES_DIR / "stats.csv",
                                      "One-stop shop statistics (CSV or XLSX export); empty string for none.")
    faq: Path | None = setting(SAMPLES_DIR / "faq", "FAQ bank: a folder of TOML files; empty string for none.")
    keywords: list[str] = setting(
        ["cải cách hành chính", "thủ tục", "dịch vụ công", "một cửa", "hồ sơ", "VNeID", "định danh",
         "trực tuyến", "TTHC", "CCHC", "hành chính", "tiếp công dân", "không dùng tiền mặt", "số hóa"],
        "A news item is kept only if its title or text holds one of these (case-insensitive); [] keeps all.")
    timeout_s: float = setting(15.0, "Network timeout for fetching a feed, in seconds.", min=1)
    cache: Path | None = setting(Path("audio_out/.cache/feeds"),
                                 "Feed cache folder: an unreachable portal yields its last known items, "
                                 "marked stale; empty to disable.")
    max_feed_mb: float = setting(5.0, "Read at most this many megabytes of one feed; the rest is cut.", min=0.01)
    max_feed_items: int = setting(300, "Read at most this many items of one feed; the rest is cut.", min=1)
    window_days: int = setting(14, "Keep news published at most this many days before the build date "
                                    "(items without a date are kept and flagged).", min=1)
    faq_rest_weeks: int = setting(8, "A question and answer is not aired again within this many weeks.", min=0)
    inbox: Path = setting(Path("state/inbox.json"),
                          "Citizens' questions imported with `broadcast inbox import` (JSON file).")


@dataclass(frozen=True)
class StatsColumnSettings:
    """Header of each column in the one-stop shop export; empty means: recognise the usual names."""

    period: str = setting("", "Column of the reporting period (e.g. \"Kỳ báo cáo\": 11/2026).")
    received: str = setting("", "Column of files received (e.g. \"Hồ sơ tiếp nhận\").")
    on_time: str = setting("", "Column of files resolved on time (e.g. \"Giải quyết đúng hạn\").")
    late: str = setting("", "Column of files resolved late (e.g. \"Giải quyết quá hạn\").")
    online: str = setting("", "Column of files submitted online (e.g. \"Nộp trực tuyến\").")
    satisfaction: str = setting("", "Column of the satisfaction rate in percent (optional).")
    sheet: str = setting("", "Worksheet of an XLSX export; empty for the first sheet.")


@dataclass(frozen=True)
class SpeechSettings:
    """Voices, tried in order for each segment."""

    engines: list[str] = setting(["gtts", "espeak"], "Speech engines in fallback order.")
    rate: int = setting(155, "Speaking rate of the offline voice (espeak), words per minute.", min=80, max=400)
    espeak_voice: str = setting("vi", "Offline voice variant: vi (northern), vi-vn-x-central or vi-vn-x-south.",
                                choices=("vi", "vi-vn-x-central", "vi-vn-x-south"))
    espeak_pitch: int = setting(50, "Base pitch of the offline voice, 0-99 (espeak's own default is 50).",
                                min=0, max=99)
    espeak_range: int = setting(70, "Pitch range of the offline voice, 0-99: wider makes the tones more distinct.",
                                min=0, max=99)
    espeak_wordgap: int = setting(2, "Gap between words of the offline voice, in units of 10 ms.", min=0, max=50)
    espeak_clause_ms: int = setting(220, "Pause of the offline voice after a comma, semicolon or colon, ms.",
                                    min=0, max=2000)
    espeak_eq: bool = setting(True, "Presence EQ on the offline voice: cut rumble under 150 Hz, lift 2-4 kHz "
                              "by 4 dB, where the consonants are.")
    timeout_s: float = setting(10.0, "Timeout of one online speech request, in seconds.", min=1)
    retries: int = setting(3, "Attempts per online request on 429, 5xx or network errors.", min=1)
    backoff_s: float = setting(1.0, "First wait between attempts; doubles each time.", min=0)
    lexicon: Path | None = setting(None, "The commune's own pronunciation lexicon (TOML); empty: the file the "
                                   "review site's pronunciation fixes write, state/tu-dien-phat-am.toml.")
    cache: Path | None = setting(Path("audio_out/.cache/speech"),
                                 "Sentence cache folder: a rebuild re-synthesises only changed sentences; "
                                 "empty to disable.")
    takes: Path | None = setting(Path("state/takes"), "Folder of the officer's recorded takes (phrase bank and "
                                 "recorded segments), used in place of a synthetic voice; empty for none.")
    take_max_wer: float = setting(0.6, "A recorded take is flagged (not used until confirmed) when the offline "
                                  "recogniser's transcript differs from its text by more than this share of "
                                  "words; measured: another sentence scores 0.95-1.0, natural speech about 0.1. "
                                  "Needs the [asr] extra; 1.0 never flags.", min=0.0, max=1.0)
    edge_voice: str = setting("vi-VN-HoaiMyNeural", "Edge voice for the host and for questions.")
    edge_answer_voice: str = setting("vi-VN-NamMinhNeural", "Edge voice that reads the answers of hỏi – đáp.")
    edge_rate: int = setting(0, "Speaking rate of the Edge voices, percent faster (+) or slower (-).",
                             min=-50, max=100)
    gtts_tempo: float = setting(1.0, "Speaking rate of the Google voice: 1.0 as delivered, 0.9 is 10 % slower "
                                "(time-stretched, pitch kept).", min=0.5, max=2.0)
    gtts_url: str = setting("", "Base URL of the Google TTS endpoint; empty for Google itself. "
                            "Only the benchmark points it at a local fake server.")
    concurrency: int = setting(4, "Online speech requests sent at the same time.", min=1, max=16)
    min_interval_s: float = setting(0.05, "Polite throttling: least time between two requests to one online "
                                    "service, seconds.", min=0)


@dataclass(frozen=True)
class AudioSettings:
    """How the programme sounds and is encoded."""

    preset: str = setting("", "Output preset: \"loa\" (64 kbps mono 44.1 kHz, IP loudspeakers), \"web\" "
                          "(128 kbps mono 44.1 kHz, website) or \"\" for the values below. Keys written "
                          "explicitly in [audio] win over the preset.", choices=("", "loa", "web"))
    sample_rate: int = setting(44100, "Sample rate of the MP3 files, Hz.", choices=(22050, 32000, 44100, 48000))
    channels: int = setting(1, "1 for mono (loudspeakers), 2 for stereo.", choices=(1, 2))
    bitrate: str = setting("128k", "Constant MP3 bitrate, e.g. 64k for IP loudspeakers, 128k for the website.",
                           pattern=r"^\d{2,3}k$")
    segment_pause_ms: int = setting(900, "Silence between segments, milliseconds.", min=0)
    sentence_pause_ms: int = setting(350, "Silence between sentences, milliseconds.", min=0)
    jingle: bool = setting(True, "Play the generated intro and outro jingle.")
    sting: bool = setting(True, "Play a short generated sting between segments.")
    loudness_target: float = setting(-16.0, "Integrated loudness of the programme, LUFS (ITU-R BS.1770): "
                                     "-16 for loudspeakers and the web, -23 for EBU R128 broadcast.",
                                     min=-31.0, max=-10.0)
    true_peak: float = setting(-1.5, "Highest true peak allowed in the MP3, dBTP.", min=-9.0, max=0.0)
    level_match: bool = setting(True, "Bring every segment to the target loudness before assembly, so "
                                "all voices sound equally loud.")
    fade_ms: int = setting(15, "Fade at both ends of every clip, milliseconds (no clicks).", min=0, max=2000)
    bed: str = setting("none", "Music bed under the programme: none, pad (generated soft pad) or file "
                       "(bed_file); ducked under speech.", choices=("none", "pad", "file"))
    bed_file: Path | None = setting(None, "Royalty-free music file for bed = \"file\"; empty for none.")
    bed_level: float = setting(-18.0, "Level of the bed between speech, LU relative to the target.",
                               min=-40.0, max=0.0)
    archive_wav: bool = setting(False, "Also keep an uncompressed program.wav beside program.mp3.")


@dataclass(frozen=True)
class OutputSettings:
    """Where episodes are written."""

    folder: Path = setting(Path("audio_out"), "Folder that receives one sub-folder per episode.")


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

    build: list[str] = setting(["0 14 * * 3"], "When to gather and build the week's draft (cron, one or a list).",
                               one_or_many=True, check=_cron_problem)
    remind: list[str] = setting(["0 16 * * 3", "0 8 * * 4"],
                                "When to remind editors of drafts awaiting approval (cron, one or a list).",
                                one_or_many=True, check=_cron_problem)
    publish: list[str] = setting(["30 5 * * 1,3,5", "45 16 * * 1,3,5"],
                                 "Airing times: publish the newest approved episode (cron, one or a list).",
                                 one_or_many=True, check=_cron_problem)
    policy: str = setting("hold", "When nothing approved is ready at an airing time: hold (nothing new airs, "
                          "a warning) or evergreen (re-air evergreen_episode).", choices=("hold", "evergreen"))
    evergreen_episode: str = setting("", "Id or folder name of an approved episode re-aired by the evergreen policy.")
    grace_minutes: int = setting(180, "A run missed while the PC was off still happens once if it is started "
                                 "within this many minutes.", min=1)
    jobs_database: Path | None = setting(None, "SQLite file keeping the scheduled jobs; empty: "
                                         "<output.folder>/.schedule/jobs.sqlite.")
    log_file: Path | None = setting(None, "Rotating log of every run; empty: <output.folder>/.schedule/schedule.log.")
    reminder_file: Path | None = setting(None, "Reminder for the office listing drafts awaiting approval; empty: "
                                         "<output.folder>/CHO-DUYET.txt.")


@dataclass(frozen=True)
class ReviewSettings:
    """Editorial review, publication to the loudspeakers and the review site."""

    database: Path = setting(Path("state/broadcast.sqlite"),
                             "SQLite database of episodes, revisions, approvals and the audit log.")
    onair: Path = setting(Path("onair"), "On-air folder: approved programmes are copied here when published.")
    playlist: str = setting("phat-song.m3u", "Name of the M3U playlist of what is to air, in the on-air folder.",
                            pattern=r"^[\w.\-]+\.m3u8?$", example="phat-song.m3u")
    feed_file: str = setting("podcast.xml", "Name of the podcast RSS feed of published episodes, in the on-air folder.",
                             pattern=r"^[\w.\-]+\.xml$", example="podcast.xml")
    feed_title: str = setting("Chuyên mục Cải cách hành chính", "Title of the podcast feed.")
    base_url: str = setting("http://127.0.0.1:8080/onair/",
                            "Public address of the on-air folder, used for the feed's audio links.",
                            pattern=r"^https?://", example="http://192.168.1.10:8080/onair/")
    host: str = setting("127.0.0.1", "Address the review site listens on; any other than 127.0.0.1 needs at "
                        "least one account (`broadcast users add`).")
    port: int = setting(8080, "Port of the review site.", min=1, max=65535)
    site_names: list[str] = setting([], "Other names of this PC the site answers to (e.g. \"phong-vh.local\"); "
                                    "a request naming any other host gets 400 (DNS rebinding).")
    session_idle_minutes: int = setting(30, "A login ends after this many minutes without a request.",
                                        min=1, max=24 * 60)
    password_hash: str = setting("", "Obsolete shared password of earlier versions: never used to log in; while "
                                     "it is set and no account exists the site refuses to start. Remove it and "
                                     "create accounts with `broadcast users add`.")


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

    outputs: list[str] = setting([], "Outputs that play at each airing time, any of \"soundcard\", \"icecast\", "
                                 "\"folder\"; [] only publishes (no playout).", one_or_many=True,
                                 check=_outputs_problem)
    device: str = setting("", "Sound card to play on: (part of) its name as listed by `broadcast air --devices`; "
                          "empty for the system default.")
    backend: str = setting("", "Sound system of the sound card output; empty chooses (WASAPI on Windows, "
                           "PulseAudio/ALSA on Linux); \"null\" plays silently (tests).",
                           choices=("", "null", "wasapi", "dsound", "winmm", "pulseaudio", "alsa", "jack",
                                    "coreaudio"))
    icecast_url: str = setting("http://127.0.0.1:8000/cchc.mp3", "Icecast mount the programme is streamed to "
                               "(IP loudspeakers and phones play this address).", pattern=r"^https?://[^/]+/.+",
                               example="http://127.0.0.1:8000/cchc.mp3")
    icecast_user: str = setting("source", "Icecast source user name.")
    icecast_password: str = setting("", "Icecast source password (<source-password> in icecast.xml); keep this "
                                    "file readable by the station's account only.")
    folder: Path = setting(Path("onair/dang-phat"), "Folder output: the programme being aired is copied here as "
                           "dang-phat.mp3, for stations whose player reads files.")
    retries: int = setting(3, "Further attempts on an output that fails; the other outputs go on.", min=0, max=20)
    retry_wait_s: float = setting(5.0, "Wait before each new attempt, seconds.", min=0)
    late_minutes: int = setting(0, "A slot started late (PC off, busy) still plays if at most this many minutes "
                                "late; 0: a missed slot is never played late.", min=0)
    notice_poll_s: float = setting(5.0, "How often the scheduler looks for an approved urgent notice, seconds.",
                                   min=0.2)


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
    source_file: Path | None = field(default=None, compare=False)


SECTIONS: dict[str, type] = {f.name: f.type for f in dataclasses.fields(Settings)  # type: ignore[misc]
                             if f.name != "source_file"}
