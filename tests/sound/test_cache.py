"""A rebuild after editing one sentence re-synthesises only that sentence."""

from __future__ import annotations

from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import Settings
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.stage import make_speaker

from .helpers import segment


class CountingEspeak(EspeakEngine):
    """The real offline engine, recording every sentence it is asked to synthesise."""

    calls: list[str]

    def synthesize(self, text: str) -> AudioSegment:
        self.calls.append(text)
        return super().synthesize(text)


def _voice(settings: Settings, text: str) -> list[str]:
    engine = CountingEspeak(settings.speech)
    engine.calls = []
    make_speaker(settings, [engine]).voice(segment("tin-1", text))   # a fresh speaker: a new build
    return engine.calls


def test_rebuild_after_one_edit_resynthesises_only_that_sentence(settings: Settings) -> None:
    original = "Xã tổ chức tiếp công dân vào thứ Hai. Hồ sơ được nhận tại bộ phận một cửa. Xin cảm ơn bà con."
    edited = original.replace("thứ Hai", "thứ Ba")
    assert _voice(settings, original) == ["Xã tổ chức tiếp công dân vào thứ Hai.",
                                          "Hồ sơ được nhận tại bộ phận một cửa.", "Xin cảm ơn bà con."]
    assert _voice(settings, original) == []
    assert _voice(settings, edited) == ["Xã tổ chức tiếp công dân vào thứ Ba."]


def test_a_changed_voice_setting_is_a_different_sound(settings: Settings, tmp_path: Path) -> None:
    from broadcast.config import override

    text = "Xin cảm ơn bà con."
    assert _voice(settings, text) == [text]
    assert _voice(override(settings, "speech.rate", 160), text) == [text]


def test_espeak_pauses_at_commas(settings: Settings) -> None:
    """The clause break is real: commas lengthen the clip by about the configured break each."""
    engine = EspeakEngine(settings.speech)
    plain = len(engine.synthesize("Sáng thứ Hai thứ Tư thứ Sáu"))
    paused = len(engine.synthesize("Sáng thứ Hai, thứ Tư, thứ Sáu"))
    assert paused - plain >= 2 * settings.speech.espeak_clause_ms * 0.6
