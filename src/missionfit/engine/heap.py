"""Helpers of the engine's queues: the arrival heap of messages in flight, and a stable merge sort."""

from __future__ import annotations

from missionfit.engine.jit import inlined, kernel
from missionfit.engine.layout import (
    C_NPEND,
    M_READY,
)


@inlined
def heap_push(fl, k):
    """Put message `k` in flight: into the heap of pending messages, keyed on its arrival time."""
    # the heap keeps each entry's arrival time beside it, so sifting compares without a lookup per level
    i = fl.counters[C_NPEND]
    fl.counters[C_NPEND] = i + 1
    t = fl.mf[k, M_READY]
    while i > 0:
        parent = (i - 1) // 2
        if fl.pending_time[parent] <= t:
            break
        fl.pending[i] = fl.pending[parent]
        fl.pending_time[i] = fl.pending_time[parent]
        i = parent
    fl.pending[i] = k
    fl.pending_time[i] = t


@inlined
def heap_pop(fl):
    """Take the pending message that arrives first out of the heap, and return it."""
    n = fl.counters[C_NPEND] - 1
    top = fl.pending[0]
    last = fl.pending[n]
    t = fl.pending_time[n]
    fl.counters[C_NPEND] = n
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and fl.pending_time[child + 1] < fl.pending_time[child]:
            child += 1
        if fl.pending_time[child] >= t:
            break
        fl.pending[i] = fl.pending[child]
        fl.pending_time[i] = fl.pending_time[child]
        i = child
    if n > 0:
        fl.pending[i] = last
        fl.pending_time[i] = t
    return top


@kernel
def stable_order(keys, n, order, buffer):
    """Fill `order[:n]` with `0 .. n-1` sorted by `keys`, ties in index (arrival) order: a stable sort.

    Allocation-free (`buffer` is scratch of the same size), so fusion runs without reference counting:
    runs of 16 are insertion-sorted, then merged bottom-up, alternating between `order` and `buffer`.
    """
    run = 16
    for i in range(n):
        order[i] = i
    for lo in range(0, n, run):
        for i in range(lo + 1, min(lo + run, n)):
            v = order[i]
            j = i - 1
            while j >= lo and keys[order[j]] > keys[v]:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = v
    width = run
    in_buffer = False
    while width < n:
        src, dst = (buffer, order) if in_buffer else (order, buffer)
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a, b = lo, mid
            for k in range(lo, hi):
                if b < hi and (a >= mid or keys[src[b]] < keys[src[a]]):
                    dst[k] = src[b]
                    b += 1
                else:
                    dst[k] = src[a]
                    a += 1
        in_buffer = not in_buffer
        width *= 2
    if in_buffer:
        for i in range(n):
            order[i] = buffer[i]
