"""Stable seeds: the same strings give the same seed on every machine and Python run."""

from __future__ import annotations

import hashlib


def stable_seed(*parts) -> int:
    """A 63-bit seed from the SHA-256 of the parts joined by ':' (never Python's hash())."""
    text = ":".join(map(str, parts))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") >> 1
