"""Files and database agree: each segment file has the sha256 the database recorded for it.

Checked before a segment is joined into the programme, before an approval and
before a publication; a file changed behind the program's back is refused by
name. Segments still waiting for their audio ("chưa lồng tiếng") cannot be
approved or published either.
"""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import StateError
from broadcast.files import sha256
from broadcast.review.store import EpisodeRecord, SegmentRecord


def segment_path(record: EpisodeRecord, segment: SegmentRecord) -> Path:
    folder = record.folder.resolve()
    path = (folder / segment.file).resolve()
    if folder not in path.parents:
        raise StateError(f"Đoạn {segment.id} của số phát mã {record.id} trỏ ra ngoài thư mục số phát: "
                         f"{segment.file}. Hãy dựng lại số phát.")
    return path


def check_segments(record: EpisodeRecord, segments: list[SegmentRecord], *, voiced: bool = True) -> list[Path]:
    """The segment files in programme order, each checked against its recorded sha256."""
    if voiced:
        waiting = [s.id for s in segments if not s.voiced]
        if waiting:
            raise StateError(f"Số phát mã {record.id} còn đoạn chưa lồng tiếng ({', '.join(waiting)}). "
                             f"Hãy chờ lồng tiếng xong rồi nghe lại (trang số phát cho biết tiến độ).")
    paths = []
    for segment in segments:
        path = segment_path(record, segment)
        if not path.is_file():
            raise StateError(missing_line(record, segment, path))
        if segment.sha256 and sha256(path) != segment.sha256:
            raise StateError(f"Tệp âm thanh của đoạn {segment.id} ({path}) đã bị thay đổi ngoài chương trình "
                             f"(mã kiểm tra sha256 không khớp cơ sở dữ liệu). Hãy lưu lại đoạn đó để lồng tiếng "
                             f"lại, hoặc dựng lại số phát.")
        paths.append(path)
    return paths


def missing_segments(record: EpisodeRecord, segments: list[SegmentRecord]) -> list[tuple[SegmentRecord, Path]]:
    """Voiced segments whose audio file is gone (deleted or moved by hand), with the path looked for."""
    gone = []
    for segment in segments:
        path = segment_path(record, segment)
        if segment.voiced and not path.is_file():
            gone.append((segment, path))
    return gone


def missing_line(record: EpisodeRecord, segment: SegmentRecord, path: Path) -> str:
    """The one line for a segment file deleted by hand: which file, and the two ways to get it back."""
    return (f"Thiếu tệp âm thanh {path} của đoạn \"{segment.title}\" ({segment.id}), số phát mã {record.id}: tệp đã "
            f"bị xóa hoặc chuyển đi. Hãy lồng tiếng lại các đoạn thiếu tệp (lệnh broadcast review repair "
            f"{record.id}, hoặc nút \"Lồng tiếng lại đoạn thiếu tệp\" trên trang số phát), hoặc dựng lại số phát "
            f"(broadcast build --date {record.date:%d/%m/%Y}).")
