"""``serve`` beyond loopback prints the PC's LAN addresses and a QR code for the phone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from broadcast.review.lan import announce, lan_addresses, site_urls
from tests.officer.conftest import run_cli
from tests.officer.test_email_reminder import free_port


def test_site_urls_name_lan_addresses_not_0_0_0_0() -> None:
    assert site_urls("0.0.0.0", 8080, ["192.168.1.10", "10.0.0.5"]) == ["http://192.168.1.10:8080/",
                                                                       "http://10.0.0.5:8080/"]
    assert site_urls("192.168.1.20", 8081) == ["http://192.168.1.20:8081/"]
    for address in lan_addresses():
        assert not address.startswith(("127.", "169.254.")) and address.count(".") == 3


def test_loopback_says_this_pc_only() -> None:
    [line] = announce("127.0.0.1", 8080)
    assert "http://127.0.0.1:8080/" in line and "chỉ mở được trên máy này" in line


def test_serve_on_all_addresses_prints_phone_urls_and_qr(tmp_path: Path) -> None:
    folder = tmp_path / "xa"
    assert run_cli("init", str(folder), "-y", cwd=tmp_path).returncode == 0
    added = run_cli("users", "add", "hung", "--vai-tro", "phe-duyet", "--mat-khau-tu-stdin", cwd=folder,
                    input="mat-khau-du-dai-hon\n")
    assert added.returncode == 0, added.stderr
    port = free_port()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "broadcast", "serve", "--host", "0.0.0.0", "--port", str(port)],
                              cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8", env=env)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = server.stdout.readline() if server.stdout else ""
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "Ctrl+C" in line:
                break
        text = "\n".join(lines)
        assert "0.0.0.0" not in text, text
        assert "mở trên điện thoại" in text and "tường lửa" in text and "quét mã QR" in text
        assert "▄" in text or "█" in text                  # the QR code drawn in block characters
        urls = [line.strip() for line in lines if line.strip().startswith("http://")]
        expected = site_urls("0.0.0.0", port)
        assert urls == expected
        if urls:   # the printed address really reaches the site
            with urllib.request.urlopen(urls[0], timeout=10) as reply:
                assert reply.status in (200, 302)
    finally:
        server.terminate()
        server.wait(timeout=30)
