from __future__ import annotations

from mlaudit.result import ScanResult


def render_json(result: ScanResult) -> str:
    return result.model_dump_json(indent=2) + "\n"
