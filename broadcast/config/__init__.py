"""Settings: the table (``table``: each setting once, with default and help) and the loader
(``loader``: TOML over defaults, checked at start-up). Import either from here."""

from broadcast.config.loader import (
    AUDIO_PRESETS,
    all_setting_keys,
    anchor_paths,
    apply_preset,
    check_files,
    load_settings,
    override,
    render_settings,
)
from broadcast.config.table import (
    PACKAGE_DIR,
    PROJECT_DIR,
    SAMPLES_DIR,
    SECTIONS,
    AudioSettings,
    ColumnSettings,
    EmailSettings,
    OutputSettings,
    ReviewSettings,
    ScheduleSettings,
    Settings,
    SourceSettings,
    SpeechSettings,
    StationSettings,
    StatsColumnSettings,
    setting,
)

__all__ = ["AUDIO_PRESETS", "PACKAGE_DIR", "PROJECT_DIR", "SAMPLES_DIR", "SECTIONS", "AudioSettings",
           "ColumnSettings", "EmailSettings", "OutputSettings", "ReviewSettings", "ScheduleSettings", "Settings",
           "SourceSettings",
           "SpeechSettings", "StationSettings", "StatsColumnSettings", "all_setting_keys", "anchor_paths",
           "apply_preset", "check_files", "load_settings", "override", "render_settings", "setting"]
