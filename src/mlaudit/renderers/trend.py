"""Score-over-time charts as plain data for inline SVG: no chart library is loaded at view time.

Commits are spaced evenly (a sample per week reads the same as a burst of commits on one day).
Each chart has a table of the commits where a score moved, which is also how the chart reads
without colour, without a mouse and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlaudit.renderers.advice_text import direction, num
from mlaudit.result import RubricScore, ScanResult, TrendPoint

WIDTH, HEIGHT = 480, 190  # about the width a chart is shown at, so that its text stays readable
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 30, 64, 12, 28  # the right pad holds each line's label
MAX_CHANGES = 30  # rows in the table of score moves; older ones are summarised


@dataclass
class Series:
    key: str  # "score" or a section id: a CSS class, never text from the repository
    label: str
    path: str  # SVG path data; a gap where a score is missing
    dots: list[tuple[float, float, str]]  # (x, y, tooltip)
    end: tuple[float, float] | None  # the line's last point
    summary: str = ""  # in words, for the chart's accessible name: first and last value
    label_y: float = 0.0  # the label beside it, nudged so that labels of equal scores do not overlap


@dataclass
class Change:
    commit: str
    date: str
    subject: str
    before: float | None
    after: float | None
    checks: list[str]

    @property
    def direction(self) -> str:
        if self.before is None:
            return "first scored"
        if self.after is None:
            return "no longer scored"
        return direction(self.before, self.after)


@dataclass
class Chart:
    rubric: str
    title: str
    top: float
    series: list[Series]
    first: str
    last: str
    changes: list[Change] = field(default_factory=list)
    older_changes: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    bottom: int = HEIGHT - PAD_BOTTOM


def _points(result: ScanResult) -> list[TrendPoint]:
    """The given history, then this scan, unless the history already ends at this commit."""
    points = list(result.trend)
    commit = result.target.commit or "working tree"
    if points and points[-1].commit == commit:
        return points
    return points + [TrendPoint.of(result, commit, result.generated_at, "this scan", points[-1] if points else None)]


def _series(key: str, label: str, values: list[float | None], points: list[TrendPoint], top: float) -> Series:
    n = len(values)
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(n - 1, 1)
    span = HEIGHT - PAD_TOP - PAD_BOTTOM
    path, dots, pen_down, end = [], [], False, None
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        x = round(PAD_LEFT + i * step, 1)
        y = round(PAD_TOP + span * (1 - min(v, top) / top), 1) if top else HEIGHT - PAD_BOTTOM
        path.append(f"{'L' if pen_down else 'M'}{x} {y}")
        pen_down = True
        dots.append((x, y, f"{label}: {num(v)} at {points[i].commit[:12]} ({points[i].date[:10]})"))
        end = (x, y)
    known = [v for v in values if v is not None]
    summary = f"{label} from {num(known[0])} to {num(known[-1])}" if known else f"{label} not scored"
    return Series(key, label, " ".join(path), dots, end, summary)


def _changes(rubric: str, points: list[TrendPoint]) -> list[Change]:
    out = []
    for before, after in zip(points, points[1:]):
        if rubric not in before.scores or rubric not in after.scores:
            continue  # the rubric was not run there: no move to explain
        a, b = before.scores[rubric], after.scores[rubric]
        if a != b:
            mine = [c for c in after.changed if c.startswith(rubric + "/")]
            out.append(Change(after.commit, after.date[:10], after.subject, a, b, mine))
    return out


LABEL_GAP = 13


def _place_labels(series: list[Series]) -> None:
    """Each label beside its line's end, at least a line apart and inside the chart: pushed down
    from the top, then, where that ran off the bottom, pushed back up."""
    ended = sorted((s for s in series if s.end), key=lambda s: (s.end[1], s.key))
    ys = [s.end[1] + 4 for s in ended]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + LABEL_GAP)
    limit = HEIGHT - 4
    for i in reversed(range(len(ys))):
        ys[i] = min(ys[i], limit if i == len(ys) - 1 else ys[i + 1] - LABEL_GAP)
    for s, y in zip(ended, ys):
        s.label_y = round(y, 1)


def trend_charts(result: ScanResult) -> list[Chart]:
    """One chart per rubric, when there is at least one earlier commit to compare with."""
    points = _points(result)
    if len(points) < 2:
        return []
    charts = []
    for score in result.rubrics:
        if sum(p.scores.get(score.id) is not None for p in points) >= 2:  # one point is not a trend
            charts.append(_chart(score, points))
    return charts


def _chart(score: RubricScore, points: list[TrendPoint]) -> Chart:
    top = score.max_score or 1.0
    series = [_series("score", "Score", [p.scores.get(score.id) for p in points], points, top)]
    if score.scoring == "ml-test-score":
        for s in score.sections:
            values = [p.sections.get(score.id, {}).get(s.id) for p in points]
            # the section's id as its label (Data, Model...): a title would not fit beside the line
            series.append(_series(f"section-{s.id}" if s.id.isidentifier() else "section", s.id.capitalize(),
                                  values, points, top))
    _place_labels(series)
    changes = _changes(score.id, points)
    older = max(len(changes) - MAX_CHANGES, 0)
    return Chart(rubric=score.id, title=score.title, top=top, series=series, first=points[0].date[:10],
                 last=points[-1].date[:10], changes=changes[older:][::-1], older_changes=older)
