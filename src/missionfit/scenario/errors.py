"""The one error type of scenario input, and the checks that raise it with file, key and value."""

from __future__ import annotations

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

    def one_of(self, key: str, value: Any, allowed: tuple[str, ...] | set[str]) -> None:
        """Fail unless `value` is one of `allowed`."""
        if value not in allowed:
            self.fail(key, value, f"must be one of {', '.join(sorted(allowed))}")
