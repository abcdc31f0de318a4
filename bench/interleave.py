"""Time a candidate and its baseline side by side: the same number of calls of each, alternated
round by round (the order flipped every round), so the machine's load falls on both alike.
What counts is the ratio of the medians; absolute figures on a shared machine are noise.

Every ``make bench`` row is a :class:`Row`, printed by :func:`print_rows` as
``path | candidate | baseline | ratio | target | met``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    path: str
    candidate: float  # the unit below (µs, ms, s …), median over the rounds
    baseline: float | None
    unit: str
    target: str
    met: bool
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.candidate / self.baseline if self.baseline else None


def side_by_side(
    candidate: Callable[[], object],
    baseline: Callable[[], object],
    *,
    calls: int,
    rounds: int = 7,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Seconds per call of each, one figure per round (``calls`` calls each per round)."""
    for _ in range(warmup):
        for _ in range(max(1, calls // 10)):
            candidate()
            baseline()
    cand: list[float] = []
    base: list[float] = []
    for r in range(rounds):
        order = [(candidate, cand), (baseline, base)]
        if r % 2:
            order.reverse()
        for fn, into in order:
            started = time.perf_counter()
            for _ in range(calls):
                fn()
            into.append((time.perf_counter() - started) / calls)
    return cand, base


def each_call(
    candidate: Callable[[object], object], baseline: Callable[[object], object], args: list
) -> tuple[list[float], list[float]]:
    """Seconds of every single call of each on the same argument, alternated call by call (the
    order flipped every call), for p95 figures."""
    cand: list[float] = []
    base: list[float] = []
    for n, arg in enumerate(args):
        order = [(candidate, cand), (baseline, base)]
        if n % 2:
            order.reverse()
        for fn, into in order:
            started = time.perf_counter()
            fn(arg)
            into.append(time.perf_counter() - started)
    return cand, base


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def print_rows(title: str, rows: list[Row]) -> bool:
    print(f"\n## {title}  ({load()})\n")
    print("| path | candidate | baseline | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        base = f"{row.baseline:.3g} {row.unit}" if row.baseline is not None else "—"
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        note = f" ({row.note})" if row.note else ""
        print(
            f"| {row.path}{note} | {row.candidate:.3g} {row.unit} | {base} | {ratio} | {row.target} | "
            f"{'yes' if row.met else '**no**'} |"
        )
    return all(row.met for row in rows)
