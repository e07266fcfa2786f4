"""The one error type of scenario input, and the checks that raise it with file, key and value."""

from __future__ import annotations

import math
import numbers
from typing import Any


class ScenarioError(ValueError):
    """A scenario, intervention or setting that cannot be run; its message is one line."""

    def __init__(self, source: str, key: str, value: Any, reason: str):
        self.source, self.key, self.value, self.reason = source, key, value, reason
        super().__init__(f"{source}: {key} = {value!r}: {reason}")


class Checker:
    """Range and membership checks that raise `ScenarioError` with the file, key and value."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, value: Any, reason: str) -> None:
        """Raise `ScenarioError` for `key` = `value` with `reason`."""
        raise ScenarioError(self.source, key, value, reason)

    def unit_interval(self, key: str, value: Any) -> None:
        """Fail unless `value` is a number in [0, 1]."""
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
            self.fail(key, value, "must be a number in [0, 1]")

    def non_negative(self, key: str, value: Any) -> None:
        """Fail unless `value` is a non-negative number."""
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            self.fail(key, value, "must be a non-negative number")

    def number(
        self,
        key: str,
        value: Any,
        low: float = -math.inf,
        high: float = math.inf,
        *,
        open_low: bool = False,
        open_high: bool = False,
    ) -> None:
        """Fail unless `value` is a finite number between `low` and `high` (NaN and infinity always fail).

        Args:
            key: The key, as the error names it.
            value: The value to check.
            low: Lower bound (inclusive unless `open_low`).
            high: Upper bound (inclusive unless `open_high`).
            open_low: Exclude `low` itself.
            open_high: Exclude `high` itself.
        """
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        if ok:
            ok = (value > low if open_low else value >= low) and (value < high if open_high else value <= high)
        if not ok:
            lo = "-inf" if low == -math.inf else f"{low:g}"
            hi = "inf" if high == math.inf else f"{high:g}"
            left = "(" if open_low or low == -math.inf else "["
            right = ")" if open_high or high == math.inf else "]"
            interval = f"{left}{lo}, {hi}{right}"
            self.fail(key, value, f"must be a finite number in {interval}")

    def integer(self, key: str, value: Any, low: int | None = None, high: int | None = None) -> None:
        """Fail unless `value` is an integer (not a bool) between `low` and `high`, both inclusive."""
        ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if ok and ((low is not None and value < low) or (high is not None and value > high)):
            ok = False
        if not ok:
            if high is None:
                bounds = f" >= {low}" if low is not None else ""
            else:
                bounds = f" in {low}..{high}"
            self.fail(key, value, f"must be an integer{bounds}")

    def one_of(self, key: str, value: Any, allowed: tuple[str, ...] | set[str]) -> None:
        """Fail unless `value` is one of `allowed`."""
        if value not in allowed:
            self.fail(key, value, f"must be one of {', '.join(sorted(allowed))}")
