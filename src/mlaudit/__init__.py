"""mlaudit: a static ML-readiness audit of a repository."""

__version__ = "0.1.0"
