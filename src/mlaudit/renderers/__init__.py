"""Renderers: a ScanResult → terminal, JSON, HTML. Each reads only the result model."""
