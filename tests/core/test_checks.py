"""Identifier checks: the ASCII fast path of the user-name rule agrees with the Unicode-category rule."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srpkit import InvalidInputError
from srpkit._core.checks import check_username


def allowed_by_category(text: str) -> bool:
    """UsernameType's rule, character by character: letters, marks, symbols, digits, punctuation."""
    return all(unicodedata.category(ch)[0] in "LMSNP" for ch in text)


@pytest.mark.parametrize("code", range(128))
def test_every_ascii_character_follows_the_category_rule(code: int) -> None:
    """For each ASCII character, check_username accepts it exactly when its category is allowed."""
    text = "a" + chr(code) + "b"
    if allowed_by_category(text):
        assert check_username(text) == text
    else:
        with pytest.raises(InvalidInputError, match="username: contains"):
            check_username(text)


@given(st.text(min_size=1, max_size=128))
def test_any_text_follows_the_category_rule(text: str) -> None:
    """Any text (ASCII or not, surrogates aside) is accepted exactly when every character is allowed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(InvalidInputError):
            check_username(text)
        return
    if allowed_by_category(text):
        assert check_username(text) == text
    else:
        with pytest.raises(InvalidInputError):
            check_username(text)
