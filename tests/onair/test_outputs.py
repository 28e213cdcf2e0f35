"""Each output with a real MP3 of real speech: what came out is decoded and measured."""

from __future__ import annotations

import array
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from broadcast.audio.meter import measure_path, measure_samples
from broadcast.errors import OutputError
from broadcast.files import sha256
from broadcast.onair.outputs.folder import ONAIR_FILE, FolderOutput
from broadcast.onair.outputs.icecast import IcecastOutput
from broadcast.onair.outputs.soundcard import SoundCardOutput, devices, duration_of
from tests.onair.conftest import Icecast, Listener, free_port
from tests.schedule.waiting import wait_for


class Tap:
    """Everything the sound card was given, as int16 stereo frames."""

    def __init__(self) -> None:
        self.blocks: list[array.array] = []
        self.first = threading.Event()

    def __call__(self, block: array.array) -> None:
        self.blocks.append(block)
        if len(block):
            self.first.set()

    def mono(self) -> np.ndarray:
        samples = np.frombuffer(b"".join(b.tobytes() for b in self.blocks), dtype=np.int16).reshape(-1, 2)
        return samples[:, 0].astype(np.float64) / 32768.0


def test_sound_card_null_backend_plays_the_programme_start_to_end_in_real_time(speech_mp3: Path) -> None:
    assert devices("null") == ["NULL Playback Device"]
    tap = Tap()
    seconds = duration_of(speech_mp3)
    started = time.monotonic()
    played = SoundCardOutput(backend="null", tap=tap).play(speech_mp3, stop=threading.Event())
    took = time.monotonic() - started
    rate = 22050
    heard = tap.mono()
    assert not played.interrupted
    assert len(heard) / rate == pytest.approx(seconds, abs=0.03)
    assert took >= seconds * 0.95, "the device consumes at real time, not as fast as it can"
    # what reached the device is the programme: same loudness as the file decoded on its own
    assert measure_samples(heard.reshape(-1, 1), rate).integrated == pytest.approx(
        measure_path(speech_mp3, rate).integrated, abs=0.3)


def test_sound_card_stop_fades_out_and_reports_interrupted(speech_mp3: Path) -> None:
    tap = Tap()
    stop = threading.Event()
    threading.Thread(target=lambda: (tap.first.wait(5), time.sleep(0.3), stop.set()), daemon=True).start()
    played = SoundCardOutput(backend="null", tap=tap).play(speech_mp3, stop=stop)
    assert played.interrupted
    assert played.seconds < duration_of(speech_mp3) - 2
    tail = tap.mono()[-2205:]   # the last 0.1 s is (nearly) silent: a fade, not a cut
    assert np.abs(tail).max() < 0.06


def test_sound_card_unknown_device_names_the_available_ones(speech_mp3: Path) -> None:
    with pytest.raises(OutputError, match="NULL Playback Device"):
        SoundCardOutput(device="Loa hội trường", backend="null").play(speech_mp3, stop=threading.Event())


def test_icecast_listener_receives_the_whole_programme_with_its_length_and_loudness(
        speech_mp3: Path, icecast: Icecast, tmp_path: Path) -> None:
    url = icecast.url("kiem-tra-luong.mp3")
    listener = Listener(url).start()
    started = time.monotonic()
    played = IcecastOutput(url, password=icecast.password, station="Đài truyền thanh xã").play(
        speech_mp3, stop=threading.Event())
    took = time.monotonic() - started
    assert listener.finished.wait(15), "the listener's stream ends when the source leaves"
    heard = listener.save(tmp_path / "heard.mp3")
    seconds = duration_of(speech_mp3)
    assert not played.interrupted and played.seconds == pytest.approx(seconds)
    assert took >= seconds - 0.5, "sent at real-time pace"
    assert duration_of(heard) == pytest.approx(seconds, abs=0.1)
    assert measure_path(heard, 22050).integrated == pytest.approx(measure_path(speech_mp3, 22050).integrated, abs=0.3)


def test_icecast_wrong_password_is_refused_with_a_clear_line(speech_mp3: Path, icecast: Icecast) -> None:
    output = IcecastOutput(icecast.url("sai-mat-khau.mp3"), password="sai")
    with pytest.raises(OutputError, match="từ chối mật khẩu"):
        output.play(speech_mp3, stop=threading.Event())


def test_icecast_unreachable_server_is_an_output_error(speech_mp3: Path) -> None:
    output = IcecastOutput(f"http://127.0.0.1:{free_port()}/cchc.mp3", password="x")
    with pytest.raises(OutputError, match="Không kết nối được"):
        output.play(speech_mp3, stop=threading.Event())


def test_icecast_without_password_is_disabled_with_a_reason() -> None:
    output = IcecastOutput("http://127.0.0.1:8000/cchc.mp3")
    assert not output.available()
    assert "icecast_password" in output.disabled_message()


def test_folder_output_copies_the_programme_atomically(speech_mp3: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dang-phat"
    played = FolderOutput(folder).play(speech_mp3, stop=threading.Event())
    copy = folder / ONAIR_FILE
    assert sha256(copy) == sha256(speech_mp3)
    assert duration_of(copy) == pytest.approx(duration_of(speech_mp3)) == pytest.approx(played.seconds)
    assert sorted(p.name for p in folder.iterdir()) == [ONAIR_FILE], "no temporary file left behind"


def test_folder_output_on_a_file_in_the_way_is_an_output_error(speech_mp3: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "dang-phat"
    blocked.write_text("not a folder")
    with pytest.raises(OutputError, match="onair"):
        FolderOutput(blocked).play(speech_mp3, stop=threading.Event())
    assert blocked.read_text() == "not a folder"


def test_listener_helper_waits_for_the_mount(icecast: Icecast) -> None:
    listener = Listener(icecast.url("chua-co.mp3")).start()
    assert not wait_for(listener.connected.is_set, 0.3)
    listener.stop()
    assert listener.finished.wait(5)
