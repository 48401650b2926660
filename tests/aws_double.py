"""CognitoDouble: a fake Cognito user pool behind a real boto3 client, answering as AWS was measured to.

It hooks a boto3 ``cognito-idp`` client's ``before-send`` event, so botocore has
already validated and serialized each request against the real API model, and
it parses each answer (a JSON 1.1 body, or an error with ``__type`` and HTTP 400)
exactly as it parses AWS's: ``client.exceptions.NotAuthorizedException`` is raised
as it would be from AWS. Every proof is checked with tests/reference, never srpkit.

Measured on a real pool (ministackorg/ministack#1758, eu-central-1; the response
printed in NabuCasa/pycognito#78 has the same shape), and copied here:

- InitiateAuth USER_SRP_AUTH answers ChallengeName PASSWORD_VERIFIER with
  ChallengeParameters SALT, SECRET_BLOCK, SRP_B, USERNAME, USER_ID_FOR_SRP and
  **no Session**; the answer comes back without one and is found by its SECRET_BLOCK.
- USER_ID_FOR_SRP is the username, also when the user signs in with an email alias.
- A wrong password, signature, SECRET_BLOCK or TIMESTAMP (``Sep 05``, a wrong
  weekday): NotAuthorizedException "Incorrect username or password.".
- An unknown user: UserNotFoundException at InitiateAuth.

Not measured, so chosen here: whether DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
carry a Session (``device_session``; a client must work both ways), the device
challenges' parameters, and the error for a Session the double did not issue.
TIMESTAMP is checked for its spelling but not against a clock, so no test
depends on the time.
Numbers are printed as Cognito prints them, Java's ``BigInteger.toString(16)``:
minimal hex, a ``-`` for a negative salt, never a redundant leading ``00``.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from reference import cognito_srp as ref

INCORRECT = "Incorrect username or password."
INVALID_SESSION = "Invalid session for the user."
_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_GROUP_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_SECRET_BLOCK_BYTES = 256  # real blocks are opaque ciphertext of about this size
_B_BITS = 256


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
    """A pool user: the internal username, its salt and verifier, sign-in aliases and devices."""

    username: str
    salt: int
    verifier: int
    aliases: tuple[str, ...] = ()
    devices: dict[str, Device] = field(default_factory=dict)


@dataclass
class _Step:
    """A challenge the double asked and that is not answered yet."""

    challenge: str
    client_id: str
    user: User
    device_key: str | None = None
    session: str | None = None
    # SRP state: what the signature is checked with.
    realm: str = ""
    signer: str = ""
    verifier: int = 0
    b: int = 0
    big_a: int = 0
    big_b: int = 0
    block: str = ""


@dataclass(frozen=True)
class Exchange:
    """One call the double answered: the operation, the body botocore sent, the status and the answer."""

    operation: str
    request: dict[str, Any]
    status: int
    response: dict[str, Any]


class _RawBody:
    """The ``raw`` of an AWSResponse: botocore reads the body through ``stream()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


@functools.cache
def _boto_session() -> boto3.Session:
    # One session for all doubles: its loader parses the cognito-idp model once.
    return boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", aws_session_token="x")


class CognitoDouble:
    """One user pool: app clients, users, devices; answers InitiateAuth, RespondToAuthChallenge, ConfirmDevice.

    ``device_tracking`` sends NewDeviceMetadata with the tokens of a sign-in
    without a remembered device. ``device_session`` sends a Session with
    DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER and then requires it back;
    without it the answers are found by user and device, and by SECRET_BLOCK.
    ``seed`` fixes every value the double draws (b, salts, blocks, keys).
    """

    def __init__(
        self,
        pool_id: str = "us-east-1_DoubLe7x9",
        *,
        device_tracking: bool = False,
        device_session: bool = False,
        seed: int = 0,
    ) -> None:
        self.pool_id = pool_id
        self.region = pool_id.split("_", 1)[0]
        self.device_tracking = device_tracking
        self.device_session = device_session
        self.exchanges: list[Exchange] = []
        self._pool_name = ref.pool_name(pool_id)
        self._rng = random.Random(seed)
        self._clients: dict[str, str | None] = {}
        self._users: dict[str, User] = {}
        self._by_block: dict[str, _Step] = {}
        self._by_session: dict[str, _Step] = {}
        self._pending_device_srp: dict[tuple[str, str], _Step] = {}
        self._access_tokens: dict[str, User] = {}
        self._operations: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "InitiateAuth": self._initiate_auth,
            "RespondToAuthChallenge": self._respond_to_auth_challenge,
            "ConfirmDevice": self._confirm_device,
        }

    # -- set-up -----------------------------------------------------------------------
    def add_client(self, client_id: str, *, secret: str | None = None) -> None:
        """Add an app client, with a client secret (SECRET_HASH required) or without."""
        self._clients[client_id] = secret

    def add_user(
        self,
        username: str,
        password: str,
        *,
        email: str | None = None,
        aliases: tuple[str, ...] = (),
        salt: int | None = None,
    ) -> User:
        """Add a confirmed user; ``email`` and ``aliases`` also sign in, ``salt`` forces the SALT sent."""
        salt = self._rng.getrandbits(128) if salt is None else salt
        x = ref.private_x(salt, self._pool_name, username, password)
        names = (*aliases, email) if email is not None else aliases
        user = User(username, salt, ref.verifier(x), tuple(names))
        self._users[username] = user
        return user

    def client(self) -> Any:
        """A real boto3 cognito-idp client in the pool's region, fake credentials, no retries, answered here."""
        client = _boto_session().client(
            "cognito-idp",
            region_name=self.region,
            config=Config(retries={"total_max_attempts": 1}),
        )
        self.attach(client)
        return client

    def attach(self, client: Any) -> None:
        """Answer every request ``client`` sends from now on, instead of the network."""
        client.meta.events.register("before-send.cognito-idp", self._on_send)

    def answers(self, operation: str) -> list[Exchange]:
        """The exchanges of one operation, in order."""
        return [e for e in self.exchanges if e.operation == operation]

    # -- the wire ---------------------------------------------------------------------
    def _on_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        target = request.headers.get("X-Amz-Target", "")
        if isinstance(target, bytes):
            target = target.decode()
        operation = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else target
        raw_body = request.body or b"{}"
        body: dict[str, Any] = json.loads(raw_body)
        handler = self._operations.get(operation)
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
        }
        try:
            if handler is None:
                raise ServiceError("UnknownOperationException", f"the double has no {operation}")
            status, answer = 200, handler(body)
        except ServiceError as error:
            status, answer = 400, {"__type": error.code, "message": error.message}
            headers["x-amzn-ErrorType"] = f"{error.code}:"
        self.exchanges.append(Exchange(operation, body, status, answer))
        data = json.dumps(answer).encode()
        headers["Content-Length"] = str(len(data))
        return AWSResponse(request.url, status, headers, _RawBody(data))

    # -- shared checks ----------------------------------------------------------------
    def _client_id(self, body: Mapping[str, Any]) -> str:
        client_id = str(body.get("ClientId"))
        if client_id not in self._clients:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        return client_id

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
        secret = self._clients[client_id]
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

    def _token(self, nbytes: int) -> str:
        return base64.b64encode(self._rng.randbytes(nbytes)).decode()

    def _file_session(self, step: _Step) -> str:
        step.session = self._token(600)
        self._by_session[step.session] = step
        return step.session

    # -- SRP --------------------------------------------------------------------------
    def _srp_challenge(
        self, step: _Step, srp_a: str, salt: int, extra: dict[str, str]
    ) -> dict[str, Any]:
        """Draw b, file the step under a fresh SECRET_BLOCK, and the ChallengeParameters asking it."""
        try:
            big_a = int(srp_a, 16)
        except ValueError:
            raise ServiceError("InvalidParameterException", "SRP_A: not hex") from None
        # Not measured: any SRP server must refuse A = 0 mod N, or S would be 0 for every password.
        if big_a % ref.N == 0:
            raise ServiceError("InvalidParameterException", "SRP_A: A mod N is 0")
        step.big_a = big_a
        step.b = self._rng.getrandbits(_B_BITS) | 1
        step.big_b = ref.server_public(step.verifier, step.b)
        step.block = self._token(_SECRET_BLOCK_BYTES)
        self._by_block[step.block] = step
        return {
            "SALT": ref.java_hex(salt),
            "SECRET_BLOCK": step.block,
            "SRP_B": ref.java_hex(step.big_b),
            **extra,
        }

    def _take_claim(
        self, challenge: str, client_id: str, responses: Mapping[str, str], session: str | None
    ) -> _Step:
        """The step a PASSWORD_CLAIM answers, removed: one answer per SECRET_BLOCK, right or wrong."""
        for name in (
            "USERNAME",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "PASSWORD_CLAIM_SIGNATURE",
            "TIMESTAMP",
        ):
            self._required(responses, name)
        step = self._by_block.pop(responses["PASSWORD_CLAIM_SECRET_BLOCK"], None)
        by_session = self._by_session.pop(session, None) if session is not None else None
        if step is not None and step.session is not None:
            self._by_session.pop(step.session, None)
        if session is not None and by_session is None:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        if step is None or step.challenge != challenge or step.client_id != client_id:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        if step.session != session:
            # A Session the double sent must come back, and one it did not send is refused.
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        return step

    def _verify_claim(self, step: _Step, client_id: str, responses: Mapping[str, str]) -> None:
        if responses["USERNAME"] != step.user.username:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        self._check_secret_hash(client_id, responses, step.user.username)
        timestamp = responses["TIMESTAMP"]
        try:
            ref.parse_timestamp(timestamp)
        except ValueError:
            raise ServiceError("NotAuthorizedException", INCORRECT) from None
        u = ref.scrambler(step.big_a, step.big_b)
        key = ref.session_key(ref.server_premaster(step.big_a, step.verifier, u, step.b), u)
        block = base64.b64decode(step.block)
        expected = ref.signature(key, step.realm, step.signer, block, timestamp)
        if not hmac.compare_digest(expected, responses["PASSWORD_CLAIM_SIGNATURE"]):
            raise ServiceError("NotAuthorizedException", INCORRECT)

    # -- operations -------------------------------------------------------------------
    def _initiate_auth(self, body: Mapping[str, Any]) -> dict[str, Any]:
        client_id = self._client_id(body)
        if body.get("AuthFlow") != "USER_SRP_AUTH":
            raise ServiceError("InvalidParameterException", "the double answers USER_SRP_AUTH only")
        params: Mapping[str, str] = body.get("AuthParameters") or {}
        name = self._required(params, "USERNAME")
        srp_a = self._required(params, "SRP_A")
        user = self._find_user(name)
        # SECRET_HASH here is over the name the user typed; the answer's is over USER_ID_FOR_SRP.
        self._check_secret_hash(client_id, params, name)
        step = _Step(
            "PASSWORD_VERIFIER",
            client_id,
            user,
            device_key=params.get("DEVICE_KEY"),
            realm=self._pool_name,
            signer=user.username,
            verifier=user.verifier,
        )
        ids = {"USERNAME": user.username, "USER_ID_FOR_SRP": user.username}
        # As measured: no Session; the answer is found by its SECRET_BLOCK.
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": self._srp_challenge(step, srp_a, user.salt, ids),
        }

    def _respond_to_auth_challenge(self, body: Mapping[str, Any]) -> dict[str, Any]:
        client_id = self._client_id(body)
        name = body.get("ChallengeName")
        responses: Mapping[str, str] = body.get("ChallengeResponses") or {}
        session: str | None = body.get("Session")
        if name == "PASSWORD_VERIFIER":
            return self._password_verifier(client_id, responses, session)
        if name == "DEVICE_SRP_AUTH":
            return self._device_srp_auth(client_id, responses, session)
        if name == "DEVICE_PASSWORD_VERIFIER":
            step = self._take_claim(name, client_id, responses, session)
            if responses.get("DEVICE_KEY") != step.device_key:
                raise ServiceError("NotAuthorizedException", INCORRECT)
            self._verify_claim(step, client_id, responses)
            return self._tokens(step.user, new_device=False)
        raise ServiceError("InvalidParameterException", f"the double does not answer {name}")

    def _password_verifier(
        self, client_id: str, responses: Mapping[str, str], session: str | None
    ) -> dict[str, Any]:
        step = self._take_claim("PASSWORD_VERIFIER", client_id, responses, session)
        self._verify_claim(step, client_id, responses)
        user = step.user
        device = user.devices.get(responses.get("DEVICE_KEY") or step.device_key or "")
        if device is None or device.verifier is None:
            return self._tokens(user, new_device=self.device_tracking)
        asked = _Step("DEVICE_SRP_AUTH", client_id, user, device_key=device.key)
        answer: dict[str, Any] = {"ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": {}}
        if self.device_session:
            answer["Session"] = self._file_session(asked)
        else:
            self._pending_device_srp[(user.username, device.key)] = asked
        return answer

    def _device_srp_auth(
        self, client_id: str, responses: Mapping[str, str], session: str | None
    ) -> dict[str, Any]:
        name = self._required(responses, "USERNAME")
        device_key = self._required(responses, "DEVICE_KEY")
        srp_a = self._required(responses, "SRP_A")
        if session is not None:
            step = self._by_session.pop(session, None)
            if step is None:
                raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        elif self.device_session:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        else:
            step = self._pending_device_srp.pop((name, device_key), None)
        if step is None or step.challenge != "DEVICE_SRP_AUTH" or step.client_id != client_id:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        if name != step.user.username or device_key != step.device_key:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        self._check_secret_hash(client_id, responses, name)
        device = step.user.devices[device_key]
        assert device.salt is not None and device.verifier is not None
        asked = _Step(
            "DEVICE_PASSWORD_VERIFIER",
            client_id,
            step.user,
            device_key=device.key,
            realm=device.group_key,
            signer=device.key,
            verifier=device.verifier,
        )
        params = self._srp_challenge(
            asked, srp_a, device.salt, {"USERNAME": name, "DEVICE_KEY": device.key}
        )
        answer = {"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ChallengeParameters": params}
        if self.device_session:
            answer["Session"] = self._file_session(asked)
        return answer

    def _tokens(self, user: User, *, new_device: bool) -> dict[str, Any]:
        access = f"double-access.{self._rng.getrandbits(128):032x}"
        self._access_tokens[access] = user
        result: dict[str, Any] = {
            "AccessToken": access,
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": f"double-refresh.{self._rng.getrandbits(128):032x}",
            "IdToken": f"double-id.{self._rng.getrandbits(128):032x}",
        }
        if new_device:
            key = f"{self.region}_{uuid.UUID(int=self._rng.getrandbits(128), version=4)}"
            group = "-" + "".join(self._rng.choice(_GROUP_KEY_ALPHABET) for _ in range(9))
            user.devices[key] = Device(key, group)
            result["NewDeviceMetadata"] = {"DeviceKey": key, "DeviceGroupKey": group}
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def _confirm_device(self, body: Mapping[str, Any]) -> dict[str, Any]:
        user = self._access_tokens.get(str(body.get("AccessToken")))
        if user is None:
            raise ServiceError("NotAuthorizedException", "Invalid Access Token")
        device = user.devices.get(str(body.get("DeviceKey")))
        if device is None:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        config = body.get("DeviceSecretVerifierConfig") or {}
        try:
            salt, v = ref.read_verifier_config(config)
        except (KeyError, ValueError):
            raise ServiceError(
                "InvalidParameterException", "DeviceSecretVerifierConfig: Salt and PasswordVerifier"
            ) from None
        if not 0 < v < ref.N:
            raise ServiceError("InvalidParameterException", "PasswordVerifier: not in 1..N-1")
        device.salt, device.verifier = salt, v
        return {"UserConfirmationNecessary": False}
