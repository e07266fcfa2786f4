"""Dotted selectors that address values of a scenario spec, so that a prior can name what it moves as data.

A selector is a dotted path from the spec's `scenario` mapping. Each segment is one of:

- `name`: the key `name` of a mapping;
- `*`: every value of a mapping, or every item of a list;
- `{a,b}`: the keys `a` and `b` of a mapping;
- `[field=value]`: the items of a list (or values of a mapping) that are mappings whose `field` equals `value`;
  `[field=a|b]` accepts either value.

Examples: `group_defaults.{west_african,central_african}.reporting_culture.proactive`,
`units[kind=battalion].sensors[type=patrol].coverage`, `edges[type=informal].reliability`.

A selector resolves to the list of places `(container, key)` it names, in document order. A place always holds a
value already: a selector never creates a key, since a prior that would add a value the scenario does not set acts
on a default the composed file may override elsewhere (precedence unit > kind_defaults > group_defaults).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_SEGMENT = re.compile(r"\[[^\]]*\]|\{[^}]*\}|[^.\[{]+")


class SelectorError(ValueError):
    """A selector that cannot be parsed, or that names nothing in the spec."""


def parse(selector: str) -> list[tuple[str, Any]]:
    """Split a selector into `(kind, argument)` steps: `key`, `all`, `keys` (a tuple) or `where` (field, values).

    Raises:
        SelectorError: An empty selector, an empty segment or a filter without `=`.
    """
    if not isinstance(selector, str) or not selector.strip():
        raise SelectorError("a selector must be a non-empty dotted path")
    steps: list[tuple[str, Any]] = []
    pos = 0
    for m in _SEGMENT.finditer(selector):
        gap = selector[pos : m.start()]
        if gap not in ("", "."):
            raise SelectorError(f"cannot parse {selector!r} at {gap!r}")
        pos = m.end()
        seg = m.group(0)
        if seg == "*":
            steps.append(("all", None))
        elif seg.startswith("{"):
            keys = tuple(k.strip() for k in seg[1:-1].split(",") if k.strip())
            if not keys:
                raise SelectorError(f"empty key set in {selector!r}")
            steps.append(("keys", keys))
        elif seg.startswith("["):
            field, eq, values = seg[1:-1].partition("=")
            if not eq or not field.strip():
                raise SelectorError(f"a filter needs field=value, got {seg!r} in {selector!r}")
            steps.append(("where", (field.strip(), tuple(v.strip() for v in values.split("|")))))
        else:
            steps.append(("key", seg.strip()))
    if selector[pos:] not in ("",) or not steps:
        raise SelectorError(f"cannot parse {selector!r}")
    return steps


def _children(node: Any, kind: str, arg: Any) -> Iterator[tuple[Any, Any]]:
    """The places `(container, key)` one step names below `node`."""
    if kind == "key":
        if isinstance(node, dict) and arg in node:
            yield node, arg
    elif kind == "keys":
        if isinstance(node, dict):
            for k in arg:
                if k in node:
                    yield node, k
    elif kind == "all":
        if isinstance(node, dict):
            yield from ((node, k) for k in node)
        elif isinstance(node, list):
            yield from ((node, i) for i in range(len(node)))
    elif kind == "where":
        field, values = arg
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, item in items:
            if isinstance(item, dict) and field in item and str(item[field]) in values:
                yield node, k


def resolve(root: Any, selector: str) -> list[tuple[Any, Any]]:
    """The places a selector names in `root`, in document order (`container[key]` holds each value).

    Raises:
        SelectorError: The selector cannot be parsed.
    """
    places: list[tuple[Any, Any]] = [({"": root}, "")]
    for kind, arg in parse(selector):
        places = [child for c, k in places for child in _children(c[k], kind, arg)]
    return places


def values(root: Any, selector: str) -> list[Any]:
    """The values a selector names (see `resolve`)."""
    return [c[k] for c, k in resolve(root, selector)]
