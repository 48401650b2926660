"""A Cognito-compatible user pool service over ``srpkit.server``, and the one-pool view ``srpkit demo`` uses.

``CognitoService`` answers API calls (operation name as in X-Amz-Target,
request and response as Cognito's JSON) for any number of pools
(``operations`` lists them all):

- Pools and app clients: CreateUserPool, DescribeUserPool, ListUserPools,
  DeleteUserPool; CreateUserPoolClient, DescribeUserPoolClient,
  UpdateUserPoolClient (token lifetimes, RefreshTokenRotation),
  ListUserPoolClients, DeleteUserPoolClient; SetUserPoolMfaConfig,
  GetUserPoolMfaConfig.
- Users: SignUp, AdminConfirmSignUp, AdminCreateUser, AdminSetUserPassword,
  AdminGetUser, ListUsers (Filter), AdminUpdateUserAttributes,
  AdminDeleteUser, AdminDisableUser / AdminEnableUser,
  AdminListGroupsForUser; with an access token GetUser and
  UpdateUserAttributes.
- Sign-in: InitiateAuth and AdminInitiateAuth (USER_SRP_AUTH, USER_AUTH with
  PASSWORD_SRP, CUSTOM_AUTH with SRP_A, USER_PASSWORD_AUTH,
  ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, REFRESH_TOKEN_AUTH),
  RespondToAuthChallenge and AdminRespondToAuthChallenge (PASSWORD_VERIFIER,
  DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED,
  SELECT_CHALLENGE, SOFTWARE_TOKEN_MFA, MFA_SETUP), GetTokensFromRefreshToken.
- MFA (TOTP, RFC 6238): AssociateSoftwareToken, VerifySoftwareToken,
  SetUserMFAPreference, AdminSetUserMFAPreference.
- Devices: ConfirmDevice, UpdateDeviceStatus, ForgetDevice, ListDevices,
  GetDevice, AdminListDevices, AdminGetDevice, AdminForgetDevice.
- Sessions: RevokeToken, GlobalSignOut, AdminUserGlobalSignOut.

Signatures, SECRET_HASH and TOTP codes are really checked; tokens are RS256
JWTs with Cognito's claims, and refresh tokens are kept only as digests
(``grants``). ``srpkit serve`` puts it behind HTTP.

It is thread-safe: one lock guards the state, and the big arithmetic (SRP,
RSA) runs outside it. There are no Lambda triggers: CUSTOM_AUTH with SRP_A
issues tokens once the password is verified, as a DefineAuthChallenge that
asks nothing more would.

This module only routes: each operation lives in the module named for what it
does (``pools``, ``users``, ``admin``, ``userinfo``, ``signin``, ``refresh``,
``mfa``, ``devices``, ``issuing``, ``signout``), around the state they share
(``context``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from .._core.errors import SRPKitError
from . import admin, devices, issuing, mfa, pools, refresh, signin, signout, userinfo, users
from .context import Context, Request, Response
from .refusals import service_error
from .state import AppClient, MemoryStore, PoolRecord, PoolUser, Store
from .wire import ServiceError, check_request_text

__all__ = ["CognitoService", "PoolUser", "ServiceError", "UserPool"]

_Handler = Callable[[Context, Request, str], Response]
_OPERATIONS: Mapping[str, _Handler] = {
    "CreateUserPool": pools.create_user_pool,
    "DescribeUserPool": pools.describe_user_pool,
    "CreateUserPoolClient": pools.create_user_pool_client,
    "DescribeUserPoolClient": pools.describe_user_pool_client,
    "AdminCreateUser": users.admin_create_user,
    "AdminSetUserPassword": users.admin_set_user_password,
    "AdminGetUser": users.admin_get_user,
    "AdminConfirmSignUp": users.admin_confirm_sign_up,
    "SignUp": users.sign_up,
    "InitiateAuth": signin.initiate_auth,
    "RespondToAuthChallenge": signin.respond_to_auth_challenge,
    "ConfirmDevice": devices.confirm_device,
    "UpdateDeviceStatus": devices.update_device_status,
    "ForgetDevice": devices.forget_device,
    "RevokeToken": issuing.revoke_token,
    "GetUser": userinfo.get_user,
    # users, devices, pools (#15, second half)
    "UpdateUserAttributes": userinfo.update_user_attributes,
    "ListUsers": admin.list_users,
    "AdminDeleteUser": admin.admin_delete_user,
    "AdminDisableUser": admin.admin_disable_user,
    "AdminEnableUser": admin.admin_enable_user,
    "AdminUpdateUserAttributes": admin.admin_update_user_attributes,
    "AdminListGroupsForUser": admin.admin_list_groups_for_user,
    "ListDevices": devices.list_devices,
    "GetDevice": devices.get_device,
    "AdminListDevices": devices.admin_list_devices,
    "AdminGetDevice": devices.admin_get_device,
    "AdminForgetDevice": devices.admin_forget_device,
    "ListUserPools": pools.list_user_pools,
    "ListUserPoolClients": pools.list_user_pool_clients,
    "DeleteUserPool": pools.delete_user_pool,
    "UpdateUserPoolClient": pools.update_user_pool_client,
    "DeleteUserPoolClient": pools.delete_user_pool_client,
    # sign-in, refresh, sign-out and MFA (#15, first half)
    "AdminInitiateAuth": signin.admin_initiate_auth,
    "AdminRespondToAuthChallenge": signin.admin_respond_to_auth_challenge,
    "GetTokensFromRefreshToken": refresh.get_tokens_from_refresh_token,
    "GlobalSignOut": signout.global_sign_out,
    "AdminUserGlobalSignOut": signout.admin_user_global_sign_out,
    "AssociateSoftwareToken": mfa.associate_software_token,
    "VerifySoftwareToken": mfa.verify_software_token,
    "SetUserMFAPreference": mfa.set_user_mfa_preference,
    "AdminSetUserMFAPreference": mfa.admin_set_user_mfa_preference,
    "SetUserPoolMfaConfig": mfa.set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": mfa.get_user_pool_mfa_config,
}
_LENIENT_POLICY = {**pools.NO_REQUIREMENTS, "MinimumLength": 6}


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
        self.region = region
        # Per instance, so that a test can stand one handler in for another.
        self._operations = _OPERATIONS
        self._context = Context(
            store or MemoryStore(), clock=clock, revocable=revocable, issuer_base=issuer_base
        )

    def __repr__(self) -> str:
        return (
            f"CognitoService(pools={len(self._context.pools)}, {self._context.store.description})"
        )

    @property
    def issuer_base(self) -> str | None:
        """The URL tokens name as their issuer (None: Cognito's own); ``srpkit serve`` sets it."""
        return self._context.issuer_base

    @issuer_base.setter
    def issuer_base(self, value: str | None) -> None:
        self._context.issuer_base = value

    @property
    def operations(self) -> frozenset[str]:
        """The API operations this service answers."""
        return frozenset(self._operations)

    def close(self) -> None:
        """Release the store (the state stays in it)."""
        with self._context.lock:
            self._context.store.close()

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
            return handler(self._context, request, region or self.region)
        except SRPKitError as exc:
            # A check of srpkit's own that an operation did not translate: still the
            # caller's bad input, so an AWS-shaped answer rather than a 500.
            raise service_error(exc) from None

    def jwks(self, pool_id: str) -> dict[str, Any] | None:
        """The pool's JSON Web Key Set (None for an unknown pool)."""
        with self._context.lock:
            pool = self._context.pools.get(pool_id)
        return None if pool is None else {"keys": [pool.key.jwk()]}

    def issuer(self, pool_id: str) -> str:
        """The ``iss`` of the pool's tokens."""
        return self._context.issuer(pool_id)

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
        return pools.create_pool(
            self._context,
            name,
            region=region or self.region,
            pool_id=pool_id,
            username_attributes=username_attributes,
            alias_attributes=alias_attributes,
            case_sensitive=case_sensitive,
            password_policy=password_policy,
            device_configuration=device_configuration,
        )

    def create_client(
        self,
        pool_id: str,
        name: str,
        *,
        client_id: str | None = None,
        secret: str | None = None,
        explicit_auth_flows: tuple[str, ...] = pools.DEFAULT_FLOWS,
        access_token_seconds: int = 3600,
        id_token_seconds: int = 3600,
        auth_session_minutes: int = 3,
        prevent_user_existence_errors: str = "LEGACY",
    ) -> AppClient:
        """Create an app client of ``pool_id`` (a fresh id unless ``client_id`` is given)."""
        return pools.create_client(
            self._context,
            pool_id,
            name,
            client_id=client_id,
            secret=secret,
            explicit_auth_flows=explicit_auth_flows,
            access_token_seconds=access_token_seconds,
            id_token_seconds=id_token_seconds,
            auth_session_minutes=auth_session_minutes,
            prevent_user_existence_errors=prevent_user_existence_errors,
        )

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
        return users.add_user(
            self._context, pool_id, username, password, attributes=attributes, status=status
        )


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
            explicit_auth_flows=tuple(sorted(pools.ALLOW_FLOWS)),
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
