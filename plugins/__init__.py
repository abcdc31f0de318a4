"""First-party plugins: one sub-package per plugin (``plugins/<id>/``), discovered at start-up."""
