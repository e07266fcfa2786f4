"""Transmission (docs/ODD.md §7.3): creating messages and sending them across edges, hop by hop."""

from __future__ import annotations

import numpy as np

from missionfit.engine.heap import heap_push
from missionfit.engine.jit import inlined
from missionfit.engine.keyed import AUTHORITY, CHANNEL, GARBLE, MISREAD, NOTICE, SEND, SHARE, STRIP, key4, sub
from missionfit.engine.layout import (
    C_CREATED,
    C_HOPS,
    C_LOST,
    C_NMSG,
    C_NOBS,
    C_NPAY,
    C_OVERFLOW,
    C_RAW,
    C_S2_CREATED,
    C_SANITIZED,
    C_WITHHELD,
    DY_GOODWILL,
    E_AUTHORITY,
    E_DST,
    E_DUTY,
    E_LATENCY,
    E_OK,
    E_QUALITY,
    E_SHARE,
    E_SRC,
    EC_DELIVERED,
    EC_HOPS,
    EC_LOST,
    EC_SANITIZED,
    EC_WITHHELD,
    FORWARD,
    IN_FLIGHT,
    IN_META_MASK,
    IN_VALUES,
    LOST,
    M_AUTHORITY,
    M_BORN,
    M_CLASS,
    M_CONF0,
    M_DST,
    M_EDGE,
    M_EVENT,
    M_HORIZON,
    M_IDENT,
    M_KIND,
    M_MASK,
    M_ORIGIN,
    M_PATH,
    M_PAYLEN,
    M_PAYLOAD,
    M_QUALITY,
    M_READY,
    M_SENDER,
    M_SFROOT,
    M_STATUS,
    M_TTL,
    M_VAL0,
    MAX_FACETS,
    P_DUTY,
    P_GOODWILL_LOSS,
    P_NOTICED,
    P_SAN_DELAY,
    P_SAN_STRIP,
    P_STEEP,
    PI_N,
    RAW,
    REVERSE,
    U_S2,
    U_SECURITY,
    U_THRESHOLD,
    WITHHELD,
)
from missionfit.engine.trust import edge_dyad, lower_component, trust_value

#: Every facet bit: a message that carries all facets of its evidence.
ALL_FACETS = (1 << MAX_FACETS) - 1


@inlined
def payload_of_observation(fl, obs):
    """A payload slice holding one observation with all its facets; returns its start (-1 if the pool is full)."""
    p = fl.counters[C_NPAY]
    if p >= fl.pay_obs.size:
        fl.counters[C_OVERFLOW] = 1
        return -1
    fl.pay_obs[p] = obs
    fl.pay_mask[p] = ALL_FACETS
    fl.counters[C_NPAY] = p + 1
    return p


@inlined
def payload_of_picture(fl, row):
    """A payload slice holding a picture's evidence entries; returns (start, length), (-1, 0) if the pool is full."""
    n = fl.pic_i[PI_N, row]
    p = fl.counters[C_NPAY]
    if p + n > fl.pay_obs.size:
        fl.counters[C_OVERFLOW] = 1
        return -1, 0
    for i in range(n):
        fl.pay_obs[p + i] = fl.pic_obs[row, i]
        fl.pay_mask[p + i] = fl.pic_mask[row, i]
    fl.counters[C_NPAY] = p + n
    return p, n


@inlined
def summary_from_observation(fl, k, obs):
    """Message `k` asserts what observation `obs` says."""
    for f in range(MAX_FACETS):
        fl.mi[k, M_VAL0 + f] = fl.obs_value[obs, f]
        fl.mf[k, M_CONF0 + f] = fl.obs_conf[obs, f]


@inlined
def summary_from_picture(fl, k, row):
    """Message `k` asserts a picture's values and confidences."""
    for f in range(MAX_FACETS):
        fl.mi[k, M_VAL0 + f] = fl.pic_val[row, f]
        fl.mf[k, M_CONF0 + f] = fl.pic_conf[row, f]


@inlined
def garble(net, fl, base, k, p_garble):
    """A language or procedure mismatch on the hop: each carried facet is misread with chance `p_garble`.

    validation.md §10.1: the v1 `language_quality_loss` and `procedure_quality_loss` become an increase of facet
    error on a mismatched edge. A misread value is one of the other values, uniformly, and keeps its confidence
    (the receiver does not know it misread). A raw report's evidence is its one observation: a misread turns it into
    a new observation of the same origin with the misread value, so fusion reads it wrong but still counts the
    origin once. An assessment's evidence is many observations: the facets misread in what it asserts are dropped
    from the evidence it carries (the receiving cell cannot parse them), and its consumers read the wrong value.
    """
    n_values = net.info[IN_VALUES]
    raw_obs = -1
    for f in range(MAX_FACETS):
        value = fl.mi[k, M_VAL0 + f]
        if value < 0 or not (fl.mi[k, M_MASK] >> f) & 1 or sub(base, GARBLE + f) >= p_garble:
            continue
        other = min(int(sub(base, MISREAD + f) * (n_values - 1)), n_values - 2)
        fl.mi[k, M_VAL0 + f] = other + (other >= value)
        if fl.mi[k, M_KIND] == RAW and fl.mi[k, M_PAYLEN] == 1:
            if raw_obs < 0:
                raw_obs = _copy_observation(fl, fl.pay_obs[fl.mi[k, M_PAYLOAD]])
                if raw_obs < 0:
                    return
                pay = payload_of_observation(fl, raw_obs)
                if pay < 0:
                    return
                fl.mi[k, M_PAYLOAD] = pay
            fl.obs_value[raw_obs, f] = fl.mi[k, M_VAL0 + f]
        else:
            fl.mi[k, M_MASK] &= ~(1 << f)


@inlined
def _copy_observation(fl, obs):
    """A new observation with the same origin, values and confidences as `obs`; -1 if the pool is full."""
    c = fl.counters[C_NOBS]
    if c >= fl.obs_origin.size:
        fl.counters[C_OVERFLOW] = 1
        return -1
    fl.counters[C_NOBS] = c + 1
    fl.obs_origin[c] = fl.obs_origin[obs]
    for f in range(MAX_FACETS):
        fl.obs_value[c, f] = fl.obs_value[obs, f]
        fl.obs_conf[c, f] = fl.obs_conf[obs, f]
    return c


@inlined
def new_message(
    net, fl, event, origin, kind, horizon, quality, klass, born, authority, sfroot, payload, paylen, path, identity
):
    """Number a new message about `event` held by `origin`; returns its row, or -1 (and flags overflow) if full.

    Its evidence is the payload slice (`payload`, `paylen`; -1, 0 for none), with every facet carried, and `path`
    the path code of what it is (docs/design/v2-core.md §6.1); the caller sets what it asserts
    (`summary_from_observation`, `summary_from_picture`). `identity` (`M_IDENT`, `keyed.ident`) names it the
    same way in every arm of an experiment: the keyed draws of its hops and its use depend on it, not on its row.
    """
    k = fl.counters[C_NMSG]
    if k >= fl.mi.shape[0]:
        fl.counters[C_OVERFLOW] = 1
        return -1
    fl.counters[C_NMSG] = k + 1
    fl.counters[C_CREATED] += 1
    if kind == RAW:
        fl.counters[C_RAW] += 1
    if net.ui[U_S2, origin]:
        fl.counters[C_S2_CREATED] += 1
    mi = fl.mi
    mi[k, M_EVENT] = event
    mi[k, M_ORIGIN] = origin
    mi[k, M_SENDER] = origin
    mi[k, M_DST] = -1
    mi[k, M_EDGE] = -1
    mi[k, M_KIND] = kind
    mi[k, M_HORIZON] = horizon
    mi[k, M_CLASS] = klass
    mi[k, M_STATUS] = IN_FLIGHT
    mi[k, M_AUTHORITY] = authority
    mi[k, M_TTL] = 0
    mi[k, M_SFROOT] = sfroot
    mi[k, M_PAYLOAD] = payload
    mi[k, M_PAYLEN] = paylen
    mi[k, M_MASK] = ALL_FACETS
    mi[k, M_PATH] = path
    mi[k, M_IDENT] = identity
    fl.mf[k, M_QUALITY] = quality
    fl.mf[k, M_READY] = born
    fl.mf[k, M_BORN] = born
    return k


@inlined
def clone_message(net, fl, k):
    """A copy of message `k` (same content and hops so far) to send on another edge; -1 if full."""
    mi = fl.mi
    c = new_message(
        net, fl, mi[k, M_EVENT], mi[k, M_ORIGIN], mi[k, M_KIND], mi[k, M_HORIZON], fl.mf[k, M_QUALITY],
        mi[k, M_CLASS], fl.mf[k, M_BORN], mi[k, M_AUTHORITY], mi[k, M_SFROOT], mi[k, M_PAYLOAD], mi[k, M_PAYLEN],
        mi[k, M_PATH], mi[k, M_IDENT],
    )
    if c >= 0:
        mi[c, M_TTL] = mi[k, M_TTL]
        mi[c, M_MASK] = mi[k, M_MASK]
        for f in range(MAX_FACETS):  # the same evidence (shared), the same assertions (copied)
            mi[c, M_VAL0 + f] = mi[k, M_VAL0 + f]
            fl.mf[c, M_CONF0 + f] = fl.mf[k, M_CONF0 + f]
    return c


@inlined
def send(net, fl, seed, k, edge, t):
    """One hop: message `k` leaves its holder over `edge` at time `t`.

    The three filters of docs/ODD.md §7.3, in order:
    1. the sender shares (its trust in the receiver's goodwill above its threshold, lowered by rivalry and the
       civil-military distance, pp. 394-397; at least `reporting_duty` on a formal line up), unless a tasking's
       authority or a directive board overrides its reluctance (p. 395: ASIFU
       "did not have the authority to send out data collection tasks"; p. 396: the JCB "had no directive
       powers");
    2. the receiver may hold the classification, else the sender sanitizes: delay and loss of metadata
       (p. 400: the "UN-classified" network; only sanitized INTREPs were shared);
    3. the channel works: latency and loss from both ends' tech level, a missing common language and a
       procedure mismatch (pp. 398-400).

    The per-edge factors are precomputed per scenario: the sharing multiplier `E_SHARE` by
    `missionfit.scenario.rivalry.edge_share` (the whole path of rivalry is told there), latency, channel and
    quality factors by `missionfit.scenario.compiler._send_factors`.

    Every draw of the hop is keyed (`keyed.SEND`) by the event, the message's identity, the edge (its ends'
    stable keys) and the hop count, so the same message on the same edge meets the same draws in every arm.
    """
    ei, ef, mi, mf = net.ei, net.ef, fl.mi, fl.mf
    sender = ei[E_SRC, edge]
    receiver = ei[E_DST, edge]
    base = key4(seed, SEND, mi[k, M_EVENT], mi[k, M_IDENT], net.edge_key[edge], mi[k, M_TTL])
    fl.counters[C_HOPS] += 1
    fl.edge_counts[edge, EC_HOPS] += 1
    authority = (mi[k, M_AUTHORITY] != 0 and sender == mi[k, M_ORIGIN]) or sub(base, AUTHORITY) < ef[E_AUTHORITY, edge]
    if not authority:
        # p. 394: "intelligence is a trust sport, which you only play with those you trust": the sender's trust in
        # the receiver's goodwill (will it be protected and reciprocated?); on a formal line toward a commanding
        # unit a reporting duty comes first (issue 16 §1)
        gap = trust_value(net, fl, edge_dyad(net, fl, edge, FORWARD), DY_GOODWILL) - net.uf[U_THRESHOLD, sender]
        p_share = ef[E_SHARE, edge] / (1.0 + np.exp(-net.params[P_STEEP] * gap))
        if ei[E_DUTY, edge]:
            p_share = net.params[P_DUTY] + (1.0 - net.params[P_DUTY]) * p_share
        if sub(base, SHARE) >= p_share:
            mi[k, M_STATUS] = WITHHELD
            fl.counters[C_WITHHELD] += 1
            fl.edge_counts[edge, EC_WITHHELD] += 1
            if sub(base, NOTICE) < net.params[P_NOTICED]:
                # withholding, when noticed, costs the sender the receiver's goodwill (pp. 395-396)
                lower_component(fl, edge_dyad(net, fl, edge, REVERSE), DY_GOODWILL, net.params[P_GOODWILL_LOSS])
            return
    latency = ef[E_LATENCY, edge]
    if mi[k, M_CLASS] > net.ui[U_SECURITY, receiver]:
        latency += net.params[P_SAN_DELAY]
        # v2: a sanitized message loses its metadata facets (p. 400: "not allowed to share the metadata (e.g.
        # time, location) of their images"), in what it asserts and in the evidence it carries; operational fit
        # lowers the chance (`sanitize_metadata_strip`)
        if sub(base, STRIP) < net.params[P_SAN_STRIP]:
            mi[k, M_MASK] &= ~net.info[IN_META_MASK]
        mi[k, M_CLASS] = net.ui[U_SECURITY, receiver]
        fl.counters[C_SANITIZED] += 1
        fl.edge_counts[edge, EC_SANITIZED] += 1
    if sub(base, CHANNEL) >= ef[E_OK, edge]:
        mi[k, M_STATUS] = LOST
        fl.counters[C_LOST] += 1
        fl.edge_counts[edge, EC_LOST] += 1
        return
    mf[k, M_QUALITY] *= ef[E_QUALITY, edge]
    if ef[E_QUALITY, edge] < 1.0:
        garble(net, fl, base, k, 1.0 - ef[E_QUALITY, edge])
    mi[k, M_SENDER] = sender
    mi[k, M_DST] = receiver
    mi[k, M_EDGE] = edge
    mi[k, M_TTL] += 1
    mf[k, M_READY] = t + latency
    fl.edge_counts[edge, EC_DELIVERED] += 1
    heap_push(fl, k)


@inlined
def send_along(net, fl, seed, k, holder, etype, t, exclude):
    """Send message `k` over every out-edge of `holder` of type `etype`, cloning for the second and later.

    Returns how many edges it went out on; 0 leaves `k` untouched.
    """
    sent = 0
    for edge in range(net.adj_ptr[etype, holder], net.adj_ptr[etype, holder + 1]):
        if net.ei[E_DST, edge] == exclude:
            continue
        msg = k if sent == 0 else clone_message(net, fl, k)
        if msg < 0:
            return sent
        send(net, fl, seed, msg, edge, t)
        sent += 1
    return sent


@inlined
def out_degree(net, unit, etype):
    """How many out-edges of type `etype` `unit` has."""
    return net.adj_ptr[etype, unit + 1] - net.adj_ptr[etype, unit]
