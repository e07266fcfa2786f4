"""numpy's PCG64 stream, drawn inside compiled code without a call through the generator.

The engine makes about 140,000 uniform draws per replicate. numba's support for a `numpy.random.Generator`
argument calls the bit generator through a function pointer for every draw (about 6 ns here); stepping
the same PCG64 state inline costs under 2 ns. The stream is numpy's own, draw for draw: the state is
read from a generator before a compiled call and written back after it (`tests/test_pcg64.py` checks identity
with numpy). Since issue 16 §4 it draws the world (`missionfit.model.world`, `missionfit.model.information`);
behaviour is keyed (`missionfit.engine.keyed`).

PCG64 (O'Neill 2014, as numpy implements it): a 128-bit LCG step, then the XSL-RR output function;
`Generator.random()` keeps the top 53 bits of the 64-bit output.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from missionfit.engine.jit import inlined

#: numpy's default 128-bit PCG multiplier (PCG_DEFAULT_MULTIPLIER_128), as high and low 64-bit words.
MULTIPLIER_HI = np.uint64(2549297995355413924)
MULTIPLIER_LO = np.uint64(4865540595714422341)
#: Layout of the state array: the LCG state and its increment, each as (high, low) 64-bit words.
STATE_HI, STATE_LO, INC_HI, INC_LO = range(4)
_MASK64 = (1 << 64) - 1


@intrinsic
def _muladd128(typingctx, a_hi, a_lo, b_hi, b_lo, c_hi, c_lo):
    """(a * b + c) mod 2**128 on (high, low) 64-bit words, in LLVM's native 128-bit integers."""
    u64 = types.uint64
    sig = types.UniTuple(u64, 2)(u64, u64, u64, u64, u64, u64)

    def codegen(context, builder, signature, args):
        i128, i64 = ir.IntType(128), ir.IntType(64)
        shift = ir.Constant(i128, 64)

        def wide(hi, lo):
            return builder.or_(builder.shl(builder.zext(hi, i128), shift), builder.zext(lo, i128))

        a, b, c = wide(args[0], args[1]), wide(args[2], args[3]), wide(args[4], args[5])
        r = builder.add(builder.mul(a, b), c)
        hi = builder.trunc(builder.lshr(r, shift), i64)
        lo = builder.trunc(r, i64)
        return context.make_tuple(builder, signature.return_type, [hi, lo])

    return sig, codegen


@inlined
def random(state):
    """The next `Generator.random()` of the stream held in `state` (advances it): a float in [0, 1)."""
    hi, lo = _muladd128(state[STATE_HI], state[STATE_LO], MULTIPLIER_HI, MULTIPLIER_LO, state[INC_HI], state[INC_LO])
    state[STATE_HI] = hi
    state[STATE_LO] = lo
    x = hi ^ lo
    rot = hi >> np.uint64(58)
    out = (x >> rot) | (x << ((np.uint64(64) - rot) & np.uint64(63)))
    return np.float64(out >> np.uint64(11)) * (1.0 / 9007199254740992.0)


def state_of(generator: np.random.Generator) -> np.ndarray:
    """The PCG64 state of `generator` as the 4-word array that `random` advances."""
    bits = generator.bit_generator
    full = bits.state  # (a fresh dict at each access: read it once)
    if full.get("bit_generator") != "PCG64":
        raise TypeError(f"the engine draws from a PCG64 stream, got {type(bits).__name__}")
    s = full["state"]
    return np.array(
        [s["state"] >> 64, s["state"] & _MASK64, s["inc"] >> 64, s["inc"] & _MASK64], dtype=np.uint64
    )


def store(generator: np.random.Generator, state: np.ndarray) -> None:
    """Write an advanced `state` back into `generator`, so its next draw continues the stream."""
    bits = generator.bit_generator
    full = bits.state
    words = [int(w) for w in state]
    full["state"] = {"state": (words[STATE_HI] << 64) | words[STATE_LO], "inc": (words[INC_HI] << 64) | words[INC_LO]}
    bits.state = full
