"""``srpkit login``: sign in to a Cognito user pool with SRP and print the tokens, from a shell.

The AWS CLI cannot do USER_SRP_AUTH, so people enable USER_PASSWORD_AUTH or
put the password on argv; this does the SRP exchange with every secret read
from the environment, stdin or a no-echo prompt. boto3 is imported only when a
sign-in runs, so the other subcommands never pay for it.
"""

from __future__ import annotations

import argparse
import json
import socket
from collections.abc import Mapping, Sequence
from typing import Any

from .._client.model import REQUIRED_CHALLENGE_RESPONSES, USER_ATTRIBUTE_PREFIX
from . import CommandIO, UsageError
from ._session_io import (
    CLIENT_SECRET_ENV,
    MFA_CODE_ENV,
    NEW_PASSWORD_ENV,
    PASSWORD_ENV,
    ChallengeLike,
    CommandError,
    Secrets,
    StoredDevice,
    Tracked,
    add_common_arguments,
    check_arguments,
    check_device_dir,
    guarded,
    is_interactive,
    load_device,
    make_client,
    parse_and_run,
    prompt_secret,
    prompt_visible,
    read_stdin_line,
    save_device,
    write_tokens,
)

# The flows srpkit signs in with SRP (srpkit.aws.FLOWS; repeated here so that building the
# parser of every subcommand does not import srpkit.aws; a test keeps the two equal).
FLOWS = ("USER_SRP_AUTH", "USER_AUTH", "CUSTOM_AUTH")
# The challenges answered with a code the user receives or reads off an authenticator.
CODE_CHALLENGES = ("SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``srpkit login``."""
    add_common_arguments(
        p,
        device_help="remember this device in FILE (created 0600) and sign in with it next time "
        "(DEVICE_SRP_AUTH: no MFA prompt where the pool allows)",
    )
    p.add_argument(
        "--flow",
        choices=FLOWS,
        default="USER_SRP_AUTH",
        help="the InitiateAuth flow (default: USER_SRP_AUTH; USER_AUTH asks for PASSWORD_SRP; "
        "CUSTOM_AUTH starts with SRP_A)",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read the password from the first line of standard input (else ${PASSWORD_ENV}, "
        "else a prompt when standard input is a terminal)",
    )


def register(commands: Any) -> None:
    """Add the ``login`` subcommand."""
    p = commands.add_parser(
        "login",
        help="sign in with SRP and print the tokens (no password on the command line)",
        description="Sign in to a Cognito user pool with SRP (no AWS credentials needed) and "
        "print the tokens. Secrets never come from the command line: the password from "
        f"${PASSWORD_ENV}, --password-stdin or a no-echo prompt; the app client's secret from "
        f"${CLIENT_SECRET_ENV}; MFA codes (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) from "
        f"${MFA_CODE_ENV} or a prompt; a required new password from ${NEW_PASSWORD_ENV} or a "
        "prompt. Exit status: 0 signed in, 1 refused by Cognito (or the endpoint could not be "
        "reached), 2 usage or input errors.",
    )
    add_arguments(p)
    p.set_defaults(run=run)


def main(argv: Sequence[str], io: CommandIO | None = None, *, client: Any = None) -> int:
    """``srpkit login`` with ``argv`` (its options only) through ``client`` if given (tests, embedding)."""
    return parse_and_run("srpkit login", add_arguments, run, argv, io, client)


def run(args: argparse.Namespace, io: CommandIO, *, client: Any = None) -> int:
    """Sign in, remember the device if asked, print the tokens; the exit status."""
    secrets = Secrets()
    tracked: list[Tracked] = []
    return guarded(
        "login", io, secrets, tracked, lambda: _login(args, io, secrets, tracked, client)
    )


class _Answers:
    """srpkit.aws's ``answer``: each challenge srpkit cannot answer, from the environment or a prompt."""

    def __init__(self, io: CommandIO, secrets: Secrets) -> None:
        self._io = io
        self._secrets = secrets
        self._interactive = is_interactive(io)
        self.password_changed = False

    def __call__(self, challenge: ChallengeLike) -> dict[str, str] | None:
        name = challenge.challenge_name
        params = challenge.challenge_parameters
        if name in CODE_CHALLENGES:
            key = next(k for k in REQUIRED_CHALLENGE_RESPONSES[name] if k.endswith("_CODE"))
            return {key: self._code(name, params)}
        if name == "SELECT_MFA_TYPE":
            return {"ANSWER": self._mfa_type(params)}
        if name == "NEW_PASSWORD_REQUIRED":
            return self._new_password(params)
        if name == "CUSTOM_CHALLENGE" and self._interactive:
            return {"ANSWER": self._secrets.add(prompt_secret("Answer to the custom challenge: "))}
        if name == "CUSTOM_CHALLENGE":
            raise UsageError(
                "the sign-in asks CUSTOM_CHALLENGE, which only a terminal can answer "
                "(standard input is not one)"
            )
        shown = name if name in REQUIRED_CHALLENGE_RESPONSES else "a challenge srpkit does not know"
        hint = " (set MFA up first, e.g. in the hosted UI)" if name == "MFA_SETUP" else ""
        raise CommandError(f"the sign-in asks {shown}, which srpkit login cannot answer{hint}")

    def _cannot_ask(self, challenge: str, env: str) -> UsageError:
        return UsageError(
            f"the sign-in asks {challenge}: set {env}, or run in a terminal to be asked "
            "(standard input is not one)"
        )

    def _code(self, challenge: str, params: Mapping[str, str]) -> str:
        code = self._io.environ.get(MFA_CODE_ENV)
        if code is None and self._interactive:
            where = (
                params.get("CODE_DELIVERY_DESTINATION")
                if challenge != "SOFTWARE_TOKEN_MFA"
                else None
            )
            what = "authenticator code" if challenge == "SOFTWARE_TOKEN_MFA" else "code"
            code = prompt_secret(f"{challenge} {what}{f' sent to {where}' if where else ''}: ")
        if code is None:
            raise self._cannot_ask(challenge, MFA_CODE_ENV)
        return self._secrets.add(code.strip())

    def _mfa_type(self, params: Mapping[str, str]) -> str:
        try:
            offered = json.loads(params.get("MFAS_CAN_CHOOSE", "[]"))
        except ValueError:
            offered = []
        if not isinstance(offered, list) or not all(isinstance(o, str) for o in offered):
            offered = []
        if not offered:
            raise CommandError("SELECT_MFA_TYPE: the challenge lists no MFA type (MFAS_CAN_CHOOSE)")
        if not self._interactive:
            # A code in the environment was read before the sign-in began: only an
            # authenticator's code can be known then, so that is the type to choose.
            if "SOFTWARE_TOKEN_MFA" in offered and MFA_CODE_ENV in self._io.environ:
                return "SOFTWARE_TOKEN_MFA"
            raise self._cannot_ask(f"SELECT_MFA_TYPE ({', '.join(offered)})", MFA_CODE_ENV)
        if len(offered) == 1:
            return str(offered[0])
        choice = prompt_visible(f"MFA type ({', '.join(offered)}) [{offered[0]}]: ") or offered[0]
        if choice not in offered:
            raise UsageError(f"SELECT_MFA_TYPE: choose one of {', '.join(offered)}")
        return str(choice)

    def _new_password(self, params: Mapping[str, str]) -> dict[str, str]:
        try:
            required = json.loads(params.get("requiredAttributes", "[]"))
        except ValueError:
            required = []
        if isinstance(required, list) and required:
            names = ", ".join(str(r).removeprefix(USER_ATTRIBUTE_PREFIX) for r in required)
            raise CommandError(
                f"NEW_PASSWORD_REQUIRED also asks for the attributes {names:.200}, which "
                "srpkit login cannot set: set them first (AdminUpdateUserAttributes)"
            )
        password = self._io.environ.get(NEW_PASSWORD_ENV)
        if password is None and self._interactive:
            password = prompt_secret("New password: ")
            self._secrets.add(password)
            if prompt_secret("New password again: ") != password:
                raise UsageError("NEW_PASSWORD_REQUIRED: the two new passwords differ")
        if password is None:
            raise self._cannot_ask("NEW_PASSWORD_REQUIRED", NEW_PASSWORD_ENV)
        self.password_changed = True
        return {"NEW_PASSWORD": self._secrets.add(password)}


def _password(args: argparse.Namespace, io: CommandIO) -> str:
    if args.password_stdin:
        return read_stdin_line(io, "--password-stdin")
    password = io.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if is_interactive(io):
        return prompt_secret(f"Password for {args.username}: ")
    raise UsageError(
        f"no password: set {PASSWORD_ENV}, pass --password-stdin, or run in a terminal to be asked"
    )


def _stored_device(args: argparse.Namespace, secrets: Secrets) -> StoredDevice | None:
    if args.device_file is None:
        return None
    stored = load_device(args.device_file)
    if stored is not None:
        secrets.add(stored.password)
        if not stored.belongs_to(args.pool_id, args.username):
            raise UsageError(
                f"--device-file {args.device_file}: holds a device of another user or pool "
                f"({stored.user_id_for_srp} in {stored.pool_id}); give another FILE"
            )
    check_device_dir(args.device_file)
    return stored


def _login(
    args: argparse.Namespace,
    io: CommandIO,
    secrets: Secrets,
    tracked: list[Tracked],
    client: Any,
) -> int:
    # Every input is read and checked before boto3 is imported and the first request sent.
    check_arguments(args)
    stored = _stored_device(args, secrets)
    client_secret = io.environ.get(CLIENT_SECRET_ENV)
    if client_secret is not None:
        secrets.add(client_secret)
    password = secrets.add(_password(args, io))
    cognito = Tracked(
        client if client is not None else make_client(args.pool_id, args.endpoint_url)
    )
    tracked.append(cognito)
    answers = _Answers(io, secrets)

    from .. import aws  # noqa: PLC0415 - only the sign-in path needs it

    result = aws.authenticate(
        cognito,
        pool_id=args.pool_id,
        client_id=args.client_id,
        username=args.username,
        password=password,
        client_secret=client_secret,
        device=stored,
        flow=args.flow,
        answer=answers,
    )
    if not result.signed_in or result.authentication_result is None:
        raise CommandError(f"the sign-in stopped at {result.challenge_name or 'a challenge'}")
    tokens = result.authentication_result
    for name in ("AccessToken", "IdToken", "RefreshToken"):
        if isinstance(tokens.get(name), str):
            secrets.add(tokens[name])
    user_id = result.username or args.username
    if answers.password_changed:
        print("srpkit login: the new password is set", file=io.stderr)
    if args.device_file is not None:
        _remember(args, io, secrets, cognito=cognito, result=result, stored=stored, user_id=user_id)
    write_tokens(io, tokens, args.print_format, user_id=user_id)
    return 0


def _remember(
    args: argparse.Namespace,
    io: CommandIO,
    secrets: Secrets,
    *,
    cognito: Any,
    result: Any,
    stored: StoredDevice | None,
    user_id: str,
) -> None:
    """Confirm and remember the sign-in's new device, and keep it in the device file."""
    path = args.device_file
    meta = result.new_device_metadata
    if meta is None:
        if result.device_forgotten:
            print(
                f"srpkit login: Cognito had forgotten the device in {path} and handed out no new "
                "one; the file is left as it was",
                file=io.stderr,
            )
        elif stored is None:
            print(
                f"srpkit login: the pool does not track devices; nothing written to {path}",
                file=io.stderr,
            )
        return
    access_token = result.authentication_result.get("AccessToken")
    if not isinstance(access_token, str):
        raise CommandError("the answer has NewDeviceMetadata but no AccessToken to confirm it")

    from .. import aws  # noqa: PLC0415

    device = aws.confirm_device(
        cognito,
        access_token=access_token,
        device_key=meta.get("DeviceKey"),
        device_group_key=meta.get("DeviceGroupKey"),
        device_name=f"srpkit login on {socket.gethostname()}"[:256],
    )
    secrets.add(device.password)
    if device.user_confirmation_necessary:
        # The pool remembers a device only on the user's say-so: asking for a device file is it.
        cognito.update_device_status(
            AccessToken=access_token,
            DeviceKey=device.device_key,
            DeviceRememberedStatus="remembered",
        )
    save_device(
        path,
        StoredDevice(
            args.pool_id,
            args.username,
            user_id,
            device.device_key,
            device.device_group_key,
            device.password,
        ),
    )
    if result.device_forgotten:
        note = f"Cognito had forgotten the device in {path}: signed in without it; {path} now holds the new device"
    elif stored is not None:
        note = (
            f"Cognito gave this sign-in a new device instead of the one in {path}; "
            f"{path} now holds the new device"
        )
    else:
        note = f"this device is remembered in {path}; the next sign-in uses it"
    print(f"srpkit login: {note}", file=io.stderr)
