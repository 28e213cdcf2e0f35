"""Benchmark: hostile feeds must not exhaust memory or time.

Cases, each in a fresh subprocess so peak memory (max RSS) is per case:
  - a 50 MB feed served over HTTP on 127.0.0.1 (read with the default 5 MB cap);
  - a 10,000-item feed file (cut to the default 300 items before parsing);
  - the two real VnExpress captures, as a baseline.
Targets: peak RSS under 200 MB and under 10 s per case.

    python bench/feed_caps.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, resource, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from broadcast.sources.feeds import read_feed

kind, arg = sys.argv[1], sys.argv[2]
ITEM = ("<item><title>Thủ tục hành chính số {k}</title><guid>g{k}</guid>"
        "<pubDate>Tue, 24 Nov 2026 08:00:00 +0700</pubDate><description>" + "Hồ sơ một cửa. " * 60 +
        "</description></item>")
if kind == "http":
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            self.send_response(200); self.end_headers()
            try:
                self.wfile.write(b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>')
                sent, k = 0, 0
                while sent < 50 * 1024 * 1024:
                    chunk = ITEM.format(k=k).encode(); self.wfile.write(chunk); sent += len(chunk); k += 1
                self.wfile.write(b"</channel></rss>")
            except (BrokenPipeError, ConnectionResetError):
                pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed = f"http://127.0.0.1:{server.server_address[1]}/rss"
elif kind == "items":
    feed = arg
    with open(feed, "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>')
        for k in range(10_000):
            handle.write(ITEM.format(k=k))
        handle.write("</channel></rss>")
else:
    feed = arg
started = time.perf_counter()
result = read_feed(feed, timeout=10)
elapsed = time.perf_counter() - started
print(json.dumps({"items": len(result.items), "seconds": round(elapsed, 2),
                  "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "warnings": list(result.warnings)}, ensure_ascii=False))
"""


def run(kind: str, arg: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CASE, kind, arg], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("50 MB over HTTP", "http", ""), ("10,000 items", "items", str(Path(tmp) / "many.xml"))]
        cases += [(p.name, "file", str(p)) for p in sorted((ROOT / "tests" / "data" / "feeds").glob("*.xml"))]
        for name, kind, arg in cases:
            report = run(kind, arg)
            ok = float(report["max_rss_mb"]) < 200 and float(report["seconds"]) < 10  # type: ignore[arg-type]
            failed |= not ok
            print(f"{name:55} {report['items']:>5} items  {report['seconds']:>6} s  "
                  f"peak {report['max_rss_mb']:>6} MB  {'ok' if ok else 'OVER TARGET'}")
            for warning in report["warnings"]:  # type: ignore[attr-defined]
                print(f"    {warning}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
