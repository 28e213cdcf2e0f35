"""Phone numbers and hotlines, read digit by digit with a pause (comma) between groups.

0912.345.678 -> "không chín một hai, ba bốn năm, sáu bảy tám"; 1900 9068; 024 37899999.
The groups written by the author are kept; a number written without separators is grouped
4-3-3 (or 4-4 for an eight-digit hotline).
"""

from __future__ import annotations

import re

from broadcast.normalize.numbers import digit_words

_PHONE = re.compile(
    r"(?:\+(?<![0-9.,/-]\+)84[ .]?[1-9][0-9]{1,2}(?:[ .]?[0-9]{3,4}){2}"
    r"|0(?<![0-9.,/-]0)(?:[0-9]{9,10}|[0-9]{2,4}(?:[ .][0-9]{2,4}){2,3}|[0-9]{2,3}[ .][0-9]{7,8})"
    r"|1(?<![0-9.,/-]1)[89]00(?:[ .]?[0-9]{2,4}){1,2})(?![0-9]|[.,][0-9])"
)
_GROUP = re.compile(r"[0-9]+")
# Short service numbers (113, 1022, 18001091) are read digit by digit after a word that says so.
_SERVICE = re.compile(r"[0-9](?<![0-9.,/-][0-9])[0-9]{2,7}(?![0-9]|[.,/][0-9])")
_SERVICE_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:tổng đài|đường dây nóng|hotline|gọi|gọi số|gọi đến số|điện thoại|số điện thoại|sđt|đt)[: ]*$"
)
# Emergency and public service numbers (113 công an, 114 cứu hỏa, 115 cấp cứu, 1022 tổng đài
# dịch vụ công) are read digit by digit wherever a call is being talked about in the clause,
# or next to another such number: "gọi 113, 114, 115". "113 hồ sơ" stays a count.
_EMERGENCY = re.compile(r"1(?<![0-9.,/-]1)(?:1[1-5]|022)(?![0-9]|[.,][0-9])")
_CALL_WORDS = re.compile(
    r"(?i:tổng đài|đường dây nóng|hotline|gọi|báo|điện thoại|sđt|đt|cấp cứu|cứu hỏa|cứu nạn|khẩn cấp|liên hệ)(?!\w)"
)
_CLAUSE_END = re.compile(r"[.;!?\n]")
_NEXT_IN_LIST = re.compile(r"(?:,| và| hoặc) 1(?:1[1-5]|022)(?![0-9])")
_PREVIOUS_IN_LIST = re.compile(r"(?<![0-9])1(?:1[1-5]|022)(?:,| và| hoặc) $")


def _split_plain(digits: str) -> list[str]:
    if len(digits) == 8:
        return [digits[:4], digits[4:]]
    if len(digits) >= 10:
        return [digits[:4], digits[4:7], digits[7:]]
    return [digits]


def _say(match: re.Match[str]) -> str:
    written = match.group(0)
    plus = written.startswith("+")
    groups = _GROUP.findall(written)
    total = sum(len(g) for g in groups)
    if plus:
        if not 10 <= total <= 12:
            return written
    elif written.startswith("0") and not 10 <= total <= 11:
        return written
    elif written.startswith("1") and total not in (8, 10):
        return written
    if len(groups) == 1:
        groups = _split_plain(groups[0])
    spoken = ", ".join(digit_words(g) for g in groups)
    return ("cộng " + spoken) if plus else spoken


def _service(match: re.Match[str]) -> str:
    start = match.start()
    if _SERVICE_BEFORE.search(match.string[max(0, start - 24) : start]) is None:
        return match.group(0)
    return digit_words(match.group(0))


def _emergency(match: re.Match[str]) -> str:
    text, start = match.string, match.start()
    before = text[max(0, start - 60) : start]
    clause = _CLAUSE_END.split(before)[-1]
    listed = (_NEXT_IN_LIST.match(text, match.end()) is not None
              or _PREVIOUS_IN_LIST.search(text[max(0, start - 8) : start]) is not None)
    if _CALL_WORDS.search(clause) is None and not listed:
        return match.group(0)
    return digit_words(match.group(0))


def phones(text: str) -> str:
    """Replace phone numbers, hotlines and announced service numbers."""
    text = _SERVICE.sub(_service, _PHONE.sub(_say, text))
    return _EMERGENCY.sub(_emergency, text) if "1" in text else text
