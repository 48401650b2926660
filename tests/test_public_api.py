"""The top-level names: every one in __all__ resolves, the request builders load only on first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

from paths import REPO

import srpkit


def _type_checking_names() -> set[str]:
    """The names srpkit/__init__.py imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse((REPO / "srpkit" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            return {
                alias.name
                for stmt in node.body
                if isinstance(stmt, ast.ImportFrom)
                for alias in stmt.names
            }
    raise AssertionError("no `if TYPE_CHECKING:` block in srpkit/__init__.py")


def test_every_public_name_resolves() -> None:
    """Each name of srpkit.__all__ is an attribute (lazy ones included) and dir() lists it."""
    missing = [name for name in srpkit.__all__ if not hasattr(srpkit, name)]
    assert not missing
    assert set(srpkit.__all__) <= set(dir(srpkit))


def test_lazy_names_are_what_type_checkers_see() -> None:
    """The lazy table and the TYPE_CHECKING imports name the same builders, from the same modules."""
    lazy = srpkit._LAZY
    assert set(lazy) == _type_checking_names()
    assert set(lazy) <= set(srpkit.__all__)
    for name, module in lazy.items():
        home = importlib.import_module(f"srpkit._client.{module}")
        assert getattr(srpkit, name) is getattr(home, name)


def test_import_leaves_the_request_builders_unloaded() -> None:
    """A fresh `import srpkit` does not import the builder modules; the first use of one does."""
    code = (
        "import sys, srpkit\n"
        "before = sorted(m for m in sys.modules if m.startswith('srpkit._client.'))\n"
        "srpkit.password_verifier_request\n"
        "print(' '.join(before))\n"
        "print('srpkit._client.requests' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    before, loaded = proc.stdout.splitlines()
    for module in set(srpkit._LAZY.values()):
        assert f"srpkit._client.{module}" not in before.split()
    assert loaded == "True"


def test_unknown_attribute_is_an_attribute_error() -> None:
    """A name srpkit does not have raises AttributeError (so hasattr and getattr defaults work)."""
    assert not hasattr(srpkit, "no_such_builder")
    assert getattr(srpkit, "no_such_builder", None) is None
