"""Settings: each declared once, with its default and help text.

The TOML file overrides the defaults; the CLI overrides the file. Unknown keys,
wrong types and missing files stop at start-up with one line that names the
file, the line, the key and what to do (``ConfigError``, exit code 2), before
anything is written.

Relative paths in the file are resolved against the file's folder, so the
same config works from any working directory.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = PACKAGE_DIR / "samples"
PROJECT_DIR = PACKAGE_DIR.parent


def setting(default: Any, help: str, **extra: Any) -> Any:
    """Declare a setting: its default, its help text, optional ``choices``/``min``."""
    meta = {"help": help, **extra}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class StationSettings:
    """Who is on air."""

    commune: str = setting("xã Đức Hạnh", "Commune name as read on air.")
    name: str = setting("Đài truyền thanh xã Đức Hạnh", "Station name for the station identification.")
    dialect: str = setting("north", "Reading of numbers: north (nghìn, lẻ) or south (ngàn, linh).",
                           choices=("north", "south"))
    timezone: str = setting("Asia/Ho_Chi_Minh", "Time zone of the station (dates and schedules).")


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
    rate: int = setting(140, "Speaking rate of the offline voice (espeak), words per minute.", min=80, max=400)
    timeout_s: float = setting(10.0, "Timeout of one online speech request, in seconds.", min=1)
    retries: int = setting(3, "Attempts per online request on 429, 5xx or network errors.", min=1)
    backoff_s: float = setting(1.0, "First wait between attempts; doubles each time.", min=0)
    lexicon: Path | None = setting(None, "The commune's own pronunciation lexicon (TOML); empty for none.")
    cache: Path | None = setting(Path("audio_out/.cache/speech"),
                                 "Sentence cache folder: a rebuild re-synthesises only changed sentences; "
                                 "empty to disable.")
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
    from broadcast.schedule.timing import trigger  # late import: only the scheduler needs it

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
    host: str = setting("127.0.0.1", "Address the review site listens on; any other than 127.0.0.1 needs a password.")
    port: int = setting(8080, "Port of the review site.", min=1)
    site_names: list[str] = setting([], "Other names of this PC the site answers to (e.g. \"phong-vh.local\"); "
                                    "a request naming any other host gets 400 (DNS rebinding).")
    password_hash: str = setting("", "Hash of the review site password (set with `broadcast review password`; "
                                     "never the password itself).")


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
    source_file: Path | None = field(default=None, compare=False)


SECTIONS: dict[str, type] = {f.name: f.type for f in dataclasses.fields(Settings)  # type: ignore[misc]
                             if f.name != "source_file"}


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    return {name: hints[name] for name in SECTIONS}


def _line_of(text: str, section: str, key: str | None) -> int | None:
    """Best-effort line number of ``[section] key`` in the TOML text."""
    lines = text.splitlines()
    in_section = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_.\-]+)\s*\]", stripped)
        if header:
            in_section = header.group(1) == section
            if in_section and key is None:
                return number
            continue
        if in_section and key and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None


class _Loader:
    """Validates one TOML document against the declared settings."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.base = path.parent

    def fail(self, section: str, key: str | None, message: str) -> typing.NoReturn:
        line = _line_of(self.text, section, key)
        where = f"{self.path.name}, dòng {line}" if line else self.path.name
        name = f"{section}.{key}" if key else f"[{section}]"
        raise ConfigError(f"{where}: {name}: {message}")

    def section(self, name: str, cls: type, values: Any) -> Any:
        if not isinstance(values, dict):
            self.fail(name, None, f"phải là một bảng [{name}]. Hãy viết lại thành mục [{name}].")
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, raw in values.items():
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                hint = f" Có phải ý bạn là \"{close[0]}\"?" if close else ""
                self.fail(name, key, f"khóa không tồn tại.{hint} Các khóa hợp lệ: {', '.join(fields)}.")
            kwargs[key] = self.value(name, key, hints[key], fields[key].metadata, raw)
        return cls(**kwargs)

    def value(self, section: str, key: str, kind: Any, meta: Any, raw: Any) -> Any:
        optional = False
        if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            optional, kind = True, args[0]
        if optional and raw == "":
            return None
        if meta.get("one_or_many") and isinstance(raw, str):
            raw = [raw]
        value = self.coerce(section, key, kind, raw)
        check = meta.get("check")
        problem = check(value) if check else None
        if problem:
            self.fail(section, key, problem)
        choices = meta.get("choices")
        if choices and value not in choices:
            shown = ", ".join(f'"{c}"' if isinstance(c, str) else str(c) for c in choices)
            self.fail(section, key, f"giá trị {raw!r} không hợp lệ. Hãy chọn một trong: {shown}.")
        minimum = meta.get("min")
        if minimum is not None and value < minimum:
            self.fail(section, key, f"phải lớn hơn hoặc bằng {minimum} (đang là {raw}).")
        maximum = meta.get("max")
        if maximum is not None and value > maximum:
            self.fail(section, key, f"phải nhỏ hơn hoặc bằng {maximum} (đang là {raw}).")
        pattern = meta.get("pattern")
        if pattern and not re.match(pattern, value):
            example = meta.get("example", "128k")
            self.fail(section, key, f"giá trị {raw!r} không đúng dạng (ví dụ hợp lệ: \"{example}\").")
        return value

    def coerce(self, section: str, key: str, kind: Any, raw: Any) -> Any:
        def wrong(expected: str) -> typing.NoReturn:
            hint = " Hãy bỏ dấu ngoặc kép quanh số và giá trị true/false." if isinstance(raw, str) else ""
            self.fail(section, key, f"phải là {expected}, không phải {type(raw).__name__} {raw!r}.{hint}")

        if kind is bool:
            if not isinstance(raw, bool):
                wrong("true hoặc false")
            return raw
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                wrong("một số nguyên")
            return raw
        if kind is float:
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                wrong("một số")
            return float(raw)
        if kind is str:
            if not isinstance(raw, str):
                wrong("một chuỗi trong dấu ngoặc kép")
            return raw
        if kind is Path:
            if not isinstance(raw, str) or not raw:
                wrong("một đường dẫn trong dấu ngoặc kép")
            return (self.base / Path(raw).expanduser()).resolve()
        if typing.get_origin(kind) is list:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                wrong('một danh sách chuỗi, ví dụ ["a", "b"]')
            return list(raw)
        raise AssertionError(f"unsupported setting type {kind}")


def _resolve_feed(base: Path, feed: str) -> str:
    if re.match(r"^https?://", feed):
        return feed
    return str((base / Path(feed).expanduser()).resolve())


def load_settings(path: Path | None, *, must_exist: bool = False) -> Settings:
    """Read ``path`` over the defaults and check every referenced file exists.

    Relative paths, in the file or among the defaults, are read from the
    file's folder.

    With ``path`` None or absent (and ``must_exist`` False) the built-in
    defaults, which point at the bundled samples, are used.
    """
    if path is None or (not path.exists() and not must_exist):
        settings = Settings()
    else:
        if not path.is_file():
            raise ConfigError(f"Không tìm thấy tệp cấu hình {path}. Hãy kiểm tra đường dẫn sau --config.")
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path.name}: lỗi cú pháp TOML: {exc}. Hãy sửa dòng được nêu.") from exc
        loader = _Loader(path.resolve(), text)
        sections: dict[str, Any] = {}
        types_ = _section_types()
        for name, values in data.items():
            if name not in types_:
                close = difflib.get_close_matches(name, types_, n=1)
                hint = f" Có phải ý bạn là [{close[0]}]?" if close else ""
                loader.fail(name, None, f"mục không tồn tại.{hint} Các mục hợp lệ: {', '.join(types_)}.")
            sections[name] = loader.section(name, types_[name], values)
        if "audio" in sections:
            sections["audio"] = apply_preset(sections["audio"], set(data["audio"]))
        if "sources" in sections:
            src = sections["sources"]
            feeds = [_resolve_feed(loader.base, f) for f in src.feeds]
            sections["sources"] = dataclasses.replace(src, feeds=feeds)
        settings = Settings(**sections, source_file=path.resolve())
    base = settings.source_file.parent if settings.source_file else Path.cwd()
    settings = anchor_paths(settings, base)
    check_files(settings)
    return settings


def anchor_paths(settings: Settings, base: Path) -> Settings:
    """Resolve relative default paths (working files: output, caches, database) against ``base``.

    Defaults for working files are relative, so every config keeps its own
    episodes, database and caches beside it (the config's folder, or the
    current folder when there is no config file).
    """
    changed: dict[str, Any] = {}
    for name in SECTIONS:
        section = getattr(settings, name)
        updates = {f.name: (base / value).resolve() for f in dataclasses.fields(section)
                   if isinstance(value := getattr(section, f.name), Path) and not value.is_absolute()}
        if updates:
            changed[name] = dataclasses.replace(section, **updates)
    return dataclasses.replace(settings, **changed)


def check_files(settings: Settings) -> None:
    """Every file a setting names must exist: a typo should stop the run now, not at 5 a.m."""
    where = settings.source_file.name if settings.source_file else "cấu hình mặc định"

    def missing(key: str, path: Path, what: str) -> typing.NoReturn:
        raise ConfigError(f"{where}: {key}: không tìm thấy {what} {path}. Hãy sửa đường dẫn hoặc tạo {what} này.")

    if not settings.column.templates.is_dir():
        missing("column.templates", settings.column.templates, "thư mục mẫu kịch bản")
    stats = settings.sources.statistics
    if stats is not None and not stats.is_file():
        missing("sources.statistics", stats, "tệp thống kê")
    faq = settings.sources.faq
    if faq is not None and not faq.exists():
        missing("sources.faq", faq, "ngân hàng hỏi đáp")
    for feed in settings.sources.feeds:
        if not re.match(r"^https?://", feed) and not Path(feed).is_file():
            missing("sources.feeds", Path(feed), "tệp tin RSS")
    bed = settings.audio.bed_file
    if settings.audio.bed == "file" and (bed is None or not bed.is_file()):
        missing("audio.bed_file", bed or Path(""), "tệp nhạc nền")
    lexicon = settings.speech.lexicon
    if lexicon is not None:
        if not lexicon.is_file():
            missing("speech.lexicon", lexicon, "tệp từ điển phát âm")
        from broadcast.normalize import load_lexicon

        load_lexicon(lexicon)  # a malformed lexicon stops here, naming its line, not at 5 a.m.
    from broadcast.speech import ENGINES  # late import: speech imports config types

    for name in settings.speech.engines:
        if name not in ENGINES:
            raise ConfigError(f"{where}: speech.engines: không có giọng đọc \"{name}\". "
                              f"Hãy chọn trong: {', '.join(ENGINES)}.")
    if not settings.speech.engines:
        raise ConfigError(f"{where}: speech.engines: danh sách trống. Hãy ghi ít nhất một giọng, ví dụ [\"espeak\"].")


# Output presets: (bitrate, sample rate, channels). Loudspeaker boxes on the commune's IP network take
# 64 kbps mono comfortably; the website copy keeps more detail for headphones.
AUDIO_PRESETS: dict[str, dict[str, Any]] = {
    "loa": {"bitrate": "64k", "sample_rate": 44100, "channels": 1},
    "web": {"bitrate": "128k", "sample_rate": 44100, "channels": 1},
}


def apply_preset(audio: AudioSettings, explicit: set[str]) -> AudioSettings:
    """The preset fills bitrate, sample rate and channels, except keys the file sets itself."""
    values = {k: v for k, v in AUDIO_PRESETS.get(audio.preset, {}).items() if k not in explicit}
    return dataclasses.replace(audio, **values) if values else audio


def override(settings: Settings, dotted: str, value: Any) -> Settings:
    """Return settings with one ``section.key`` replaced (CLI over file)."""
    section, key = dotted.split(".", 1)
    inner = dataclasses.replace(getattr(settings, section), **{key: value})
    return dataclasses.replace(settings, **{section: inner})


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def render_settings(settings: Settings) -> str:
    """The effective settings as TOML, each with its help text (``broadcast config show``)."""
    origin = settings.source_file or "mặc định"
    out = [f"# Cấu hình đang dùng (từ {origin})"]
    for name in SECTIONS:
        section = getattr(settings, name)
        out.append(f"\n[{name}]")
        for f in dataclasses.fields(section):
            out.append(f"# {f.metadata['help']}")
            out.append(f"{f.name} = {_toml_value(getattr(section, f.name))}")
    return "\n".join(out) + "\n"


def all_setting_keys() -> list[str]:
    """Every ``section.key``; a test checks each is documented in config.toml."""
    return [f"{name}.{f.name}" for name, cls in _section_types().items() for f in dataclasses.fields(cls)]
