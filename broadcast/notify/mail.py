"""E-mail reminders over SMTP (stdlib ``smtplib``): the one seam to a mail server.

A reminder names each draft waiting for approval with its length, its warnings
(serious ones first) and a link to its review page. Foreign exceptions
(``smtplib.SMTPException``, ``OSError``) become ``NotifyError`` here.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any

from broadcast import severity, vnformat
from broadcast.config import EmailSettings, Settings
from broadcast.errors import BroadcastError, ConfigError


class NotifyError(BroadcastError):
    """A reminder could not be delivered (server unreachable, login refused, address rejected)."""


def enabled(settings: EmailSettings) -> bool:
    return bool(settings.smtp_host and settings.to)


def read_password(settings: EmailSettings) -> str:
    if not settings.username:
        return ""
    try:
        return settings.password_file.read_text(encoding="utf-8").strip()
    except OSError:
        raise ConfigError(f"email.password_file: chưa có mật khẩu SMTP ở {settings.password_file}. "
                          f"Hãy chạy \"broadcast email password\".") from None


def save_password(settings: EmailSettings, password: str) -> Path:
    """The SMTP password, readable by this user only (0600)."""
    from broadcast.files import write_text

    path = settings.password_file
    write_text(path, password + "\n")
    os.chmod(path, 0o600)   # a secret: this user only, whatever the umask
    return path


def review_link(settings: Settings, episode_id: int) -> str:
    base = settings.email.site_url or f"http://{settings.review.host}:{settings.review.port}"
    return f"{base.rstrip('/')}/episodes/{episode_id}"


def reminder(settings: Settings, drafts: Sequence[Any], moment: dt.datetime) -> EmailMessage:
    """The reminder e-mail for the drafts awaiting approval (EpisodeRecord-like objects)."""
    count = len(drafts)
    grave = sum(severity.count_serious(d.warnings or ()) for d in drafts)
    subject = f"[{settings.station.name}] {count} số phát chờ duyệt"
    if grave:
        subject += f" – {grave} cảnh báo nghiêm trọng"
    lines = ["Kính gửi đồng chí phụ trách duyệt bài,", "",
             f"Chuyên mục \"{settings.column.title}\" của {settings.station.name} có {count} số phát đang chờ "
             f"phê duyệt (cập nhật lúc {vnformat.moment(moment)}). Số phát chưa được duyệt sẽ không được phát sóng.",
             ""]
    for record in drafts:
        warnings = severity.ordered(record.warnings or ())
        lines.append(f"• Mã {record.id} – ngày phát {record.date:%d/%m/%Y} – dài {vnformat.duration(record.duration_s)}"
                     f" – {len(warnings)} cảnh báo")
        lines += [f"    {w}" for w in warnings]
        lines.append(f"    Nghe và duyệt: {review_link(settings, record.id)}")
        lines.append("")
    lines += ["Trang duyệt bài mở được trên điện thoại khi điện thoại dùng cùng mạng Wi-Fi với máy của đài.", "",
              f"Thư tự động từ phần mềm của {settings.station.name}."]
    message = EmailMessage()
    sender = settings.email.sender or settings.email.username
    message["From"] = formataddr((settings.station.name, sender))
    message["To"] = ", ".join(settings.email.to)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    message.set_content("\n".join(lines), charset="utf-8")
    return message


def send(settings: EmailSettings, message: EmailMessage) -> None:
    """Deliver ``message``; NotifyError says what went wrong and what to check."""
    password = read_password(settings)
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                                    timeout=settings.timeout_s, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, password)
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(f"Máy chủ thư {where} từ chối đăng nhập ({exc.smtp_code}). Hãy kiểm tra email.username "
                          f"và đặt lại mật khẩu bằng \"broadcast email password\".") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise NotifyError(f"Máy chủ thư {where} không hỗ trợ {settings.security}. Hãy sửa email.security "
                          f"(starttls, ssl hoặc none) và email.smtp_port.") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(f"Không gửi được thư qua {where}: {exc}. Hãy kiểm tra mạng, email.smtp_host và "
                          f"email.smtp_port.") from exc
    if refused:
        raise NotifyError(f"Máy chủ thư không nhận các địa chỉ: {', '.join(refused)}. Hãy sửa email.to.")
