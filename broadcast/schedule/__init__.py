"""Unattended weekly runs: ``broadcast schedule`` builds drafts, reminds editors, airs approved episodes.

    lock.py     one scheduler per data folder (OS file lock)
    timing.py   cron triggers in the station's time zone, next/previous fire times, Vietnamese dates
    jobs.py     the three jobs (build, remind, publish): top-level functions taking the config path
    runner.py   the APScheduler instance, its SQLite job store, syncing jobs from the config, logging
    cli.py      ``broadcast schedule [--list]``
"""
