"""GetUser: the signed-in user's own view of themselves, named by their access token."""

from __future__ import annotations

from .context import Context, Request, Response
from .issuing import access_token_user

__all__ = ["get_user"]


def get_user(ctx: Context, request: Request, region: str) -> Response:
    """GetUser: Username and UserAttributes (``sub`` first, as Cognito lists it)."""
    # access_token_user checks signature, expiry, token_use and that the user still exists.
    _, user = access_token_user(ctx, request)
    with ctx.lock:
        attributes = [{"Name": "sub", "Value": user.sub}]
        attributes += [{"Name": k, "Value": v} for k, v in sorted(user.attributes.items())]
        return {"Username": user.username, "UserAttributes": attributes}
