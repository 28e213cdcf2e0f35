"""Every error a user can meet, in one tree.

Each carries a message that says what is wrong and what to do about it, in
Vietnamese, because the reader is a commune official. The CLI turns any of them
into one line and a non-zero exit; tracebacks only with ``--verbose``.

    BroadcastError
     ├── ConfigError        bad or missing setting, lexicon, template folder (exit 2)
     ├── InputError         a value given on the command line is unusable: too long, empty (exit 2)
     ├── SourceError        a feed, statistics or FAQ file that cannot be read
     │    └── DataError     a row or entry with a bad value (file, row, column)
     ├── TemplateError      a script template that fails to render (template, line, name)
     ├── SpeechError        every configured voice failed for a text
     ├── AudioError         ffmpeg failed, or a clip is empty, silent or implausible
     ├── NothingToSay       every source was empty: no episode can be made
     ├── ReviewError        a review/publish action that is not allowed now
     │    ├── ConflictError a save based on an old revision
     │    ├── StateError    e.g. publishing an episode that is not approved
     │    │    └── ManifestError  an episode's manifest.json is missing, corrupt or from a newer version
     │    └── FeedNotUpdated the audio is on air, but the playlist or podcast feed could not be rewritten (exit 3)
     ├── FileProblem        the disk said no: full, read-only, no permission, missing, not a file (names the path)
     └── OnAirError         playout refused (checksum, nothing approved) or an output failed
          └── OutputError   one output (sound card, Icecast, folder) could not play
"""

from __future__ import annotations


class BroadcastError(Exception):
    """Base of all user-facing errors. ``str(err)`` is the one line shown."""

    exit_code = 1


class ConfigError(BroadcastError):
    """A setting, lexicon or required file is wrong: stop before writing anything."""

    exit_code = 2


class InputError(BroadcastError):
    """A value the user typed (an argument, standard input) cannot be used: names it and the limit."""

    exit_code = 2


class SourceError(BroadcastError):
    """A source could not be read; the build records a warning and goes on."""


class DataError(SourceError):
    """A value inside a source file is invalid; names file, row and column."""


class TemplateError(BroadcastError):
    """A script template failed: names the template, the line and the missing name."""


class SpeechError(BroadcastError):
    """No configured voice could speak a text."""


class AudioError(BroadcastError):
    """Encoding or decoding failed, or a clip failed its checks."""


class NothingToSay(BroadcastError):
    """All sources were empty or failed: there is no programme to make."""


class ReviewError(BroadcastError):
    """A review or publication step is not allowed in the current state."""


class ConflictError(ReviewError):
    """Someone else saved the episode since this copy was opened."""


class StateError(ReviewError):
    """The episode is not in a state that allows this action."""


class ManifestError(StateError):
    """An episode's manifest.json cannot be used: names the file and the field, and what to do."""


class FeedNotUpdated(ReviewError):
    """Publication put the approved audio on air, but a derived file (playlist, feed) was not rewritten.

    Not a failed publication: the message says what airs and what to do about the rest.
    """

    exit_code = 3

    def __init__(self, message: str, *, target: object = None) -> None:
        super().__init__(message)
        self.target = target


class FileProblem(BroadcastError):
    """An operating-system error on a named file, in Vietnamese (see broadcast.oserrors)."""


class OnAirError(BroadcastError):
    """Playout was refused (not approved, checksum changed) or could not run."""


class OutputError(OnAirError):
    """One output could not play; the others go on and the attempt is logged and retried."""
