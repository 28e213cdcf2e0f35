"""``broadcast cache``: how much the audio cache holds, and pruning it down to its limit."""

from __future__ import annotations

import argparse

from broadcast import vnformat
from broadcast.cli.common import Sub, settings_from
from broadcast.speech.cache import MB, AudioCache


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"phải là một số nguyên MB từ 0 trở lên, không phải {text!r}")
    return value


def _mb(size: int) -> str:
    return f"{vnformat.decimal(size / MB)} MB"


def cmd_cache(args: argparse.Namespace) -> int:
    settings = settings_from(args, need_config=False)
    if settings.speech.cache is None:
        print("Bộ nhớ đệm âm thanh đang tắt (speech.cache = \"\").")
        return 0
    cache = AudioCache.for_speech(settings.speech)
    limit = settings.speech.cache_mb * MB if args.limit_mb is None else args.limit_mb * MB
    usage = cache.usage()
    print(f"Bộ nhớ đệm âm thanh: {settings.speech.cache}")
    print(f"Đang chiếm {_mb(usage.bytes)} trong {vnformat.number(usage.files)} tệp; giới hạn {_mb(limit)} "
          f"(speech.cache_mb).")
    if usage.bytes <= limit:
        print("Chưa vượt giới hạn, không cần dọn.")
        return 0
    pruned = cache.prune(limit)
    print(f"Đã xóa {vnformat.number(pruned.removed)} tệp lâu không dùng nhất ({_mb(pruned.freed)}); "
          f"còn {_mb(pruned.left)}.")
    if pruned.left > limit:
        print("Các tệp còn lại vừa được dùng (có thể một lần dựng đang chạy) nên được giữ; "
              "hãy chạy lại lệnh này sau.")
    return 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("cache", parents=[common],
                       help="xem dung lượng bộ nhớ đệm âm thanh và dọn nếu vượt giới hạn speech.cache_mb")
    p.add_argument("--limit-mb", type=_megabytes, metavar="MB",
                   help="dọn xuống dưới mức này thay cho speech.cache_mb (ví dụ 0 để xóa hết các tệp không dùng)")
    p.set_defaults(handler=cmd_cache)
