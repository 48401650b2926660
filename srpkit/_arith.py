"""The arithmetic core: modular exponentiation, through gmpy2 when it is there.

This is the only module that knows which backend runs. Everything above it
passes and receives plain Python ``int`` values; numbers become ``mpz`` here,
at the call, and go back to ``int`` before they leave, so both backends give
bit-identical results and callers never see an ``mpz``.

The backend is chosen once, at import, from ``SRPKIT_BACKEND`` (``gmpy2`` or
``python``; unset means gmpy2 when importable). ``set_backend`` exists so the
test suite can run every behaviour under both backends in one process.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from ._errors import BackendUnavailableError, InvalidInputError

__all__ = ["available_backends", "backend", "powmod", "set_backend"]

_gmpy2: Any
try:
    import gmpy2 as _gmpy2
except ImportError:  # the pure-Python fallback is a supported configuration
    _gmpy2 = None

_BACKENDS = ("gmpy2", "python")


def _powmod_python(base: int, exp: int, mod: int) -> int:
    return pow(base, exp, mod)


def _powmod_gmpy2(base: int, exp: int, mod: int) -> int:
    return int(_gmpy2.powmod(base, exp, mod))


_powmod: Callable[[int, int, int], int] = _powmod_python
_backend = "python"


def available_backends() -> tuple[str, ...]:
    """The backends that can run on this machine, fastest first."""
    return _BACKENDS if _gmpy2 is not None else ("python",)


def set_backend(name: str | None) -> str:
    """Select the backend by name (``None`` picks the fastest available); returns it."""
    global _powmod, _backend  # noqa: PLW0603 - the one place the choice is made
    if name is None:
        name = available_backends()[0]
    if name not in _BACKENDS:
        raise InvalidInputError(
            f"SRPKIT_BACKEND: unknown backend {name!r}; use 'gmpy2' or 'python'",
            fields=("SRPKIT_BACKEND",),
        )
    if name == "gmpy2":
        if _gmpy2 is None:
            raise BackendUnavailableError(
                "SRPKIT_BACKEND=gmpy2 was requested but gmpy2 is not installed "
                "(pip install 'srpkit[fast]')",
                fields=("SRPKIT_BACKEND",),
            )
        _powmod = _powmod_gmpy2
    else:
        _powmod = _powmod_python
    _backend = name
    return name


def backend() -> str:
    """The name of the backend in use: ``"gmpy2"`` or ``"python"``."""
    return _backend


def powmod(base: int, exp: int, mod: int) -> int:
    """``base ** exp % mod`` for ``exp >= 0`` and ``mod > 0``; a negative base is fine."""
    return _powmod(base, exp, mod)


set_backend(os.environ.get("SRPKIT_BACKEND") or None)
