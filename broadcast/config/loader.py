"""Reading settings: the TOML file over the defaults, checked at start-up.

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
import sys
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from broadcast import toml_errors
from broadcast.config.table import SECTIONS, AudioSettings, Settings
from broadcast.errors import ConfigError


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
            if any(ord(ch) < 32 for ch in raw):  # "C:\broadcast\thong-ke.csv": \b and \t became control characters
                self.fail(section, key, f"đường dẫn có ký tự lạ {raw!r}: {toml_errors.BACKSLASH_HINT}.")
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


def _read_utf8(path: Path) -> str:
    """The config's text; a file saved in another encoding is named with its line, not a traceback."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path.name}, dòng {line}: tệp cấu hình không phải văn bản UTF-8 (có thể đã lưu bằng "
                          f"bảng mã khác, ví dụ Windows-1258). Hãy mở tệp và lưu lại với bảng mã UTF-8.") from exc


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
        text = _read_utf8(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(toml_errors.describe(exc, text, path.name)) from exc
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
        from broadcast.normalize.edit import shadowed_entries

        # A malformed lexicon stops here, naming its line, not at 5 a.m.; an entry that can
        # never be read as written is reported (with its line) and the run goes on.
        for entry in shadowed_entries(lexicon, dialect=settings.station.dialect):
            print(f"Cảnh báo: {entry.message()}", file=sys.stderr, flush=True)
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
