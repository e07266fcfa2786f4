"""How the engine is compiled: two numba flavours, and an on-disk cache keyed on the whole engine's source.

numba's cache keys a function on its own source file only: when an inlined callee in another file changes,
the caller's cached machine code, which contains the old callee, is still loaded (numba issue #1833). With
the engine split into one module per submodel, that would run stale kernels silently. Every function
compiled through `cached_njit` therefore stamps its cache with a SHA-256 of the engine package's source
(every `.py` file under `missionfit/engine/`, paths and bytes) besides its own file's: an edit anywhere in
the engine recompiles every engine kernel on next use, and an unchanged engine reuses the cache.
`missionfit.model.world` compiles through it too, since it inlines `missionfit.engine.pcg64.random`.

If `NUMBA_CACHE_LOCATOR_CLASSES` is set, numba would use those locators and their stamps instead of ours,
so the functions are then compiled without an on-disk cache rather than risk a stale one; likewise where no
cache directory can be written (numba's in-tree, `NUMBA_CACHE_DIR` and user-wide locations are tried, in
numba's order).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
from numba.core import config
from numba.core.caching import (
    CompileResultCacheImpl,
    FunctionCache,
    InTreeCacheLocator,
    UserProvidedCacheLocator,
    UserWideCacheLocator,
)
from numba.core.dispatcher import Dispatcher

#: The engine package's directory: every `.py` file under it enters the cache stamp.
ENGINE_DIR = Path(__file__).resolve().parent
#: Modules outside the engine whose functions are compiled through `cached_njit` and call each other's (the world
#: draw: `model/information.py` inlines kernels of `model/world.py`): they enter the stamp too, so that an edit to
#: one of them recompiles the other's cached kernels as well.
COMPILED_MODULES = tuple(ENGINE_DIR.parent / "model" / name for name in ("information.py", "world.py"))


@functools.cache
def engine_source_hash() -> str:
    """SHA-256 (hex) over the relative path and bytes of the engine's `.py` files (path order) and `COMPILED_MODULES`.

    Computed once per process: the modules are imported by then, so a later edit would not run anyway.
    """
    digest = hashlib.sha256()
    for path in [*sorted(ENGINE_DIR.rglob("*.py")), *COMPILED_MODULES]:
        digest.update(path.relative_to(ENGINE_DIR.parent).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class _EngineStampMixin:
    """A locator whose source stamp is (its own file's stamp, the engine package's source hash)."""

    def get_source_stamp(self) -> tuple[Any, str]:
        """The stamp numba stores in the cache index and compares on load; any difference recompiles."""
        return super().get_source_stamp(), engine_source_hash()  # type: ignore[misc]


class _UserProvidedLocator(_EngineStampMixin, UserProvidedCacheLocator):
    """`NUMBA_CACHE_DIR`, when set, with the engine stamp."""


class _InTreeLocator(_EngineStampMixin, InTreeCacheLocator):
    """The `__pycache__` next to the source file (numba's default), with the engine stamp."""


class _UserWideLocator(_EngineStampMixin, UserWideCacheLocator):
    """The user-wide cache directory (when `__pycache__` is not writable), with the engine stamp."""


class _EngineCacheImpl(CompileResultCacheImpl):
    """numba's compile-result cache, located as numba would (same order) but stamped with the engine hash."""

    _locator_classes = [_UserProvidedLocator, _InTreeLocator, _UserWideLocator]


class EngineFunctionCache(FunctionCache):
    """The cache of a function compiled by `cached_njit`."""

    _impl_class = _EngineCacheImpl


def cached_njit(**options: Any) -> Callable[[Callable], Dispatcher]:
    """`numba.njit(cache=True, **options)`, with the cache stamped by the engine's source (module docstring)."""

    def decorate(py_func: Callable) -> Dispatcher:
        dispatcher = numba.njit(**options)(py_func)
        if isinstance(dispatcher, Dispatcher) and not config.CACHE_LOCATOR_CLASSES:
            try:
                # what `Dispatcher.enable_caching` does for `cache=True`, with the engine-stamped cache
                dispatcher._cache = EngineFunctionCache(py_func)
            except RuntimeError:
                pass  # no writable cache directory for this source (e.g. a zipped package): compile every run
        return dispatcher

    return decorate


# numba passes every array of a namedtuple argument as ~9 scalars and, with its reference counting (NRT) on,
# increfs and decrefs each array on entry to and exit from every non-inlined call: with ~20 arrays per call
# that dominated the per-message cost (docs/performance.md). So the per-message functions are inlined into
# their callers by LLVM (`forceinline`) and every function that allocates nothing runs without reference
# counting (`_nrt=False`; the arrays are owned by the caller, as always). Nothing in a replicate's run
# allocates (scratch, such as the fusion queue's ordering, lives in `State`), so no compiled function needs
# NRT. The flags are explicit on every function because numba lets a callee inherit unset flags from
# whichever caller compiles it first.
# `error_model="numpy"`: a division by zero gives inf or nan instead of a check (and a ZeroDivisionError) at every
# division; the engine divides only by what it has checked, so no result changes and the checks go.
#: A per-message function, inlined into its callers.
inlined = cached_njit(_nrt=False, forceinline=True, error_model="numpy")
#: A function called on its own (from Python, or out of line from another kernel).
kernel = cached_njit(_nrt=False, forceinline=False, error_model="numpy")
#: A submodel of the day (collection, fusion, arrivals, boards, ...), run a few times a day by `step_day`: inlined
#: into it, since an out-of-line call passes the whole `Static` and `State` bundles (about 80 arrays, some 700
#: scalars), which cost more than a small submodel's work (docs/performance.md, v2 core). Callable from Python too.
submodel = cached_njit(_nrt=False, forceinline=True, error_model="numpy")
