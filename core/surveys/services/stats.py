"""The statistics of a satisfaction result: share, margin of error, sample size, suppression.

Plain functions of counts (no database), tested with hypothesis at their boundaries.
A proportion's margin of error at 95 % confidence, with the finite population correction::

    moe = z · sqrt(p (1 − p) / n) · sqrt((N − n) / (N − 1))

and the sample size that reaches a target margin ``e`` (worst case p = ½)::

    n0 = z² · ¼ / e²,   n = ⌈ n0 / (1 + (n0 − 1) / N) ⌉
"""

from __future__ import annotations

import math

Z_95 = 1.959963984540054
MIN_GROUP = 5  # a group with fewer responses is not shown broken down


def share(satisfied: int, responses: int) -> float | None:
    """Percent of responses at or above the threshold (None without responses)."""
    if responses <= 0:
        return None
    return 100.0 * satisfied / responses


def margin_of_error(satisfied: int, responses: int, population: int | None = None) -> float | None:
    """Half-width of the 95 % interval of the share, in percentage points (None without
    responses). ``population``: the invitations the responses could have come from; with it, the
    finite population correction (0 when every one answered)."""
    if responses <= 0:
        return None
    p = satisfied / responses
    moe = Z_95 * math.sqrt(p * (1 - p) / responses)
    if population is not None and population > 1 and population >= responses:
        moe *= math.sqrt((population - responses) / (population - 1))
    elif population is not None and population <= 1:
        return 0.0
    return 100.0 * moe


def sample_size(population: int, target_margin: float) -> int:
    """How many of ``population`` to invite so that the share's margin of error is at most
    ``target_margin`` percentage points (worst case p = ½), never more than the population."""
    if population <= 0:
        return 0
    e = target_margin / 100.0
    n0 = Z_95**2 * 0.25 / (e * e)
    n = math.ceil(n0 / (1 + (n0 - 1) / population))
    return max(1, min(population, n))


def response_rate(responses: int, invited: int) -> float | None:
    if invited <= 0:
        return None
    return 100.0 * responses / invited


def suppressed(responses: int) -> bool:
    """A group too small to show (so that no answer can be traced back to a person)."""
    return responses < MIN_GROUP
