"""Facets (docs/design/v2-core.md §4): what one observation says about an event, and what fusion makes of many.

An event has up to `MAX_FACETS` categorical facets (who, what, where, when, ...), each with `values_per_facet`
possible values (after ELICIT's factoids and Carley's radar task, where no single analyst sees enough). A sensor
yields the facets of its profile, each with some probability, and each yielded value is wrong at the sensor's
error rate (issue 15 §1). A fusion cell combines the observations behind what it holds per facet, trust-weighted,
over **distinct origins**: the same origin seen twice, through a relay, a clone or another cell's assessment built
on it, is one piece of evidence, and contradicting origins lower the confidence (MODEL.md §3a). A consumer merges
without corroboration: the best asserted confidence per facet.

These are the per-observation and per-picture functions the engine inlines; they take plain arrays and a draw key
(`missionfit.engine.keyed`), so they are tested on their own against their analytic values
(tests/test_v2_facets.py).
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import inlined
from missionfit.engine.keyed import CORRECT, VALUE, YIELD, sub

#: Facets per event, at most (the schema's limit; a bit per facet in the masks).
MAX_FACETS = 6
#: Categorical values per facet, at most.
MAX_VALUES = 8
#: A facet with no value (not yielded, stripped, or unknown).
NO_VALUE = -1
#: Scratch entries per remembered logarithm pair in `fuse_facet`: confidence, K, log hit, log miss.
MEMO = 4


@inlined
def draw_observation(base, truth, type_mask, yield_mask, yield_prob, error, n_values, is_false, out_value):
    """Draw what one detection says, facet by facet; returns the number of facets yielded.

    Args:
        base: The detection's key (`missionfit.engine.keyed`; the indicator and the observer).
        truth: The event's true value per facet (`NO_VALUE` for a false event or a facet the type lacks).
        type_mask: Bit f set if the event's type has facet f.
        yield_mask: Bit f set if the sensor's profile yields facet f.
        yield_prob: Chance that a facet of the profile is yielded.
        error: Chance that a yielded value is wrong.
        n_values: Values per facet (K >= 2).
        is_false: The event is a rumour or deception: every source draws its values independently.
        out_value: Filled with the value per facet (`NO_VALUE` if not yielded).

    Per facet of the type that is in the profile: one uniform for the yield; if yielded, one for correctness; if
    wrong (or for a false event), one for which value. Each is keyed by the facet (`keyed.YIELD + 4 f`, ...), so
    a facet's draw does not depend on the others'. The reported confidence is the
    source's own estimate, `1 - error`: a source does not know when it is wrong.
    """
    n = 0
    for f in range(out_value.size):
        out_value[f] = NO_VALUE
        if not ((type_mask >> f) & 1 and (yield_mask >> f) & 1):
            continue
        if sub(base, YIELD + 4 * f) >= yield_prob:
            continue
        n += 1
        if is_false:
            out_value[f] = min(int(sub(base, VALUE + 4 * f) * n_values), n_values - 1)
        elif sub(base, CORRECT + 4 * f) >= error:
            out_value[f] = truth[f]
        else:
            # one of the other K - 1 values, uniformly
            other = min(int(sub(base, VALUE + 4 * f) * (n_values - 1)), n_values - 2)
            out_value[f] = other + (other >= truth[f])
    return n


@inlined
def fuse_facet(f, obs, masks, n_entries, obs_origin, obs_value, obs_conf, weight, n_values, scratch):
    """The fused value and confidence of facet `f` from a picture's evidence entries.

    Args:
        f: The facet.
        obs: Observation ids of the entries (the first `n_entries` are used).
        masks: Per entry, bit f set if the holder received facet f of that observation (sanitization and
            escalation strip facets of what they pass on).
        n_entries: Entries in use.
        obs_origin: The observation pool's origin unit per observation.
        obs_value: ... its value per facet (`NO_VALUE`: none).
        obs_conf: ... its reported confidence per facet.
        weight: Per entry, the holder's trust in the competence of the entry's origin, in [0, 1] (a tempered
            likelihood; `knowing.refuse` fills it from the holder's dyads).
        n_values: Values per facet (K).
        scratch: A float array of at least K entries (the log-posterior per value); with `MAX_VALUES + 8` or more,
            the rest keeps two entries' logarithms between calls (`MEMO`), keyed on their confidence and K.

    Returns:
        (value, confidence): the posterior's argmax and its probability under a uniform prior, with one piece of
        evidence per distinct origin (its first entry carrying the facet, so relays and clones add nothing);
        (`NO_VALUE`, 0.0) when no entry carries the facet.

    Per origin o with value v_o and confidence c_o: log P(v) += w_o * log(c_o) if v == v_o, else
    w_o * log((1 - c_o) / (K - 1)). One origin gives its own confidence back; agreeing origins raise it;
    contradicting ones lower it.
    """
    for v in range(n_values):
        scratch[v] = 0.0
    memo = scratch.size >= MAX_VALUES + 2 * MEMO
    used = 0
    for i in range(n_entries):
        if not (masks[i] >> f) & 1:
            continue
        k = obs[i]
        value = obs_value[k, f]
        if value == NO_VALUE:
            continue
        origin = obs_origin[k]
        seen = False
        for j in range(i):  # an earlier entry from the same origin carrying the facet: already counted
            kj = obs[j]
            if (masks[j] >> f) & 1 and obs_value[kj, f] != NO_VALUE and obs_origin[kj] == origin:
                seen = True
                break
        if seen:
            continue
        used += 1
        c = min(max(float(obs_conf[k, f]), 1e-6), 1.0 - 1e-6)
        w = weight[i]
        # the same logarithms of the same numbers: an observation's facets share its confidence, and a picture is
        # fused facet by facet, so entry i meets the confidence it had one facet before
        at = MAX_VALUES + MEMO * (i & 1)
        if memo and scratch[at] == c and scratch[at + 1] == n_values:
            hit, miss = scratch[at + 2], scratch[at + 3]
        else:
            hit, miss = np.log(c), np.log((1.0 - c) / (n_values - 1))
            if memo:
                scratch[at] = c
                scratch[at + 1] = n_values
                scratch[at + 2] = hit
                scratch[at + 3] = miss
        for v in range(n_values):
            scratch[v] += w * (hit if v == value else miss)
    if used == 0:
        return NO_VALUE, 0.0
    best = 0
    for v in range(1, n_values):
        if scratch[v] > scratch[best]:
            best = v
    # exp(0) is exactly 1, and values no origin asserted share one log-posterior: one exp for each distinct one
    total = 0.0
    last, last_exp = np.nan, 0.0
    for v in range(n_values):
        if v == best:
            total += 1.0
            continue
        if scratch[v] != last:
            last = scratch[v]
            last_exp = np.exp(last - scratch[best])
        total += last_exp
    return best, 1.0 / total


@inlined
def best_single_facet(f, obs, masks, n_entries, obs_value, obs_conf):
    """The ablation of corroboration (`fusion_corroboration: 0`): facet `f` of the single most confident entry.

    What v1's fusion did: the best report wins, and agreeing or contradicting origins change nothing. Returns
    (value, confidence), or (`NO_VALUE`, 0.0) when no entry carries the facet; ties keep the first entry.
    """
    best_value, best_conf = NO_VALUE, 0.0
    for i in range(n_entries):
        if not (masks[i] >> f) & 1:
            continue
        k = obs[i]
        if obs_value[k, f] != NO_VALUE and obs_conf[k, f] > best_conf:
            best_value, best_conf = obs_value[k, f], float(obs_conf[k, f])
    return best_value, best_conf


@inlined
def merge_best(value, conf, new_value, new_conf):
    """A consumer's merge: per facet keep the asserted value with the best confidence (no corroboration gain).

    Returns the number of facets whose confidence rose.
    """
    rose = 0
    for f in range(value.size):
        if new_value[f] != NO_VALUE and new_conf[f] > conf[f]:
            value[f] = new_value[f]
            conf[f] = new_conf[f]
            rose += 1
    return rose


@inlined
def facets_at_or_above(conf, threshold):
    """How many facets have at least `threshold` confidence (a picture is actionable when enough do)."""
    n = 0
    for f in range(conf.size):
        if conf[f] >= threshold:
            n += 1
    return n
