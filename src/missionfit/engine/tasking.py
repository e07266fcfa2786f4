"""Tasking (docs/ODD.md §7.7): commanders and cells issue collection tasks down their command edges."""

from __future__ import annotations

from missionfit.engine.jit import inlined, submodel
from missionfit.engine.keyed import TASK, TASK_DOMAIN, TASK_RATE, TASK_SECTOR, link, sub
from missionfit.engine.layout import (
    C_TASKS,
    COMMAND,
    E_DST,
    N_DOMAINS,
    P_TASK_DAYS,
    U_FOCUS_DOM,
    U_NSECTORS,
    U_TASKING,
)


@inlined
def _pick_bit(mask, width, r):
    """The `r`-th (uniform r in [0, 1)) set bit of `mask`, or -1 if none is set."""
    n = 0
    for b in range(width):
        n += (mask >> b) & 1
    if n == 0:
        return -1
    pick = int(r * n)
    for b in range(width):
        if (mask >> b) & 1:
            if pick == 0:
                return b
            pick -= 1
    return -1


@inlined
def _refresh_task_until(s, w, group):
    """Recompute the latest expiry of unit `w`'s open tasks on `group` (nothing for -1)."""
    if group < 0:
        return
    until = -1.0
    for j in range(s.task.shape[1]):
        if s.task[w, j] == group and s.task_expiry[w, j] > until:
            until = s.task_expiry[w, j]
    s.task_until[group] = until


@submodel
def task(st, s, seed, day):
    """Commanders and cells issue requests for information down their command edges (docs/ODD.md §7.7).

    Each day a tasker tasks each subordinate that can collect with probability `tasking_rate`, on a sector
    the subordinate covers and a PMESII domain of the tasker's focus. p. 395: ASIFU "did not have the
    authority to send out data collection tasks" to SOLTG and the helicopters; p. 398: African battalions
    "really have to be tasked". A task lands on the (unit, cell) group of
    `missionfit.scenario.compiler._task_groups`, whose expiry collection reads.
    """
    net, fl = st.net, s.flow
    t = float(day)
    # `key2(seed, TASK, day, edge_key)` with its first two links made once a day: about 70 command edges a day each
    # wait for a chain of finalisers otherwise (the same keys, so the same draws)
    today = link(link(seed[0], TASK), day)
    for u in range(net.uf.shape[1]):
        rate = net.uf[U_TASKING, u]
        if rate <= 0:
            continue
        for edge in range(net.adj_ptr[COMMAND, u], net.adj_ptr[COMMAND, u + 1]):
            w = net.ei[E_DST, edge]
            n_sec = net.ui[U_NSECTORS, w]
            if n_sec == 0:
                continue
            base = link(today, net.edge_key[edge])  # keyed by the day and the command edge
            if sub(base, TASK_RATE) >= rate:
                continue
            k = st.unit_sector_ptr[w] + int(sub(base, TASK_SECTOR) * n_sec)  # the sector: the k-th the unit covers
            dom = _pick_bit(net.ui[U_FOCUS_DOM, u], N_DOMAINS, sub(base, TASK_DOMAIN))
            if dom < 0:
                continue
            slot = 0
            for j in range(s.task.shape[1]):  # the slot that expires first gives way (`max_open_tasks`)
                if s.task_expiry[w, j] < s.task_expiry[w, slot]:
                    slot = j
            old = s.task[w, slot]
            group = st.unit_cell_group[k * N_DOMAINS + dom]
            s.task[w, slot] = group
            s.task_expiry[w, slot] = t + net.params[P_TASK_DAYS]
            fl.counters[C_TASKS] += 1
            _refresh_task_until(s, w, old)
            _refresh_task_until(s, w, group)
