"""Checks: YAML rules that turn probe outcomes into a status and points, with sources."""
