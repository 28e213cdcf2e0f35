"""broadcast: a commune's weekly administrative-reform column, from sources to a broadcast-ready MP3."""

__version__ = "0.1.0"
