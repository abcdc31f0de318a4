"""gunicorn settings of the bare baseline app (``bench/bare_detail.py``): the production
``gunicorn.conf.py`` itself — worker class, threads, keep-alive, logging, worker recycling — with
only ``post_fork`` replaced (the production one forgets the platform's pooled connections, and
the bare app has none to forget: each thread opens its own after the fork)."""

from pathlib import Path

_PRODUCTION = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
exec(compile(_PRODUCTION.read_text(), str(_PRODUCTION), "exec"))  # noqa: S102 - our own settings file


def post_fork(server, worker):
    """Nothing to forget (see the module's docstring)."""
