"""Pictures (docs/design/v2-core.md §4.3): what one unit holds about one event, in a hash table.

A picture exists only for the (holder, event) pairs that meet, so the state is O(messages), never
O(units × events) or O(branches × events) (issue 15 §4). The table is open addressing with linear probing on
the key `holder * n_events + event`; `keys[i] = EMPTY` marks a free slot and `slots[i]` is the picture's row in
the picture store, assigned in insertion order. A table is sized for its own load, not for the message stores:
the inserting functions refuse (flag an overflow) past a load factor of one half (`full`), and between days the
caller makes room for a day's worth of inserts (`has_room`, `needs_growth`) by rebuilding a larger table
(`rehash`). Where a key lands, and so the table's size, changes no result: rows are numbered in insertion order
and nothing iterates over a table's slots but `rehash`.

Each picture row holds up to `PICTURE_ENTRIES` evidence entries (observation id and facet mask), the fused or
merged value and confidence per facet, and bookkeeping the outcomes read (first time, awareness, actions).
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import inlined, kernel

#: A free slot of the table.
EMPTY = -1
#: Evidence entries a picture keeps (algorithmic): about five distinct origins per event are typical, and what
#: arrives beyond the cap adds no new observation id in the tests' scenarios; a test checks results do not
#: depend on it.
PICTURE_ENTRIES = 16
#: Fibonacci hashing multiplier (2**64 / golden ratio), spreads consecutive keys over the table.
_MIX = np.uint64(0x9E3779B97F4A7C15)


@inlined
def _home(key, size):
    """The first slot to probe for `key` in a table of `size` slots (a power of two, at most 2**32).

    Bits 32 .. 63 of the Fibonacci product, masked to the table: no logarithm per probe. Where a key lands
    changes no result (a row is numbered in insertion order, whatever the slot).
    """
    return np.int64((np.uint64(key) * _MIX) >> np.uint64(32)) & (size - 1)


@inlined
def find(keys, slots, key):
    """The picture row of `key`, or -1 if the table has none."""
    size = keys.size
    i = _home(key, size)
    while keys[i] != EMPTY:
        if keys[i] == key:
            return slots[i]
        i = (i + 1) & (size - 1)
    return -1


@inlined
def find_or_insert(keys, slots, key, next_row):
    """The picture row of `key`, inserting it as row `next_row` if absent; returns (row, inserted)."""
    size = keys.size
    i = _home(key, size)
    while keys[i] != EMPTY:
        if keys[i] == key:
            return slots[i], False
        i = (i + 1) & (size - 1)
    keys[i] = key
    slots[i] = next_row
    return next_row, True


@inlined
def full(keys, n_rows):
    """Whether a table holding `n_rows` keys must take no more: one more would pass its load factor of one half."""
    return 2 * (n_rows + 1) > keys.size


@inlined
def has_room(keys, n_rows, room):
    """Whether a table holding `n_rows` keys can take `room` more within its load factor (`needs_growth`)."""
    return 2 * (n_rows + room) <= keys.size


def needs_growth(n_rows: int, size: int) -> bool:
    """Whether a table of `size` slots holding `n_rows` pictures is past its load factor of one half."""
    return 2 * n_rows > size


@kernel
def rehash(keys, slots, new_keys, new_slots):
    """Insert every picture of (`keys`, `slots`) into the empty, larger table (`new_keys`, `new_slots`)."""
    size = new_keys.size
    for i in range(keys.size):
        key = keys[i]
        if key == EMPTY:
            continue
        j = _home(key, size)
        while new_keys[j] != EMPTY:
            j = (j + 1) & (size - 1)
        new_keys[j] = key
        new_slots[j] = slots[i]


@inlined
def add_entry(entry_obs, entry_mask, n_entries, row, obs_id, mask):
    """Merge one evidence entry into picture `row`: a new observation id, or more facets of a known one.

    Returns True if the picture's evidence changed (a new id, or a facet bit it lacked).
    """
    n = n_entries[row]
    for i in range(n):
        if entry_obs[row, i] == obs_id:
            if (entry_mask[row, i] | mask) == entry_mask[row, i]:
                return False
            entry_mask[row, i] |= mask
            return True
    if n >= entry_obs.shape[1]:
        return False
    entry_obs[row, n] = obs_id
    entry_mask[row, n] = mask
    n_entries[row] = n + 1
    return True
