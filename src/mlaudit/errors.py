"""Errors a user can fix. They carry the file and line so the message can point at the fix."""

from __future__ import annotations


class MlauditError(Exception):
    """Base for errors reported to the user with exit code 2 (usage or configuration)."""


class ConfigError(MlauditError):
    """A rubric, check or config file is invalid. `problems` holds one line per problem."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))

    def __reduce__(self):
        # Raised in a history worker process and read in the parent: pickled with both arguments.
        return (ConfigError, (self.path, self.problems))
