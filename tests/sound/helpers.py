"""Small builders shared by the sound tests."""

from __future__ import annotations

import datetime as dt

from broadcast.models import Script, Segment

DAY = dt.date(2026, 11, 27)


def segment(sid: str, text: str, roles: tuple[str, ...] = ()) -> Segment:
    return Segment(sid, sid, text, spoken=text, roles=roles)


def short_script() -> Script:
    """Two short segments: a 10–15 s programme with jingles."""
    return Script(date=DAY, column="Cải cách hành chính", segments=(
        segment("mo-dau", "Kính thưa bà con, đây là chuyên mục cải cách hành chính. Xin mời bà con theo dõi."),
        segment("tin-1", "Bộ phận một cửa của xã đã tiếp nhận nhiều hồ sơ trực tuyến. Bà con có thể nộp hồ sơ "
                         "qua cổng dịch vụ công."),
    ))
