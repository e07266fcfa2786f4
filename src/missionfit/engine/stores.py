"""Growing a replicate's state between days: the message stores by doubling, each hash table for its own load.

A run keeps room for a day's worth of new entries in every growable store (`engine.HEADROOM_*`: three times the
busiest day so far, plus a margin). `engine.run_days` stops before a day that might not fit, and the caller makes
room (`make_room`) and goes on; a day is never cut short, so where a run stops changes no result. The message,
queue, observation and payload stores hold at most `capacity` entries and double together (`grow_state`); the
three hash tables (pictures, branch pairs, dyads) are sized for the keys they hold, a few thousand where the message
capacity is tens of thousands, and each is rebuilt larger on its own (`grow_tables`): a smaller table is less to
fill at construction and fewer cache lines and pages touched by every probe.
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.layout import (
    C_ASSESS_LOG,
    C_NBP,
    C_NDYAD,
    C_NMSG,
    C_NOBS,
    C_NPAY,
    C_NPEND,
    C_NPIC,
    C_NQUEUE,
    C_NRECEIPT,
    C_NSF,
    PICTURE_ENTRIES,
    State,
    table_size,
)
from missionfit.engine.pictures import needs_growth, rehash


def capacity(state: State) -> int:
    """Messages (and queue items, and logged assessments) the state can hold."""
    return state.flow.mi.shape[0]


def used(state: State) -> int:
    """The fullest of the growable stores (the hash tables' rows included: a row per key)."""
    c = state.flow.counters
    return int(
        max(
            c[C_NMSG],
            c[C_NQUEUE],
            c[C_NPEND],
            c[C_NSF],
            c[C_ASSESS_LOG],
            c[C_NOBS],
            c[C_NPIC],
            c[C_NBP],
            c[C_NDYAD],
            c[C_NRECEIPT],
            c[C_NPAY] // PICTURE_ENTRIES,
        )
    )


def grow_state(state: State) -> State:
    """A copy of `state` with twice the message and queue capacity (the hash tables are kept as they are)."""
    fl = state.flow

    def wider(a: np.ndarray) -> np.ndarray:
        out = np.empty(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        out[..., : a.shape[-1]] = a
        return out

    def longer(a: np.ndarray) -> np.ndarray:
        out = np.empty((2 * a.shape[0],) + a.shape[1:], a.dtype)
        out[: a.shape[0]] = a
        return out

    flow = fl._replace(
        mi=longer(fl.mi),
        mf=longer(fl.mf),
        pending=wider(fl.pending),
        pending_time=wider(fl.pending_time),
        sf_reached=wider(fl.sf_reached),
        qi=wider(fl.qi),
        qf=wider(fl.qf),
        obs_origin=wider(fl.obs_origin),
        obs_value=longer(fl.obs_value),
        obs_conf=longer(fl.obs_conf),
        pay_obs=wider(fl.pay_obs),
        pay_mask=wider(fl.pay_mask),
        pic_i=wider(fl.pic_i),
        pic_f=wider(fl.pic_f),
        pic_obs=longer(fl.pic_obs),
        pic_mask=longer(fl.pic_mask),
        pic_val=longer(fl.pic_val),
        pic_conf=longer(fl.pic_conf),
        bp_flags=wider(fl.bp_flags),
        bp_quality=wider(fl.bp_quality),
        bp_sfroot=wider(fl.bp_sfroot),
        dy_f=wider(fl.dy_f),
        dy_i=wider(fl.dy_i),
        rc_i=wider(fl.rc_i),
        rc_acc=wider(fl.rc_acc),
    )
    return state._replace(flow=flow, assessment_log=wider(state.assessment_log), queue_order=wider(state.queue_order))


def _regrown(keys: np.ndarray, slots: np.ndarray, n_keys: int, room: int) -> tuple[np.ndarray, np.ndarray]:
    """The table (`keys`, `slots`) holding `n_keys`, or a rebuilt one with room for `room` more within its load."""
    if not needs_growth(n_keys + room, keys.size):
        return keys, slots
    new_keys = np.full(table_size(n_keys + room), -1, np.int64)
    new_slots = np.empty(new_keys.size, np.int64)
    rehash(keys, slots, new_keys, new_slots)
    return new_keys, new_slots


def grow_tables(state: State, room: int) -> State:
    """`state` with every hash table able to take `room` more keys (those that could are kept, not copied)."""
    fl = state.flow
    c = fl.counters
    pic_keys, pic_slots = _regrown(fl.pic_keys, fl.pic_slots, int(c[C_NPIC]), room)
    bp_keys, bp_slots = _regrown(fl.bp_keys, fl.bp_slots, int(c[C_NBP]), room)
    dy_keys, dy_slots = _regrown(fl.dy_keys, fl.dy_slots, int(c[C_NDYAD]), room)
    if pic_keys is fl.pic_keys and bp_keys is fl.bp_keys and dy_keys is fl.dy_keys:
        return state
    flow = fl._replace(
        pic_keys=pic_keys, pic_slots=pic_slots, bp_keys=bp_keys, bp_slots=bp_slots, dy_keys=dy_keys, dy_slots=dy_slots
    )
    return state._replace(flow=flow)


def make_room(state: State, room: int) -> State:
    """`state`, grown where needed so that every store and table can take `room` more entries."""
    while used(state) + room > capacity(state):
        state = grow_state(state)
    return grow_tables(state, room)
