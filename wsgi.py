"""Expose the application to WSGI servers: ``gunicorn wsgi:app``."""

from forum import create_app

app = create_app()
