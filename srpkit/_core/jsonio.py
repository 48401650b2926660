"""Reading untrusted JSON: every way a hostile text defeats ``json.loads`` becomes one error type.

``json.loads`` fails on malformed text with JSONDecodeError, but a text nested
deeper than the interpreter's recursion limit raises RecursionError, a number
of more than 4300 digits trips int()'s conversion limit (a bare ValueError),
and bytes that are not UTF-8/16/32 raise UnicodeDecodeError. Callers that must
answer bad input with their own clear error catch ``JSONTextError`` alone.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JSONTextError", "load_json"]


class JSONTextError(ValueError):
    """Text that is not JSON srpkit can read; ``str()`` says why (and where, when json knows)."""


def load_json(data: str | bytes) -> Any:
    """``json.loads(data)``, raising JSONTextError for any text it cannot turn into a value."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise JSONTextError(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise JSONTextError("nested too deeply") from None
    except UnicodeDecodeError:
        raise JSONTextError("not UTF-8 text") from None
    except ValueError:
        # int()'s limit on decimal digits (sys.get_int_max_str_digits), a guard against
        # quadratic-time conversion; a JSON value that long is never meant seriously.
        raise JSONTextError("a number with too many digits") from None
