"""Spoken-form normalisation of Vietnamese administrative text for radio TTS.

``normalize(text, dialect="north", lexicon=None)`` turns written administrative Vietnamese into
the words an announcer says::

    >>> normalize("UBND xã tiếp nhận 1.245 hồ sơ, đạt 96,2%.")
    'Ủy ban nhân dân xã tiếp nhận một nghìn hai trăm bốn mươi lăm hồ sơ, đạt chín mươi sáu phẩy hai phần trăm.'

The lexicon format is described in :mod:`broadcast.normalize.lexicon`; the reading rules in each
module (numbers, dates, times, legal, phones, units, ordinals, abbreviations, cleanup).
"""

from broadcast.normalize.core import normalize
from broadcast.normalize.lexicon import Lexicon, builtin_lexicon, load_lexicon

__all__ = ["Lexicon", "builtin_lexicon", "load_lexicon", "normalize"]
