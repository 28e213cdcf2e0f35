"""manifest.json's JSON side: checked field access and the upgrade of older versions.

``Fields`` reads one JSON object and names the file and the field (as a JSON
path: ``segments[2].duration_s``) in the one Vietnamese line it raises when a
field is missing or has the wrong type. ``upgrade`` brings an older manifest
to the current layout before it is read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.errors import ManifestError

FIX = "Hãy khôi phục tệp từ bản sao lưu, hoặc dựng lại số phát này."


def _shown(value: object) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Fields:
    """One JSON object of the manifest, at ``where`` in ``path``."""

    def __init__(self, data: object, path: Path, where: str) -> None:
        self.path, self.where = path, where
        if not isinstance(data, dict):
            raise self._wrong("", "một đối tượng JSON ({...})", data)
        self._data: dict[str, object] = data

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where and key else (self.where or key or "(toàn tệp)")

    def _wrong(self, key: str, kind: str, value: object) -> ManifestError:
        return ManifestError(f"Tệp {self.path} hỏng: trường \"{self._name(key)}\" phải là {kind}, "
                             f"không phải {_shown(value)}. {FIX}")

    def _get(self, key: str) -> object:
        if key not in self._data:
            raise ManifestError(f"Tệp {self.path} hỏng: thiếu trường \"{self._name(key)}\". {FIX}")
        return self._data[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._wrong(key, "một chuỗi", value)
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self._wrong(key, "một trong " + ", ".join(f'"{a}"' for a in allowed), value)
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, "một số", value)
        return float(value)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, "một số nguyên", value)
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        if default is not None and key not in self._data:
            return default
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._wrong(key, "true hoặc false", value)
        return value

    def date(self, key: str) -> dt.date:
        value = self.text(key)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self._wrong(key, "một ngày dạng YYYY-MM-DD", value) from None

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._wrong(key, "một danh sách chuỗi", value)
        return tuple(value)

    def has(self, key: str) -> bool:
        return key in self._data

    def copy(self) -> dict[str, object]:
        return dict(self._data)

    def _absent(self, key: str) -> bool:
        return self._data.get(key) is None

    def optional_text(self, key: str) -> str | None:
        return None if self._absent(key) else self.text(key)

    def optional_number(self, key: str) -> float | None:
        return None if self._absent(key) else self.number(key)

    def optional_integer(self, key: str) -> int | None:
        return None if self._absent(key) else self.integer(key)

    def sub(self, key: str) -> Fields:
        return Fields(self._get(key), self.path, self._name(key))

    def optional(self, key: str) -> Fields | None:
        return None if self._absent(key) else self.sub(key)

    def items(self, key: str) -> list[Fields]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._wrong(key, "một danh sách", value)
        return [Fields(item, self.path, f"{self._name(key)}[{index}]") for index, item in enumerate(value)]


def upgrade(data: object, path: Path, current: int) -> dict[str, object]:
    """``data`` in the layout of version ``current``; ManifestError for a version newer than that.

    No version at all counts as 1 (the first builds already wrote 1; a hand-made file may not)."""
    top = Fields(data, path, "")
    version = top.integer("version") if top.has("version") else 1
    if version > current:
        raise ManifestError(f"Tệp {path} có phiên bản {version}, mới hơn phiên bản {current} mà bản broadcast "
                            f"này đọc được. Hãy cập nhật broadcast lên bản mới nhất rồi làm lại.")
    if version < 1:
        raise ManifestError(f"Tệp {path} hỏng: trường \"version\" phải là 1 trở lên, không phải {version}. {FIX}")
    return _from_1(top.copy()) if version == 1 else top.copy()


def _from_1(data: dict[str, object]) -> dict[str, object]:
    """Version 1 → 2: the fields added to version 1 over time, with what their absence meant.

    Present from the first build on (and still required): status, date, column,
    station, commune, created, duration_s, warnings; audio's file, sha256,
    bitrate, sample_rate, channels, intro_s, outro_s, pause_s, pauses; each
    segment's id, title, text, spoken, engine, duration_s, sources, file, warnings.
    """
    audio = data.get("audio")
    if isinstance(audio, dict):
        audio = dict(audio)
        audio.setdefault("preset", "")
        audio.setdefault("sting_s", 0.0)
        audio.setdefault("stings", 0.0)
        # before these were written, a jingle meant an intro, and a sting meant stings between segments
        audio.setdefault("jingle", _positive(audio.get("intro_s")))
        audio.setdefault("sting", _positive(audio.get("stings")))
        audio.setdefault("bed", "none")
        audio.setdefault("archive", None)
        audio.setdefault("assembly", "mixed")   # before joined programmes, every programme was mixed whole
        data["audio"] = audio
    segments = data.get("segments")
    if isinstance(segments, list):
        data["segments"] = [_segment_from_1(s) for s in segments]
    data["version"] = 2
    return data


def _segment_from_1(segment: object) -> object:
    if not isinstance(segment, dict):
        return segment
    segment = dict(segment)
    segment.setdefault("roles", [])
    segment.setdefault("gain_db", None)
    segment.setdefault("recorded", [])
    return segment


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
