"""The shared state and checks of CognitoDouble (tests/aws_double.py): its data, sessions, SECRET_HASH.

The double is split by what each part answers: this module holds the pool's
records and the checks every operation shares; aws_double_mfa.py the challenges
after the password (MFA, MFA_SETUP, NEW_PASSWORD_REQUIRED); aws_double_tokens.py
tokens, refresh and revocation; aws_double.py the wire and the SRP steps. The
sources of each behaviour are listed once, in aws_double.py's docstring.
"""

from __future__ import annotations

import base64
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reference import cognito_srp as ref

INCORRECT = "Incorrect username or password."
INVALID_SESSION = "Invalid session for the user."
SESSION_EXPIRED = "Invalid session for the user, session is expired."
DEVICE_NOT_FOUND = "Device does not exist."
CODE_MISMATCH = "Invalid code received for user"
INVALID_REFRESH = "Invalid Refresh Token."
REVOKED_REFRESH = "Refresh Token has been revoked"
TOTP_SETUP_MISMATCH = "Code mismatch and fail enable Software Token MFA"
FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
CONFIRMED = "CONFIRMED"
MFA_TYPES = ("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA")
MFA_CONFIGURATIONS = ("OFF", "OPTIONAL", "ON")
# AuthSessionValidity: 3 to 15 minutes, 3 unless the app client says otherwise.
DEFAULT_SESSION_VALIDITY = 180.0
# An instant for the clock to start at; tests set double.now, none reads the real time.
EPOCH = 1_790_000_000.0


class ServiceError(Exception):
    """An error answer: Cognito's exception name (``__type``) and message, sent with HTTP 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class Device:
    """A device the double issued in NewDeviceMetadata; ConfirmDevice fills in salt and verifier."""

    key: str
    group_key: str
    salt: int | None = None
    verifier: int | None = None


@dataclass
class User:
    """A pool user: the internal username, its salt and verifier, sign-in aliases, devices and MFA."""

    username: str
    salt: int
    verifier: int
    aliases: tuple[str, ...] = ()
    devices: dict[str, Device] = field(default_factory=dict)
    status: str = CONFIRMED
    attributes: dict[str, str] = field(default_factory=dict)
    mfa: tuple[str, ...] = ()
    preferred_mfa: str | None = None
    totp_secret: str | None = field(default=None, repr=False)


@dataclass
class AppClient:
    """An app client: its secret (SECRET_HASH required) and refresh-token rotation."""

    client_id: str
    secret: str | None = field(default=None, repr=False)
    rotation: bool = False
    grace_seconds: int = 0


@dataclass
class Step:
    """A challenge the double asked and that is not answered yet."""

    challenge: str
    client_id: str
    user: User
    device_key: str | None = None
    session: str | None = None
    issued_at: float = 0.0
    admin: bool = False
    # SRP state: what the signature is checked with.
    realm: str = ""
    signer: str = ""
    verifier: int = 0
    b: int = field(default=0, repr=False)  # the private ephemeral
    big_a: int = 0
    big_b: int = 0
    block: str = ""
    # The code an SMS_MFA or EMAIL_OTP step sent, the secret an MFA_SETUP associated.
    code: str = field(default="", repr=False)
    secret: str = field(default="", repr=False)
    verified: bool = False


@dataclass
class RefreshRecord:
    """A refresh token: whose, from which client, bound to which device, and until when it works."""

    user: User
    client_id: str
    device_key: str | None
    revoked: bool = False
    valid_until: float | None = None  # set when rotation retires the token


@dataclass(frozen=True)
class Message:
    """A code the double "sent" by SMS or email: tests read it from ``double.outbox``."""

    medium: str
    destination: str
    username: str
    code: str = field(repr=False)


@dataclass(frozen=True)
class Exchange:
    """One call the double answered: the operation, the body botocore sent, the status and the answer."""

    operation: str
    request: dict[str, Any]
    status: int
    response: dict[str, Any]
    signed: bool = False  # the request carried a SigV4 Authorization header


class PoolBase:
    """The records of one pool and the checks its operations share."""

    pool_id: str
    region: str
    device_tracking: bool
    device_session: bool
    mfa_configuration: str
    required_attributes: tuple[str, ...]
    session_validity: float
    now: float

    def _init_state(self, seed: int) -> None:
        self.exchanges: list[Exchange] = []
        self.outbox: list[Message] = []
        self._pool_name = ref.pool_name(self.pool_id)
        self._rng = random.Random(seed)
        self._clients: dict[str, AppClient] = {}
        self._users: dict[str, User] = {}
        self._by_block: dict[str, Step] = {}
        self._by_session: dict[str, Step] = {}
        self._pending_device_srp: dict[tuple[str, str], Step] = {}
        self._access_tokens: dict[str, User] = {}
        self._refresh: dict[str, RefreshRecord] = {}
        self._pending_totp: dict[str, str] = {}  # AssociateSoftwareToken by access token
        self._signed = False

    # -- lookups ----------------------------------------------------------------------
    def _client_id(self, body: Mapping[str, Any]) -> str:
        client_id = str(body.get("ClientId"))
        if client_id not in self._clients:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        return client_id

    def _check_pool(self, body: Mapping[str, Any]) -> None:
        """The admin operations: this pool's id, and a signed request."""
        if body.get("UserPoolId") != self.pool_id:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool {body.get('UserPoolId')} does not exist."
            )
        if not self._signed:
            raise ServiceError(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )

    @staticmethod
    def _required(params: Mapping[str, str], name: str) -> str:
        value = params.get(name)
        if not value:
            raise ServiceError("InvalidParameterException", f"Missing required parameter {name}")
        return value

    def _find_user(self, name: str) -> User:
        user = self._users.get(name)
        if user is None:
            user = next((u for u in self._users.values() if name in u.aliases), None)
        if user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        return user

    def _check_secret_hash(self, client_id: str, params: Mapping[str, str], name: str) -> None:
        secret = self._clients[client_id].secret
        if secret is None:
            return
        sent = params.get("SECRET_HASH")
        if sent is None:
            raise ServiceError(
                "NotAuthorizedException",
                f"Client {client_id} is configured with secret but SECRET_HASH was not received",
            )
        if not hmac.compare_digest(sent, ref.secret_hash(name, client_id, secret)):
            raise ServiceError(
                "NotAuthorizedException", f"Unable to verify secret hash for client {client_id}"
            )

    def _check_later_step(self, step: Step, responses: Mapping[str, str]) -> None:
        """After InitiateAuth: USERNAME is USER_ID_FOR_SRP and SECRET_HASH is over it, never the alias."""
        if self._required(responses, "USERNAME") != step.user.username:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        self._check_secret_hash(step.client_id, responses, step.user.username)

    # -- sessions ---------------------------------------------------------------------
    def _token(self, nbytes: int) -> str:
        return base64.b64encode(self._rng.randbytes(nbytes)).decode()

    def _file_session(self, step: Step) -> str:
        step.session = self._token(600)
        step.issued_at = self.now
        self._by_session[step.session] = step
        return step.session

    def _session_step(
        self, session: str | None, challenge: str, client_id: str | None, *, admin: bool
    ) -> Step:
        """The step a Session names, still filed: refused if absent, unknown, spent or expired."""
        if not session:
            raise ServiceError("InvalidParameterException", "Missing required parameter Session")
        step = self._by_session.get(session)
        if step is None or step.admin != admin:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        self._check_fresh(step)
        if step.challenge != challenge or (client_id is not None and step.client_id != client_id):
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        return step

    def _check_fresh(self, step: Step) -> None:
        """A Session older than the app client's AuthSessionValidity is gone."""
        if self.now - step.issued_at > self.session_validity:
            self._spend(step)
            raise ServiceError("NotAuthorizedException", SESSION_EXPIRED)

    def _spend(self, step: Step) -> None:
        """A Session works once: after its answer is accepted it is gone."""
        if step.session is not None:
            self._by_session.pop(step.session, None)
