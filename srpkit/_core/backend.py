"""The arithmetic core: modular exponentiation, through gmpy2 when it is there.

This is the only module that knows which backend runs. Everything above it
passes and receives plain Python ``int`` values; numbers become ``mpz`` here,
at the call, and go back to ``int`` before they leave, so both backends give
bit-identical results and callers never see an ``mpz``.

Backend. ``SRPKIT_BACKEND`` (``gmpy2`` or ``python``; unset means gmpy2 when
importable) and ``SRPKIT_HARDENED`` are read and checked at import, but a bad
value is reported (raised) on first use rather than by the import, so that
``import srpkit`` never fails and the command line can say it in one line
(``environment_error``). gmpy2 itself is imported on first use: importing it
costs ~40 ms (it loads importlib.metadata), most of ``import srpkit``.
``set_backend`` exists so the test suite can run every behaviour under both
backends in one process.

Fixed base. Two of a sign-in's three exponentiations have the base g = 2
(A = g^a, v = g^x; a ConfirmDevice verifier is another g^x). ``powmod_g``
answers them from precomputed powers of g (a Lim-Lee comb, see ``_Comb``),
built on first use: g^a for a 1024-bit a costs ~115 multiplications instead
of ~1200 modular operations, g^x for a 256-bit x ~35.

Hardened mode: see ``set_hardened``. The python backend has no constant-time
exponentiation, so hardened mode with it is an error
(``BackendUnavailableError``), never a silent downgrade.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from .errors import BackendUnavailableError, InvalidInputError, ParameterTypeError, SRPKitError
from .group import G, N

__all__ = [
    "FIXED_BASE_BITS",
    "MAX_TABLE_BYTES",
    "FixedBaseStats",
    "available_backends",
    "backend",
    "fixed_base_stats",
    "hardened",
    "powmod",
    "powmod_g",
    "set_backend",
    "set_hardened",
]

_BACKENDS = ("gmpy2", "python")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})

# Why 2^e = 2^(e mod q) with q = (N - 1) / 2, so exponents past the tables can
# shrink: N is the RFC 3526 safe prime, N = 2q + 1, and N = 7 (mod 8) (its low
# 64 bits are all ones). By the second supplement to quadratic reciprocity 2 is
# then a square mod N, and by Euler's criterion 2^q = 1 (mod N). The reduction
# needs nothing but that congruence, which tests/core/test_arith.py checks directly
# on both backends. (As q is prime too, the order of 2 is exactly q.)
_Q = (N - 1) // 2

# The comb geometries (bits, teeth, blocks); see _Comb. The long comb covers a,
# 128 random bytes; the short one x, a SHA-256 value (with the long comb a
# 256-bit exponent would still cost a multiplication per column, ~100). Cost
# of g^e: about bits/teeth multiplications and bits/(teeth*blocks) squarings;
# memory: blocks * (2^teeth - 1) numbers of ~430 bytes. gmpy2 gets the larger
# long comb: there the tables are a larger share of a login (the goal is a login
# within 1.3x of S alone) and cheap to build (35 ms; python's take 130 ms for
# half the size). Both backends' tables together: 7.1 MB < MAX_TABLE_BYTES.
FIXED_BASE_BITS = 1024
_SHORT_BITS = 256
_GEOMETRY = {
    "gmpy2": ((_SHORT_BITS, 8, 8), (FIXED_BASE_BITS, 10, 8)),
    "python": ((_SHORT_BITS, 8, 8), (FIXED_BASE_BITS, 10, 4)),
}
# The bound on the tables' memory, for both backends' tables together.
MAX_TABLE_BYTES = 8 * 1024 * 1024


class FixedBaseStats(NamedTuple):
    """The fixed-base tables built so far: their size, and how often and how long they took to build."""

    entries: int
    nbytes: int
    builds: int
    build_seconds: float


class _Comb:
    """g^e mod N for 0 <= e < 2^bits by a fixed-base comb (Lim and Lee), in one backend's numbers.

    The exponent's bits form ``teeth`` rows of ``span`` bits (row i holds bits
    i*span .. i*span + span - 1); column t is the number c_t whose bit i is
    bit i*span + t of e. Then g^e = prod_t P[c_t]^(2^t), where P[c] is the
    product of g^(2^(i*span)) over the bits i of c. Writing t = j*spacing + k
    (``blocks`` blocks of ``spacing`` columns) gives
    g^e = prod_k (prod_j T_j[c_(j*spacing + k)])^(2^k) with T_j[c] = P[c]^(2^(j*spacing)),
    evaluated by Horner's rule over k: spacing - 1 squarings and one
    multiplication per non-zero column. The table holds T_j[c] for every
    block j and every non-zero c < 2^teeth.
    """

    __slots__ = (
        "_lane",
        "_lock",
        "_n",
        "_native",
        "_one",
        "_powmod",
        "_spread",
        "_table",
        "bits",
        "blocks",
        "build_seconds",
        "builds",
        "spacing",
        "span",
        "teeth",
    )

    def __init__(
        self,
        geometry: tuple[int, int, int],
        native: Callable[[int], Any],
        powmod_native: Callable[[Any, int, Any], Any],
    ) -> None:
        self.bits, self.teeth, self.blocks = geometry
        assert 1 <= self.teeth <= 16
        self.spacing = -(-self.bits // (self.teeth * self.blocks))
        self.span = self.spacing * self.blocks
        self._lane = 1 if self.teeth <= 8 else 2  # bytes per column
        self._native = native
        self._powmod = powmod_native
        self._n = native(N)
        self._one = native(1)
        # Built on first use, under the lock, and published by one reference
        # assignment after it is complete: a reader that sees a table without
        # taking the lock sees all of it (it is immutable and fully built before
        # it is reachable), and racing first users build it once because the
        # loser of the lock finds it built. A per-table lock, not a global one,
        # so building one table never waits on another.
        self._table: tuple[tuple[Any, ...], ...] | None = None
        self._spread: tuple[bytes, ...] = ()
        self._lock = threading.Lock()
        self.builds = 0
        self.build_seconds = 0.0

    def _build(self) -> tuple[tuple[Any, ...], ...]:
        with self._lock:
            if self._table is None:
                started = time.perf_counter()
                lane = self._lane
                self._spread = tuple(
                    b"".join(((c >> m) & 1).to_bytes(lane, "little") for m in range(8))
                    for c in range(256)
                )
                n, blocks = self._n, self.blocks
                # bases[m] = g^(2^(m*spacing)); row i of block j is m = i*blocks + j.
                bases = [self._native(G)]
                for _ in range(self.teeth * blocks - 1):
                    bases.append(self._powmod(bases[-1], 1 << self.spacing, n))
                table = []
                for j in range(blocks):
                    row = [self._one]
                    for c in range(1, 1 << self.teeth):
                        low = (c & -c).bit_length() - 1
                        base = bases[low * blocks + j]
                        rest = c & (c - 1)
                        row.append(base if rest == 0 else row[rest] * base % n)
                    table.append(tuple(row))
                self._table = tuple(table)
                self.builds += 1
                self.build_seconds = time.perf_counter() - started
            return self._table

    def _columns(self, e: int) -> Sequence[int]:
        # Transposes the teeth x span bit matrix with byte operations in C, not
        # a loop over bits: spreading each byte of e to 8 lanes of 0/1 puts bit
        # p of e in lane p; row i's lanes, shifted by i and OR-ed, are the columns.
        lane, span, teeth = self._lane, self.span, self.teeth
        spread = b"".join(
            map(self._spread.__getitem__, e.to_bytes(-(-teeth * span // 8), "little"))
        )
        width = lane * span
        acc = 0
        for i in range(teeth):
            acc |= int.from_bytes(spread[i * width : (i + 1) * width], "little") << i
        raw = acc.to_bytes(width, "little")
        if lane == 1:
            return raw
        columns = array("H", raw)
        if sys.byteorder == "big":
            columns.byteswap()
        return columns

    def power(self, e: int) -> int:
        """g^e mod N; requires 0 <= e < 2^bits."""
        table = self._table or self._build()
        columns = self._columns(e)
        n, spacing = self._n, self.spacing
        r = self._one
        for k in range(spacing - 1, -1, -1):
            r = r * r % n
            for row, c in zip(table, columns[k::spacing], strict=False):  # the tail may be short
                if c:
                    r = r * row[c] % n
        return int(r)

    def stats(self) -> tuple[int, int]:
        """(entries, bytes) of the built table, counting each number object once."""
        table = self._table
        if table is None:
            return 0, 0
        seen: set[int] = set()
        nbytes = sys.getsizeof(table) + sys.getsizeof(self._spread)
        nbytes += sum(sys.getsizeof(lanes) for lanes in self._spread)
        for row in table:
            nbytes += sys.getsizeof(row)
            for value in row:
                if id(value) not in seen:
                    seen.add(id(value))
                    nbytes += sys.getsizeof(value)
        return len(seen), nbytes


class _Engine:
    """One backend: its exponentiation, its constant-time one (or None) and its fixed-base tables."""

    __slots__ = ("_long", "_native", "_powmod_native", "_short", "name", "powmod", "powmod_sec")

    def __init__(
        self,
        name: str,
        native: Callable[[int], Any],
        powmod_native: Callable[[Any, int, Any], Any],
        powmod_sec: Callable[[int, int, int], int] | None,
    ) -> None:
        self.name = name
        self.powmod_sec = powmod_sec
        self.powmod: Callable[[int, int, int], int] = lambda b, e, m: int(powmod_native(b, e, m))
        self._native = native
        self._powmod_native = powmod_native
        self._short, self._long = self._combs()

    def _combs(self) -> tuple[_Comb, _Comb]:
        short, long = _GEOMETRY[self.name]
        return (
            _Comb(short, self._native, self._powmod_native),
            _Comb(long, self._native, self._powmod_native),
        )

    def combs(self) -> tuple[_Comb, _Comb]:
        return self._short, self._long

    def reset_tables(self) -> None:
        self._short, self._long = self._combs()

    def power_g(self, e: int) -> int:
        size = e.bit_length()
        if size <= _SHORT_BITS:
            return self._short.power(e)
        if size <= FIXED_BASE_BITS:
            return self._long.power(e)
        if e >= _Q:
            e %= _Q  # see _Q: 2^q = 1 (mod N)
        if e.bit_length() <= FIXED_BASE_BITS:
            return self.power_g(e)
        return self.powmod(G, e, N)


class _GilReleasing(threading.local):
    """gmpy2's powmod and powmod_sec, run with the GIL released, in a context of this thread's own.

    gmpy2 (since 2.2) releases the GIL around an exponentiation only when the
    current context has ``allow_release_gil=True``; its default context does
    not. The exponentiations are most of a login (S alone ~80%), so releasing
    the GIL is what lets logins on several threads use several cores. Each
    thread gets a context of its own (threading.local), made from gmpy2's
    defaults rather than the caller's context, and it is entered only around
    srpkit's calls: the caller's context, flags and traps are never changed.
    Entering it costs ~1 us against an exponentiation's ~0.3-4 ms (``srpkit
    bench`` prints srpkit's S next to a bare ``gmpy2.powmod``). The python
    backend's ``pow`` always holds the GIL: there logins do not scale with threads.
    """

    def __init__(self, gmpy2: Any) -> None:
        # Called again in each thread on first access (threading.local), so each
        # thread makes its own context.
        self._gmpy2 = gmpy2
        self._context = gmpy2.context(allow_release_gil=True)

    def powmod(self, base: Any, exp: Any, mod: Any) -> Any:
        with self._context:
            return self._gmpy2.powmod(base, exp, mod)

    def powmod_sec(self, base: Any, exp: Any, mod: Any) -> Any:
        with self._context:
            return self._gmpy2.powmod_sec(base, exp, mod)


_lock = threading.Lock()  # guards the choice of engine and the lazy import of gmpy2
_gmpy2: Any = None
_gmpy2_tried = False
_engines: dict[str, _Engine] = {}
_engine: _Engine | None = None
_choice: str | None = None
_hardened = False
_env_error: SRPKitError | None = None  # what is wrong with SRPKIT_*, raised on first use


def environment_error() -> SRPKitError | None:
    """What is wrong with ``SRPKIT_BACKEND`` / ``SRPKIT_HARDENED``, or None when they are usable."""
    return _env_error


def _check_environment() -> None:
    if _env_error is not None:
        # A new instance each time: re-raising one object would grow its traceback.
        raise type(_env_error)(str(_env_error), fields=_env_error.fields)


def _load_gmpy2() -> Any:
    """The gmpy2 module, imported once (None when it cannot be imported)."""
    global _gmpy2, _gmpy2_tried  # noqa: PLW0603 - a process-wide, import-once cache
    if not _gmpy2_tried:
        try:
            import gmpy2  # noqa: PLC0415 - lazy on purpose, see the module docstring
        except ImportError:  # the pure-Python fallback is a supported configuration
            gmpy2 = None
        _gmpy2 = gmpy2
        _gmpy2_tried = True
    return _gmpy2


def _default_name() -> str:
    return "gmpy2" if _load_gmpy2() is not None else "python"


def _make_engine(name: str, field: str) -> _Engine:
    if name not in _engines:
        if name == "gmpy2":
            gmpy2 = _load_gmpy2()
            if gmpy2 is None:
                raise BackendUnavailableError(
                    f"{field}: the gmpy2 backend was requested but gmpy2 cannot be imported "
                    "(pip install 'srpkit[fast]')",
                    fields=(field,),
                )
            release = _GilReleasing(gmpy2)
            _engines[name] = _Engine(
                "gmpy2",
                gmpy2.mpz,
                release.powmod,
                lambda b, e, m: int(release.powmod_sec(b, e, m)),
            )
        else:
            _engines[name] = _Engine("python", int, pow, None)
    return _engines[name]


def _check_name(name: object, field: str) -> str:
    if name not in _BACKENDS:
        raise InvalidInputError(
            f"{field}: unknown backend; use 'gmpy2' or 'python'", fields=(field,)
        )
    assert isinstance(name, str)
    return name


def _hardened_refusal(field: str) -> BackendUnavailableError:
    return BackendUnavailableError(
        f"{field}: hardened mode needs the gmpy2 backend (gmpy2.powmod_sec); the python "
        "backend has no constant-time exponentiation (pip install 'srpkit[fast]', or turn "
        "hardened mode off)",
        fields=(field,),
    )


def _active() -> _Engine:
    """The engine in use, resolving the import-time choice on first use."""
    global _engine  # noqa: PLW0603 - the one place a deferred choice is made
    engine = _engine
    if engine is None:
        _check_environment()
        with _lock:
            if _engine is None:
                engine = _make_engine(_choice or _default_name(), "SRPKIT_BACKEND")
                if _hardened and engine.powmod_sec is None:
                    raise _hardened_refusal("SRPKIT_HARDENED")
                _engine = engine
            engine = _engine
    return engine


def available_backends() -> tuple[str, ...]:
    """The backends that can run on this machine, fastest first (imports gmpy2 to find out)."""
    with _lock:
        return _BACKENDS if _load_gmpy2() is not None else ("python",)


def set_backend(name: str | None) -> str:
    """Select the backend by name (``None`` picks the fastest available); returns it.

    Meant for start-up and tests: calls already running finish on the backend
    they started with. Refused (``BackendUnavailableError``) for ``"python"``
    while hardened mode is on.
    """
    global _engine  # noqa: PLW0603 - the one place the choice is made
    _check_environment()
    if name is not None:
        name = _check_name(name, "SRPKIT_BACKEND")
    with _lock:
        name = name or _default_name()
        engine = _make_engine(name, "SRPKIT_BACKEND")
        if _hardened and engine.powmod_sec is None:
            raise _hardened_refusal("SRPKIT_BACKEND")
        _engine = engine
    return name


def backend() -> str:
    """The name of the backend in use: ``"gmpy2"`` or ``"python"``."""
    return _active().name


def set_hardened(enabled: bool) -> None:
    """Turn hardened mode on or off for the whole process (also: ``SRPKIT_HARDENED=1`` at import).

    Hardened mode needs the gmpy2 backend: with the python backend this raises
    ``BackendUnavailableError`` and changes nothing, and ``set_backend("python")``
    is refused while it is on. Results are identical in both modes; a login
    costs ~2.7x the fast mode's (see ``srpkit bench``).

    What it does: every exponentiation runs through ``gmpy2.powmod_sec`` (GMP's
    ``mpz_powm_sec``), whose sequence of operations and memory accesses does
    not depend on the exponent's bits; the fixed-base tables are not used,
    since their lookups are indexed by exponent bits (a cache-timing channel).
    Every exponent srpkit raises to is secret (a, x, a + u*x, a server's b), so
    ``powmod`` treats every exponent as secret in this mode.

    What it protects: the exponents' bits against timing and cache attacks on
    the exponentiations, by far the longest computation on them.

    What is still not constant-time, in CPython:

    * ``mpz_powm_sec``'s time follows the sizes of its operands in 64-bit limbs
      (for a random 1024-bit a, only whether its top limb is zero: p = 2^-64);
    * converting int to mpz and back, whose time follows the number's size;
    * Python int arithmetic on secrets around the exponentiations: parsing x
      from its hash, a + u*x, k*v, B - k*v and its reduction mod N;
    * the padded hex of x, S and u and its hashing (SHA-256, HKDF, HMAC):
      padHex's length depends on the top byte, and int-to-hex conversion takes
      value-dependent paths;
    * secrets live in Python ints and strings, which are never wiped;
    * the python backend (pow and Python ints throughout) is never constant-time,
      hence the refusal above.
    """
    global _hardened  # noqa: PLW0603 - a process-wide mode, like the backend
    _check_environment()
    if not isinstance(enabled, bool):
        raise ParameterTypeError(
            f"enabled: expected bool, got {type(enabled).__name__}", fields=("enabled",)
        )
    if enabled:
        _active()  # resolves the backend, importing gmpy2 if it is the default
    with _lock:
        if enabled and (_engine is None or _engine.powmod_sec is None):
            raise _hardened_refusal("enabled")
        _hardened = enabled


def hardened() -> bool:
    """Whether hardened mode is on."""
    _check_environment()
    return _hardened


def powmod(base: int, exp: int, mod: int) -> int:
    """``base ** exp % mod`` for ``exp >= 0`` and ``mod > 0``; a negative base is fine.

    In hardened mode the exponent is treated as secret: ``gmpy2.powmod_sec``,
    which needs an odd modulus (srpkit only ever uses N).
    """
    if exp < 0:
        raise InvalidInputError("exp: must be >= 0", fields=("exp",))
    if mod < 1:
        raise InvalidInputError("mod: must be >= 1", fields=("mod",))
    engine = _engine or _active()
    if _hardened:
        if exp == 0:
            return 1 % mod
        if mod % 2 == 0:
            raise InvalidInputError(
                "mod: hardened mode has no constant-time exponentiation for an even modulus",
                fields=("mod",),
            )
        assert engine.powmod_sec is not None  # hardened mode is refused without it
        # A negative base would make mpz_powm_sec branch on the exponent's parity.
        return engine.powmod_sec(base % mod, exp, mod)
    return engine.powmod(base, exp, mod)


def powmod_g(exp: int) -> int:
    """g^exp mod N (g = 2, the group's generator) for ``exp >= 0``, from the fixed-base tables.

    Exponents up to FIXED_BASE_BITS bits use the tables; larger ones are
    reduced mod (N - 1) / 2 and, if still too large, exponentiated directly.
    In hardened mode: ``gmpy2.powmod_sec``, no tables.
    """
    if exp < 0:
        raise InvalidInputError("exp: must be >= 0", fields=("exp",))
    engine = _engine or _active()
    if _hardened:
        assert engine.powmod_sec is not None  # hardened mode is refused without it
        return engine.powmod_sec(G, exp, N) if exp else 1
    return engine.power_g(exp)


def fixed_base_stats(backend: str | None = None) -> FixedBaseStats:
    """Size and build count of the fixed-base tables built so far: one backend's, or all."""
    with _lock:
        combs = [
            comb
            for name, engine in _engines.items()
            if backend is None or name == backend
            for comb in engine.combs()
        ]
    entries = nbytes = 0
    for comb in combs:
        count, size = comb.stats()
        entries += count
        nbytes += size
    return FixedBaseStats(
        entries,
        nbytes,
        sum(comb.builds for comb in combs),
        sum(comb.build_seconds for comb in combs),
    )


def _reset_tables() -> None:
    """Drop every fixed-base table, so that the next use builds it again (tests, benchmarks)."""
    with _lock:
        for engine in _engines.values():
            engine.reset_tables()


def _parse_hardened(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInputError("SRPKIT_HARDENED: use 1 (on) or 0 (off)", fields=("SRPKIT_HARDENED",))


def _gmpy2_findable() -> bool:
    # A cheap look for the module, not an import (see the module docstring);
    # a gmpy2 that is found but fails to import is reported on first use.
    if "gmpy2" in sys.modules:
        return sys.modules["gmpy2"] is not None
    import importlib.util  # noqa: PLC0415 - only when SRPKIT_* asks for gmpy2

    return importlib.util.find_spec("gmpy2") is not None


def _configure_from_environment() -> None:
    global _choice, _hardened  # noqa: PLW0603 - import-time configuration
    name = os.environ.get("SRPKIT_BACKEND") or None
    if name is not None:
        name = _check_name(name, "SRPKIT_BACKEND")
    want_hardened = _parse_hardened(os.environ.get("SRPKIT_HARDENED", ""))
    if name == "gmpy2" and not _gmpy2_findable():
        raise BackendUnavailableError(
            "SRPKIT_BACKEND: the gmpy2 backend was requested but gmpy2 is not installed "
            "(pip install 'srpkit[fast]')",
            fields=("SRPKIT_BACKEND",),
        )
    if want_hardened and (name == "python" or not _gmpy2_findable()):
        raise _hardened_refusal("SRPKIT_HARDENED")
    _choice = name
    _hardened = want_hardened


try:
    _configure_from_environment()
except SRPKitError as _exc:
    _env_error = _exc.with_traceback(None)
