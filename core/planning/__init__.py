"""Operational plans (issue 14); the module itself is built by the planning branch."""
