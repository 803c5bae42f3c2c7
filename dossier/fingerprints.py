"""Hashes that decide what a rebuild can reuse."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import scan


def hash_parts(*parts) -> str:
    """Hash a sequence of values (their text) into a short hex digest."""
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def routes_hash(pages: dict) -> str:
    """Hash every page's place and name: a change here can alter any page's navigation."""
    return hash_parts(*(f"{p.key}|{p.dest}|{p.title}|{p.summary}|{p.order}|{p.updated}"
                        for p in pages.values()))


def cited_hash(cited_by: dict) -> str:
    """Hash which pages cite which source (the sources page lists them)."""
    return hash_parts(*(f"{sid}:{','.join(p.key for p in pages)}"
                        for sid, pages in sorted(cited_by.items())))


@functools.lru_cache(maxsize=8)
def tree_hash(folder: Path) -> str:
    """Hash the names and bytes of every file in a folder (memoised: clear once per build)."""
    digest = hashlib.blake2b(digest_size=16)
    for rel in scan.walk(folder) if folder.is_dir() else []:
        digest.update(rel.encode() + b"\0")
        digest.update((folder / rel).read_bytes())
    return digest.hexdigest()
