"""Operating-system and SQLite errors in Vietnamese: one table, used at every boundary.

``describe(exc)`` is the phrase for what the disk said and what to do; the CLI
boundary (``message``) makes it one line naming the file. A full disk, a
read-only disk or a disk I/O error is said as such, never as a "corrupt
database": the advice for those (free space, check the drive) must not be
"restore a backup", which would throw recent approvals away.
"""

from __future__ import annotations

import errno
import sqlite3

from broadcast.errors import FileProblem

DISK_FULL = "ổ đĩa đầy"

# errno → (what happened, what to do)
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (f"{DISK_FULL} (hết chỗ trống)", "Hãy xóa bớt tệp cũ hoặc giải phóng dung lượng ổ đĩa rồi chạy lại."),
    errno.EDQUOT: (f"{DISK_FULL} (hết hạn mức dung lượng của tài khoản)",
                   "Hãy xóa bớt tệp cũ hoặc xin tăng hạn mức rồi chạy lại."),
    errno.EROFS: ("ổ đĩa chỉ cho phép đọc, không ghi được",
                  "Hãy chọn thư mục trên ổ đĩa ghi được, hoặc gắn lại ổ đĩa với quyền ghi."),
    errno.EACCES: ("không có quyền truy cập",
                   "Hãy cấp quyền cho tài khoản đang chạy chương trình, hoặc chọn thư mục khác."),
    errno.EPERM: ("hệ thống không cho phép thao tác này",
                  "Hãy cấp quyền cho tài khoản đang chạy chương trình, hoặc chọn thư mục khác."),
    errno.ENOENT: ("không tồn tại", "Hãy kiểm tra lại đường dẫn (thư mục chứa nó phải có sẵn)."),
    errno.ENOTDIR: ("một phần của đường dẫn không phải là thư mục", "Hãy kiểm tra lại đường dẫn."),
    errno.EISDIR: ("là một thư mục, không phải tệp", "Hãy ghi rõ tên tệp, ví dụ thong-bao.mp3."),
    errno.ELOOP: ("là một liên kết tượng trưng (symlink), không ghi qua nó",
                  "Hãy ghi vào một tệp thường, không phải liên kết."),
    errno.EIO: ("lỗi đọc/ghi của ổ đĩa (EIO)", "Hãy kiểm tra ổ đĩa hoặc USB (cáp, chỗ cắm), rồi chạy lại."),
    errno.EMFILE: ("mở quá nhiều tệp cùng lúc", "Hãy đóng bớt chương trình khác rồi chạy lại."),
    errno.ENAMETOOLONG: ("tên tệp quá dài", "Hãy chọn tên ngắn hơn."),
    errno.EXDEV: ("nằm trên ổ đĩa khác, không chuyển trực tiếp được", "Hãy chọn thư mục trên cùng ổ đĩa."),
    errno.EBUSY: ("đang bị chương trình khác dùng", "Hãy đóng chương trình đó rồi chạy lại."),
    errno.ENXIO: ("là một thiết bị không ghi được", "Hãy ghi vào một tệp thường."),
}


def describe(exc: OSError, *, with_path: bool = True) -> str:
    """'<what happened> (<file>). <what to do>' for an OSError; without the file when the caller names it."""
    reason, advice = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "Hãy kiểm tra tệp và thư mục này."))
    where = f" ({exc.filename})" if exc.filename and with_path else ""
    return f"{reason}{where}. {advice}"


def message(exc: OSError) -> str:
    """The one line for the CLI boundary."""
    if exc.filename:
        return f"Tệp {exc.filename}: {describe(exc, with_path=False)}"
    return f"Lỗi hệ thống tệp: {describe(exc)}"


def is_disk_condition(exc: sqlite3.Error) -> bool:
    """SQLite said the disk failed, filled up or refuses writes: not a damaged database."""
    text = str(exc).lower()
    return any(k in text for k in ("disk i/o error", "database or disk is full", "readonly database",
                                   "read-only", "unable to open database file"))


def sqlite_problem(exc: sqlite3.Error, path: object) -> FileProblem:
    """A SQLite disk condition as one Vietnamese line naming the database file."""
    text = str(exc).lower()
    if "full" in text:
        key = errno.ENOSPC
    elif "readonly" in text or "read-only" in text:
        key = errno.EROFS
    elif "unable to open" in text:
        key = errno.EACCES
    else:
        key = errno.EIO
    reason, advice = _REASONS[key]
    return FileProblem(f"Cơ sở dữ liệu {path}: {reason}. {advice} Cơ sở dữ liệu không bị hỏng; "
                       f"đừng khôi phục bản sao lưu.")
