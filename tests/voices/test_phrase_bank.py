"""The officer's recorded takes: converted, trimmed, matched by words, used in place of the synthetic voice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from broadcast import pipeline
from broadcast.audio.ffmpeg import read_mp3
from broadcast.config import Settings, load_settings
from broadcast.errors import AudioError, ReviewError
from broadcast.models import Segment, TakeNote
from broadcast.speech.stage import make_speaker
from broadcast.speech.takes import RECORDED, TakeBank, convert, text_key
from tests.review.conftest import write_config

from .conftest import needs_asr
from .recordings import officer_says, wav_bytes

CLOSING = "Xin kính chào và hẹn gặp lại."     # the last sentence of every programme (closing template)
DAY = dt.date(2026, 11, 27)


@pytest.fixture
def site_settings(tmp_path: Path) -> Settings:
    return load_settings(write_config(tmp_path), must_exist=True)


def test_take_upload_is_converted_and_trimmed_of_silence(site_settings: Settings) -> None:
    raw = officer_says(CLOSING, pad_ms=1500)
    audio = convert(wav_bytes(raw), sample_rate=22050)
    assert (audio.frame_rate, audio.channels, audio.sample_width) == (22050, 1, 2)
    assert len(audio) <= len(raw) - 3000          # 1.5 s of silence added at each end is gone...
    assert audio[:30].max_dBFS > -46 and audio[-30:].max_dBFS > -46   # ...and it now starts and ends in speech


def test_take_upload_that_is_not_audio_is_one_vietnamese_line() -> None:
    with pytest.raises(AudioError, match=r"^Không đọc được bản ghi âm \(9 byte\): .*Hãy ghi âm lại\.$"):
        convert(b"not audio", sample_rate=22050)
    with pytest.raises(AudioError, match="im lặng"):
        convert(wav_bytes(officer_says("", pad_ms=1000)[:1000]), sample_rate=22050)


def test_takes_match_by_words_not_case_or_punctuation(site_settings: Settings) -> None:
    bank = TakeBank(site_settings.speech.takes)
    bank.add("Tin tiếp theo.", convert(wav_bytes(officer_says("Tin tiếp theo.")), sample_rate=22050),
             by="Nguyễn Thị Lan", listen=False)
    assert bank.find("tin tiếp theo") is not None and bank.find("TIN TIẾP THEO!") is not None
    assert bank.find("Tin tiếp theo đây.") is None
    assert text_key("Tin tiếp theo.") == text_key("tin  tiếp theo")


def test_rerecording_a_take_is_a_new_revision_and_keeps_the_old_audio(site_settings: Settings) -> None:
    bank = TakeBank(site_settings.speech.takes)
    audio = convert(wav_bytes(officer_says(CLOSING)), sample_rate=22050)
    first = bank.add(CLOSING, audio, by="Lan", listen=False)
    second = bank.add(CLOSING, audio, by="Hùng", listen=False)
    assert (first.revision, second.revision, bank.find(CLOSING).by) == (1, 2, "Hùng")  # type: ignore[union-attr]
    assert (site_settings.speech.takes / f"{first.key}.r1.wav").is_file()   # type: ignore[operator]


def test_take_needs_a_name_and_a_text(site_settings: Settings) -> None:
    bank = TakeBank(site_settings.speech.takes)
    audio = convert(wav_bytes(officer_says(CLOSING)), sample_rate=22050)
    with pytest.raises(ReviewError, match="tên người đọc"):
        bank.add(CLOSING, audio, by="  ", listen=False)
    with pytest.raises(ReviewError, match="trống"):
        bank.add(" … ", audio, by="Lan", listen=False)


def _closing(folder: Path) -> dict[str, object]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return next(s for s in manifest["segments"] if s["id"] == "ket-thuc")


def test_phrase_bank_sentence_is_used_in_every_build(site_settings: Settings) -> None:
    """Recorded once, the closing sentence is the officer's voice in this week's build and next week's."""
    plain = pipeline.build(site_settings, DAY, name="khong-ghi-am")
    bank = TakeBank(site_settings.speech.takes)
    take = bank.add(CLOSING, convert(wav_bytes(officer_says(CLOSING)), sample_rate=22050), by="Nguyễn Thị Lan",
                    listen=False)
    with_take = pipeline.build(site_settings, DAY)
    next_week = pipeline.build(site_settings, DAY + dt.timedelta(days=7))
    for episode in (with_take, next_week):
        closing = _closing(episode.folder)
        assert closing["engine"] == "espeak"
        assert closing["recorded"] == [{"text": CLOSING, "by": "Nguyễn Thị Lan", "at": take.at, "revision": 1}]
    assert _closing(plain.folder)["recorded"] == []
    # the take's audio is what changed: the segment grew by the take less the synthetic sentence it replaced
    synthetic = make_speaker(site_settings).engines[0].synthesize(CLOSING)
    grown = (len(read_mp3(with_take.folder / str(_closing(with_take.folder)["file"])))
             - len(read_mp3(plain.folder / str(_closing(plain.folder)["file"])))) / 1000
    assert grown == pytest.approx(take.seconds - len(synthetic) / 1000, abs=0.15)


def test_whole_segment_take_replaces_the_synthetic_voice(site_settings: Settings) -> None:
    text = "Kính thưa bà con, xin kính chào quý vị và các bạn."
    bank = TakeBank(site_settings.speech.takes)
    take = bank.add(text, convert(wav_bytes(officer_says(text)), sample_rate=22050), by="Lan", kind="segment",
                    episode=1, segment="mo-dau", listen=False)
    speaker = make_speaker(site_settings)
    voicing = speaker.voice(Segment("mo-dau", "Mở đầu", text, spoken=text))
    assert voicing.engine == RECORDED == "ghi âm"
    assert voicing.recorded == [TakeNote(text=text, by="Lan", at=take.at, revision=1)]
    assert len(voicing.audio) == pytest.approx(take.seconds * 1000, abs=60)


@needs_asr
def test_asr_take_that_says_another_text_is_flagged_until_confirmed(site_settings: Settings) -> None:
    bank = TakeBank(site_settings.speech.takes)
    wrong = convert(wav_bytes(officer_says("một hai ba bốn năm sáu bảy tám chín mười")), sample_rate=22050)
    take = bank.add(CLOSING, wrong, by="Lan")
    assert take.flagged and take.wer is not None and take.wer > 0.6 and take.heard
    assert bank.find(CLOSING) is None
    bank.confirm(take.key, by="Hùng")
    assert bank.find(CLOSING) is not None
