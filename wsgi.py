"""WSGI entry point: ``flask --app wsgi …`` and any WSGI server (``wsgi:app``)."""

from core import create_app

app = create_app()
