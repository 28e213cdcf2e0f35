"""TOML syntax errors explained in Vietnamese: the file, the line and the likely cause.

``tomllib`` reports "Expected newline or end of document after a statement
(at line 3, column 18)". An officer typing Vietnamese answers most often meets
it for a ``"`` inside a quoted text, a Windows path with backslashes, a missing
closing quote or bracket, or a date written 27/11/2026 without quotes. This
module turns the message into one Vietnamese line that names the line and the fix.
"""

from __future__ import annotations

import re
import tomllib

_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")
_DMY = re.compile(r"=\s*\d{1,2}/\d{1,2}/\d{4}")

QUOTES_HINT = ("có lẽ trong đoạn văn có dấu ngoặc kép \" chưa được thoát: hãy dùng ngoặc kép cong “ ” "
               "hoặc viết \\\" thay cho \"")
BACKSLASH_HINT = ("có lẽ là đường dẫn Windows có dấu \\: hãy viết bằng dấu gạch chéo xuôi "
                  "(\"D:/truyen-thanh/thong-ke.xlsx\") hoặc trong dấu nháy đơn ('D:\\truyen-thanh\\thong-ke.xlsx')")
DATE_HINT = "ngày phải viết dạng 2026-11-27 (không có ngoặc kép) hoặc \"27/11/2026\" (trong ngoặc kép)"


def _line_of(exc: tomllib.TOMLDecodeError, lines: list[str]) -> int | None:
    match = _WHERE.search(str(exc))
    if match and match.group(1):
        return int(match.group(1))
    return len(lines) if lines else None


def _odd_quotes(lines: list[str]) -> int | None:
    """The first line whose double quotes do not pair up (an unclosed text), outside comments."""
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#") or '"""' in line:
            continue
        if line.replace('\\"', "").count('"') % 2:
            return number
    return None


def explain(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """(line, Vietnamese explanation) of a TOML syntax error in ``text``."""
    message = str(exc)
    lines = text.splitlines()
    line = _line_of(exc, lines)
    content = lines[line - 1] if line and 0 < line <= len(lines) else ""
    if message.startswith(("Unterminated string", "Unclosed")) and "end of document" in message:
        line = _odd_quotes(lines) or line
        content = lines[line - 1] if line and 0 < line <= len(lines) else content
    if message.startswith(("Invalid hex value", "Unescaped", "Invalid escape")):
        cause = BACKSLASH_HINT
    elif _DMY.search(content):
        cause = DATE_HINT
    elif message.startswith("Expected newline or end of document") and content.count('"') > 2:
        cause = QUOTES_HINT
    elif message.startswith("Unterminated string") or message.startswith("Illegal character '\\n'"):
        cause = "thiếu dấu ngoặc kép đóng \" ở cuối đoạn văn" + ("; " + QUOTES_HINT if content.count('"') > 2 else "")
    elif message.startswith("Unclosed array"):
        cause = "danh sách mở bằng [ nhưng thiếu dấu ] đóng"
    elif message.startswith("Invalid value"):
        cause = ("giá trị không đọc được: chữ phải nằm trong ngoặc kép (\"...\"), "
                 "true/false viết thường, số không có dấu chấm phân cách nghìn")
    elif message.startswith(("Cannot overwrite", "Cannot declare")):
        cause = "một khóa hoặc một mục được khai báo hai lần: hãy xóa bớt một lần"
    elif message.startswith("Expected '=' after a key"):
        cause = "thiếu dấu = sau tên khóa, hoặc tên khóa có dấu cách"
    elif message.startswith("Expected ']'"):
        cause = "tên mục phải nằm trọn trong [ ], ví dụ [station]"
    elif message.startswith("Expected newline or end of document"):
        cause = "sau một giá trị chỉ được xuống dòng: mỗi dòng một khóa = giá trị"
    else:
        cause = f"lỗi cú pháp ({_WHERE.sub('', message).strip()})"
    return line, cause


def describe(exc: tomllib.TOMLDecodeError, text: str, file_name: str) -> str:
    """'faq.toml, dòng 12: lỗi cú pháp TOML: <cause>. Hãy sửa dòng này rồi chạy lại.'"""
    line, cause = explain(exc, text)
    where = f"{file_name}, dòng {line}" if line else file_name
    return f"{where}: lỗi cú pháp TOML: {cause}. Hãy sửa dòng này rồi chạy lại."
