"""Repair a feed's bytes before feedparser sees them.

Vietnamese portals send feeds with no XML declaration, with a declaration that
lies (Windows-1258 bytes labelled UTF-8, UTF-8 labelled windows-1252), with a
BOM, with a browser banner or a PHP notice before the root element, and with
far more items than a weekly column needs. feedparser copes with some of that
and silently mangles the rest, so the document is decoded here, judged by how
Vietnamese it reads, cut to the caps, and handed on as clean UTF-8.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# Syllables so common that any real Vietnamese paragraph holds several; a wrong
# decoding turns them into mojibake, so counting them judges a decoding.
_COMMON = frozenset(
    "và của các có là được cho với trong một những đã này tại không người dân xã năm ngày tháng thủ tục "
    "hồ sơ công hành chính về theo từ đến khi để sẽ đang cũng như nhà nước tỉnh huyện thành phố việt nam "
    "chủ tịch ủy ban nhân bộ trên sau đó ra vào làm các đồng thời cần phải việc đăng ký giấy tờ "
    "dịch vụ trực tuyến cải cách mới hơn bị vì nên thì nhưng hay hoặc đây ông bà con anh chị".split())
_MOJIBAKE = re.compile("[\u0080-\u009f\ufffd]|[ÃÄÆ][\u0080-\u00bf\u2018-\u201e]|á[º»]")
_WORD = re.compile(r"[^\W\d_]+")
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_ROOT = re.compile(r"<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_FALLBACKS = ("utf-8", "cp1258", "cp1252")


@dataclass(frozen=True)
class Repaired:
    """The document as clean text, and what had to be done to it (Vietnamese, for warnings)."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()
    items: int = 0
    cut_items: bool = False


def plausibility(text: str) -> int:
    """How Vietnamese a decoding reads: common syllables found minus mojibake seen."""
    sample = unicodedata.normalize("NFC", text[:200_000])
    hits = sum(1 for w in _WORD.findall(sample.casefold()) if w in _COMMON)
    return hits - 5 * len(_MOJIBAKE.findall(sample))


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    match = _DECLARATION.match(data[:400])
    return match.group(1).decode("ascii").lower() if match else None


def _strict(data: bytes, codec: str) -> str:
    """Strict decoding, forgiving only a character cut in half at the very end (the byte cap)."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 4:
            return data[:exc.start].decode(codec)
        raise


def decode(data: bytes, *, hint: str | None = None) -> tuple[str, str, list[str]]:
    """The best decoding of ``data``: (text, codec name, notes about a lying label).

    A BOM wins outright. Otherwise the declared (or HTTP) encoding, UTF-8,
    Windows-1258 and Windows-1252 are tried strictly and the one that reads
    most like Vietnamese is kept; ties go to the earlier candidate.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data[len(bom):].decode(name, errors="replace")), name, []
    declared = declared_encoding(data) or hint
    candidates: list[str] = []
    for label in (declared, *_FALLBACKS):
        found = _canonical(label) if label else None
        if found and found not in candidates:
            candidates.append(found)
    best: tuple[int, str, str, bool] | None = None
    for codec in candidates:
        try:
            text = _strict(data, codec)
        except (UnicodeDecodeError, LookupError):
            continue
        text, fixed = repair_double_encoding(text)
        score = plausibility(text)
        if best is None or (score, not fixed) > (best[0], not best[3]):
            best = (score, codec, text, fixed)
    notes: list[str] = []
    if best is None:  # nothing decodes strictly: keep what UTF-8 can read
        text, codec = data.decode("utf-8", errors="replace"), "utf-8"
        notes.append("có byte không hợp lệ trong UTF-8, đã thay bằng ký tự thay thế")
    else:
        _, codec, text, fixed = best
        if fixed:
            notes.append("chữ bị mã hóa hai lần (UTF-8 đọc nhầm thành Windows-1252), đã sửa")
    stated = _canonical(declared) if declared else None
    if stated and stated != codec:
        notes.append(f"khai báo mã {declared} nhưng nội dung là {codec}; đã đọc theo {codec}")
    return unicodedata.normalize("NFC", text), codec, notes


def _c1_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """Encoding back to Windows-1252: the five bytes it leaves undefined came through as U+0081 etc."""
    assert isinstance(error, UnicodeEncodeError)
    chunk = error.object[error.start:error.end]
    if all(ord(c) < 256 for c in chunk):
        return bytes(ord(c) for c in chunk), error.end
    raise error


codecs.register_error("broadcast-c1", _c1_bytes)


def repair_double_encoding(text: str) -> tuple[str, bool]:
    """UTF-8 that was once read as Windows-1252 and saved again ("Ä‘Æ°á»ng" → "đường")."""
    if not _MOJIBAKE.search(text):
        return text, False
    try:
        fixed = text.encode("cp1252", errors="broadcast-c1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False
    return (fixed, True) if plausibility(fixed) > plausibility(text) else (text, False)


_ITEM_END = re.compile(r"</(item|entry)\s*>", re.IGNORECASE)
_ROOT_NAME = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_CLOSERS = {"rss": "</channel></rss>", "feed": "</feed>", "rdf:rdf": "</rdf:RDF>"}


def _close(text: str, end: int) -> str:
    """The document cut after position ``end`` and closed so it stays well-formed."""
    root = _ROOT_NAME.search(text[:5000])
    closer = _CLOSERS.get(root.group(1).lower(), "") if root else ""
    return text[:end] + closer


def cap_items(text: str, max_items: int, *, truncated: bool) -> tuple[str, int, bool]:
    """Keep at most ``max_items`` items, cutting the text before feedparser ever sees the rest.

    A document cut short by the byte cap is closed after its last complete item.
    Returns (text, complete items seen up to the cut, whether items were cut).
    """
    count = 0
    last_end = 0
    for match in _ITEM_END.finditer(text):
        count += 1
        last_end = match.end()
        if count == max_items:
            rest = _ITEM_END.search(text, last_end)
            if rest is not None:
                return _close(text, last_end), count, True
            break
    if truncated and last_end:
        return _close(text, last_end), count, False
    return text, count, False


def repair(data: bytes, *, max_items: int, truncated: bool = False, hint: str | None = None) -> Repaired:
    """Bytes as read (perhaps cut by the byte cap) → clean, capped XML text."""
    text, codec, notes = decode(data, hint=hint)
    root = _ROOT.search(text)
    start = root.start() if root else text.find("<")
    if start > 0:
        junk = text[:start].strip()
        if junk:
            shown = re.sub(r"\s+", " ", junk)[:40]
            notes.append(f"có {len(junk)} ký tự lạ trước phần tử gốc (\"{shown}\"), đã bỏ")
        text = text[start:]
    text = re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    text = unicodedata.normalize("NFC", text)
    text, items, cut = cap_items(text, max_items, truncated=truncated)
    return Repaired(text=text, encoding=codec, notes=tuple(notes), items=items, cut_items=cut)
