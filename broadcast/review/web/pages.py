"""The workbench pages beyond episode review, each a blueprint of its own module."""

from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    from broadcast.review.web.aired import aired_pages
    from broadcast.review.web.building import build_pages
    from broadcast.review.web.faq import faq_pages
    from broadcast.review.web.notices import notice_pages
    from broadcast.review.web.questions import question_pages
    from broadcast.review.web.readings import reading_pages
    from broadcast.review.web.recording import recording_pages
    from broadcast.review.web.schedule import schedule_pages
    from broadcast.review.web.statistics import stats_pages
    from broadcast.review.web.voices import voice_pages

    app.register_blueprint(build_pages)
    app.register_blueprint(faq_pages)
    app.register_blueprint(question_pages)
    app.register_blueprint(stats_pages)
    app.register_blueprint(schedule_pages)
    app.register_blueprint(reading_pages)
    app.register_blueprint(recording_pages)
    app.register_blueprint(notice_pages)
    app.register_blueprint(voice_pages)

    from broadcast.review.revoice import note as revoice_note
    from broadcast.review.web.changes import baseline, word_diff
    from broadcast.review.wording import plain_warnings, voice_name

    ext = app.extensions["broadcast"]
    store = ext["store"]
    app.jinja_env.globals.update(word_diff=word_diff, plain_warnings=plain_warnings, voice_name=voice_name,
                                 baseline=lambda record: baseline(store, record),
                                 revoice_note=lambda record: revoice_note(ext["settings"], store, record))

    from broadcast.review.web.listening import record_listening

    record_listening(app, store)
    app.register_blueprint(aired_pages)
