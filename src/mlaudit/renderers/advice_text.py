"""A rubric's score in one sentence, and what would raise it: shared by the HTML, Markdown and terminal."""

from __future__ import annotations

from mlaudit.result import NextStep, RubricScore


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _gain(score: RubricScore, step: NextStep) -> str:
    if score.scoring == "ml-test-score":
        return f"+{step.gain:g}"
    return f"+{step.gain:g} points"


def num(value: float | None) -> str:
    """A score or points as every renderer writes them: `2.5`, `61.5`, `n/a` when nothing was scored."""
    return "n/a" if value is None else f"{value:g}"


def moved(before: float | None, after: float | None) -> str:
    """A score's change as people write it ("+0.5", "-12"), or "" when there is nothing to compare."""
    return "" if before is None or after is None or before == after else f"{after - before:+g}"


def direction(before: float | None, after: float | None) -> str:
    """"up", "down", or "" when the score did not move (or one side has none)."""
    return "" if not moved(before, after) else ("up" if after > before else "down")


def score_text(score: RubricScore) -> str:
    """`2.5 / 7` for the ML Test Score, `61.5%` for a percentage rubric, `n/a` when nothing was scored."""
    if score.score is None:
        return "n/a"
    if score.scoring == "ml-test-score":
        return f"{score.score:g} / {score.max_score:g}"
    return f"{score.score:g}%"


def minimum_text(score: RubricScore) -> str:
    """The ML Test Score's arithmetic in words: which section sets the minimum."""
    titles = {s.id: s.title for s in score.sections}
    names = [titles.get(i, i) for i in score.minimum_sections]
    value = num(score.score)
    if len(names) == 1:
        return f"The score is {value}: the lowest of the section sums, {names[0]}."
    return (f"The score is {value}: {_and(names)} tie for the lowest section sum, "
            "so each of them has to rise before the score does.")


def lead(score: RubricScore) -> str:
    return "Cheapest ways to raise it" if score.scoring == "ml-test-score" else "Largest gains for the effort"


def short_id(step: NextStep) -> str:
    return step.check.split("/", 1)[-1]


def step_detail(score: RubricScore, step: NextStep) -> str:
    return f"{step.action}, {_gain(score, step)}"


def raise_text(score: RubricScore) -> str:
    """The cheapest steps, in words. Empty when nothing can raise the score."""
    if not score.next_steps:
        return ""
    return f"{lead(score)}: " + "; ".join(f"{short_id(s)} ({step_detail(score, s)})" for s in score.next_steps) + "."
