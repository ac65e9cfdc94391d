"""How every renderer words what the team's config changed: one wording, so the terminal, the
HTML and anyone reading both see the same reason."""

from __future__ import annotations

from mlaudit.result import CheckResult


def attestation_problem(r: CheckResult) -> str:
    """Why an attestation does not count, in words (the JSON keeps the codes)."""
    a = r.attestation
    if a is None:
        return ""
    parts = []
    if "expired" in a.problems:
        parts.append(f"it expired on {a.expires}")
    if "evidence path missing" in a.problems:
        parts.append(f"its evidence `{a.evidence}` is not in the repository")
    if "contradicted by the scan" in a.problems:
        parts.append(f"the scan contradicts it: the check is {a.observed_status.value.replace('_', ' ')}, "
                     "with the findings shown")
    return "; ".join(parts)
