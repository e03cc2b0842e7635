"""How much of Canada's positive-LMIA demand the NOC→ISCO mapping reaches (`manage.py noc_coverage`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .queries import Method, isco_mapping_table


@dataclass
class Coverage:
    """Approved positions by NOC version and by how their NOC code reached ISCO (or "none")."""

    positions: dict[str, Counter] = field(default_factory=dict)  # version → {method or "none" or "no code": n}
    codes: dict[str, Counter] = field(default_factory=dict)  # version → {method or "none": distinct codes}

    def share(self, version: str, *methods: str) -> float:
        counts = self.positions.get(version, Counter())
        total = sum(counts.values())
        return sum(counts[m] for m in methods) / total if total else 0.0


def lmia_coverage(path: Path | None = None) -> Coverage:
    from .bootstrap import noc2011_from_lmia

    _titles, positions = noc2011_from_lmia(path)
    tables = {"NOC 2011": isco_mapping_table("NOC2011"), "NOC 2021": isco_mapping_table("NOC2021")}
    result = Coverage()
    for (version, code), count in positions.items():
        table = tables.get(version)
        if table is None:
            continue
        if not code:
            how = "no code"
        else:
            matches = table.lookup(code)
            how = matches[0].method if matches else "none"
        result.positions.setdefault(version, Counter())[how] += count
        result.codes.setdefault(version, Counter())[how] += 1
    return result


def report_lines(coverage: Coverage) -> list[str]:
    lines = []
    for version in sorted(coverage.positions):
        counts, codes = coverage.positions[version], coverage.codes[version]
        total = sum(counts.values())
        lines.append(f"{version}: {total:,} approved positions, {sum(codes.values())} distinct codes")
        for how in (Method.MANUAL, Method.TITLE_MATCH, "none", "no code"):
            if counts[how] or codes[how]:
                lines.append(f"  {how:12} {counts[how]:>10,} positions ({counts[how] / total:6.1%}), {codes[how]} codes")
        mapped = coverage.share(version, Method.MANUAL, Method.TITLE_MATCH)
        lines.append(f"  mapped to ISCO-08: {mapped:.1%} of positions")
    return lines
