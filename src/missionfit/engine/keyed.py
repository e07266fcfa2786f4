"""Keyed behavioural draws: a uniform is a pure function of what it decides, not the next number of a stream.

Common random numbers for behaviour (issue 16 §4; docs/design/crn.md). With one sequential stream, any change
in one part of a structure (a liaison officer added, a board made directive) shifts every later draw of the
replicate, so two arms of an experiment differ by noise everywhere. Here every behavioural uniform is

    u = to_unit(mix(... mix(mix(seed ^ purpose) ^ k1) ... ^ kn))

for the replicate's behaviour seed, a purpose code per draw site and keys that name the decision: the event or
indicator, stable unit keys (declaration index in the scenario, `missionfit.scenario.keys`), a message's
identity, a facet. The same decision in two arms gets the same uniform, whatever else differs.

`mix` is the SplitMix64 finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
generators"); chaining it over the keys is a counter-based generator of the kind Salmon et al. (2011,
"Parallel random numbers: as easy as 1, 2, 3") analyse. `to_unit` keeps the top 53 bits, as
`numpy.random.Generator.random` does. `tests/test_keyed.py` holds golden values and the statistical checks
recorded in docs/design/crn.md.

A draw site computes a base key once (`key2`, `key3`, `key4`) and then its few uniforms with `sub`: one
finaliser each.
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import inlined

#: The golden ratio's 64-bit odd constant (SplitMix64's increment): added at each link of a chain so that a
#: zero key never leaves the state at a fixed point of the finaliser.
GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)

# purpose codes: one per draw site (docs/design/crn.md §3); a new site takes a new code, never an old one
DETECT, OBSERVE, SEND, USE, LEAK, RFI, TASK, ESCORT = range(1, 9)
# sub-keys under an OBSERVE base: per facet f, YIELD + 4 f, CORRECT + 4 f, VALUE + 4 f; then the report's own
YIELD, CORRECT, VALUE = 0, 1, 2
REPORT, BYPASS, ESCALATE = 64, 65, 80  # (ESCALATE + f)
# sub-keys under a SEND base
AUTHORITY, SHARE, NOTICE, STRIP, CHANNEL, GARBLE, MISREAD = 0, 1, 2, 3, 4, 16, 32  # (GARBLE + f, MISREAD + f)
# sub-keys under a TASK base and an ESCORT base
TASK_RATE, TASK_SECTOR, TASK_DOMAIN = 0, 1, 2
ESCORTED, INCIDENT = 0, 1
# message identity tags (`M_IDENT`): what kind of message a chain names
ID_RAW, ID_ASSESSMENT, ID_ANSWER, ID_DELIVERY, ID_UP, ID_OFFER, ID_HANDOVER = 1, 2, 3, 4, 5, 6, 7


@inlined
def mix(z):
    """The SplitMix64 finaliser of a uint64."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@inlined
def link(z, k):
    """One more key `k` (an integer) on the chain `z`."""
    return mix((z ^ np.uint64(k)) + GAMMA)


@inlined
def to_unit(z):
    """A uint64 as a float in [0, 1), from its top 53 bits."""
    return np.float64(z >> _S11) * (1.0 / 9007199254740992.0)


@inlined
def key2(seed, purpose, a, b):
    """The base key of a draw site keyed by two integers."""
    return link(link(link(seed[0], purpose), a), b)


@inlined
def key3(seed, purpose, a, b, c):
    """The base key of a draw site keyed by three integers."""
    return link(key2(seed, purpose, a, b), c)


@inlined
def key4(seed, purpose, a, b, c, d):
    """The base key of a draw site keyed by four integers."""
    return link(key3(seed, purpose, a, b, c), d)


@inlined
def sub(base, k):
    """The uniform number `k` under a base key."""
    return to_unit(link(base, k))


@inlined
def ident(base):
    """A message identity (int32, for `M_IDENT`) from a chain."""
    return np.int32(base >> np.uint64(33))


def seed_key(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    """The engine's behaviour seed (a uint64[1]) from a replicate's behaviour seed sequence."""
    return seed_sequence.generate_state(1, np.uint64)
