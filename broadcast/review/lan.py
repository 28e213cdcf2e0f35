"""Where a phone on the office Wi-Fi can reach the review site, and a QR code to open it.

``serve --host 0.0.0.0`` listens on every address of the PC; ``http://0.0.0.0``
means nothing to a phone. The PC's own IPv4 addresses on the local network are
found with the standard library: the address the system would use for an
outside route (a UDP "connect" sends no packet) and those of the host name.
"""

from __future__ import annotations

import ipaddress
import socket

_PROBES = ("192.0.2.1", "10.255.255.255")   # never contacted: only the route is looked up


def lan_addresses() -> list[str]:
    """This PC's private IPv4 addresses (192.168.x.x, 10.x.x.x, 172.16–31.x.x), best first."""
    found: list[str] = []
    for probe in _PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                found.append(sock.getsockname()[0])
        except OSError:
            continue
    try:
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    out: list[str] = []
    for address in found:
        ip = ipaddress.ip_address(address)
        if ip.is_private and not ip.is_loopback and not ip.is_link_local and address not in out:
            out.append(address)
    return out


def site_urls(host: str, port: int, addresses: list[str] | None = None) -> list[str]:
    """The addresses to type on a phone: each LAN address for 0.0.0.0, else the host itself."""
    if host in ("0.0.0.0", "", "::"):
        hosts = lan_addresses() if addresses is None else addresses
    else:
        hosts = [host]
    return [f"http://{h}:{port}/" for h in hosts]


def qr_text(url: str) -> str:
    """A QR code of ``url`` drawn with block characters, for the terminal (segno)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def announce(host: str, port: int) -> list[str]:
    """The lines ``serve`` prints: the URL(s), and for a site beyond this PC a QR code and the Wi-Fi hint."""
    from broadcast.review.web.hosts import is_loopback

    if is_loopback(host):
        return [f"Trang duyệt bài: http://{host}:{port}/  (chỉ mở được trên máy này; Ctrl+C để dừng)"]
    urls = site_urls(host, port)
    if not urls:
        return [f"Trang duyệt bài đang chạy ở cổng {port}, nhưng máy chưa có địa chỉ mạng nội bộ. "
                f"Hãy kết nối Wi-Fi hoặc cáp mạng rồi chạy lại. (Ctrl+C để dừng)"]
    lines = ["Trang duyệt bài — mở trên điện thoại (cùng mạng Wi-Fi với máy này):"]
    lines += [f"  {url}" for url in urls]
    lines += ["Hoặc quét mã QR bằng camera điện thoại:", qr_text(urls[0]).rstrip("\n"),
              "Windows hỏi về tường lửa: chọn \"Cho phép\" (Allow) cho mạng riêng (Private). Ctrl+C để dừng."]
    return lines
