"""Scores: check results → one score per rubric, with the arithmetic shown."""

from mlaudit.scores.points import points_for
from mlaudit.scores.rubric import score_rubric

__all__ = ["points_for", "score_rubric"]
