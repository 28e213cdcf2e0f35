"""How much text an edit may carry, sized to the longest programme we make (45 minutes).

Vietnamese radio reads at about 200 syllables a minute (news bulletins run
180–220). A syllable is written with about 4.5 characters including the space
after it, so a minute of speech is ≈ 900 characters and 45 minutes ≈ 40 000.
One segment is at most a long explainer or an interview: ≈ 6 000 characters is
6½ minutes of speech. Beyond these the text cannot fit the programme, and
voicing it would cost memory and minutes for nothing.

A browser sends a form URL-encoded: a Vietnamese letter is 2–3 bytes of UTF-8
and each byte becomes "%XX", so 40 000 characters can be ≈ 360 KB; a conflict
form carries the editor's text twice (theirs is not sent back). One MiB holds
that with room to spare, and nothing larger is read.
"""

from __future__ import annotations

from broadcast import vnformat
from broadcast.errors import ReviewError

SEGMENT_CHARS = 6_000
EPISODE_CHARS = 40_000
REQUEST_BYTES = 1024 * 1024   # the review site's MAX_CONTENT_LENGTH


def check_segment(segment_id: str, title: str, text: str) -> None:
    if len(text) > SEGMENT_CHARS:
        raise ReviewError(f"Đoạn \"{title}\" ({segment_id}) dài {vnformat.number(len(text))} ký tự, quá giới hạn "
                          f"{vnformat.number(SEGMENT_CHARS)} ký tự của một đoạn (khoảng 6 phút đọc). "
                          f"Hãy rút gọn hoặc chia bớt nội dung.")


def check_episode(total: int) -> None:
    if total > EPISODE_CHARS:
        raise ReviewError(f"Cả số phát dài {vnformat.number(total)} ký tự, quá giới hạn "
                          f"{vnformat.number(EPISODE_CHARS)} ký tự (khoảng 45 phút đọc). Hãy rút gọn các đoạn.")
