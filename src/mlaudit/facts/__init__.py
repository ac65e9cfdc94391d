"""Facts: what one file says, extracted once per content id and cached on disk.

Probes never see an AST. The extractor walks each tree once, keeps a compact summary
(imports, resolved call sites, definitions, notebook cells) and lets the tree go.
"""
