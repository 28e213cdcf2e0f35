"""Register ``broadcast schedule`` with the PC so it starts by itself.

Windows: a Task Scheduler task (XML, registered with ``schtasks /Create /XML``)
started at log-on and restarted after a failure. Linux: a systemd *user* unit in
``~/.config/systemd/user`` enabled with ``systemctl --user``. When the tool to
register it is missing (no systemd running, schtasks on another OS), the file is
still written and the exact command to run is printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from xml.sax.saxutils import escape

from broadcast.errors import ConfigError


@dataclass(frozen=True)
class Service:
    """What to start: this Python running ``broadcast schedule`` for one config file."""

    name: str            # task / unit name, ASCII
    description: str     # Vietnamese, shown in Task Scheduler / systemctl status
    python: str
    config: str          # absolute path of config.toml
    folder: str          # working folder (the config's)

    @property
    def arguments(self) -> list[str]:
        return ["-m", "broadcast", "schedule", "--config", self.config]


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "xa"


def service_for(config: Path, commune: str, python: str | None = None) -> Service:
    config = config.resolve()
    return Service(name=f"broadcast-{slug(commune)}", description=f"Lịch tự động chuyên mục CCHC – {commune}",
                   python=python or sys.executable, config=str(config), folder=str(config.parent))


def _windows_quote(arg: str) -> str:
    return f'"{arg}"' if (" " in arg or not arg) else arg


def task_xml(service: Service) -> str:
    """Task Scheduler 1.2 XML: start at log-on, keep running, restart every 5 minutes after a failure."""
    arguments = " ".join(_windows_quote(str(PureWindowsPath(a)) if a == service.config else a)
                         for a in service.arguments)
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{escape(service.description)}</Description>
    <URI>\\{escape(service.name)}</URI>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT5M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(str(PureWindowsPath(service.python)))}</Command>
      <Arguments>{escape(arguments)}</Arguments>
      <WorkingDirectory>{escape(str(PureWindowsPath(service.folder)))}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def _systemd_quote(arg: str) -> str:
    if re.fullmatch(r"[\w@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit(service: Service) -> str:
    command = " ".join(_systemd_quote(a) for a in [service.python, *service.arguments])
    return f"""[Unit]
Description={service.description}
After=network-online.target

[Service]
Type=simple
WorkingDirectory={_systemd_quote(service.folder)}
ExecStart={command}
Environment=PYTHONIOENCODING=utf-8
Restart=on-failure
RestartSec=60

[Install]
WantedBy=default.target
"""


def unit_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def task_file(service: Service) -> Path:
    return Path(service.folder) / "state" / f"{service.name}.xml"


def _run(command: list[str]) -> tuple[bool, str]:
    """Run a registration command; (worked, what it said)."""
    if shutil.which(command[0]) is None:
        return False, f"không có lệnh {command[0]} trên máy này"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    said = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode == 0, said[-1] if said else f"mã thoát {done.returncode}"


def install(service: Service, system: str) -> list[str]:
    """Write (and register when possible) the task or unit; the lines to show the officer."""
    from broadcast.files import write_bytes, write_text

    if system == "windows":
        path = task_file(service)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, task_xml(service).encode("utf-16"))
        command = ["schtasks", "/Create", "/TN", service.name, "/XML", str(PureWindowsPath(path)), "/F"]
        lines = [f"Đã ghi tác vụ Task Scheduler: {path}"]
    elif system == "linux":
        path = unit_folder() / f"{service.name}.service"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, systemd_unit(service))
        command = ["systemctl", "--user", "enable", "--now", f"{service.name}.service"]
        lines = [f"Đã ghi dịch vụ systemd: {path}"]
        _run(["systemctl", "--user", "daemon-reload"])
    else:
        raise ConfigError(f"Hệ điều hành {system!r} chưa được hỗ trợ. Hãy chọn --system windows hoặc linux.")
    worked, said = _run(command)
    if worked:
        lines.append(f"Đã đăng ký \"{service.name}\": lịch sẽ tự chạy mỗi khi đăng nhập máy.")
    else:
        lines.append(f"Chưa đăng ký được ({said}). Hãy tự chạy lệnh sau: {' '.join(command)}")
    if system == "linux":
        lines.append("Muốn lịch chạy cả khi chưa đăng nhập: loginctl enable-linger")
    return lines


def uninstall(service: Service, system: str) -> list[str]:
    """Stop and remove the task or unit; the lines to show the officer."""
    if system == "windows":
        path = task_file(service)
        command = ["schtasks", "/Delete", "/TN", service.name, "/F"]
    else:
        path = unit_folder() / f"{service.name}.service"
        command = ["systemctl", "--user", "disable", "--now", f"{service.name}.service"]
    worked, said = _run(command)
    lines = [f"Đã gỡ \"{service.name}\"." if worked else
             f"Chưa gỡ được bằng {command[0]} ({said}). Nếu còn đăng ký, hãy tự chạy: {' '.join(command)}"]
    if path.exists():
        path.unlink()
        lines.append(f"Đã xóa {path}")
    if system == "linux":
        _run(["systemctl", "--user", "daemon-reload"])
    return lines


def this_system() -> str:
    return "windows" if os.name == "nt" else "linux"
