"""Spoken-form normalisation of Vietnamese administrative text for radio TTS.

    >>> normalize("Ngày 27/11/2026, UBND xã tiếp nhận 1.245 hồ sơ.")
    'Ngày hai mươi bảy tháng mười một năm hai nghìn không trăm hai mươi sáu, ủy ban nhân dân xã tiếp nhận một nghìn hai trăm bốn mươi lăm hồ sơ.'
"""

from broadcast.normalize.core import normalize
from broadcast.normalize.lexicon import Lexicon, builtin_lexicon, load_lexicon

__all__ = ["Lexicon", "builtin_lexicon", "load_lexicon", "normalize"]
