"""Column layouts: which published header is which field, per layout, and detection from the header.

A layout maps each canonical field to one or more published column names. When several are listed,
the first non-empty one in a row wins (e.g. an H-2A begin date is the certification begin date when the
case was certified, else the requested start date). Detection picks the layout whose signature columns
are all present; a header that matches none, or that lacks a required column, stops the import with a
message naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .readers import ImportFileError


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    signature: frozenset[str]
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    # True where the publisher repeats a case for each association member (pre-FY2020 H-2A files).
    repeats_cases: bool = False
    extra: dict = field(default_factory=dict)

    def names(self) -> set[str]:
        return {name for names in self.columns.values() for name in names}


class ColumnMap:
    """Resolved column positions of one file for one layout."""

    def __init__(self, layout: Layout, header: list[str]):
        self.layout = layout
        self.header = header
        position = {}
        for index, name in enumerate(header):
            position.setdefault(name.strip().upper(), index)
        self.positions: dict[str, tuple[int, ...]] = {}
        self.used_columns: dict[str, tuple[str, ...]] = {}
        for canonical, names in layout.columns.items():
            found = tuple(position[n.upper()] for n in names if n.upper() in position)
            self.positions[canonical] = found
            self.used_columns[canonical] = tuple(n for n in names if n.upper() in position)
        missing = sorted(c for c in layout.required if not self.positions.get(c))
        if missing:
            wanted = "; ".join(f"{c} ({' or '.join(layout.columns[c])})" for c in missing)
            raise ImportFileError(
                f"Layout {layout.name} recognised, but required columns are missing: {wanted}. "
                "Nothing was imported."
            )

    def has(self, canonical: str) -> bool:
        return bool(self.positions.get(canonical))

    def column_name(self, canonical: str) -> str:
        names = self.used_columns.get(canonical) or self.layout.columns.get(canonical) or (canonical,)
        return names[0]

    def get(self, cells: list, canonical: str):
        """First non-empty cell among the canonical field's columns (None when all are empty)."""
        for index in self.positions.get(canonical, ()):
            if index < len(cells):
                value = cells[index]
                if value is None:
                    continue
                if isinstance(value, str) and not value.strip():
                    continue
                return value
        return None

    def get_with_column(self, cells: list, canonical: str):
        names = self.used_columns.get(canonical, ())
        for name, index in zip(names, self.positions.get(canonical, ()), strict=True):
            if index < len(cells):
                value = cells[index]
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                return value, name
        return None, self.column_name(canonical)


def detect(header: list[str], layouts: list[Layout], *, kind: str) -> ColumnMap:
    """The layout of a file from its header row."""
    present = {h.strip().upper() for h in header if h and h.strip()}
    if not present:
        raise ImportFileError("The first row is empty: no header to recognise the layout from.")
    candidates = [
        layout for layout in layouts
        if {s.upper() for s in layout.signature} <= present and not ({a.upper() for a in layout.absent} & present)
    ]
    if not candidates:
        def overlap(layout):
            return len({n.upper() for n in layout.names()} & present) / max(1, len(layout.names()))

        closest = max(layouts, key=overlap)
        missing = sorted(s for s in closest.signature if s.upper() not in present)
        raise ImportFileError(
            f"Unknown layout for {kind}: the header ({len(present)} columns, starting "
            f"{', '.join(header[:4])}) matches none of the {len(layouts)} known layouts. Closest is "
            f"{closest.name} ({closest.description}), which needs {', '.join(missing) or 'other columns'}. "
            "Check that you chose the right kind of file; nothing was imported."
        )
    chosen = max(candidates, key=lambda layout: len(layout.signature))
    return ColumnMap(chosen, header)
