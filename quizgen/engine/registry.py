"""A registry of named entries (activations, losses) and live views of it.

The views (`names()`, `facet()`) read the registry when asked, so a module that imported
`NAMES` or a facet table at start-up still sees an entry registered later (a toy in a test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T], Mapping):
    """Entries by name, in registration order; each entry has a `.name`."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        """Add `entry`; a name may be registered once (unregister it first to replace it)."""
        if entry.name in self._entries:
            raise ValueError(f"{self.what} {entry.name!r} is already registered")
        self._entries[entry.name] = entry
        return entry

    def unregister(self, name: str) -> None:
        del self._entries[name]

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def lookup(self) -> Callable[[str], T]:
        """`registry[name]` as the entries' own bound lookup, for a hot path (no Python call per
        use); live: register and unregister change the same dict."""
        return self._entries.__getitem__

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def names(self, keep: Callable[[T], bool] | None = None) -> Names:
        return Names(self, keep)

    def facet(self, attribute: str) -> Facet:
        return Facet(self, attribute)


class Names(Sequence):
    """The registered names (those `keep` accepts), read at each use."""

    def __init__(self, registry: Registry, keep):
        self._registry, self._keep = registry, keep

    def _now(self) -> tuple[str, ...]:
        return tuple(n for n, e in self._registry.items() if self._keep is None or self._keep(e))

    def __getitem__(self, i):
        return self._now()[i]

    def __len__(self) -> int:
        return len(self._now())

    def __contains__(self, name) -> bool:
        entry = self._registry.get(name) if isinstance(name, str) else None
        return entry is not None and (self._keep is None or self._keep(entry))

    def __iter__(self):
        return iter(self._now())

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, list, Names)) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._now())


class Facet(Mapping):
    """name -> one attribute of each entry that has it (not None), e.g. every activation's LaTeX."""

    def __init__(self, registry: Registry, attribute: str):
        self._registry, self._attribute = registry, attribute

    def __getitem__(self, name: str):
        value = getattr(self._registry[name], self._attribute)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self):
        return (n for n, e in self._registry.items() if getattr(e, self._attribute) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
