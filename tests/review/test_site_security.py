"""The review site as an attacker meets it: foreign Host headers, idle connections, oversized bodies,
password guessing, stolen cookies, open redirects, roles, and the secrets' file modes.

Host and connection tests use a real waitress server on a free loopback port and raw socket requests;
the account tests run the app in-process against a real SQLite file and the real CLI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from broadcast.cli import main
from broadcast.config import Settings, load_settings
from broadcast.review import accounts as accounts_module
from broadcast.review.accounts import ADMIN, APPROVER, EDITOR, Accounts
from broadcast.review.logins import Logins
from broadcast.review.store import MIGRATIONS, AuditEntry, EpisodeRecord, Store
from broadcast.review.web import create_app, make_server
from broadcast.review.web.auth import safe_next
from broadcast.review.web.connections import create_server
from broadcast.review.web.hosts import host_part, local_addresses, policy
from broadcast.review.workflow import build_draft

from .conftest import DAY, write_config
from .live import get, raw, running, status

REFUSED = "Địa chỉ truy cập không hợp lệ".encode()


def test_foreign_host_gets_400(settings: Settings) -> None:
    with running(make_server(settings, host="127.0.0.1", port=0)) as port:
        for host in [f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", "127.0.0.1",
                     f"LOCALHOST:{port}"]:
            answer = get(port, host=host)
            assert status(answer) == 200, (host, answer[:200])
        for host in ["evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                     f"localhost.evil.example:{port}", "[::1", f"127.0.0.1:{port}:1", "127.0.0.1:80x",
                     "local host", "xn--80ak6aa92e.com", ""]:
            answer = get(port, host=host)
            assert status(answer) == 400 and REFUSED in answer, host
        for path in ["/static/style.css", "/login", "/episodes/1", "/onair/podcast.xml"]:  # every path, static too
            assert status(get(port, path, host="rebind.evil.example")) == 400, path
        # HTTP/1.0 without any Host header
        answer = raw(port, b"GET / HTTP/1.0\r\n\r\n")
        assert status(answer) == 400 and REFUSED in answer


def test_configured_names_and_own_addresses_are_allowed(settings: Settings) -> None:
    secured = dataclasses.replace(settings, review=dataclasses.replace(
        settings.review, site_names=["Phong-VH.local"], base_url="http://may-xa.lan:8080/onair/"))
    client = create_app(secured).test_client()  # bound on loopback: the PC's LAN addresses are not on the list
    for host in ["phong-vh.local", "may-xa.lan:8080", "127.0.0.2", "localhost"]:
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ["evil.example", "10.11.12.13", "phong-vh.local.evil.example"]:
        assert client.get("/", headers={"Host": host}).status_code == 400, host

    lan = policy("0.0.0.0", base_url=secured.review.base_url)
    own = local_addresses()
    assert own, "the machine has at least one address"
    for address in own:
        assert lan.allows(host_part(f"[{address}]" if ":" in address else address) or "", local_addresses)
    assert lan.allows(socket.gethostname().lower(), local_addresses)
    assert not lan.allows("203.0.113.77", local_addresses) and not lan.allows("evil.example", local_addresses)
    assert not policy("127.0.0.1").allows(next(iter(own - {"127.0.0.1", "::1"}), "203.0.113.1"), local_addresses)


def test_idle_connections_cannot_lock_out_the_officer(settings: Settings) -> None:
    """200 idle sockets from one address (127.0.0.2) leave the site answering everyone else, and are cut."""
    app = create_app(settings)
    server = create_server(app, host="127.0.0.1", port=0, max_body=1024 * 1024, channel_timeout=2,
                           cleanup_interval=0.5)
    with running(server) as port:
        idle = []
        for _ in range(200):
            sock = socket.socket()
            sock.bind(("127.0.0.2", 0))
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a request never finished
            idle.append(sock)
        try:
            started = time.monotonic()
            assert status(get(port, host="127.0.0.1")) == 200
            assert time.monotonic() - started < 3
            # the connections beyond the per-address limit were closed at once, the rest after the idle timeout
            deadline = time.monotonic() + 10
            closed = sum(was_closed(sock, deadline) for sock in idle)
            assert closed == 200
        finally:
            for sock in idle:
                sock.close()


def was_closed(sock: socket.socket, deadline: float) -> bool:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_request_body_is_capped_before_it_is_read(settings: Settings) -> None:
    server = make_server(settings, host="127.0.0.1", port=0)
    cap = create_app(settings).config["MAX_CONTENT_LENGTH"]
    with running(server) as port:
        started = time.monotonic()
        answer = raw(port, (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {cap + 1}\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n").encode())
        assert status(answer) == 413
        assert time.monotonic() - started < 5  # answered without waiting for a body that never comes


@pytest.mark.parametrize("header, expected", [("127.0.0.1:8080", "127.0.0.1"), ("[::1]:8080", "::1"),
                                              ("LocalHost", "localhost"), ("a..b", None), ("-a.b", None),
                                              ("[0:0:0:0:0:0:0:1]", "::1"), ("a" * 300, None)])
def test_host_part(header: str, expected: str | None) -> None:
    assert host_part(header) == expected


# -- personal accounts: login, throttling, sessions, roles ------------------------------------------------------


@pytest.fixture(scope="module")
def secured(workdir: Path, speech_cache: Path) -> Settings:
    """A site of its own (database, episodes, on-air folder) where accounts exist: login is required."""
    folder = workdir / "secured"
    folder.mkdir(exist_ok=True)
    settings = load_settings(write_config(folder, cache=speech_cache), must_exist=True)
    with Store.open(settings) as store:
        Accounts(store).add("quan-tri", ADMIN, PASSWORD, by="test")
    return settings


_days = itertools.count(0)


@pytest.fixture
def episode(secured: Settings) -> EpisodeRecord:
    """A fresh draft for each test (its own date): one test's approval never meets another's."""
    record = build_draft(secured, DAY + dt.timedelta(days=next(_days)))
    assert record is not None
    return record


PASSWORD = "mat-khau-rat-dai-1"


def account(settings: Settings, role: str = APPROVER, full_name: str = "") -> str:
    """A new account with a unique name (tests share the database but not their accounts)."""
    name = f"u{uuid.uuid4().hex[:10]}"
    with Store.open(settings) as store:
        Accounts(store).add(name, role, PASSWORD, full_name=full_name, by="test")
    return name


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:300]
    return match.group(1)


def login(client: FlaskClient, name: str, password: str = PASSWORD, next_: str | None = None) -> TestResponse:
    token = token_of(client.get("/login").get_data(as_text=True))
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(url, data={"csrf_token": token, "name": name, "password": password})


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def audit(settings: Settings, action: str, who: str) -> list[AuditEntry]:
    with Store.open(settings) as store:
        return [a for a in store.audit(limit=5000) if a.action == action and a.who == who]


def test_once_an_account_exists_everything_but_static_files_needs_a_login(secured: Settings,
                                                                           episode: EpisodeRecord) -> None:
    client = create_app(secured).test_client()
    for url in ["/", f"/episodes/{episode.id}", f"/episodes/{episode.id}/program.mp3", "/onair/podcast.xml",
                f"/episodes/{episode.id}/segments/01-mo-dau.mp3"]:
        response = client.get(url)
        assert response.status_code == 303 and response.headers["Location"].startswith("/login"), url
    assert client.get("/jobs/" + "0" * 32 + ".json").status_code == 401  # polling scripts get JSON, not a page
    assert client.get("/static/style.css").status_code == 200
    token = token_of(client.get("/login").get_data(as_text=True))
    response = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "revision": "1"})
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    with Store.open(secured) as store:
        assert store.get(episode.id).state == "draft"


def test_300_wrong_passwords_throttled_and_logged(secured: Settings) -> None:
    name = account(secured)
    app = create_app(secured)
    # the site's clock stands still: no block runs out while the test runs, however busy the machine
    logins: Logins = app.extensions["broadcast"]["logins"]
    start = time.time()
    logins.clock = lambda: start
    client = from_address(app, "192.0.2.10")  # an address of its own: the block must not reach other tests
    checked: list[str] = []
    real = accounts_module.verify_password

    def counting(password: str, stored: str) -> bool:
        checked.append(password)
        return real(password, stored)

    accounts_module.verify_password = counting  # type: ignore[assignment]
    try:
        token = token_of(client.get("/login").get_data(as_text=True))
        codes = [client.post("/login", data={"csrf_token": token, "name": name, "password": f"sai-{i:04d}"})
                 for i in range(300)]
    finally:
        accounts_module.verify_password = real  # type: ignore[assignment]
    statuses = [r.status_code for r in codes]
    assert set(statuses) == {401, 429}
    assert statuses[:5] == [401] * 5  # five free tries, then the back-off
    assert len(checked) == statuses.count(401) <= 8, len(checked)  # a throttled attempt checks no password
    throttled = next(r for r in codes if r.status_code == 429)
    page = throttled.get_data(as_text=True)
    assert "Hãy thử lại sau" in page and int(throttled.headers["Retry-After"]) >= 1
    failures = audit(secured, "login-failed", name)
    assert len(failures) == len(checked) and all("192.0.2.10" in f.detail for f in failures)
    assert 1 <= len(audit(secured, "login-throttled", name)) <= len(checked)  # logged once per block, not 290 times

    # while blocked, even the right password is not checked; the block holds per address for other names ...
    assert login(client, name).status_code == 429
    other = account(secured)
    assert login(client, other).status_code == 429
    # ... and per account from another address
    far = from_address(app, "192.0.2.55")
    assert login(far, name).status_code == 429
    assert login(far, other).status_code == 303  # that address and that account are fine

    # the delay grows: after the block runs out, one more wrong password blocks longer than before
    with Store.open(secured) as store, store.connection() as conn:
        before = conn.execute("SELECT blocked_until - last_at FROM login_failures WHERE key = ?",
                              (f"account:{name}",)).fetchone()[0]
    shift = before + 1
    logins.clock = lambda: start + shift
    assert login(from_address(app, "192.0.2.56"), name, "sai-nua").status_code == 401
    with Store.open(secured) as store, store.connection() as conn:
        after = conn.execute("SELECT blocked_until - last_at FROM login_failures WHERE key = ?",
                             (f"account:{name}",)).fetchone()[0]
    assert after == 2 * before


def test_logout_revokes_cookie(secured: Settings) -> None:
    name = account(secured)
    app = create_app(secured)
    officer = app.test_client()
    assert login(officer, name).status_code == 303
    cookie = officer.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200  # a copied cookie works while the session lives ...
    with Store.open(secured) as store, store.connection() as conn:
        stored = [r[0] for r in conn.execute("SELECT token_sha256 FROM sessions")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", s) for s in stored)  # only hashes of the tokens are kept
    token = token_of(officer.get("/").get_data(as_text=True))
    assert officer.post("/logout", data={"csrf_token": token}).status_code == 303
    assert thief.get("/").status_code == 303  # ... and stops at once when its owner logs out
    assert officer.get("/").status_code == 303
    assert audit(secured, "logout", name)


def test_disable_revokes_session(secured: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    name = account(secured, EDITOR)
    client = create_app(secured).test_client()
    assert login(client, name).status_code == 303 and client.get("/").status_code == 200
    assert main(["users", "disable", name, "--config", str(secured.source_file)]) == 0
    assert "đã kết thúc" in capsys.readouterr().err
    assert client.get("/").status_code == 303
    assert login(client, name).status_code == 401  # the right password of a disabled account: refused
    assert main(["users", "enable", name, "--config", str(secured.source_file)]) == 0
    assert login(client, name).status_code == 303


def test_password_change_revokes_sessions(secured: Settings, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    name = account(secured)
    client = create_app(secured).test_client()
    assert login(client, name).status_code == 303
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-moi-hoan-toan\n"))
    assert main(["users", "password", name, "--mat-khau-tu-stdin", "--config", str(secured.source_file)]) == 0
    assert client.get("/").status_code == 303
    assert login(client, name).status_code == 401
    assert login(client, name, "mat-khau-moi-hoan-toan").status_code == 303


def test_idle_session_expires(secured: Settings) -> None:
    name = account(secured)
    app = create_app(secured)
    client = app.test_client()
    assert login(client, name).status_code == 303
    logins: Logins = app.extensions["broadcast"]["logins"]
    idle = secured.review.session_idle_minutes * 60
    logins.clock = lambda: time.time() + idle - 60
    assert client.get("/").status_code == 200  # used within the idle time: still logged in, last use moves on
    logins.clock = lambda: time.time() + 2 * idle - 90
    assert client.get("/").status_code == 200
    logins.clock = lambda: time.time() + 3 * idle
    response = client.get("/")
    assert response.status_code == 303
    assert "hết hạn" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/episodes/1", "/episodes/1"), ("/?state=draft", "/?state=draft"), ("//evil.example", "/"),
    ("/%09/evil.example", "/"), ("/%5Cevil.example", "/"), ("/\\evil.example", "/"), ("http://evil.example/", "/"),
    ("https:evil.example", "/"), ("javascript:alert(1)", "/"), ("/x%0D%0ASet-Cookie:%20a=b", "/"),
    ("/x%0Aevil", "/"), ("%2F%2Fevil.example", "/"), ("", "/"), ("evil.example", "/"), ("/%E1%BA%A1", "/"),
])
def test_next_is_local_only(secured: Settings, target: str, expected: str) -> None:
    client = create_app(secured).test_client()
    response = login(client, "quan-tri", next_=target)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert response.headers["Location"] == expected
    assert safe_next(urllib.parse.unquote(target)) == expected


def test_roles_decide_who_may_approve_and_the_account_is_recorded(secured: Settings, episode: EpisodeRecord) -> None:
    editor = account(secured, EDITOR, "Trần Văn Ba")
    approver = account(secured, APPROVER, "Lê Văn Hùng")
    app = create_app(secured)
    client = app.test_client()
    assert login(client, editor).status_code == 303
    page = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert 'id="save"' in page and 'id="approve"' not in page and 'name="by"' not in page
    assert f"Trần Văn Ba ({editor})" in page and "biên tập" in page
    token = token_of(page)
    with Store.open(secured) as store:
        revision = store.get(episode.id).revision
    refused = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "revision": str(revision)})
    assert refused.status_code == 403 and "không có quyền phê duyệt" in refused.get_data(as_text=True)

    client = app.test_client()
    assert login(client, approver).status_code == 303
    token = token_of(client.get(f"/episodes/{episode.id}").get_data(as_text=True))
    response = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "revision": str(revision),
                                                                   "by": "Chủ tịch xã"})  # a typed name is ignored
    assert response.status_code == 303
    with Store.open(secured) as store:
        approval = store.approval(episode.id)
    assert approval is not None and approval.by == f"Lê Văn Hùng ({approver})"


def test_command_line_by_is_checked_against_the_accounts(secured: Settings, episode: EpisodeRecord,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    editor = account(secured, EDITOR)
    blocked = account(secured, APPROVER)
    approver = account(secured, APPROVER)
    config = str(secured.source_file)
    assert main(["users", "disable", blocked, "--config", config]) == 0
    capsys.readouterr()
    with Store.open(secured) as store:
        revision = str(store.get(episode.id).revision)
    for by, message in [("ong-hung", "không phải tài khoản"), (editor, "không có quyền phê duyệt"),
                        (blocked, "đã bị khóa")]:
        assert main(["review", "approve", str(episode.id), "--revision", revision, "--by", by,
                     "--config", config]) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert main(["review", "reject", str(episode.id), "--by", editor, "--reason", "x", "--config", config]) == 1
    assert "không có quyền từ chối" in capsys.readouterr().err
    with Store.open(secured) as store:
        record = store.get(episode.id)
    assert main(["review", "approve", str(episode.id), "--revision", str(record.revision), "--by", approver,
                 "--config", config]) == 0
    with Store.open(secured) as store:
        approval = store.approval(episode.id)
    assert approval is not None and approval.by == approver


def test_review_password_never_touches_config_toml(secured: Settings, tmp_path: Path) -> None:
    config = secured.source_file
    assert config is not None
    before = config.read_bytes()
    config.chmod(0o640)
    name = account(secured)
    result = subprocess.run([sys.executable, "-m", "broadcast", "review", "password", name, "--mat-khau-tu-stdin",
                             "--config", str(config)], input="mat-khau-doi-qua-review\n", capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert config.read_bytes() == before and stat.S_IMODE(config.stat().st_mode) == 0o640
    assert "mat-khau-doi-qua-review" not in secured.review.database.read_bytes().decode("latin-1")
    client = create_app(secured).test_client()
    assert login(client, name, "mat-khau-doi-qua-review").status_code == 303
    # without a terminal and without the flag: one line saying how, nothing changed
    result = subprocess.run([sys.executable, "-m", "broadcast", "users", "password", name, "--config", str(config)],
                            input="", capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "--mat-khau-tu-stdin" in result.stderr and result.stderr.count("\n") == 1


def test_database_with_password_hashes_is_owner_only(secured: Settings, tmp_path: Path) -> None:
    with Store.open(secured) as store, store.connection() as conn:
        conn.execute("SELECT 1").fetchone()
        for path in [secured.review.database, *secured.review.database.parent.glob("*.sqlite-*")]:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    old = tmp_path / "old.sqlite"  # a database an earlier version left world-readable, at schema 1
    Store(old).migrate(MIGRATIONS[:1])
    old.chmod(0o644)
    assert Store(old).migrate() == len(MIGRATIONS)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    backups = list(tmp_path.glob("old.sqlite.v1.bak"))
    assert backups and stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_users_commands(secured: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = str(secured.source_file)
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-cua-mai-1\n"))
    assert main(["users", "add", "Mai.NV", "--vai-tro", "bien-tap", "--ho-ten", "Nguyễn Văn Mai",
                 "--mat-khau-tu-stdin", "--config", config]) == 0
    assert main(["users", "list", "--config", config]) == 0
    out = capsys.readouterr().out
    assert re.search(r"mai\.nv\s+biên tập\s+đang dùng .* Nguyễn Văn Mai", out)
    assert "scrypt" not in out
    for argv, message in [(["users", "add", "mai.nv", "--vai-tro", "bien-tap"], "đã có"),
                          (["users", "add", "Bà Mai", "--vai-tro", "bien-tap"], "không hợp lệ"),
                          (["users", "add", "mai2", "--vai-tro", "chu-tich"], "Vai trò"),
                          (["users", "disable", "khong-co"], "Không có tài khoản")]:
        monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-cua-mai-1\n"))
        assert main([*argv, "--mat-khau-tu-stdin", "--config", config] if argv[1] == "add"
                    else [*argv, "--config", config]) == 1
        assert message in capsys.readouterr().err, argv
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["users", "add", "mai3", "--vai-tro", "phe-duyet", "--mat-khau-tu-stdin", "--config", config]) == 1
    assert "ít nhất 8" in capsys.readouterr().err


def test_a_wrong_name_costs_a_password_check_too(secured: Settings) -> None:
    """An unknown name is checked against a dummy hash: the answer's time does not tell which names exist."""
    calls: list[str] = []
    real = accounts_module.verify_password

    def counting(password: str, stored: str) -> bool:
        calls.append(stored)
        return real(password, stored)

    accounts_module.verify_password = counting  # type: ignore[assignment]
    try:
        client = from_address(create_app(secured), "192.0.2.99")
        assert login(client, "khong-ai-ca", "mat-khau-bat-ky").status_code == 401
    finally:
        accounts_module.verify_password = real  # type: ignore[assignment]
    assert len(calls) == 1 and calls[0].startswith("scrypt$")
