"""CognitoDouble: a fake Cognito user pool behind a real boto3 client, answering as AWS was measured to.

It hooks a boto3 (or aiobotocore) ``cognito-idp`` client's ``before-send`` event,
so botocore has already validated and serialized each request against the real
API model, and it parses each answer (a JSON 1.1 body, or an error with
``__type`` and HTTP 400) exactly as it parses AWS's. Every proof is checked with
tests/reference, never srpkit. Parts: aws_double_base.py (records, shared checks),
aws_double_mfa.py, aws_double_tokens.py, aws_double_aio.py; aws_double_client.py
is a client written from tests/reference that tests drive the double with.

Measured, and where (a real pool's answer printed in a public thread, or the
official clients' code that a real pool's answers shaped):

- InitiateAuth USER_SRP_AUTH answers PASSWORD_VERIFIER with SALT, SECRET_BLOCK,
  SRP_B, USERNAME, USER_ID_FOR_SRP and **no Session** (ministackorg/ministack#1758,
  NabuCasa/pycognito#78). USER_ID_FOR_SRP is the internal username, also when the
  user typed an email alias (amplify-js#12887 prints USERNAME a UUID for an email).
- Wrong password, signature, SECRET_BLOCK or TIMESTAMP (``Sep 05``, a wrong weekday):
  NotAuthorizedException "Incorrect username or password." (ministack#1758). An
  unknown user: UserNotFoundException at InitiateAuth.
- SECRET_HASH: absent, "Client <id> is configured with secret but SECRET_HASH was
  not received" (amplify-android#2504); wrong, "Unable to verify secret hash for
  client <id>" (amplify-js#277, boto/boto3#2736). Over the typed name at InitiateAuth;
  in every challenge response, with USERNAME (ChallengeResponseType API reference),
  over the internal name; at refresh too (aws-sdk-net-extensions-cognito#122).
- SMS_MFA: CODE_DELIVERY_DELIVERY_MEDIUM "SMS", CODE_DELIVERY_DESTINATION
  "+*******0008" and a Session (amazon-cognito-identity-js#236). SELECT_MFA_TYPE
  (MFAS_CAN_CHOOSE), MFA_SETUP (MFAS_CAN_SETUP) and SOFTWARE_TOKEN_MFA carry a Session
  too (CognitoUser.js authenticateUserInternal keeps each), and the answers send it
  back with ANSWER, SMS_MFA_CODE, EMAIL_OTP_CODE, SOFTWARE_TOKEN_MFA_CODE
  (ChallengeResponseType API reference).
- A wrong MFA code: CodeMismatchException "Invalid code received for user"
  (amplify-js packages/auth/src/common/AuthErrorStrings.ts INVALID_MFA_CODE; ministack#1608).
  An expired Session: NotAuthorizedException "Invalid session for the user, session
  is expired." (same file, INVALID_SESSION); a spent or unknown one: "Invalid session
  for the user." (amplify-js#10959, amplify-js#6461); none where one is needed:
  InvalidParameterException "Missing required parameter Session" (amazon-cognito-identity-js#627).
  A Session lasts the app client's AuthSessionValidity, 3 to 15 minutes (botocore model).
- MFA_SETUP when the pool requires MFA, also right after NEW_PASSWORD_REQUIRED
  (amplify-js#6461): AssociateSoftwareToken(Session) -> SecretCode + Session;
  VerifySoftwareToken(Session, UserCode) -> Status SUCCESS + Session, the one
  MFA_SETUP is answered with (moto#8027, the botocore model's documentation);
  a wrong code there: EnableSoftwareTokenMFAException "Code mismatch and fail enable
  Software Token MFA" (aws-samples/aws-amplify-auth-starters#15, ministack#1608).
  With an AccessToken instead, neither answers a Session (amazon-cognito-identity-js#627).
- NEW_PASSWORD_REQUIRED for FORCE_CHANGE_PASSWORD: USER_ID_FOR_SRP, and
  userAttributes / requiredAttributes as JSON text, the latter "userAttributes.<name>"
  (CognitoUser.js strips that prefix); a required one missing from the answer:
  InvalidParameterException "Invalid attributes given, <name> is missing"
  (aws-cognito-angular-quickstart#116, aws-sdk-net#972).
- Refresh: the answer has no RefreshToken (aws/aws-sdk-js-v3#3801; RefreshTokenRotationType
  docs: without rotation "token refresh issues only ID and access tokens"). With device
  tracking, a refresh without the DEVICE_KEY fails "Invalid Refresh Token."
  (aws-sdk-android#1469, amplify-js#2962, aws-sdk-java-v2#3418; the body printed in
  aws-sdk-cpp#1789); revoked: "Refresh Token has been revoked" (amplify-swift#3344).
  GetTokensFromRefreshToken takes ClientSecret and DeviceKey, the latter required with
  device remembering (its API reference).
  With rotation, GetTokensFromRefreshToken returns a new RefreshToken, the old one
  works for RetryGracePeriodSeconds (0 to 60) and REFRESH_TOKEN_AUTH is not allowed
  (RefreshTokenRotationType docs, amplify-js#14427); after rotation the botocore
  model documents RefreshTokenReuseException.
- A forgotten device (ForgetDevice, AdminForgetDevice): RespondToAuthChallenge
  PASSWORD_VERIFIER carrying its DEVICE_KEY answers ResourceNotFoundException
  "Device does not exist." (amazon-cognito-identity-js#200). The official retry
  (amazon-cognito-identity-js#206, CognitoUser.js authenticateUserDefaultAuth) resends
  the same PASSWORD_VERIFIER body, same SECRET_BLOCK and signature, without DEVICE_KEY,
  so the block survives that error; Amplify v6 (amplify-js#12241,
  retryOnResourceNotFoundException) instead signs in again from InitiateAuth. Both work.
  Inferred from that retry: InitiateAuth does not refuse the key (the JS client sends
  it there too, and retries only RespondToAuthChallenge).
- Admin operations are signed (the model gives InitiateAuth, RespondToAuthChallenge,
  AssociateSoftwareToken, VerifySoftwareToken, GetTokensFromRefreshToken and
  RevokeToken ``authtype: none``); without credentials botocore itself raises
  NoCredentialsError before anything is sent, so no answer of the double is involved.

Not measured, so chosen here (a client must not depend on them): whether the device
challenges carry a Session (``device_session``); their parameters; the error for a
Session the double did not issue; that a wrong MFA code keeps the Session for another
try; TOTP accepting one step either side; SOFTWARE_TOKEN_MFA's empty
ChallengeParameters; the email mask "a***@e***"; SecretCode as 52 base32 characters;
that a remembered device skips MFA and NEW_PASSWORD_REQUIRED is asked before it;
the alias as a later USERNAME refused "Incorrect username or password."; Sessions
lasting 3 minutes (``session_validity``), one per answer, a wrong one refused;
that a wrong USERNAME or SECRET_HASH in an MFA or NEW_PASSWORD step is refused as
at PASSWORD_VERIFIER and keeps the Session; that VerifySoftwareToken with an
AccessToken enables TOTP at once; "Invalid Refresh Token." for a token never issued
or from another client, and the same for GetTokensFromRefreshToken; RevokeToken of
an unknown token answering {}; AdminForgetDevice of an unknown key "Device does not
exist.";
the texts of: an unsigned admin request (MissingAuthenticationTokenException), a
wrong pool id, a bad ANSWER, MFA_SETUP answered before VerifySoftwareToken (Invalid
session), REFRESH_TOKEN_AUTH on a rotating client ("... flow not enabled for this
client", patterned on USER_PASSWORD_AUTH's), a wrong ClientSecret, a rotated-out token;
that forgetting a device ends its refresh tokens ("Invalid Refresh Token.") and a
device forgotten between the device steps is "Device does not exist.".
TIMESTAMP is checked for its spelling, not against a clock; ``now`` is the double's
own clock (TOTP, Session expiry, grace periods), set by tests, never the real time.
Numbers are printed as Cognito prints them, Java's ``BigInteger.toString(16)``.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

import boto3
from aws_double_base import (
    CONFIRMED,
    DEFAULT_SESSION_VALIDITY,
    DEVICE_NOT_FOUND,
    EPOCH,
    FORCE_CHANGE_PASSWORD,
    INCORRECT,
    INVALID_SESSION,
    MFA_CONFIGURATIONS,
    MFA_TYPES,
    AppClient,
    Device,
    Exchange,
    Message,
    ServiceError,
    Step,
    User,
)
from aws_double_mfa import MfaMixin, totp
from aws_double_tokens import REFRESH_FLOWS
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from reference import cognito_srp as ref

__all__ = [
    "INCORRECT",
    "INVALID_SESSION",
    "CognitoDouble",
    "Device",
    "Exchange",
    "Message",
    "ServiceError",
    "User",
    "totp",
]

_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_SECRET_BLOCK_BYTES = 256  # real blocks are opaque ciphertext of about this size
_B_BITS = 256


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


class CognitoDouble(MfaMixin):
    """One user pool: app clients, users, devices; answers the sign-in, MFA, refresh and device operations.

    ``device_tracking`` sends NewDeviceMetadata with the tokens of a sign-in
    without a remembered device, and binds those tokens to that device.
    ``device_session`` sends a Session with DEVICE_SRP_AUTH and
    DEVICE_PASSWORD_VERIFIER and then requires it back. ``mfa`` is the pool's
    MfaConfiguration (OFF, OPTIONAL, ON); ``required_attributes`` the attributes
    NEW_PASSWORD_REQUIRED asks for. ``seed`` fixes every value the double draws.
    """

    def __init__(
        self,
        pool_id: str = "us-east-1_DoubLe7x9",
        *,
        device_tracking: bool = False,
        device_session: bool = False,
        seed: int = 0,
        mfa: str = "OFF",
        required_attributes: tuple[str, ...] = (),
        session_validity: float = DEFAULT_SESSION_VALIDITY,
    ) -> None:
        if mfa not in MFA_CONFIGURATIONS:
            raise ValueError(f"mfa must be one of {MFA_CONFIGURATIONS}")
        self.pool_id = pool_id
        self.region = pool_id.split("_", 1)[0]
        self.device_tracking = device_tracking
        self.device_session = device_session
        self.mfa_configuration = mfa
        self.required_attributes = required_attributes
        self.session_validity = session_validity
        self.now = EPOCH
        self._init_state(seed)
        self._operations: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "InitiateAuth": self._initiate_auth,
            "RespondToAuthChallenge": self._respond_to_auth_challenge,
            "AdminInitiateAuth": self._admin_initiate_auth,
            "AdminRespondToAuthChallenge": self._admin_respond_to_auth_challenge,
            "ConfirmDevice": self._confirm_device,
            "AdminForgetDevice": self._admin_forget_device,
            "AssociateSoftwareToken": self._associate_software_token,
            "VerifySoftwareToken": self._verify_software_token,
            "GetTokensFromRefreshToken": self._get_tokens_from_refresh_token,
            "RevokeToken": self._revoke_token,
        }

    # -- set-up -----------------------------------------------------------------------
    def add_client(
        self,
        client_id: str,
        *,
        secret: str | None = None,
        rotation: bool = False,
        grace_seconds: int = 0,
    ) -> None:
        """Add an app client: a secret makes SECRET_HASH required; ``rotation`` rotates refresh tokens."""
        if not 0 <= grace_seconds <= 60:
            raise ValueError("RetryGracePeriodSeconds is 0 to 60")
        self._clients[client_id] = AppClient(client_id, secret, rotation, grace_seconds)

    def add_user(
        self,
        username: str,
        password: str,
        *,
        email: str | None = None,
        aliases: tuple[str, ...] = (),
        salt: int | None = None,
        phone_number: str | None = None,
        mfa: tuple[str, ...] = (),
        preferred_mfa: str | None = None,
        totp_secret: str | None = None,
        status: str = CONFIRMED,
    ) -> User:
        """Add a user; ``email`` and ``aliases`` also sign in, ``salt`` forces the SALT sent.

        ``mfa`` lists the user's enabled MFA (SMS_MFA needs ``phone_number``,
        EMAIL_OTP ``email``, SOFTWARE_TOKEN_MFA ``totp_secret``).
        """
        needs = dict(zip(MFA_TYPES, (phone_number, email, totp_secret), strict=True))
        if any(kind not in needs or needs[kind] is None for kind in mfa):
            raise ValueError(f"mfa {mfa}: each needs its phone_number, email or totp_secret")
        if preferred_mfa is not None and preferred_mfa not in mfa:
            raise ValueError("preferred_mfa must be one of mfa")
        salt = self._rng.getrandbits(128) if salt is None else salt
        x = ref.private_x(salt, self._pool_name, username, password)
        names = (*aliases, email) if email is not None else aliases
        attributes = {"sub": str(uuid.UUID(int=self._rng.getrandbits(128), version=4))}
        if email is not None:
            attributes |= {"email": email, "email_verified": "true"}
        if phone_number is not None:
            attributes |= {"phone_number": phone_number, "phone_number_verified": "true"}
        user = User(username, salt, ref.verifier(x), tuple(names), status=status)
        user.attributes, user.mfa, user.preferred_mfa = attributes, mfa, preferred_mfa
        user.totp_secret = totp_secret
        self._users[username] = user
        return user

    def admin_create_user(
        self, username: str, temporary_password: str, *, email: str | None = None
    ) -> User:
        """A user as AdminCreateUser leaves one: FORCE_CHANGE_PASSWORD, signing in with a temporary password."""
        return self.add_user(
            username, temporary_password, email=email, status=FORCE_CHANGE_PASSWORD
        )

    def forget_device(self, device_key: str) -> None:
        """Forget a device server-side, as AdminForgetDevice (or ForgetDevice on another device) does."""
        for user in self._users.values():
            user.devices.pop(device_key, None)

    def client(self, **config: Any) -> Any:
        """A real boto3 cognito-idp client in the pool's region, fake credentials, no retries, answered here."""
        client = _boto_session().client(
            "cognito-idp",
            region_name=self.region,
            config=Config(retries={"total_max_attempts": 1}, **config),
        )
        self.attach(client)
        return client

    def attach(self, client: Any) -> None:
        """Answer every request ``client`` sends from now on, instead of the network."""
        client.meta.events.register("before-send.cognito-idp", self._on_send)

    def aio_client(self) -> AbstractAsyncContextManager[Any]:
        """``async with double.aio_client() as client``: an aiobotocore client answered here."""
        from aws_double_aio import aio_client  # noqa: PLC0415 - aiobotocore only when asked for

        return aio_client(self)

    def attach_aio(self, client: Any) -> None:
        """Answer every request an aiobotocore ``client`` sends from now on."""
        from aws_double_aio import attach_aio  # noqa: PLC0415

        attach_aio(self, client)

    def answers(self, operation: str) -> list[Exchange]:
        """The exchanges of one operation, in order."""
        return [e for e in self.exchanges if e.operation == operation]

    def challenges(self) -> list[str]:
        """What each sign-in answer asked: a ChallengeName, "tokens", or the error's code."""
        sign_in = {"InitiateAuth", "RespondToAuthChallenge"}
        sign_in |= {f"Admin{name}" for name in sign_in}
        return [
            e.response.get("ChallengeName", "tokens" if e.status == 200 else e.response["__type"])
            for e in self.exchanges
            if e.operation in sign_in
        ]

    def asked(self, challenge: str) -> Exchange:
        """The last exchange whose answer asked ``challenge``."""
        return [e for e in self.exchanges if e.response.get("ChallengeName") == challenge][-1]

    def answer_to(self, challenge: str) -> Exchange:
        """The last exchange that answered ``challenge`` (its request names it)."""
        return [e for e in self.exchanges if e.request.get("ChallengeName") == challenge][-1]

    # -- the wire ---------------------------------------------------------------------
    def reply(self, request: AWSPreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one request, recorded in ``exchanges``."""
        target = request.headers.get("X-Amz-Target", "")
        if isinstance(target, bytes):
            target = target.decode()
        operation = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else target
        authorization = request.headers.get("Authorization", b"")
        if isinstance(authorization, str):
            authorization = authorization.encode()
        self._signed = authorization.startswith(b"AWS4-HMAC-SHA256 ")
        body: dict[str, Any] = json.loads(request.body or b"{}")
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
        self.exchanges.append(Exchange(operation, body, status, answer, self._signed))
        data = json.dumps(answer).encode()
        headers["Content-Length"] = str(len(data))
        return status, headers, data

    def _on_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        status, headers, data = self.reply(request)
        return AWSResponse(request.url, status, headers, _RawBody(data))

    # -- SRP --------------------------------------------------------------------------
    def _srp_challenge(
        self, step: Step, srp_a: str, salt: int, extra: dict[str, str]
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
        self,
        challenge: str,
        client_id: str,
        responses: Mapping[str, str],
        session: str | None,
        *,
        admin: bool,
    ) -> Step:
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
        if by_session is not None:
            self._check_fresh(by_session)
        if step is None or step.challenge != challenge or step.client_id != client_id:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        if step.admin != admin:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        if step.session != session:
            # A Session the double sent must come back, and one it did not send is refused.
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        return step

    def _verify_claim(self, step: Step, client_id: str, responses: Mapping[str, str]) -> None:
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
    def _initiate_auth(self, body: Mapping[str, Any], *, admin: bool = False) -> dict[str, Any]:
        client_id = self._client_id(body)
        flow = body.get("AuthFlow")
        params: Mapping[str, str] = body.get("AuthParameters") or {}
        if flow in REFRESH_FLOWS:
            return self._refresh_flow(client_id, params)
        if flow != "USER_SRP_AUTH":
            raise ServiceError("InvalidParameterException", f"the double does not answer {flow}")
        name = self._required(params, "USERNAME")
        srp_a = self._required(params, "SRP_A")
        user = self._find_user(name)
        # SECRET_HASH here is over the name the user typed; the answer's is over USER_ID_FOR_SRP.
        self._check_secret_hash(client_id, params, name)
        step = Step(
            "PASSWORD_VERIFIER",
            client_id,
            user,
            device_key=params.get("DEVICE_KEY"),
            admin=admin,
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

    def _admin_initiate_auth(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._check_pool(body)
        return self._initiate_auth(body, admin=True)

    def _admin_respond_to_auth_challenge(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._check_pool(body)
        return self._respond_to_auth_challenge(body, admin=True)

    def _respond_to_auth_challenge(
        self, body: Mapping[str, Any], *, admin: bool = False
    ) -> dict[str, Any]:
        client_id = self._client_id(body)
        name = str(body.get("ChallengeName"))
        responses: Mapping[str, str] = body.get("ChallengeResponses") or {}
        session: str | None = body.get("Session")
        if name == "PASSWORD_VERIFIER":
            return self._password_verifier(client_id, responses, session, admin=admin)
        if name == "DEVICE_SRP_AUTH":
            return self._device_srp_auth(client_id, responses, session, admin=admin)
        if name == "DEVICE_PASSWORD_VERIFIER":
            step = self._take_claim(name, client_id, responses, session, admin=admin)
            if responses.get("DEVICE_KEY") != step.device_key:
                raise ServiceError("NotAuthorizedException", INCORRECT)
            self._verify_claim(step, client_id, responses)
            return self._tokens(step.user, client_id, new_device=False, device_key=step.device_key)
        if name in ("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA"):
            return self._answer_mfa(name, client_id, responses, session, admin=admin)
        answerers = {
            "SELECT_MFA_TYPE": self._answer_select,
            "MFA_SETUP": self._answer_mfa_setup,
            "NEW_PASSWORD_REQUIRED": self._answer_new_password,
        }
        if name in answerers:
            return answerers[name](client_id, responses, session, admin=admin)
        raise ServiceError("InvalidParameterException", f"the double does not answer {name}")

    def _password_verifier(
        self, client_id: str, responses: Mapping[str, str], session: str | None, *, admin: bool
    ) -> dict[str, Any]:
        step = self._take_claim("PASSWORD_VERIFIER", client_id, responses, session, admin=admin)
        self._verify_claim(step, client_id, responses)
        user = step.user
        sent_key = responses.get("DEVICE_KEY")
        if sent_key and sent_key not in user.devices:
            # The block stays answerable: the official retry resends this body without DEVICE_KEY.
            self._by_block[step.block] = step
            raise ServiceError("ResourceNotFoundException", DEVICE_NOT_FOUND)
        device = user.devices.get(sent_key or step.device_key or "")
        if device is None or device.verifier is None:
            return self._after_password(user, client_id, admin=admin)
        asked = Step("DEVICE_SRP_AUTH", client_id, user, device_key=device.key, admin=admin)
        answer: dict[str, Any] = {"ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": {}}
        if self.device_session:
            answer["Session"] = self._file_session(asked)
        else:
            self._pending_device_srp[(user.username, device.key)] = asked
        return answer

    def _device_srp_auth(
        self, client_id: str, responses: Mapping[str, str], session: str | None, *, admin: bool
    ) -> dict[str, Any]:
        name = self._required(responses, "USERNAME")
        device_key = self._required(responses, "DEVICE_KEY")
        srp_a = self._required(responses, "SRP_A")
        if session is not None:
            step = self._by_session.pop(session, None)
            if step is None:
                raise ServiceError("NotAuthorizedException", INVALID_SESSION)
            self._check_fresh(step)
        elif self.device_session:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        else:
            step = self._pending_device_srp.pop((name, device_key), None)
        if step is None or step.challenge != "DEVICE_SRP_AUTH" or step.client_id != client_id:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        if name != step.user.username or device_key != step.device_key or step.admin != admin:
            raise ServiceError("NotAuthorizedException", INCORRECT)
        self._check_secret_hash(client_id, responses, name)
        device = step.user.devices.get(device_key)
        if device is None or device.salt is None or device.verifier is None:
            raise ServiceError("ResourceNotFoundException", DEVICE_NOT_FOUND)
        asked = Step(
            "DEVICE_PASSWORD_VERIFIER",
            client_id,
            step.user,
            device_key=device.key,
            admin=admin,
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

    def _confirm_device(self, body: Mapping[str, Any]) -> dict[str, Any]:
        user = self._access_user(body.get("AccessToken"))
        device = user.devices.get(str(body.get("DeviceKey")))
        if device is None:
            raise ServiceError("ResourceNotFoundException", DEVICE_NOT_FOUND)
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

    def _admin_forget_device(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._check_pool(body)
        user = self._find_user(str(body.get("Username")))
        if user.devices.pop(str(body.get("DeviceKey")), None) is None:
            raise ServiceError("ResourceNotFoundException", DEVICE_NOT_FOUND)
        return {}
