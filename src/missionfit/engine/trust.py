"""Trust (docs/ODD.md §7.10; issue 16 §1): two components per interacting dyad, and how each one learns.

After Mayer, Davis & Schoorman (1995), unit a's trust in unit b has two components:

- competence: will what b says be right? It decides whether a consumer *uses* a report (`decision.decide`) and
  weights b's evidence in a fusion cell's corroboration (`knowing.refuse`). It learns only from accuracy, when the
  event resolves (it happens, or a false event is known false when its time passes), and only
  about the producer of what a received, never a relay (`log_receipt`, `resolve_receipts`);
- goodwill: will b protect what a shares, and reciprocate? It decides whether a *shares* with b
  (`transmission.send`, boards' lanes, answers to requests). It learns from reciprocity (b shares with a), answered
  and refused requests for information (p. 396), noticed withholding (pp. 395-396) and leaks (p. 400), and grows at
  board meetings (p. 396: the JCB "facilitated communication").

At decision time either component is mixed with the partner's technology level by `trust_conflation` (p. 404:
"One of the core issues here seems the conflation of capabilities with trust: in MINUSMA when capabilities were
absent trust was lost").

A dyad is a row of a hash table made when the pair first interacts, at the scenario's prior for both components
(`missionfit.scenario.trust.TrustPrior`), so the store is O(interacting pairs). A unit's trust in itself is 1 and
has no row. Rotation puts a rotated unit's rows back at their priors (`rotation.rotate`).
"""

from __future__ import annotations

from missionfit.engine.jit import inlined
from missionfit.engine.layout import (
    C_EVENT_CUR,
    C_FALSE_CUR,
    C_NDYAD,
    C_NRECEIPT,
    C_OVERFLOW,
    DY_COMPETENCE,
    DY_COMPETENCE0,
    DY_GOODWILL,
    DY_GOODWILL0,
    DY_INTERACTIONS,
    DY_TRUSTEE,
    DY_TRUSTER,
    E_DST,
    E_SRC,
    EV_FALSE,
    EV_KIND,
    FORWARD,
    M_MASK,
    M_VAL0,
    MAX_FACETS,
    P_CONFLATION,
    P_GAIN,
    P_LOSS,
    RC_HOLDER,
    RC_NEXT,
    RC_PRODUCER,
    U_CONTRIBUTOR,
    U_TECH,
    U_TRUST_GROUP,
)
from missionfit.engine.pictures import find_or_insert, full


@inlined
def prior(net, a, b):
    """Unit `a`'s prior trust in unit `b` (both components): an override, else the group table (TrustPrior)."""
    if a == b:
        return 1.0
    keys = net.trust_pair_keys
    key = a * net.ui.shape[1] + b
    lo, hi = 0, keys.size
    while lo < hi:  # binary search of the sorted overrides (a handful per scenario)
        mid = (lo + hi) // 2
        if keys[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    if lo < keys.size and keys[lo] == key:
        return net.trust_pair_values[lo]
    same = 1 if net.ui[U_CONTRIBUTOR, a] == net.ui[U_CONTRIBUTOR, b] else 0
    return net.trust_table[same, net.ui[U_TRUST_GROUP, a], net.ui[U_TRUST_GROUP, b]]


@inlined
def dyad(net, fl, a, b):
    """The row of `a`'s trust in `b`, made at the prior if new, with one more interaction; -1 if `a == b` or full."""
    if a == b:
        return -1
    n = fl.counters[C_NDYAD]
    if n >= fl.dy_f.shape[1] or full(fl.dy_keys, n):
        fl.counters[C_OVERFLOW] = 1
        return -1
    row, inserted = find_or_insert(fl.dy_keys, fl.dy_slots, a * net.ui.shape[1] + b, n)
    if inserted:
        fl.counters[C_NDYAD] = n + 1
        p = prior(net, a, b)
        fl.dy_f[DY_COMPETENCE, row] = p
        fl.dy_f[DY_GOODWILL, row] = p
        fl.dy_f[DY_COMPETENCE0, row] = p
        fl.dy_f[DY_GOODWILL0, row] = p
        fl.dy_i[DY_TRUSTER, row] = a
        fl.dy_i[DY_TRUSTEE, row] = b
        fl.dy_i[DY_INTERACTIONS, row] = 0
        fl.trust_sum[DY_COMPETENCE] += p
        fl.trust_sum[DY_GOODWILL] += p
    fl.dy_i[DY_INTERACTIONS, row] += 1
    return row


@inlined
def edge_dyad(net, fl, edge, direction):
    """The dyad row of an edge's source in its target (`FORWARD`) or the target in the source, one more interaction."""
    row = fl.edge_dyad[direction, edge]
    if row >= 0:
        fl.dy_i[DY_INTERACTIONS, row] += 1
        return row
    a, b = net.ei[E_SRC, edge], net.ei[E_DST, edge]
    row = dyad(net, fl, a, b) if direction == FORWARD else dyad(net, fl, b, a)
    fl.edge_dyad[direction, edge] = row
    return row


@inlined
def trust_value(net, fl, row, component):
    """A dyad's component as used at decision time: mixed with the trustee's tech level (`trust_conflation`)."""
    if row < 0:
        return 1.0  # a unit's trust in itself (and, after an overflow, which fails the run anyway)
    c = net.params[P_CONFLATION]
    value = fl.dy_f[component, row]
    if c > 0.0:
        value = (1.0 - c) * value + c * net.uf[U_TECH, fl.dy_i[DY_TRUSTEE, row]]
    return value


@inlined
def set_component(fl, row, component, value):
    """Set a dyad's component, keeping the running sum the day's mean trust is read from."""
    fl.trust_sum[component] += value - fl.dy_f[component, row]
    fl.dy_f[component, row] = value


@inlined
def raise_component(fl, row, component, rate):
    """A good experience: the component moves a share `rate` of the way up to 1."""
    if row >= 0 and rate > 0.0:
        old = fl.dy_f[component, row]
        set_component(fl, row, component, old + rate * (1.0 - old))


@inlined
def lower_component(fl, row, component, rate):
    """A bad experience: the component loses a share `rate` of itself."""
    if row >= 0 and rate > 0.0:
        old = fl.dy_f[component, row]
        set_component(fl, row, component, old - rate * old)


@inlined
def learn_competence(net, fl, row, accuracy):
    """Competence learns from the share `accuracy` of a producer's assertions that proved right.

    The expected v1 update with accuracy as the chance of being right: up by `trust_gain` x accuracy of the
    distance to 1, down by `trust_loss` x (1 - accuracy) of itself; no draw, so no stream moves.
    """
    if row < 0:
        return
    old = fl.dy_f[DY_COMPETENCE, row]
    new = old + net.params[P_GAIN] * accuracy * (1.0 - old) - net.params[P_LOSS] * (1.0 - accuracy) * old
    set_component(fl, row, DY_COMPETENCE, min(max(new, 0.0), 1.0))


@inlined
def assertion_accuracy(net, mi, k, event):
    """The share of message `k`'s asserted facet values that are true; -1 if it asserts none.

    A false event has no truth (-1 for every facet), so everything said about it is wrong.
    """
    mask = net.type_mask[net.evi[EV_KIND, event]] & mi[k, M_MASK]
    n, right = 0, 0
    for f in range(MAX_FACETS):
        value = mi[k, M_VAL0 + f]
        if (mask >> f) & 1 and value >= 0:
            n += 1
            if value == net.truth[event, f]:
                right += 1
    return right / n if n > 0 else -1.0


@inlined
def resolved(net, fl, event):
    """Whether `event` has resolved: materialized (true), or known false (its time passed without it)."""
    if net.evi[EV_FALSE, event]:
        return event < fl.counters[C_FALSE_CUR]
    return event < fl.counters[C_EVENT_CUR]


@inlined
def log_receipt(net, fl, holder, producer, event, accuracy):
    """`holder` received what `producer` asserted about `event`: competence learns when the event resolves."""
    if holder == producer or accuracy < 0.0:
        return
    if resolved(net, fl, event):
        learn_competence(net, fl, dyad(net, fl, holder, producer), accuracy)
        return
    r = fl.counters[C_NRECEIPT]
    if r >= fl.rc_acc.size:
        fl.counters[C_OVERFLOW] = 1
        return
    fl.counters[C_NRECEIPT] = r + 1
    fl.rc_i[RC_HOLDER, r] = holder
    fl.rc_i[RC_PRODUCER, r] = producer
    fl.rc_i[RC_NEXT, r] = fl.ev_receipt[event]
    fl.rc_acc[r] = accuracy
    fl.ev_receipt[event] = r


@inlined
def resolve_receipts(net, fl, event):
    """`event` resolved: every holder's competence in each producer that told it about the event learns."""
    r = fl.ev_receipt[event]
    while r >= 0:
        learn_competence(net, fl, dyad(net, fl, fl.rc_i[RC_HOLDER, r], fl.rc_i[RC_PRODUCER, r]), fl.rc_acc[r])
        r = fl.rc_i[RC_NEXT, r]
    fl.ev_receipt[event] = -1


@inlined
def reset_to_prior(fl, row):
    """Rotation: both components of a dyad back at the prior."""
    set_component(fl, row, DY_COMPETENCE, fl.dy_f[DY_COMPETENCE0, row])
    set_component(fl, row, DY_GOODWILL, fl.dy_f[DY_GOODWILL0, row])
