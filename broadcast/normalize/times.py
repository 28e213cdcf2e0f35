"""Clock times: 7h30, 14h, 11h00, 08h00’, 13 giờ 30, 13 g 00, 05:40, 5h10 phút.

Read "H giờ M phút"; whole hours drop the minutes ("11h00" -> "mười một giờ"); a written
"phút" or minute mark after the minutes is absorbed so nothing is said twice.
"""

from __future__ import annotations

import re

from broadcast.normalize.numbers import int_words

_HOUR = r"(?P<h>[0-9](?<![0-9.,:/][0-9])[0-9]?)"
_MIN = r"(?P<m>[0-5][0-9])"
_HM = re.compile(
    _HOUR + r"\s*(?:h|g|giờ)\s*" + _MIN + r"(?:\s*(?:’|'|′|phút(?!\w)|p(?!\w)))?(?![0-9])"
)
_COLON = re.compile(_HOUR + r":" + _MIN + r"(?![0-9]|:[0-9])(?:\s*(?:’|'|phút(?!\w)))?")
_H_ONLY = re.compile(_HOUR + r"\s?h(?:0|’|')?(?![\w])")
# "trực 24/24h": hours counted after a ratio, not a clock time.
_PER_HOURS = re.compile(r"(?<=[0-9]/)([0-9]{1,2}) ?h(?![\w’'])")


def _say(match: re.Match[str], dialect: str) -> str:
    if int(match.group("h")) > 24:
        return match.group(0)
    hours = int_words(int(match.group("h")), dialect)
    minutes = int(match.groupdict().get("m") or 0)
    if minutes == 0:
        return f"{hours} giờ"
    return f"{hours} giờ {int_words(minutes, dialect)} phút"


def times(text: str, dialect: str) -> str:
    """Replace every clock time by its spoken form."""
    if "/" in text:
        text = _PER_HOURS.sub(r"\1 giờ", text)
    text = _HM.sub(lambda m: _say(m, dialect), text)
    text = _COLON.sub(lambda m: _say(m, dialect), text)
    return _H_ONLY.sub(lambda m: _say(m, dialect), text)
