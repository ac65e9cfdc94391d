"""Content ids in git's own format, so a file's id is the same whether git told us or we hashed it."""

from __future__ import annotations

import hashlib


def git_blob_id(data: bytes) -> str:
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()
