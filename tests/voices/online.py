"""A tiny config whose first voice is online (Google at a local address, or Edge), for the online-voice tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
PROJECT = Path(__file__).resolve().parents[2]


def write_config(folder: Path, port: int, *, publish: str = "30 5 * * *", engines: str = '["gtts", "espeak"]',
                 speech: str = "") -> Path:
    """config.toml in ``folder``: one news item, one FAQ, no jingle; Google at 127.0.0.1:``port``."""
    path = folder / "config.toml"
    path.write_text(f"""# Cấu hình thử nghiệm: ghi chú này phải còn sau khi trang duyệt bài đổi giọng đọc.
[column]
templates = "{(PROJECT / 'scripts_templates').as_posix()}"
news_items = 1
faq_items = 1
target_minutes = 1.0

[sources]
feeds = ["{(DATA / 'feed.xml').as_posix()}"]
statistics = ""
faq = "{(DATA / 'faq').as_posix()}"
keywords = []

[speech]
# Giọng trực tuyến trước, giọng dự phòng sau.
engines = {engines}
gtts_url = "http://127.0.0.1:{port}"
retries = 1
backoff_s = 0.0
timeout_s = 5.0
cache = "cache"
takes = ""
{speech}

[audio]
jingle = false
sample_rate = 22050
bitrate = "64k"

[output]
folder = "audio_out"

[review]
database = "state/broadcast.sqlite"
onair = "onair"

[schedule]
build = "0 14 * * 3"
remind = []
publish = "{publish}"
revoice_minutes = 30
revoice_stop_minutes = 120
""", encoding="utf-8")
    return path
