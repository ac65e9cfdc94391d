"""Probes: named yes/no questions over the facts (Scorecard's middle layer)."""

from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import PROBES, ProbeSpec, all_probes, probe

__all__ = ["Evidence", "Outcome", "ProbeResult", "PROBES", "ProbeSpec", "all_probes", "probe"]
