"""Programme sound: jingles, stings, pauses, an optional ducked music bed, loudness, encoding.

The programme is streamed through ffmpeg from clip files on disk (concat
demuxer) rather than built as one in-memory ``AudioSegment``: a 45-minute
programme is ~240 MB of PCM, and pydub's joins and exports would hold it two
or three times over. Here Python holds one clip at a time and ffmpeg streams.

Passes over the programme: measure (ebur128), then apply gain/limiter and
encode every output at once, then measure the decoded MP3 as listeners hear it;
if encoding pushed it off target (MP3 adds a few tenths of a dB of true peak)
the apply pass runs again with the correction.
"""

from __future__ import annotations

import functools
import os
import wave
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio import clip as au
from broadcast.audio import dynamics
from broadcast.audio import loudness as ld
from broadcast.audio.ffmpeg import AudioSegment, pipe_through, run_ffmpeg
from broadcast.audio.gain import PROGRAMME_SLOPE, search_gain
from broadcast.audio.meter import measure_path
from broadcast.audio.plan import LoudnessPlan
from broadcast.config import AudioSettings
from broadcast.errors import AudioError
from broadcast.speech.cache import AudioCache

BED_FADE_IN_S = 2.0
BED_FADE_OUT_S = 3.0
# Ducking: under speech at the target loudness the bed drops ~12 dB (measured with the pad and
# espeak), within 20 ms of a word, and comes back over 0.6 s after the voice stops.
DUCK = "sidechaincompress=threshold=0.06:ratio=4:attack=20:release=600:knee=3"
PROGRAMME_VERSION = 2   # bump when the programme's processing changes: cached programmes are then rebuilt


@dataclass(frozen=True)
class Output:
    """One file the programme is encoded to."""

    path: Path
    kind: str                                  # "mp3" or "wav"
    tags: tuple[tuple[str, str], ...] = ()


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / handle.getframerate()


def write_wav(audio: AudioSegment, path: Path) -> Path:
    """A clip as a 16-bit WAV file (the concat demuxer's input)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(audio.channels)
        handle.setsampwidth(2)
        handle.setframerate(audio.frame_rate)
        handle.writeframes(audio.set_sample_width(2).raw_data)
    return path


@functools.lru_cache(maxsize=8)
def music(kind: str, rate: int, channels: int, target: float, ceiling: float) -> AudioSegment:
    """The generated jingle or sting at ``target`` LUFS (made once per process)."""
    audio = au.sting(rate, channels) if kind == "sting" else au.jingle(rate, channels, closing=kind == "outro")
    return ld.match(audio, target, ceiling, speech=False)


def sting_audio(settings: AudioSettings) -> AudioSegment:
    """The sting between segments at the programme's level (for re-assembly after an edit)."""
    plan = LoudnessPlan.of(settings)
    return music("sting", settings.sample_rate, settings.channels, plan.music_target, plan.clip_ceiling)


def sting_seconds(settings: AudioSettings) -> float:
    return len(sting_audio(settings)) / 1000


def _music_part(kind: str, settings: AudioSettings, work: Path, cache: AudioCache | None) -> Path:
    """The jingle or sting as a file; generated once, then kept in the cache (generation is slow Python)."""
    path = work / f"{kind}.wav"
    plan = LoudnessPlan.of(settings)
    args = (kind, settings.sample_rate, settings.channels, plan.music_target, plan.clip_ceiling)
    key = cache.key(f"music:v{PROGRAMME_VERSION}:{dynamics.DYNAMICS_VERSION}", repr(args)) if cache is not None else ""
    data = cache.get_bytes(key, ".wav") if cache is not None else None
    if data is not None:
        path.write_bytes(data)
        return path
    write_wav(music(*args), path)
    if cache is not None:
        cache.put_bytes(key, path.read_bytes(), ".wav")
    return path


def wav_pieces(settings: AudioSettings, work: Path, *, segments: int,
               cache: AudioCache | None = None) -> dict[str, Path]:
    """The fixed pieces as WAV files in ``work``, by role (pause, gap, intro, outro), for
    ``assemble.running_order``: the mixed programme's counterpart of ``assemble.fixed_pieces``."""
    rate, channels, pause_ms = settings.sample_rate, settings.channels, settings.segment_pause_ms
    pieces = {"pause": write_wav(au.silence(pause_ms, rate, channels), work / "pause.wav")}
    if settings.sting and segments > 1:
        half = au.silence(pause_ms // 2, rate, channels)
        pieces["gap"] = write_wav(half + sting_audio(settings) + half, work / "gap.wav")
    if settings.jingle:
        pieces["intro"] = _music_part("intro", settings, work, cache)
        pieces["outro"] = _music_part("outro", settings, work, cache)
    return pieces


def _concat_list(parts: list[Path], work: Path) -> Path:
    def quoted(path: Path) -> str:
        return "'" + str(path.resolve()).replace("'", "'\\''") + "'"

    listing = work / "parts.txt"
    listing.write_text("".join(f"file {quoted(p)}\n" for p in parts), encoding="utf-8")
    return listing


def _bed_input(settings: AudioSettings, work: Path) -> Path | None:
    """The bed as a file to loop: the configured music, or a generated pad loop."""
    if settings.bed == "none":
        return None
    if settings.bed == "file":
        if settings.bed_file is None or not settings.bed_file.is_file():
            raise AudioError(f"audio.bed_file: không tìm thấy tệp nhạc nền {settings.bed_file}.")
        return settings.bed_file
    pad = work / "pad.wav"
    run_ffmpeg(["-f", "lavfi", "-i", f"aevalsrc={au.pad_expression()}:s={settings.sample_rate}:d={au.PAD_LOOP_S}",
                "-c:a", "pcm_s16le", "-y", str(pad)])
    return pad


def _source(parts: list[Path], settings: AudioSettings, work: Path, duration: float) -> tuple[list[str], str]:
    """ffmpeg inputs and a filter graph ending in ``[mix]``: the programme before loudness."""
    layout_name = "mono" if settings.channels == 1 else "stereo"
    fmt = f"aformat=sample_fmts=fltp:sample_rates={settings.sample_rate}:channel_layouts={layout_name}"
    inputs = ["-f", "concat", "-safe", "0", "-i", str(_concat_list(parts, work))]
    bed = _bed_input(settings, work)
    if bed is None:
        return inputs, f"[0:a]{fmt}[mix]"
    level = measure_path(bed, settings.sample_rate, settings.channels)
    if level.integrated <= ld.SILENT_LUFS:
        raise AudioError(f"Nhạc nền {bed.name} gần như im lặng; hãy chọn tệp khác hoặc đặt bed = \"pad\".")
    gain = settings.loudness_target + settings.bed_level - level.integrated
    fade_out = max(0.0, duration - BED_FADE_OUT_S)
    inputs += ["-stream_loop", "-1", "-i", str(bed)]
    graph = (f"[0:a]{fmt},asplit=2[speech][key];"
             f"[1:a]{fmt},volume={gain:.2f}dB,atrim=0:{duration:.3f},"
             f"afade=t=in:d={BED_FADE_IN_S},afade=t=out:st={fade_out:.3f}:d={BED_FADE_OUT_S}[bed];"
             f"[bed][key]{DUCK}[ducked];"
             f"[speech][ducked]amix=inputs=2:duration=first:normalize=0[mix]")
    return inputs, graph


def _encoder(output: Output, settings: AudioSettings) -> list[str]:
    if output.kind == "wav":
        return ["-c:a", "pcm_s16le", "-f", "wav"]
    tags = [arg for key, value in output.tags for arg in ("-metadata", f"{key}={value}")]
    return ["-c:a", "libmp3lame", "-b:a", settings.bitrate, "-ar", str(settings.sample_rate),
            "-ac", str(settings.channels), "-id3v2_version", "3", *tags, "-f", "mp3"]


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _apply(inputs: list[str], graph: str, settings: AudioSettings, outputs: list[Output], temporary: list[Path], *,
           gain_db: float, ceiling_db: float | None) -> None:
    """The mix through ``gain_db`` into every output. With a ``ceiling_db``, the mix streams through
    the clips' own limiter (``dynamics.limit_stream``) between two ffmpeg processes; without, one
    ffmpeg pass applies the gain."""
    labels = "".join(f"[o{k}]" for k in range(len(outputs)))
    encoders: list[str] = []
    for k, (output, tmp) in enumerate(zip(outputs, temporary, strict=True)):
        encoders += ["-map", f"[o{k}]", *_encoder(output, settings), "-y", str(tmp)]
    if ceiling_db is None:
        run_ffmpeg([*inputs, "-filter_complex", f"{graph};[mix]volume={gain_db:.2f}dB,asplit={len(outputs)}{labels}",
                    *encoders])
        return
    rate = settings.sample_rate
    pipe_through([*inputs, "-filter_complex", graph, "-map", "[mix]"],
                 ["-filter_complex", f"[0:a]asplit={len(outputs)}{labels}", *encoders],
                 lambda frames: dynamics.limit_stream(frames, gain_db, ceiling_db, rate),
                 rate=rate, channels=settings.channels)


def render(parts: list[Path], settings: AudioSettings, outputs: list[Output],
           work: Path) -> tuple[float, ld.Loudness]:
    """Mix (over the bed), normalise and encode the running order ``parts`` (WAV files) into ``outputs``.

    Returns the duration and the loudness measured on the first output (the MP3
    as decoded, when there is one). Outputs are written to temporary names and
    renamed into place, so a failure leaves no half file.
    """
    if not parts:
        raise AudioError("Không có đoạn âm thanh nào để ghép.")
    work.mkdir(parents=True, exist_ok=True)
    duration = sum(wav_seconds(p) for p in parts)
    inputs, graph = _source(parts, settings, work, duration)
    measured = ld.parse_ebur128(run_ffmpeg([*inputs, "-filter_complex", f"{graph};[mix]ebur128=peak=true[m]",
                                            "-map", "[m]", "-f", "null", "-"]))
    plan = LoudnessPlan.of(settings)
    ceiling = plan.aim_ceiling
    temporary = [_temporary(o.path) for o in outputs]
    peaks = {"over": 0.0}

    def level_at(extra: float) -> float:
        """One pass: the gain (through the limiter, if the peaks need it), every output encoded; the
        first output measured as decoded."""
        nonlocal ceiling
        gain = plan.target_lufs - measured.integrated + extra if ld.audible(measured) else 0.0
        try:
            _apply(inputs, graph, settings, outputs, temporary, gain_db=gain,
                   ceiling_db=ceiling if measured.true_peak + gain > ceiling else None)
            result = measure_path(temporary[0], settings.sample_rate, settings.channels)
        except BaseException:
            for tmp in temporary:
                tmp.unlink(missing_ok=True)
            raise
        results["last"] = result
        peaks["over"] = result.true_peak - plan.ceiling_dbtp
        if peaks["over"] > 0:
            ceiling -= peaks["over"] + 0.2   # the next pass limits harder
        return result.integrated

    results = {"last": measured}
    search_gain(level_at, plan.target_lufs, plan.mp3_loss_lu if outputs[0].kind == "mp3" else 0.0,
                tolerance=plan.programme_tolerance_lu, tries=4, slope=PROGRAMME_SLOPE, min_slope=0.2,
                accept=lambda _: peaks["over"] <= 0)
    result = results["last"]
    for output, tmp in zip(outputs, temporary, strict=True):
        os.replace(tmp, output.path)
    return duration, result


__all__ = ["Output", "render", "sting_audio", "wav_pieces", "write_wav"]
