"""A build makes the programme's fixed pieces once: registering the draft does not make them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.audio import assemble
from broadcast.config import load_settings
from broadcast.review import workflow as wf
from broadcast.review.resynth import ensure_parts

from .conftest import DAY, write_config


def test_a_draft_makes_its_fixed_pieces_once_and_an_episode_without_them_gets_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path, extra="")
    config.write_text(config.read_text(encoding="utf-8").replace('engines = ["espeak"]', 'engines = ["fake"]')
                      .replace("jingle = false\n", ""), encoding="utf-8")
    settings = load_settings(config, must_exist=True)
    made: list[Path] = []
    real = assemble.fixed_pieces

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        if tmp_path in Path(args[1]).parents:   # not another test's episode, assembled on a thread meanwhile
            made.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(assemble, "fixed_pieces", spy)
    record = wf.build_draft(settings, DAY)
    assert record is not None and len(made) == 1
    pieces = sorted(p.name for p in (record.folder / "parts").glob("*.mp3"))
    assert "intro.mp3" in pieces and "outro.mp3" in pieces
    (record.folder / "parts" / "intro.mp3").unlink()     # an episode built before pieces were kept
    ensure_parts(settings, record)
    assert len(made) == 2 and (record.folder / "parts" / "intro.mp3").is_file()
