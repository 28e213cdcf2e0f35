"""The workbench pages beyond episode review, each a blueprint of its own module."""

from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    from broadcast.review.web.faq import faq_pages

    app.register_blueprint(faq_pages)
