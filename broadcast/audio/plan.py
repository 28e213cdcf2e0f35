"""The loudness plan: every level a programme is made to, in one frozen value.

The officer sets two numbers (``audio.loudness_target``, ``audio.true_peak``);
everything else here follows from measurements and is the same for every
programme. Clips, jingles, fixed pieces, the joined and the mixed programme
all take their levels from one ``LoudnessPlan`` (``LoudnessPlan.of``), so no
module keeps a copy of a margin or a tolerance of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broadcast.config import AudioSettings


@dataclass(frozen=True)
class LoudnessPlan:
    """Target, ceilings, margins and tolerances of one programme."""

    target_lufs: float = -16.0          # integrated loudness of the programme as decoded (BS.1770)
    ceiling_dbtp: float = -1.5          # true peak of the MP3 as decoded
    # MP3 encoding added 0.4–1.4 dB of true peak to speech here (espeak's buzzy voice the most, at
    # 128k): audio is aimed this far under the ceiling before it is encoded.
    mp3_margin_db: float = 2.0
    # Each clip a little under that aim, so the programme's final small gain needs no limiter.
    clip_headroom_db: float = 0.6
    # MP3's low-pass removes some K-weighted energy: decoded speech measured 0.3–0.5 LU quieter than
    # the PCM it was encoded from. Clips are made this much louder; a mixed programme starts with it.
    mp3_loss_lu: float = 0.3
    # Music reads louder than speech at equal LUFS: jingles and stings a touch under the speech.
    jingle_below_speech_lu: float = 2.0
    # How close the gain search gets on a clip (in process, cheap) and on a mixed programme (each
    # try is a pass of ffmpeg): the programme then lands within a few tenths of a LU of the target.
    clip_tolerance_lu: float = 0.05
    programme_tolerance_lu: float = 0.3
    # What the manifest calls "within spec" (and when a joined programme must be mixed instead).
    spec_tolerance_lu: float = 1.0

    @classmethod
    def of(cls, audio: AudioSettings) -> LoudnessPlan:
        return cls(target_lufs=audio.loudness_target, ceiling_dbtp=audio.true_peak)

    @property
    def aim_ceiling(self) -> float:
        """True peak aimed at before encoding, leaving room for MP3's overshoot."""
        return self.ceiling_dbtp - self.mp3_margin_db

    @property
    def clip_ceiling(self) -> float:
        """True-peak ceiling of each clip and fixed piece."""
        return self.aim_ceiling - self.clip_headroom_db

    @property
    def clip_target(self) -> float:
        """Loudness of each clip before encoding, so that it is on target as decoded."""
        return self.target_lufs + self.mp3_loss_lu

    @property
    def music_target(self) -> float:
        """Loudness of the jingles and stings (before the MP3 correction)."""
        return self.target_lufs - self.jingle_below_speech_lu

    def within_spec(self, integrated: float, true_peak: float) -> bool:
        return abs(integrated - self.target_lufs) <= self.spec_tolerance_lu and true_peak <= self.ceiling_dbtp
