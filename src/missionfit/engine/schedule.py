"""The schedule of a simulated day (ODD §3): the submodels in order, and the batch loop over days."""

from __future__ import annotations

import numpy as np

from missionfit.engine.arrival import process_arrivals
from missionfit.engine.boards import meet_boards
from missionfit.engine.collection import collect
from missionfit.engine.fusion import fuse, refill_budgets
from missionfit.engine.jit import kernel
from missionfit.engine.layout import (
    C_ASSESS_LOG,
    C_CREATED,
    C_DELIVERED,
    C_HOPS,
    C_LOST,
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
    C_OVERFLOW,
    C_ROUNDS_CAPPED,
    C_WITHHELD,
    D_CREATED,
    D_DELIVERED,
    D_DROPPED,
    D_FUSION_QUEUE,
    D_HOPS,
    D_MEAN_TRUST,
    HEADROOM_BUSIEST_DAYS,
    HEADROOM_MARGIN,
    PICTURE_ENTRIES,
)
from missionfit.engine.outcomes import resolve_outcomes
from missionfit.engine.pictures import has_room
from missionfit.engine.protection import escort
from missionfit.engine.rotation import rotate
from missionfit.engine.tasking import task

#: Turns of transmission and fusion in a day at most (a day's chain of hops and assessments is shorter).
MAX_FUSION_ROUNDS = 8


@kernel
def step_day(st, s, seed, day):
    """Run one simulated day and record it; returns False if message or queue capacity ran out.

    Order: rotation, escorts, board meetings, tasking, collection and reporting (reports leave at the indicator's
    time), then transmission and fusion in turns until nothing more arrives before midnight, outcomes.
    """
    net, fl = st.net, s.flow
    c = fl.counters
    before = (c[C_CREATED], c[C_DELIVERED], c[C_WITHHELD] + c[C_LOST], c[C_HOPS])
    rotate(st, s, day)
    escort(st, s, seed, day)
    meet_boards(st, s, seed, day)
    task(st, s, seed, day)
    refill_budgets(st, s)
    collect(st, s, seed, day)
    # transmission and fusion alternate until the day's work is done: a current warning can travel
    # collector -> cells -> commander within the day when channels and capacity allow
    for turn in range(MAX_FUSION_ROUNDS):
        process_arrivals(net, fl, seed, day)
        if fuse(st, s, seed, day) == 0:
            break
        if turn == MAX_FUSION_ROUNDS - 1:
            c[C_ROUNDS_CAPPED] += 1  # the cap cut a day's chain short (a test checks it never does)
    process_arrivals(net, fl, seed, day)
    resolve_outcomes(st, s, day)
    rec = s.day_record[day]
    rec[D_CREATED] = c[C_CREATED] - before[0]
    rec[D_DELIVERED] = c[C_DELIVERED] - before[1]
    rec[D_DROPPED] = c[C_WITHHELD] + c[C_LOST] - before[2]
    rec[D_HOPS] = c[C_HOPS] - before[3]
    # mean trust (contract 2.1): over the interacting dyads, the mean of their two components
    pairs = c[C_NDYAD]
    rec[D_MEAN_TRUST] = (fl.trust_sum[0] + fl.trust_sum[1]) / (2.0 * pairs) if pairs > 0 else np.nan
    rec[D_FUSION_QUEUE] = c[C_NQUEUE]
    return c[C_OVERFLOW] == 0


@kernel
def run_days(st, s, seed, first, last, busiest):
    """Run days `first` .. `last - 1` in one compiled call (the fast path for batch runs).

    Before each day it checks that the growable stores and hash tables have room for three times the busiest day so
    far (`busiest` reports a day, at least) plus a fixed margin (`HEADROOM_*`); if not, it stops and returns that day,
    so the caller can grow the state (`stores.make_room`) and call again. Returns the first day not run (`last`
    when done); a day is never cut short, so where it stops does not change any result.
    """
    fl = s.flow
    c = fl.counters
    cap = fl.mi.shape[0]
    for day in range(first, last):
        if day > first:
            busiest = max(busiest, int(s.day_record[day - 1, D_CREATED]))
        fullest = max(
            c[C_NMSG], c[C_NQUEUE], c[C_NPEND], c[C_NSF], c[C_ASSESS_LOG], c[C_NOBS], c[C_NPIC], c[C_NBP],
            c[C_NDYAD], c[C_NRECEIPT], c[C_NPAY] // PICTURE_ENTRIES,
        )
        room = HEADROOM_BUSIEST_DAYS * busiest + HEADROOM_MARGIN
        if fullest + room > cap:
            return day
        if not (
            has_room(fl.pic_keys, c[C_NPIC], room)
            and has_room(fl.bp_keys, c[C_NBP], room)
            and has_room(fl.dy_keys, c[C_NDYAD], room)
        ):
            return day
        if not step_day(st, s, seed, day):
            return day
    return last
