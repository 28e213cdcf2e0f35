"""``broadcast lexicon add`` and ``broadcast lexicon check``: the commune's pronunciation lexicon."""

from __future__ import annotations

import argparse
from pathlib import Path

from broadcast.cli.common import Sub, err, settings_from


def _path(args: argparse.Namespace) -> Path:
    """--file, else speech.lexicon, else the file the review site keeps (the same one the build reads)."""
    from broadcast.pipeline import lexicon_path

    if args.file is not None:
        return Path(args.file)
    return lexicon_path(settings_from(args))


def cmd_lexicon_add(args: argparse.Namespace) -> int:
    from broadcast.normalize.edit import add_entry

    settings = settings_from(args)
    added = add_entry(_path(args), args.written, args.spoken, section="words" if args.words else "abbreviations",
                      sample=args.sample, dialect=settings.station.dialect)
    action = f'thay cách đọc cũ "{added.replaced}"' if added.replaced is not None else "đã thêm"
    err(f'{added.path}, dòng {added.line} [{added.section}]: "{args.written}" = "{args.spoken}" ({action}).')
    print(f"Câu mẫu: {added.sample}")
    print(f"Đọc là:  {added.reading}")
    return 0


def cmd_lexicon_check(args: argparse.Namespace) -> int:
    from broadcast.normalize.edit import shadowed_entries

    settings = settings_from(args)
    path = _path(args)
    if not path.is_file():
        print(f"Chưa có tệp từ điển phát âm của xã ({path}): máy dùng cách đọc có sẵn. Thêm cách đọc bằng "
              f"broadcast lexicon add hoặc trên trang duyệt bài.")
        return 0
    found = shadowed_entries(path, dialect=settings.station.dialect)
    for entry in found:
        err(entry.message())
    if not found:
        print(f"Tệp {path}: mọi mục đều được dùng.")
    return 3 if found else 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("lexicon", parents=[common], help="từ điển phát âm của xã: thêm cách đọc, kiểm tra tệp")
    lexicon_sub = p.add_subparsers(dest="lexicon_command", required=True, metavar="LỆNH")
    q = lexicon_sub.add_parser("add", parents=[common],
                               help="thêm (hoặc sửa) cách đọc một từ và xem câu mẫu được đọc ra sao")
    q.add_argument("written", metavar="CÁCH_VIẾT", help='cách viết trong văn bản, ví dụ "Đ/c" hoặc "đường 30/4"')
    q.add_argument("spoken", metavar="CÁCH_ĐỌC", help='cách phát thanh viên đọc, ví dụ "đồng chí"')
    q.add_argument("--words", action="store_true",
                   help="ghi vào mục [words] (không phân biệt chữ hoa, chữ thường) thay vì [abbreviations]")
    q.add_argument("--sample", metavar="CÂU", help="câu mẫu để nghe thử cách đọc mới (mặc định: chính cách viết)")
    q.add_argument("--file", type=Path, metavar="TỆP",
                   help="tệp từ điển cần sửa (mặc định: speech.lexicon trong config.toml)")
    q.set_defaults(handler=cmd_lexicon_add)
    q = lexicon_sub.add_parser("check", parents=[common],
                               help="liệt kê các mục không bao giờ được dùng (kèm số dòng)")
    q.add_argument("--file", type=Path, metavar="TỆP",
                   help="tệp từ điển cần kiểm tra (mặc định: speech.lexicon trong config.toml)")
    q.set_defaults(handler=cmd_lexicon_check)
