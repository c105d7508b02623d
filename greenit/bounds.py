"""Low, central and high values carried together: one bounds mechanism for every model.

A :class:`Bounds` holds three arrays (or floats) of the same shape. Arithmetic between bounds
follows interval arithmetic for the non-negative quantities greenit computes (masses,
energies, durations, shares): a sum adds lows and highs, a product multiplies them, and a
quotient divides a low by the other's *high* — a longer lifespan gives a *lower* yearly
manufacture. So a formula is written once, on Bounds, and its range comes out right::

    yearly = manufacture * quantity / lifespan     # every term a Bounds or a number

The range is cautious: bounds of different rows never compensate (DESIGN: "low and high
totals are sums of the low and of the high bounds").

References
----------
Moore, R. E. (1966), *Interval Analysis*, Prentice-Hall — the arithmetic rules used here,
restricted to non-negative intervals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Value = Any  # float or numpy array


@dataclass(frozen=True)
class Bounds:
    """A quantity as (central, low, high); ``low ≤ central ≤ high`` wherever the inputs hold it.

    >>> yearly = Bounds(182.3, 170.0, 260.0) / Bounds(5.0, 4.0, 6.0)
    >>> [round(float(v), 2) for v in yearly]
    [36.46, 28.33, 65.0]
    """

    central: Value
    low: Value
    high: Value

    @classmethod
    def exact(cls, value: Value) -> Bounds:
        """A value known without range (a user's own figure, a count)."""
        return cls(value, value, value)

    @classmethod
    def of(cls, value: Bounds | Value) -> Bounds:
        return value if isinstance(value, Bounds) else cls.exact(value)

    def __iter__(self):
        return iter((self.central, self.low, self.high))

    def map(self, function: Callable[[Value], Value]) -> Bounds:
        """``function`` applied to each of the three values (it must be non-decreasing)."""
        return Bounds(function(self.central), function(self.low), function(self.high))

    def __add__(self, other: Bounds | Value) -> Bounds:
        other = Bounds.of(other)
        return Bounds(self.central + other.central, self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __sub__(self, other: Bounds | Value) -> Bounds:
        other = Bounds.of(other)
        return Bounds(self.central - other.central, self.low - other.high, self.high - other.low)

    def __mul__(self, other: Bounds | Value) -> Bounds:
        other = Bounds.of(other)
        return Bounds(self.central * other.central, self.low * other.low, self.high * other.high)

    __rmul__ = __mul__

    def __truediv__(self, other: Bounds | Value) -> Bounds:
        other = Bounds.of(other)
        return Bounds(self.central / other.central, self.low / other.high, self.high / other.low)

    def __rtruediv__(self, other: Value) -> Bounds:
        return Bounds.of(other) / self

    def where(self, condition: np.ndarray, other: Bounds | Value) -> Bounds:
        """This value where ``condition`` holds, ``other`` elsewhere (e.g. the user's own figure)."""
        other = Bounds.of(other)
        return Bounds(
            np.where(condition, self.central, other.central),
            np.where(condition, self.low, other.low),
            np.where(condition, self.high, other.high),
        )

    def fill(self, given: np.ndarray) -> Bounds:
        """``given`` (exact) where it is a number, these bounds where it is NaN."""
        given = np.asarray(given, dtype=float)
        return Bounds.exact(given).where(~np.isnan(given), self)

    def sum(self) -> Bounds:
        return Bounds(float(np.nansum(self.central)), float(np.nansum(self.low)), float(np.nansum(self.high)))

    def ordered(self) -> bool:
        """Whether low ≤ central ≤ high everywhere (NaN ignored)."""
        with np.errstate(invalid="ignore"):
            ok = (np.asarray(self.low) <= np.asarray(self.central) + 1e-12) & (
                np.asarray(self.central) <= np.asarray(self.high) + 1e-12
            )
        nan = np.isnan(np.asarray(self.central, dtype=float))
        return bool(np.all(ok | nan))
