"""A Cognito-compatible user pool service over ``srpkit.server``, and the one-pool view ``srpkit demo`` uses.

``CognitoService`` answers API calls (operation name as in X-Amz-Target,
request and response as Cognito's JSON) for any number of pools: the
administration a test needs (CreateUserPool, CreateUserPoolClient,
AdminCreateUser, AdminSetUserPassword, SignUp, AdminConfirmSignUp, ...), the
SRP sign-ins (InitiateAuth USER_SRP_AUTH, USER_AUTH with PASSWORD_SRP,
CUSTOM_AUTH with SRP_A; RespondToAuthChallenge PASSWORD_VERIFIER,
DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED,
SELECT_CHALLENGE) and device tracking (ConfirmDevice, UpdateDeviceStatus,
ForgetDevice). Signatures and SECRET_HASH are really checked; tokens are RS256
JWTs with Cognito's claims. ``srpkit serve`` puts it behind HTTP.

It is thread-safe: one lock guards the state, and the big arithmetic (SRP,
RSA) runs outside it. There are no Lambda triggers: CUSTOM_AUTH with SRP_A
issues tokens once the password is verified, as a DefineAuthChallenge that
asks nothing more would.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, Union

from ._encoding import java_hex
from ._errors import SRPKitError
from ._secret_hash import secret_hash
from ._serve_state import AppClient, Device, MemoryStore, PoolRecord, PoolUser, Record, Store
from ._serve_tokens import MAX_TOKEN_CHARS, SigningKey, unverified_claims
from ._serve_users import (
    DEFAULT_PASSWORD_POLICY,
    ServiceError,
    check_password_policy,
    check_request_text,
    checked_username,
    new_client_id,
    new_client_secret,
    new_pool_id,
    read_attributes,
    read_bool,
    read_int,
    read_list,
    read_string_map,
    read_text,
    sign_in_names,
    signup_username,
)
from ._server import VerificationError
from ._srp import verifier as verifier_of
from ._validate import check_client_id, pool_name
from .server import DeviceServerSRP, ServerSRP, make_verifier

__all__ = ["CognitoService", "PoolUser", "ServiceError", "UserPool"]

_ALLOW_FLOWS = frozenset(
    {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    }
)
_DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_MAX_SESSIONS = 10000
_NO_REQUIREMENTS = {k: False for k in DEFAULT_PASSWORD_POLICY if k.startswith("Require")}
_LENIENT_POLICY = {**_NO_REQUIREMENTS, "MinimumLength": 6}
# Devices handed out but never confirmed (each sign-in without one makes one): a
# user keeps the newest few, so repeated sign-ins cannot grow the state without bound.
_MAX_UNCONFIRMED_DEVICES = 16
_NOT_AUTHORIZED = "Incorrect username or password."
_INVALID_SESSION = "Invalid session for the user."
_INVALID_TOKEN = "Invalid Access Token"  # noqa: S105 - a message
_SRP_SERVER = Union[ServerSRP, DeviceServerSRP]


@dataclass
class _Pending:
    """One sign-in between two calls: what the Session string stands for (memory only)."""

    client_id: str
    username: str | None  # None: a decoy sign-in of an unknown user
    challenge: str
    expires: float
    server: _SRP_SERVER | None = None
    names: tuple[str, ...] = ()  # the name the client signs in with, if not the username
    device_key: str | None = None
    # The keys it is filed under in CognitoService._sessions: a Session string the client
    # may send, and the SECRET_BLOCK its SRP challenge issued (Cognito sends PASSWORD_VERIFIER
    # without a Session, so the answer is found by the block it carries).
    session: str | None = None
    block: str | None = None


class _Pool:
    """One pool's live state: its record, key, clients, users, sign-in names and devices."""

    def __init__(self, record: PoolRecord, key: SigningKey | None = None) -> None:
        self.record = record
        # A new pool passes the key it just generated rather than parse its PEM back.
        self.key = SigningKey.from_pem(record.signing_key) if key is None else key
        self.clients: dict[str, AppClient] = {}
        self.users: dict[str, PoolUser] = {}  # normalized username -> user
        self._names: dict[str, str] = {}  # normalized alias -> normalized username
        self._names_of: dict[str, list[str]] = {}
        self.devices: dict[str, Device] = {}
        self._devices_of: dict[str, dict[str, Device]] = {}  # username -> its devices

    def norm(self, name: str) -> str:
        return name if self.record.case_sensitive else name.lower()

    def find(self, name: str) -> PoolUser | None:
        """The user a sign-in name (username, or an active alias) belongs to."""
        key = self.norm(name)
        user = self.users.get(key)
        if user is None and key in self._names:
            user = self.users.get(self._names[key])
        return user

    def index(self, user: PoolUser) -> None:
        """Add or update ``user`` and the names it signs in with."""
        key = self.norm(user.username)
        for alias in self._names_of.pop(key, []):
            if self._names.get(alias) == key:
                del self._names[alias]
        self.users[key] = user
        aliases = [self.norm(name) for name in sign_in_names(self.record, user)]
        self._names_of[key] = aliases
        for alias in aliases:
            self._names[alias] = key

    def add_device(self, device: Device) -> None:
        self.devices[device.key] = device
        self._devices_of.setdefault(device.username, {})[device.key] = device

    def remove_device(self, device: Device) -> None:
        del self.devices[device.key]
        self._devices_of.get(device.username, {}).pop(device.key, None)

    def devices_of(self, username: str) -> list[Device]:
        return list(self._devices_of.get(username, {}).values())


def _token_seconds(request: Mapping[str, Any], name: str, unit_key: str) -> int:
    units = request.get("TokenValidityUnits") or {}
    unit = units.get(unit_key, "hours") if isinstance(units, dict) else "hours"
    if not isinstance(unit, str):
        raise ServiceError(
            "SerializationException", f"TokenValidityUnits.{unit_key}: expected a string"
        )
    if unit not in _UNIT_SECONDS:
        raise ServiceError(
            "InvalidParameterException", f"TokenValidityUnits.{unit_key}: unknown unit"
        )
    value = read_int(request, name, 1, 86400)
    if value is None:
        return 3600
    seconds = value * _UNIT_SECONDS[unit]
    if not 300 <= seconds <= 86400:
        raise ServiceError(
            "InvalidParameterException", f"{name}: must be between 5 minutes and 1 day"
        )
    return seconds


class CognitoService:
    """Cognito user pools in a process: ``handle(operation, request)`` -> response dict.

    ``store`` keeps the state (default: memory only). ``issuer_base`` is the
    URL tokens name as their issuer (``<issuer_base>/<pool_id>``, where the
    JWKS is ``/.well-known/jwks.json``); by default Cognito's own
    ``https://cognito-idp.<region>.amazonaws.com``. With ``revocable=False``
    tokens carry no ``origin_jti``, so clients do not call RevokeToken at sign-out.
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        issuer_base: str | None = None,
        region: str = "us-east-1",
        clock: Callable[[], float] = time.time,
        revocable: bool = True,
    ) -> None:
        self.issuer_base = issuer_base
        self._revocable = revocable
        self.region = region
        self._store = store or MemoryStore()
        self._clock = clock
        self._lock = threading.Lock()
        self._pools: dict[str, _Pool] = {}
        self._clients: dict[str, AppClient] = {}
        self._sessions: dict[str, _Pending] = {}
        self._operations: dict[str, Callable[[Mapping[str, Any], str], dict[str, Any]]] = {
            "CreateUserPool": self._create_user_pool,
            "DescribeUserPool": self._describe_user_pool,
            "CreateUserPoolClient": self._create_user_pool_client,
            "DescribeUserPoolClient": self._describe_user_pool_client,
            "AdminCreateUser": self._admin_create_user,
            "AdminSetUserPassword": self._admin_set_user_password,
            "AdminGetUser": self._admin_get_user,
            "AdminConfirmSignUp": self._admin_confirm_sign_up,
            "SignUp": self._sign_up,
            "InitiateAuth": self._initiate_auth,
            "RespondToAuthChallenge": self._respond_to_auth_challenge,
            "ConfirmDevice": self._confirm_device,
            "UpdateDeviceStatus": self._update_device_status,
            "ForgetDevice": self._forget_device,
            "RevokeToken": self._revoke_token,
        }
        self._load()

    def __repr__(self) -> str:
        return f"CognitoService(pools={len(self._pools)}, {self._store.description})"

    @property
    def operations(self) -> frozenset[str]:
        """The API operations this service answers."""
        return frozenset(self._operations)

    def _load(self) -> None:
        for record in self._store.load():
            if isinstance(record, PoolRecord):
                self._pools[record.id] = _Pool(record)
            elif record.pool_id in self._pools:
                pool = self._pools[record.pool_id]
                if isinstance(record, AppClient):
                    pool.clients[record.id] = self._clients[record.id] = record
                elif isinstance(record, PoolUser):
                    pool.index(record)
                else:
                    pool.add_device(record)

    def close(self) -> None:
        """Release the store (the state stays in it)."""
        with self._lock:
            self._store.close()

    # -- the API --------------------------------------------------------------------------
    def handle(
        self, operation: str, request: Mapping[str, Any], *, region: str | None = None
    ) -> dict[str, Any]:
        """Answer one API call or raise ServiceError (``region`` names new pools' region)."""
        handler = self._operations.get(operation)
        if handler is None:
            raise ServiceError(
                "UnknownOperationException", f"{operation[:64]} is not supported by srpkit serve"
            )
        check_request_text(request)
        try:
            return handler(request, region or self.region)
        except SRPKitError as exc:
            # A check of srpkit's own that an operation did not translate: still the
            # caller's bad input, so an AWS-shaped answer rather than a 500.
            raise _service_error(exc) from None

    def jwks(self, pool_id: str) -> dict[str, Any] | None:
        """The pool's JSON Web Key Set (None for an unknown pool)."""
        with self._lock:
            pool = self._pools.get(pool_id)
        return None if pool is None else {"keys": [pool.key.jwk()]}

    def issuer(self, pool_id: str) -> str:
        """The ``iss`` of the pool's tokens."""
        region = pool_id.split("_", 1)[0]
        base = self.issuer_base or f"https://cognito-idp.{region}.amazonaws.com"
        return f"{base.rstrip('/')}/{pool_id}"

    # -- state helpers (call with the lock held) ---------------------------------------
    def _put(self, record: Record) -> None:
        self._store.put(record)

    def _pool(self, request: Mapping[str, Any]) -> _Pool:
        pool_id = read_text(request, "UserPoolId", max_len=55)
        assert pool_id is not None
        pool = self._pools.get(pool_id)
        if pool is None:
            raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    def _client(self, request: Mapping[str, Any]) -> tuple[_Pool, AppClient]:
        client_id = read_text(request, "ClientId", max_len=128)
        assert client_id is not None
        client = self._clients.get(client_id)
        if client is None:
            raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
        return self._pools[client.pool_id], client

    @staticmethod
    def _user(pool: _Pool, name: str) -> PoolUser:
        user = pool.find(name)
        if user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        return user

    def _add_new_user(self, pool: _Pool, user: PoolUser, given: str) -> None:
        """Index and store a new user, refusing a name or alias another user already has."""
        if pool.find(given) is not None or pool.find(user.username) is not None:
            raise ServiceError("UsernameExistsException", "User account already exists")
        if any(pool.find(name) for name in sign_in_names(pool.record, user)):
            code = (
                "UsernameExistsException"
                if pool.record.username_attributes
                else "AliasExistsException"
            )
            raise ServiceError(
                code, "An account with the given email or phone number already exists."
            )
        pool.index(user)
        self._put(user)

    # -- administration -----------------------------------------------------------------
    def create_pool(
        self,
        name: str,
        *,
        pool_id: str | None = None,
        region: str | None = None,
        username_attributes: tuple[str, ...] = (),
        alias_attributes: tuple[str, ...] = (),
        case_sensitive: bool = True,
        password_policy: Mapping[str, Any] | None = None,
        device_configuration: Mapping[str, bool] | None = None,
    ) -> PoolRecord:
        """Create a pool (a fresh id in ``region`` unless ``pool_id`` is given)."""
        if username_attributes and alias_attributes:
            raise ServiceError(
                "InvalidParameterException",
                "UsernameAttributes and AliasAttributes cannot both be set.",
            )
        if pool_id is not None:
            pool_name(pool_id)
        now = self._clock()
        key = SigningKey.generate()
        record = PoolRecord(
            id=pool_id or new_pool_id(region or self.region),
            name=name,
            created=now,
            username_attributes=tuple(username_attributes),
            alias_attributes=tuple(alias_attributes),
            case_sensitive=case_sensitive,
            password_policy={**DEFAULT_PASSWORD_POLICY, **(password_policy or {})},
            device_configuration=None
            if device_configuration is None
            else dict(device_configuration),
            signing_key=key.to_pem(),
            decoy_key=secrets.token_hex(32),
        )
        pool = _Pool(record, key)
        with self._lock:
            if record.id in self._pools:
                raise ServiceError("InvalidParameterException", f"User pool {record.id} exists.")
            self._pools[record.id] = pool
            self._put(record)
        return record

    def create_client(
        self,
        pool_id: str,
        name: str,
        *,
        client_id: str | None = None,
        secret: str | None = None,
        explicit_auth_flows: tuple[str, ...] = _DEFAULT_FLOWS,
        access_token_seconds: int = 3600,
        id_token_seconds: int = 3600,
        auth_session_minutes: int = 3,
        prevent_user_existence_errors: str = "LEGACY",
    ) -> AppClient:
        """Create an app client of ``pool_id`` (a fresh id unless ``client_id`` is given)."""
        if client_id is not None:
            check_client_id(client_id)
        client = AppClient(
            id=client_id or new_client_id(),
            pool_id=pool_id,
            name=name,
            created=self._clock(),
            secret=secret,
            explicit_auth_flows=tuple(explicit_auth_flows),
            access_token_seconds=access_token_seconds,
            id_token_seconds=id_token_seconds,
            auth_session_minutes=auth_session_minutes,
            prevent_user_existence_errors=prevent_user_existence_errors,
        )
        with self._lock:
            pool = self._pool({"UserPoolId": pool_id})
            if client.id in self._clients:
                raise ServiceError("InvalidParameterException", "App client id exists.")
            pool.clients[client.id] = self._clients[client.id] = client
            self._put(client)
        return client

    def add_user(
        self,
        pool_id: str,
        username: str,
        password: str | None,
        *,
        attributes: Mapping[str, str] | None = None,
        status: str = "CONFIRMED",
    ) -> PoolUser:
        """Create a user from what AdminCreateUser / SignUp carry (a random password if None)."""
        attrs = dict(attributes or {})
        with self._lock:
            record = self._pool({"UserPoolId": pool_id}).record
        internal = signup_username(record, username, attrs) or str(uuid.uuid4())
        if password is None:
            password = secrets.token_urlsafe(24)  # never revealed: the user cannot sign in yet
        else:
            check_password_policy(record.password_policy, password)
        salt, verifier = make_verifier(pool_id, internal, password)
        now = self._clock()
        sub = internal if record.username_attributes else str(uuid.uuid4())
        user = PoolUser(pool_id, internal, sub, salt, verifier, attrs, status, True, now, now)
        with self._lock:
            self._add_new_user(self._pool({"UserPoolId": pool_id}), user, username)
        return user

    def _set_password(self, pool_id: str, username: str, password: str, status: str) -> PoolUser:
        with self._lock:
            pool = self._pool({"UserPoolId": pool_id})
            user = self._user(pool, username)
        check_password_policy(pool.record.password_policy, password)
        salt, verifier = make_verifier(pool_id, user.username, password)
        with self._lock:
            user = self._user(pool, user.username)
            user.salt, user.verifier, user.status = salt, verifier, status
            user.modified = self._clock()
            self._put(user)
        return user

    def _describe_pool(self, pool: _Pool) -> dict[str, Any]:
        record = pool.record
        out: dict[str, Any] = {
            "Id": record.id,
            "Name": record.name,
            "Arn": f"arn:aws:cognito-idp:{record.id.split('_')[0]}:000000000000:userpool/{record.id}",
            "CreationDate": record.created,
            "LastModifiedDate": record.created,
            "Policies": {"PasswordPolicy": dict(record.password_policy)},
            "UsernameConfiguration": {"CaseSensitive": record.case_sensitive},
            "MfaConfiguration": "OFF",
            "EstimatedNumberOfUsers": len(pool.users),
        }
        if record.username_attributes:
            out["UsernameAttributes"] = list(record.username_attributes)
        if record.alias_attributes:
            out["AliasAttributes"] = list(record.alias_attributes)
        if record.device_configuration is not None:
            out["DeviceConfiguration"] = dict(record.device_configuration)
        return out

    def _create_user_pool(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        name = read_text(request, "PoolName", max_len=128)
        assert name is not None
        policies = request.get("Policies") or {}
        policy = policies.get("PasswordPolicy") if isinstance(policies, dict) else None
        if policy is not None and not isinstance(policy, dict):
            raise ServiceError("SerializationException", "Policies.PasswordPolicy: expected a map")
        if policy is not None:
            read_int(policy, "MinimumLength", 6, 99)
            for key in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"):
                read_bool(policy, key, False)
            policy = {**_NO_REQUIREMENTS, **policy}
        config = request.get("UsernameConfiguration") or {}
        case_sensitive = (
            read_bool(config, "CaseSensitive", True) if isinstance(config, dict) else True
        )
        devices = request.get("DeviceConfiguration")
        device_configuration = None
        if devices is not None:
            if not isinstance(devices, dict):
                raise ServiceError("SerializationException", "DeviceConfiguration: expected a map")
            device_configuration = {
                "ChallengeRequiredOnNewDevice": read_bool(
                    devices, "ChallengeRequiredOnNewDevice", False
                ),
                "DeviceOnlyRememberedOnUserPrompt": read_bool(
                    devices, "DeviceOnlyRememberedOnUserPrompt", False
                ),
            }
        record = self.create_pool(
            name,
            region=region,
            username_attributes=read_list(
                request, "UsernameAttributes", frozenset({"email", "phone_number"})
            ),
            alias_attributes=read_list(
                request,
                "AliasAttributes",
                frozenset({"email", "phone_number", "preferred_username"}),
            ),
            case_sensitive=case_sensitive,
            password_policy=policy,
            device_configuration=device_configuration,
        )
        with self._lock:
            return {"UserPool": self._describe_pool(self._pools[record.id])}

    def _describe_user_pool(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            return {"UserPool": self._describe_pool(self._pool(request))}

    @staticmethod
    def _describe_client(client: AppClient) -> dict[str, Any]:
        out: dict[str, Any] = {
            "UserPoolId": client.pool_id,
            "ClientName": client.name,
            "ClientId": client.id,
            "CreationDate": client.created,
            "LastModifiedDate": client.created,
            "ExplicitAuthFlows": list(client.explicit_auth_flows),
            "AccessTokenValidity": client.access_token_seconds // 60,
            "IdTokenValidity": client.id_token_seconds // 60,
            "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes"},
            "AuthSessionValidity": client.auth_session_minutes,
            "PreventUserExistenceErrors": client.prevent_user_existence_errors,
        }
        if client.secret is not None:
            out["ClientSecret"] = client.secret
        return out

    def _create_user_pool_client(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool_id = self._pool(request).record.id
        name = read_text(request, "ClientName", max_len=128)
        assert name is not None
        flows = read_list(request, "ExplicitAuthFlows", _ALLOW_FLOWS) or _DEFAULT_FLOWS
        prevent = request.get("PreventUserExistenceErrors", "LEGACY")
        if prevent not in ("LEGACY", "ENABLED"):
            raise ServiceError(
                "InvalidParameterException", "PreventUserExistenceErrors: LEGACY or ENABLED"
            )
        client = self.create_client(
            pool_id,
            name,
            secret=new_client_secret() if read_bool(request, "GenerateSecret", False) else None,
            explicit_auth_flows=flows,
            access_token_seconds=_token_seconds(request, "AccessTokenValidity", "AccessToken"),
            id_token_seconds=_token_seconds(request, "IdTokenValidity", "IdToken"),
            auth_session_minutes=read_int(request, "AuthSessionValidity", 3, 15) or 3,
            prevent_user_existence_errors=prevent,
        )
        return {"UserPoolClient": self._describe_client(client)}

    def _describe_user_pool_client(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool = self._pool(request)
            client = pool.clients.get(str(request.get("ClientId")))
            if client is None:
                raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
            return {"UserPoolClient": self._describe_client(client)}

    @staticmethod
    def _user_type(user: PoolUser, attributes_key: str) -> dict[str, Any]:
        attributes = [{"Name": "sub", "Value": user.sub}]
        attributes += [{"Name": k, "Value": v} for k, v in sorted(user.attributes.items())]
        return {
            "Username": user.username,
            attributes_key: attributes,
            "UserCreateDate": user.created,
            "UserLastModifiedDate": user.modified,
            "Enabled": user.enabled,
            "UserStatus": user.status,
        }

    def _admin_create_user(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool_id = self._pool(request).record.id
        username = read_text(request, "Username", max_len=128)
        assert username is not None
        temporary = read_text(request, "TemporaryPassword", required=False, max_len=256)
        user = self.add_user(
            pool_id,
            username,
            temporary,
            attributes=read_attributes(request),
            status="FORCE_CHANGE_PASSWORD",
        )
        return {"User": self._user_type(user, "Attributes")}

    def _admin_set_user_password(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool_id = self._pool(request).record.id
        username = read_text(request, "Username", max_len=128)
        password = read_text(request, "Password", max_len=256)
        assert username is not None and password is not None
        permanent = read_bool(request, "Permanent", False)
        self._set_password(
            pool_id, username, password, "CONFIRMED" if permanent else "FORCE_CHANGE_PASSWORD"
        )
        return {}

    def _admin_get_user(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        username = read_text(request, "Username", max_len=128)
        assert username is not None
        with self._lock:
            user = self._user(self._pool(request), username)
            return self._user_type(user, "UserAttributes")

    def _admin_confirm_sign_up(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        username = read_text(request, "Username", max_len=128)
        assert username is not None
        with self._lock:
            user = self._user(self._pool(request), username)
            if user.status != "UNCONFIRMED":
                raise ServiceError(
                    "NotAuthorizedException",
                    f"User cannot be confirmed. Current status is {user.status}",
                )
            user.status = "CONFIRMED"
            user.modified = self._clock()
            self._put(user)
        return {}

    def _sign_up(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool, client = self._client(request)
        username = read_text(request, "Username", max_len=128)
        password = read_text(request, "Password", max_len=256)
        assert username is not None and password is not None
        # The name first: Cognito validates its input before it checks the hash of it.
        checked_username(username, "Username")
        _check_secret_hash(client, username, request.get("SecretHash"))
        user = self.add_user(
            pool.record.id,
            username,
            password,
            attributes=read_attributes(request),
            status="UNCONFIRMED",
        )
        return {"UserConfirmed": False, "UserSub": user.sub}

    # -- sign-in --------------------------------------------------------------------------
    def _file(self, pending: _Pending) -> None:
        """Keep ``pending`` under its Session and SECRET_BLOCK until answered or expired."""
        now = self._clock()
        with self._lock:
            if len(self._sessions) >= _MAX_SESSIONS:
                for old in [p for p in self._sessions.values() if p.expires < now]:
                    self._unfile(old)
                while len(self._sessions) >= _MAX_SESSIONS:
                    self._unfile(next(iter(self._sessions.values())))
            for key in _keys(pending):
                self._sessions[key] = pending

    def _unfile(self, pending: _Pending) -> None:
        for key in _keys(pending):
            self._sessions.pop(key, None)

    def _challenge(
        self,
        name: str,
        params: dict[str, str],
        pending: _Pending,
        *,
        send_session: bool = True,
    ) -> dict[str, Any]:
        """The response asking ``name``; PASSWORD_VERIFIER goes without a Session, as Cognito's.

        A PASSWORD_VERIFIER that follows a SELECT_CHALLENGE keeps that step's Session
        as ``pending.session``, so a client that sends it back again is still matched.
        """
        if send_session:
            pending.session = secrets.token_urlsafe(96)
        pending.block = params.get("SECRET_BLOCK")
        self._file(pending)
        response: dict[str, Any] = {"ChallengeName": name, "ChallengeParameters": params}
        if send_session:
            response["Session"] = pending.session
        return response

    def _take_pending(self, session: str | None, responses: Mapping[str, str]) -> _Pending | None:
        """The sign-in an answer continues, removed (one answer per challenge, right or wrong).

        Found by the Session when one is sent, else by the SECRET_BLOCK the answer
        carries. A Session that names another sign-in than the block (or none) ends
        the block's sign-in too, and the answer is refused.
        """
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        with self._lock:
            by_block = self._sessions.get(_BLOCK_KEY + block) if block else None
            by_session = self._sessions.get(_SESSION_KEY + session) if session else None
            pending = by_session if session else by_block
            for found in (by_block, by_session):
                if found is not None:
                    self._unfile(found)
        if block and by_block is not pending:
            return None
        return pending

    def _pending(
        self, client: AppClient, username: str | None, challenge: str, **kw: Any
    ) -> _Pending:
        expires = self._clock() + 60 * client.auth_session_minutes
        return _Pending(client.id, username, challenge, expires, **kw)

    def _start_srp(
        self,
        pool: _Pool,
        client: AppClient,
        params: Mapping[str, str],
        selected_by: str | None = None,
        session: str | None = None,
    ) -> dict[str, Any]:
        """PASSWORD_VERIFIER for USERNAME and SRP_A (a decoy for unknown users if the client hides them).

        ``selected_by``: the user whose SELECT_CHALLENGE this answers (USERNAME must be
        theirs); ``session``: that step's Session, which the answer may carry again.
        """
        name = params.get("USERNAME")
        if not name:
            raise ServiceError("InvalidParameterException", "Missing required parameter USERNAME")
        if "SRP_A" not in params:
            raise ServiceError("InvalidParameterException", "Missing required parameter SRP_A")
        with self._lock:
            user = pool.find(name)
            # A snapshot: AdminSetUserPassword may replace salt and verifier meanwhile.
            found = None if user is None else (user.username, user.salt, user.verifier)
        if selected_by is not None and (found is None or found[0] != selected_by):
            raise ServiceError("NotAuthorizedException", _INVALID_SESSION)
        if found is not None:
            username, salt, verifier = found
        elif client.prevent_user_existence_errors == "ENABLED":
            username, (salt, verifier) = name, self._decoy(pool, name)
        else:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        aliases = () if name == username else (name,)
        server = _verified(
            client,
            lambda: ServerSRP(
                pool.record.id, username, salt, verifier, aliases=aliases, **_secret_args(client)
            ),
        )
        challenge = _verified(client, lambda: server.start(params))
        pending = self._pending(
            client,
            None if found is None else username,
            "PASSWORD_VERIFIER",
            server=server,
            names=aliases,
            device_key=params.get("DEVICE_KEY"),
            session=session,
        )
        return self._challenge("PASSWORD_VERIFIER", challenge, pending, send_session=False)

    @staticmethod
    def _decoy(pool: _Pool, name: str) -> tuple[str, str]:
        """A salt and verifier for a user that does not exist, the same at every attempt."""
        digest = hmac.new(
            bytes.fromhex(pool.record.decoy_key), pool.norm(name).encode("utf-8"), "sha256"
        ).digest()
        salt = int.from_bytes(digest[:16], "big")
        return java_hex(salt), java_hex(verifier_of(int.from_bytes(digest, "big")))

    def _initiate_auth(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool, client = self._client(request)
        flow = read_text(request, "AuthFlow", max_len=64)
        params = read_string_map(request, "AuthParameters")
        read_string_map(request, "ClientMetadata")
        if flow == "USER_SRP_AUTH":
            _require_flow(client, "ALLOW_USER_SRP_AUTH", flow)
            return self._start_srp(pool, client, params)
        if flow == "CUSTOM_AUTH":
            _require_flow(client, "ALLOW_CUSTOM_AUTH", flow)
            if params.get("CHALLENGE_NAME") != "SRP_A":
                raise ServiceError(
                    "InvalidParameterException",
                    "srpkit serve runs no Lambda triggers: CUSTOM_AUTH is supported only with "
                    "CHALLENGE_NAME=SRP_A",
                )
            return self._start_srp(pool, client, params)
        if flow == "USER_AUTH":
            _require_flow(client, "ALLOW_USER_AUTH", flow)
            if params.get("PREFERRED_CHALLENGE") == "PASSWORD_SRP":
                return self._start_srp(pool, client, params)
            name = params.get("USERNAME", "")
            with self._lock:
                user = pool.find(name)
            if user is None:
                raise ServiceError("UserNotFoundException", "User does not exist.")
            _check_secret_hash(client, name, params.get("SECRET_HASH"))
            response = self._challenge(
                "SELECT_CHALLENGE",
                {},
                self._pending(client, user.username, "SELECT_CHALLENGE"),
            )
            response["AvailableChallenges"] = ["PASSWORD_SRP"]
            return response
        raise ServiceError(
            "InvalidParameterException",
            f"AuthFlow {str(flow)[:64]!r} is not supported by srpkit serve "
            "(USER_SRP_AUTH, USER_AUTH with PASSWORD_SRP, CUSTOM_AUTH with SRP_A)",
        )

    def _respond_to_auth_challenge(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        with self._lock:
            pool, client = self._client(request)
        name = read_text(request, "ChallengeName", max_len=64)
        session = read_text(request, "Session", required=False, max_len=2048)
        responses = read_string_map(request, "ChallengeResponses")
        read_string_map(request, "ClientMetadata")
        pending = self._take_pending(session, responses)
        if pending is None or pending.client_id != client.id or pending.challenge != name:
            raise ServiceError("NotAuthorizedException", _INVALID_SESSION)
        if pending.expires < self._clock():
            raise ServiceError(
                "NotAuthorizedException", "Invalid session for the user, session is expired."
            )
        if name == "SELECT_CHALLENGE":
            if responses.get("ANSWER") != "PASSWORD_SRP":
                raise ServiceError(
                    "InvalidParameterException", "ANSWER: only PASSWORD_SRP is offered"
                )
            return self._start_srp(
                pool, client, responses, selected_by=pending.username, session=session
            )
        if name == "DEVICE_SRP_AUTH":
            return self._device_srp_auth(pool, client, pending, responses)
        if name == "NEW_PASSWORD_REQUIRED":
            return self._new_password(pool, client, pending, responses)
        server = pending.server
        assert server is not None
        _verified(client, lambda: server.verify(responses))
        if pending.username is None:  # a decoy: no password can be right  # pragma: no cover
            raise ServiceError("NotAuthorizedException", _NOT_AUTHORIZED)
        with self._lock:
            user = self._user(pool, pending.username)
        if name == "DEVICE_PASSWORD_VERIFIER":
            assert pending.device_key is not None
            with self._lock:
                device = pool.devices.get(pending.device_key)
                if device is not None:
                    device.last_authenticated = self._clock()
                    self._put(device)
            return {"AuthenticationResult": self._tokens(pool, client, user, pending.device_key)}
        if user.status == "UNCONFIRMED":
            raise ServiceError("UserNotConfirmedException", "User is not confirmed.")
        device_key = responses.get("DEVICE_KEY") or pending.device_key
        if user.status == "FORCE_CHANGE_PASSWORD":
            attributes = dict(user.attributes)
            return self._challenge(
                "NEW_PASSWORD_REQUIRED",
                {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": "[]",
                    "userAttributes": json.dumps(attributes),
                },
                self._pending(
                    client, user.username, "NEW_PASSWORD_REQUIRED", device_key=device_key
                ),
            )
        return self._signed_in(pool, client, user, device_key)

    def _signed_in(
        self, pool: _Pool, client: AppClient, user: PoolUser, device_key: str | None
    ) -> dict[str, Any]:
        """After the password: the device's challenge if it is remembered, else tokens."""
        with self._lock:
            device = pool.devices.get(device_key) if device_key else None
            remembered = (
                device is not None
                and device.username == user.username
                and device.verifier_config is not None
                and device.remembered
            )
        if remembered:
            return self._challenge(
                "DEVICE_SRP_AUTH",
                {},
                self._pending(client, user.username, "DEVICE_SRP_AUTH", device_key=device_key),
            )
        new_device = self._new_device(pool, user) if pool.record.device_configuration else None
        result = self._tokens(pool, client, user, new_device.key if new_device else None)
        if new_device is not None:
            result["NewDeviceMetadata"] = {
                "DeviceKey": new_device.key,
                "DeviceGroupKey": new_device.group_key,
            }
        return {"AuthenticationResult": result}

    def _new_device(self, pool: _Pool, user: PoolUser) -> Device:
        device = Device(
            pool.record.id,
            user.username,
            f"{pool.record.id.split('_')[0]}_{uuid.uuid4()}",
            "-" + secrets.token_urlsafe(7),
            self._clock(),
        )
        with self._lock:
            pending = [d for d in pool.devices_of(user.username) if d.verifier_config is None]
            for old in pending[: max(0, len(pending) - _MAX_UNCONFIRMED_DEVICES + 1)]:
                pool.remove_device(old)
                self._store.delete(old)
            pool.add_device(device)
            self._put(device)
        return device

    def _device_srp_auth(
        self, pool: _Pool, client: AppClient, pending: _Pending, responses: Mapping[str, str]
    ) -> dict[str, Any]:
        assert pending.username is not None and pending.device_key is not None
        if responses.get("DEVICE_KEY") != pending.device_key:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        with self._lock:
            device = pool.devices.get(pending.device_key)
        if device is None or device.verifier_config is None:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        names = {pending.username, *pending.names} - {device.username}
        config = device.verifier_config
        server = _verified(
            client,
            lambda: DeviceServerSRP(
                device.username,
                device.group_key,
                device.key,
                config,
                aliases=names,
                **_secret_args(client),
            ),
        )
        challenge = _verified(client, lambda: server.start(responses))
        return self._challenge(
            "DEVICE_PASSWORD_VERIFIER",
            challenge,
            self._pending(
                client,
                pending.username,
                "DEVICE_PASSWORD_VERIFIER",
                server=server,
                device_key=device.key,
            ),
        )

    def _new_password(
        self, pool: _Pool, client: AppClient, pending: _Pending, responses: Mapping[str, str]
    ) -> dict[str, Any]:
        assert pending.username is not None
        password = responses.get("NEW_PASSWORD")
        if password is None:
            raise ServiceError(
                "InvalidParameterException", "Missing required parameter NEW_PASSWORD"
            )
        name = responses.get("USERNAME", "")
        with self._lock:
            user = pool.find(name)
        if user is None or user.username != pending.username:
            raise ServiceError("NotAuthorizedException", _INVALID_SESSION)
        _check_secret_hash(client, name, responses.get("SECRET_HASH"))
        user = self._set_password(pool.record.id, user.username, password, "CONFIRMED")
        return self._signed_in(pool, client, user, pending.device_key)

    def _tokens(
        self, pool: _Pool, client: AppClient, user: PoolUser, device_key: str | None
    ) -> dict[str, Any]:
        now = int(self._clock())
        common = {
            "sub": user.sub,
            "iss": self.issuer(pool.record.id),
            "event_id": str(uuid.uuid4()),
            "auth_time": now,
            "iat": now,
        }
        claims_id: dict[str, Any] = {
            **{
                k: v == "true" if k.endswith("_verified") else v for k, v in user.attributes.items()
            },
            **common,
            "cognito:username": user.username,
            "aud": client.id,
            "token_use": "id",
            "exp": now + client.id_token_seconds,
            "jti": str(uuid.uuid4()),
        }
        claims_access: dict[str, Any] = {
            **common,
            "client_id": client.id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "exp": now + client.access_token_seconds,
            "jti": str(uuid.uuid4()),
            "username": user.username,
        }
        if self._revocable:
            claims_id["origin_jti"] = claims_access["origin_jti"] = str(uuid.uuid4())
        if device_key is not None:
            claims_access["device_key"] = device_key
        return {
            "AccessToken": pool.key.sign(claims_access),
            "ExpiresIn": client.access_token_seconds,
            "TokenType": "Bearer",
            # Opaque: srpkit serve has no REFRESH_TOKEN_AUTH.
            "RefreshToken": secrets.token_urlsafe(64),
            "IdToken": pool.key.sign(claims_id),
        }

    # -- devices (with an access token) -------------------------------------------------
    def _token_user(self, request: Mapping[str, Any]) -> tuple[_Pool, PoolUser]:
        token = read_text(request, "AccessToken", max_len=MAX_TOKEN_CHARS)
        claims = unverified_claims(token)
        issuer = claims.get("iss") if claims else None
        pool_id = issuer.rsplit("/", 1)[-1] if isinstance(issuer, str) else ""
        with self._lock:
            pool = self._pools.get(pool_id)
        verified = pool.key.verify(token) if pool is not None else None
        if pool is None or verified is None or verified.get("token_use") != "access":
            raise ServiceError("NotAuthorizedException", _INVALID_TOKEN)
        exp = verified.get("exp")
        if not isinstance(exp, (int, float)) or exp <= self._clock():
            raise ServiceError("NotAuthorizedException", "Access Token has expired")
        with self._lock:
            user = pool.find(str(verified.get("username")))
        if user is None or user.sub != verified.get("sub"):
            raise ServiceError("NotAuthorizedException", _INVALID_TOKEN)
        return pool, user

    def _device(self, pool: _Pool, user: PoolUser, request: Mapping[str, Any]) -> Device:
        key = read_text(request, "DeviceKey", max_len=55)
        device = pool.devices.get(str(key))
        if device is None or device.username != user.username:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        return device

    def _confirm_device(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        pool, user = self._token_user(request)
        with self._lock:
            device = self._device(pool, user, request)
        config = request.get("DeviceSecretVerifierConfig")
        if not isinstance(config, dict):
            raise ServiceError(
                "InvalidParameterException", "DeviceSecretVerifierConfig is required."
            )
        name = read_text(request, "DeviceName", required=False, max_len=1024)
        # Checked now, as Cognito does, rather than at the device's next sign-in; a bad
        # config is InvalidParameterException through handle()'s translation.
        DeviceServerSRP(user.username, device.group_key, device.key, config)
        prompt = bool(
            (pool.record.device_configuration or {}).get("DeviceOnlyRememberedOnUserPrompt")
        )
        with self._lock:
            # Again under the lock: a ForgetDevice meanwhile must not be undone by the write.
            device = self._device(pool, user, request)
            device.verifier_config = {
                "PasswordVerifier": config["PasswordVerifier"],
                "Salt": config["Salt"],
            }
            device.name = name
            device.remembered = not prompt
            self._put(device)
        return {"UserConfirmationNecessary": prompt}

    def _update_device_status(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        pool, user = self._token_user(request)
        status = request.get("DeviceRememberedStatus")
        if status not in ("remembered", "not_remembered"):
            raise ServiceError(
                "InvalidParameterException",
                "DeviceRememberedStatus: remembered or not_remembered",
            )
        with self._lock:
            device = self._device(pool, user, request)
            device.remembered = status == "remembered"
            self._put(device)
        return {}

    def _forget_device(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        pool, user = self._token_user(request)
        with self._lock:
            device = self._device(pool, user, request)
            pool.remove_device(device)
            self._store.delete(device)
        return {}

    def _revoke_token(self, request: Mapping[str, Any], region: str) -> dict[str, Any]:
        # Refresh tokens are opaque and unused here: revoking one (as Amplify's signOut
        # does) only needs the client, and its secret when it has one.
        with self._lock:
            _, client = self._client(request)
        read_text(request, "Token", max_len=MAX_TOKEN_CHARS)
        given = request.get("ClientSecret")
        # Bytes: compare_digest refuses non-ASCII str; surrogatepass keeps the encoding total
        # and one-to-one, so only the secret itself matches.
        if client.secret is not None and not (
            isinstance(given, str)
            and hmac.compare_digest(
                given.encode("utf-8", "surrogatepass"),
                client.secret.encode("utf-8", "surrogatepass"),
            )
        ):
            raise ServiceError("NotAuthorizedException", "Client secret is missing or wrong.")
        return {}


_SESSION_KEY = "Session:"
_BLOCK_KEY = "SECRET_BLOCK:"


def _keys(pending: _Pending) -> list[str]:
    keys = [] if pending.session is None else [_SESSION_KEY + pending.session]
    return keys if pending.block is None else [*keys, _BLOCK_KEY + pending.block]


def _require_flow(client: AppClient, allow: str, flow: str) -> None:
    if allow not in client.explicit_auth_flows:
        raise ServiceError("InvalidParameterException", f"{flow} flow not enabled for this client")


def _secret_args(client: AppClient) -> dict[str, Any]:
    return {} if client.secret is None else {"client_id": client.id, "client_secret": client.secret}


def _secret_hash_refusal(client: AppClient, missing: bool) -> str:
    if missing:
        return f"Client {client.id} is configured with secret but SECRET_HASH was not received"
    return f"Unable to verify secret hash for client {client.id}"


def _check_secret_hash(client: AppClient, username: str, given: object) -> None:
    """SECRET_HASH of calls that carry no SRP (ServerSRP checks the others)."""
    if client.secret is None:
        return
    if given is None:
        raise ServiceError("NotAuthorizedException", _secret_hash_refusal(client, True))
    expected = secret_hash(username, client.id, client.secret)
    if not isinstance(given, str) or not hmac.compare_digest(
        given.encode("utf-8", "replace"), expected.encode("ascii")
    ):
        raise ServiceError("NotAuthorizedException", _secret_hash_refusal(client, False))


_T = TypeVar("_T")


def _verified(client: AppClient, step: Callable[[], _T]) -> _T:
    """Run an SRP step, answering its refusals as Cognito does (keeping srpkit's reason)."""
    try:
        return step()
    except SRPKitError as exc:
        raise _service_error(exc, client) from None


def _service_error(exc: SRPKitError, client: AppClient | None = None) -> ServiceError:
    """What Cognito answers for an srpkit refusal: a failed check is NotAuthorizedException.

    A malformed message or any other bad value is InvalidParameterException.
    """
    if not isinstance(exc, VerificationError):
        return ServiceError("InvalidParameterException", str(exc))
    if exc.reason == "malformed":
        return ServiceError("InvalidParameterException", str(exc), exc)
    message = _NOT_AUTHORIZED
    if exc.reason == "secret_hash" and client is not None:
        missing = "SECRET_HASH" not in exc.fields or "missing" in str(exc)
        message = _secret_hash_refusal(client, missing)
    return ServiceError("NotAuthorizedException", message, exc)


class UserPool:
    """One pool with one app client (optionally with a secret), for ``srpkit demo`` and tests.

    A view of a ``CognitoService``: device tracking "Always" (every device is
    remembered at ConfirmDevice), a lenient password policy, aliases as
    verified email / phone / preferred_username. ``handle`` answers only the
    sign-in calls.
    """

    _SIGN_IN = frozenset(
        {
            "InitiateAuth",
            "RespondToAuthChallenge",
            "ConfirmDevice",
            "UpdateDeviceStatus",
            "ForgetDevice",
            "RevokeToken",
        }
    )

    def __init__(self, pool_id: str, client_id: str, *, client_secret: str | None = None) -> None:
        self.pool_id = pool_id
        self.client_id = client_id
        # Tokens without origin_jti: Amplify's sign-out then revokes nothing, and the
        # calls a client makes are exactly its sign-in's.
        self.service = CognitoService(revocable=False)
        self.service.create_pool(
            "srpkit",
            pool_id=pool_id,
            alias_attributes=("email", "phone_number", "preferred_username"),
            password_policy=_LENIENT_POLICY,
            device_configuration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
        )
        self.service.create_client(
            pool_id,
            "srpkit",
            client_id=client_id,
            secret=client_secret,
            explicit_auth_flows=tuple(sorted(_ALLOW_FLOWS)),
        )

    def __repr__(self) -> str:
        return f"UserPool(pool_id={self.pool_id!r}, client_id={self.client_id!r})"

    def add_user(self, username: str, password: str, *, aliases: tuple[str, ...] = ()) -> PoolUser:
        """Create a confirmed user; the pool keeps only the salt and verifier.

        Each alias becomes a verified email (with '@'), phone number (starting
        with '+') or preferred_username.
        """
        attributes: dict[str, str] = {}
        for alias in aliases:
            if "@" in alias:
                attributes.update(email=alias, email_verified="true")
            elif alias.startswith("+"):
                attributes.update(phone_number=alias, phone_number_verified="true")
            else:
                attributes["preferred_username"] = alias
        return self.service.add_user(self.pool_id, username, password, attributes=attributes)

    def handle(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Answer one sign-in API call (``operation`` as in X-Amz-Target) or raise ServiceError."""
        if operation not in self._SIGN_IN:
            raise ServiceError("InvalidAction", f"{operation} is not supported by this pool")
        return self.service.handle(operation, request)
