"""``broadcast schedule install|uninstall``: the generated Task Scheduler XML and systemd user unit."""

from __future__ import annotations

import os
import stat
import sys
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

from broadcast.schedule.install import service_for, systemd_unit, task_xml
from tests.officer.conftest import run_cli

TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"


def commune_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Xã Hòa Bình"          # a space and Vietnamese letters in the path
    result = run_cli("init", str(folder), "--xa", "xã Hòa Bình", "-y", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return folder


def test_windows_task_xml_parses_and_starts_the_scheduler(tmp_path: Path) -> None:
    folder = commune_folder(tmp_path)
    result = run_cli("schedule", "install", "--system", "windows", cwd=folder,
                     env={"PATH": os.path.dirname(sys.executable)})   # no schtasks here
    assert result.returncode == 0, result.stderr
    xml_file = folder / "state" / "broadcast-xa-hoa-binh.xml"
    assert f"Đã ghi tác vụ Task Scheduler: {xml_file}" in result.stdout
    assert "schtasks /Create /TN broadcast-xa-hoa-binh /XML" in result.stdout and "/F" in result.stdout
    raw = xml_file.read_bytes()
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")            # UTF-16 with BOM, as schtasks /XML wants
    root = ET.fromstring(raw.decode("utf-16").replace('encoding="UTF-16"', ""))
    assert root.tag == f"{TASK}Task"
    assert root.find(f"{TASK}Triggers/{TASK}LogonTrigger/{TASK}Enabled").text == "true"
    assert root.find(f"{TASK}Settings/{TASK}ExecutionTimeLimit").text == "PT0S"       # runs for ever
    assert root.find(f"{TASK}Settings/{TASK}RestartOnFailure/{TASK}Interval").text == "PT5M"
    exe = root.find(f"{TASK}Actions/{TASK}Exec")
    arguments = exe.find(f"{TASK}Arguments").text
    config = str(PureWindowsPath(folder / "config.toml"))
    assert arguments == f'-m broadcast schedule --config "{config}"'   # quoted: the path has a space
    assert "\\" in exe.find(f"{TASK}WorkingDirectory").text and "/" not in exe.find(f"{TASK}WorkingDirectory").text
    assert root.find(f"{TASK}RegistrationInfo/{TASK}Description").text == "Lịch tự động chuyên mục CCHC – xã Hòa Bình"

    removed = run_cli("schedule", "uninstall", "--system", "windows", cwd=folder)
    assert removed.returncode == 0 and not xml_file.exists()
    assert "schtasks /Delete /TN broadcast-xa-hoa-binh /F" in removed.stdout


def test_windows_paths_in_the_task_use_backslashes() -> None:
    service = service_for(Path("/x/config.toml"), "xã Đức Hạnh", python=r"C:\Program Files\Python311\python.exe")
    text = task_xml(service)
    assert r"<Command>C:\Program Files\Python311\python.exe</Command>" in text
    assert service.name == "broadcast-xa-duc-hanh"


def test_systemd_user_unit_written_under_home_without_systemd(tmp_path: Path) -> None:
    folder = commune_folder(tmp_path)
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "PATH": os.path.dirname(sys.executable)}
    result = run_cli("schedule", "install", "--system", "linux", cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    unit = home / ".config" / "systemd" / "user" / "broadcast-xa-hoa-binh.service"
    text = unit.read_text(encoding="utf-8")
    assert f'ExecStart={sys.executable} -m broadcast schedule --config "{folder / "config.toml"}"' in text
    assert f'WorkingDirectory="{folder}"' in text and "Restart=on-failure" in text
    assert "WantedBy=default.target" in text
    assert "systemctl --user enable --now broadcast-xa-hoa-binh.service" in result.stdout   # what to run by hand
    removed = run_cli("schedule", "uninstall", "--system", "linux", cwd=folder, env=env)
    assert removed.returncode == 0 and not unit.exists()


def test_systemd_install_calls_systemctl_when_present(tmp_path: Path) -> None:
    folder = commune_folder(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "systemctl.log"
    fake = bin_dir / "systemctl"                       # stands in for the system's service manager
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": "",
           "PATH": f"{bin_dir}{os.pathsep}{os.path.dirname(sys.executable)}{os.pathsep}/usr/bin:/bin"}
    result = run_cli("schedule", "install", "--system", "linux", cwd=folder, env=env)
    assert result.returncode == 0 and "Đã đăng ký" in result.stdout, result.stdout
    run_cli("schedule", "uninstall", "--system", "linux", cwd=folder, env=env)
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls == ["--user daemon-reload", "--user enable --now broadcast-xa-hoa-binh.service",
                     "--user disable --now broadcast-xa-hoa-binh.service", "--user daemon-reload"]


def test_unit_text_quotes_paths_with_spaces() -> None:
    service = service_for(Path("/srv/xa a/config.toml"), "xã A", python="/usr/bin/python3")
    assert 'ExecStart=/usr/bin/python3 -m broadcast schedule --config "/srv/xa a/config.toml"' in systemd_unit(service)
