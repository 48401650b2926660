"""Issue #18 item 6: ``srpkit serve`` accepts only canonical base64url in its tokens."""

from __future__ import annotations

import pytest

from srpkit.endpoint.tokens import SigningKey

KEY = SigningKey.generate()
TOKEN = KEY.sign({"sub": "alice", "token_use": "access"})


def _respelled(token: str, change: str) -> str:
    head, body, sig = token.split(".")
    if change == "padded":
        sig += "=="
    elif change == "std-alphabet":
        sig = sig.replace("-", "+").replace("_", "/")
        if sig == token.split(".")[2]:  # no -/_ drawn: force a non-url character in
            sig = "+" + sig[1:]
    elif change == "junk":
        sig = sig[:10] + "!*" + sig[10:]
    elif change == "whitespace":
        sig = sig[:10] + "\n " + sig[10:]
    elif change == "unused-bits":
        # 256 signature bytes leave 4 unused bits in the last character; setting
        # them decodes to the same bytes but is not the canonical spelling.
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        sig = sig[:-1] + alphabet[alphabet.index(sig[-1]) | 0x0F]
    elif change == "padded-body":
        body += "="
    elif change == "junk-header":
        head = "*" + head
    return f"{head}.{body}.{sig}"


def test_canonical_token_verifies() -> None:
    """The token as signed verifies, so the refusals below are about the spelling only."""
    assert KEY.verify(TOKEN) == {"sub": "alice", "token_use": "access"}


@pytest.mark.parametrize(
    "change",
    ["padded", "std-alphabet", "junk", "whitespace", "unused-bits", "padded-body", "junk-header"],
)
def test_non_canonical_base64url_refused(change: str) -> None:
    """A token respelled in non-canonical base64url (same bytes once decoded leniently) is refused."""
    respelled = _respelled(TOKEN, change)
    assert respelled != TOKEN
    assert KEY.verify(respelled) is None
