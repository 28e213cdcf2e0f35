"""E-mail reminders reach a real SMTP server (aiosmtpd on a free port on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from broadcast import severity
from broadcast.config import load_settings
from broadcast.notify.mail import NotifyError, reminder, send
from tests.officer.conftest import run_cli


@dataclass
class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    messages: list[tuple[list[str], email.message.EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"dai@xa.vn", b"mat-khau-thu")
        return AuthResult(success=ok, handled=False)   # unhandled: the server answers 535 itself

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=check, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def commune(tmp_path: Path, port: int, *, target: float = 2.0) -> Path:
    folder = tmp_path / "xa"
    result = run_cli("init", str(folder), "--xa", "xã Hòa Bình", "--thoi-luong", str(target), "-y", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"""
[speech]
engines = ["espeak"]

[email]
smtp_host = "127.0.0.1"
smtp_port = {port}
security = "none"
username = "dai@xa.vn"
to = ["pho.chu.tich@xa.vn", "van.hoa@xa.vn"]
site_url = "http://192.168.1.10:8080/"
""", encoding="utf-8")
    return folder


def test_reminder_email_reaches_a_real_smtp_server(tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    folder = commune(tmp_path, port)
    saved = run_cli("email", "password", "--stdin", cwd=folder, input="mat-khau-thu\n")
    assert saved.returncode == 0, saved.stderr
    secret = folder / "state" / "smtp-password"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert "mat-khau-thu" not in (folder / "config.toml").read_text(encoding="utf-8")
    built = run_cli("build", "--date", "27/11/2026", cwd=folder)
    assert built.returncode in (0, 3), built.stderr

    sent = run_cli("email", "test", cwd=folder)
    assert sent.returncode == 0, sent.stderr
    [(recipients, message)] = inbox.messages
    assert recipients == ["pho.chu.tich@xa.vn", "van.hoa@xa.vn"]
    assert message["Subject"].startswith("[Đài truyền thanh xã Hòa Bình] 1 số phát chờ duyệt")
    body = message.get_content()
    assert "Mã 1 – ngày phát 27/11/2026 – dài" in body
    assert "Nghe và duyệt: http://192.168.1.10:8080/episodes/1" in body


def test_scheduled_remind_job_sends_the_email(tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    from broadcast.schedule.jobs import remind

    inbox, port = smtp_server
    folder = commune(tmp_path, port)
    assert run_cli("email", "password", "--stdin", cwd=folder, input="mat-khau-thu\n").returncode == 0
    assert run_cli("build", "--date", "27/11/2026", cwd=folder).returncode in (0, 3)
    outcome = remind(str(folder / "config.toml"))
    assert outcome.result == "reminded" and "đã gửi thư tới pho.chu.tich@xa.vn" in outcome.detail
    assert len(inbox.messages) == 1


def test_wrong_password_is_one_vietnamese_line(tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    folder = commune(tmp_path, port)
    assert run_cli("email", "password", "--stdin", cwd=folder, input="sai\n").returncode == 0
    settings = load_settings(folder / "config.toml", must_exist=True)
    draft = type("Draft", (), {"id": 4, "date": dt.date(2026, 11, 27), "duration_s": 130.0,
                               "warnings": ("Hỏi – đáp: thiếu 1 câu", severity.serious("Phần tin tức bị mất"))})()
    message = reminder(settings, [draft], dt.datetime(2026, 11, 25, 16, 0))
    assert "1 cảnh báo nghiêm trọng" in message["Subject"]
    body = message.get_content()
    assert body.index("NGHIÊM TRỌNG") < body.index("thiếu 1 câu")      # serious first
    with pytest.raises(NotifyError, match="từ chối đăng nhập"):
        send(settings.email, message)
    assert inbox.messages == []
