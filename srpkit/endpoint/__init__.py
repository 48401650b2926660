"""The local Cognito behind ``srpkit serve``: HTTP, the service's operations, pools, sign-ins, devices, tokens, state.

Imports ``srpkit.server`` and ``srpkit._core``, never the client half: a bug a
client shares with the endpoint must not hide in code they share.
"""
