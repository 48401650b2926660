"""Fuzzing ``srpkit serve``: every request gets a response or an AWS-shaped error, and only right answers sign in.

The service (``CognitoService.handle``) gets every operation with fields that
are valid, junk of every JSON type, or absent; the HTTP endpoint gets fuzzed
bodies and headers. The only acceptable failures are ``ServiceError`` with one
of the codes Cognito documents (an HTTP 4xx with ``__type``), never a crash (a
500) or a dropped connection; and a PASSWORD_VERIFIER answer yields tokens
only if it is the right one. A crash found and reported but not yet fixed is
pinned by a strict-xfail reproducer and listed in KNOWN_CRASHES, which the
fuzzers let through (so that any new one fails); the reproducers of the crashes
since fixed stay at the end as regression tests.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import threading
import traceback
from collections.abc import Iterator, Mapping
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_fuzz import _MISSING, TALLY, build_map, counted, fuzz_tally, st_any_text, st_json

from srpkit import InvalidInputError, SRPKitError, UserSRP, VerificationError, secret_hash
from srpkit.endpoint.http import MAX_BODY_BYTES, serve_in_thread
from srpkit.endpoint.service import CognitoService, ServiceError
from srpkit.endpoint.state import SQLiteStore, StateFileError
from srpkit.endpoint.tokens import SigningKey

__all__ = ["fuzz_tally"]  # the fixture that puts the case count in the summary

PASSWORD = "Fuzz-Pa55word!"
# The codes a Cognito API call can fail with that srpkit serve uses.
DOCUMENTED_CODES = frozenset(
    {
        "AliasExistsException",
        "CodeMismatchException",
        "EnableSoftwareTokenMFAException",
        "InvalidParameterException",
        "InvalidPasswordException",
        "NotAuthorizedException",
        "ResourceNotFoundException",
        "SerializationException",
        "SoftwareTokenMFANotFoundException",
        "TooManyRequestsException",
        "UnknownOperationException",
        "UserNotConfirmedException",
        "UserNotFoundException",
        "UsernameExistsException",
    }
)
# Crashes reported but not yet fixed, each pinned by a strict-xfail reproducer (none now):
# (exception type, the innermost function of srpkit serve's own modules, a field the
# error names or None) -> reproducer.
KNOWN_CRASHES: dict[tuple[str, str, str | None], str] = {}
_ENDPOINT_DIR = f"{os.sep}srpkit{os.sep}endpoint{os.sep}"


def crash_signature(exc: BaseException) -> tuple[str, str, str | None]:
    """(type, innermost srpkit serve function, the field named) of an unexpected exception."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _ENDPOINT_DIR in f.filename]
    where = frames[-1].name if frames else "?"
    fields = exc.fields if isinstance(exc, SRPKitError) else ()
    field = next((f for f in fields if f in ("password", "username")), None)
    return type(exc).__name__, where, field


def known_crash(exc: BaseException) -> str | None:
    """The reproducer of an already reported crash, or None for a new one."""
    return KNOWN_CRASHES.get(crash_signature(exc))


def handled(service: CognitoService, operation: str, request: Any) -> Any:
    """``service.handle``'s response or ServiceError; a known crash returns its reproducer's name."""
    try:
        return service.handle(operation, request)
    except ServiceError as exc:
        assert exc.code in DOCUMENTED_CODES, exc.code
        assert exc.message
        return exc
    except Exception as exc:
        known = known_crash(exc)
        if known is None:
            raise
        TALLY.known_crash(known)
        return known


# ---------------------------------------------------------------- a service with some state


class World:
    """A service with two pools, app clients, users in every status, sessions and their tokens.

    The destructive calls (DeleteUserPool, DeleteUserPoolClient, UpdateUserPoolClient,
    GlobalSignOut, AdminDeleteUser / AdminDisableUser ...) get their own pools, clients,
    user and token, so they do not take from the other calls the state they reach deep with.
    """

    def __init__(self) -> None:
        self.service = CognitoService()
        s = self.service
        self.pool = s.create_pool(
            "fuzz",
            alias_attributes=("email", "preferred_username"),
            device_configuration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
        ).id
        self.email_pool = s.create_pool("fuzz-email", username_attributes=("email",)).id
        flows = ("ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_CUSTOM_AUTH")
        # The main pool's clients also take the password and refresh flows (and the admin ones).
        main_flows = (
            *flows,
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        )
        self.plain = s.create_client(self.pool, "plain", explicit_auth_flows=main_flows).id
        secret = s.create_client(
            self.pool,
            "secret",
            secret="fuzz-client-secret",
            explicit_auth_flows=main_flows,
            prevent_user_existence_errors="ENABLED",
        )
        self.secret_client, self.client_secret = secret.id, "fuzz-client-secret"
        self.email_client = s.create_client(self.email_pool, "email", explicit_auth_flows=flows).id
        s.add_user(
            self.pool,
            "alice",
            PASSWORD,
            attributes={"email": "alice@example.com", "email_verified": "true"},
        )
        s.add_user(self.pool, "bob", PASSWORD, status="FORCE_CHANGE_PASSWORD")
        s.add_user(self.pool, "carol", PASSWORD, status="UNCONFIRMED")
        self.sub = s.add_user(self.email_pool, "dave@example.com", PASSWORD).username
        self.access_token, self.refresh_token, self.device = self._sign_in("alice")
        s.add_user(self.pool, "erin", PASSWORD)
        self.doomed_token = self._sign_in("erin")[0]
        self.scratch_client = s.create_client(self.pool, "scratch", explicit_auth_flows=flows).id
        # A pool the fuzzed calls never name (they could change alice's password there).
        self.quiet_pool = s.create_pool("quiet", alias_attributes=("email",)).id
        self.quiet_plain = s.create_client(self.quiet_pool, "plain", explicit_auth_flows=flows).id
        self.quiet_secret = s.create_client(
            self.quiet_pool, "secret", secret=self.client_secret, explicit_auth_flows=flows
        ).id
        s.add_user(
            self.quiet_pool,
            "alice",
            PASSWORD,
            attributes={"email": "alice@example.com", "email_verified": "true"},
        )

    def new_pool(self) -> str:
        """A fresh pool (for DeleteUserPool)."""
        return self.service.create_pool("doomed").id

    def new_client(self) -> str:
        """A fresh app client of the main pool (for DeleteUserPoolClient)."""
        return self.service.create_client(self.pool, "doomed").id

    def _sign_in(self, username: str) -> tuple[str, str, dict[str, str]]:
        client = UserSRP(self.pool, self.plain, username, PASSWORD)
        step = self.service.handle(
            "InitiateAuth",
            {
                "ClientId": self.plain,
                "AuthFlow": "USER_SRP_AUTH",
                "AuthParameters": client.auth_parameters(),
            },
        )
        done = self.service.handle(
            "RespondToAuthChallenge",
            {
                "ClientId": self.plain,
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": client.process_challenge(step["ChallengeParameters"]),
            },
        )
        result = done["AuthenticationResult"]
        return result["AccessToken"], result["RefreshToken"], dict(result["NewDeviceMetadata"])


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """The fuzzed service; new pools reuse one RSA key (generating one per pool is slow)."""
    key = SigningKey.generate()
    with mock.patch.object(SigningKey, "generate", classmethod(lambda cls: key)):
        yield World()


_WORLD: list[World] = []


def the_world() -> World:
    """The World of the running module (strategies are built before fixtures run)."""
    return _WORLD[-1]


@pytest.fixture(scope="module", autouse=True)
def _register_world(world: World) -> None:
    _WORLD.append(world)


# ---------------------------------------------------------------- strategies

st_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 100_000), st.floats(), st_any_text
)
st_value = st.one_of(st_json_leaf, st_json)


def st_usually(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A request member: ``valid`` six times in eight, else any JSON value or absent.

    Mostly valid, so that most calls get past their first check and reach the deeper ones.
    """
    # An index, not one_of(valid, valid, ...): one_of would not weigh repeated branches.
    return st.integers(0, 7).flatmap(
        lambda k: valid if k < 6 else st_value if k == 6 else st.just(_MISSING)
    )


def st_field(*valid: Any) -> st.SearchStrategy[Any]:
    """A request member: one of ``valid`` usually, else any JSON value or absent."""
    return st_usually(st.sampled_from(valid) if valid else st_value)


def st_member(*valid: str) -> st.SearchStrategy[Any]:
    """A member of a string map (AuthParameters, ChallengeResponses): usually valid, else any text."""
    return st.integers(0, 7).flatmap(
        lambda k: st.sampled_from(valid) if k < 6 else st_any_text if k == 6 else st.just(_MISSING)
    )


def st_object(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object with these members (those drawn absent left out)."""
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not _MISSING}
    )


def st_world_field(name: str) -> st.SearchStrategy[Any]:
    """A member whose valid value comes from the World (drawn lazily: the World exists by then)."""
    return st_usually(st.just(name).map(lambda n: getattr(the_world(), n)))


st_srp_a = st.sampled_from(
    ["abc123", "0", "f" * 1025, format(2**3072, "x"), "-5", "zz", format(2**2000 + 7, "x")]
)
st_names = st.sampled_from(
    ["alice", "ALICE", "bob", "carol", "alice@example.com", "nobody", "a b", "", "dave@example.com"]
)
st_password = st.sampled_from(
    [PASSWORD, "short", "x" * 300, "NoDigits!!", "Aa1!Aa1!\u00e9", "Aa1!" * 3 + "\ud800"]
)
st_flows = st.sampled_from(
    ["USER_SRP_AUTH", "USER_AUTH", "CUSTOM_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
)
st_auth_parameters = st_usually(
    st.builds(
        build_map,
        st.fixed_dictionaries(
            {
                "USERNAME": st_member("alice", "alice@example.com", "nobody", "bob", "carol"),
                "SRP_A": st.one_of(st_srp_a, st_srp_a, st_srp_a, st.just(_MISSING)),
                "SECRET_HASH": st_member("x", secret_hash("alice", "fuzzclient", "s")),
                "DEVICE_KEY": st_member("us-east-1_00000000-0000-4000-8000-000000000000"),
                "CHALLENGE_NAME": st_member("SRP_A"),
                "PREFERRED_CHALLENGE": st_member("PASSWORD_SRP", "EMAIL_OTP"),
                "PASSWORD": st_member(PASSWORD, "wrong"),
                "REFRESH_TOKEN": st.one_of(st_world_field("refresh_token"), st_member("r")),
            }
        ),
        st.dictionaries(st.text(max_size=8), st_any_text, max_size=2),
    )
)
st_responses = st_usually(
    st.builds(
        build_map,
        st.fixed_dictionaries(
            {
                "USERNAME": st_member("alice", "bob", "nobody"),
                "ANSWER": st_member("PASSWORD_SRP", "SMS_OTP"),
                "SRP_A": st.one_of(st_srp_a, st_srp_a, st_srp_a, st.just(_MISSING)),
                "NEW_PASSWORD": st.one_of(st_password, st.just(_MISSING)),
                "PASSWORD_CLAIM_SIGNATURE": st_member("AAAA"),
                "PASSWORD_CLAIM_SECRET_BLOCK": st_member("QUJD"),
                "TIMESTAMP": st_member("Thu Sep 5 07:08:09 UTC 2024"),
                "DEVICE_KEY": st_member("x"),
            }
        ),
        st.dictionaries(st.text(max_size=8), st_any_text, max_size=2),
    )
)
st_verifier_config = st.one_of(
    st_object({"PasswordVerifier": st_field("AAAA", "AQ==" * 3), "Salt": st_field("AAAA", "")}),
    st_value,
)
st_policy = st.one_of(
    st_object(
        {
            "PasswordPolicy": st.one_of(
                st_object(
                    {
                        "MinimumLength": st_field(6, 8, 99, 100, 5),
                        "RequireUppercase": st_field(True, False),
                        "RequireSymbols": st_field(True, False),
                    }
                ),
                st_value,
            )
        }
    ),
    st_value,
)
st_attributes = st.one_of(
    st.lists(
        st_object(
            {
                "Name": st_field(
                    "email",
                    "email_verified",
                    "sub",
                    "custom:x",
                    "custom:colour",
                    "nope",
                    "phone_number",
                ),
                "Value": st_field("x@example.com", "true", "maybe", "+15555550100"),
            }
        ),
        max_size=3,
    ),
    st_value,
)

st_access_token = st.one_of(
    st_world_field("access_token"),
    st.just("x.eyJpc3MiOiJ4In0.y"),
    st.builds(
        lambda t: t[:-5] + "AAAAA",
        st_world_field("access_token").filter(lambda t: isinstance(t, str)),
    ),
)
st_device_key = st.one_of(
    st.just("device").map(lambda _: the_world().device["DeviceKey"]),
    st_field("us-east-1_00000000-0000-4000-8000-000000000000"),
)
st_limit = st_field(0, 1, 60, 61)
# A page token is mostly absent: one the service never issued is refused before the page.
st_page_token = st.one_of(st.just(_MISSING), st.just(_MISSING), st_field("alice", "x"))
# Usernames the destructive admin calls may take: never alice, whose session the others use.
st_doomed_names = st_usually(st.sampled_from(["erin", "bob", "carol", "nobody", "ALICE", ""]))
st_validity_units = st.one_of(
    st_object(
        {
            "AccessToken": st_field("minutes", "hours", "days", "weeks"),
            "IdToken": st_field("seconds"),
            "RefreshToken": st_field("days", "minutes", "seconds"),
        }
    ),
    st_value,
)
st_rotation = st.one_of(
    st.just(_MISSING),
    st_object(
        {
            "Feature": st_field("ENABLED", "DISABLED", "MAYBE"),
            "RetryGracePeriodSeconds": st_field(0, 60, 61),
        }
    ),
    st_value,
)
st_mfa_settings = st.one_of(
    st.just(_MISSING),
    st_object({"Enabled": st_field(True, False), "PreferredMfa": st_field(True, False)}),
    st_value,
)
_CLIENT_SETTINGS: dict[str, st.SearchStrategy[Any]] = {
    "ClientName": st_field("c"),
    "ExplicitAuthFlows": st_field(["ALLOW_USER_SRP_AUTH"], ["NOPE"], []),
    "PreventUserExistenceErrors": st_field("LEGACY", "ENABLED", "MAYBE"),
    "AccessTokenValidity": st_field(1, 60, 86400, 0),
    "IdTokenValidity": st_field(5, 24),
    "RefreshTokenValidity": st_field(0, 1, 30, 3650, 3651, 315360001),
    "TokenValidityUnits": st_validity_units,
    "AuthSessionValidity": st_field(3, 15, 16),
    "RefreshTokenRotation": st_rotation,
}


OPERATIONS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "CreateUserPool": {
        "PoolName": st_field("p", ""),
        "Policies": st_policy,
        "UsernameConfiguration": st.one_of(
            st_object({"CaseSensitive": st_field(True, False)}), st_value
        ),
        "DeviceConfiguration": st.one_of(
            st_object(
                {
                    "ChallengeRequiredOnNewDevice": st_field(True),
                    "DeviceOnlyRememberedOnUserPrompt": st_field(False),
                }
            ),
            st_value,
        ),
        "UsernameAttributes": st_field(["email"], ["phone_number", "email"], ["nope"], "email"),
        "AliasAttributes": st_field(["email"], ["preferred_username"], ["sub"]),
    },
    "DescribeUserPool": {"UserPoolId": st_world_field("pool")},
    "CreateUserPoolClient": {
        "UserPoolId": st_world_field("pool"),
        "GenerateSecret": st_field(True, False),
        **_CLIENT_SETTINGS,
    },
    "DescribeUserPoolClient": {
        "UserPoolId": st_world_field("pool"),
        "ClientId": st_world_field("plain"),
    },
    "AdminCreateUser": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "TemporaryPassword": st_usually(st_password),
        "UserAttributes": st_attributes,
    },
    "AdminSetUserPassword": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "Password": st_usually(st_password),
        "Permanent": st_field(True, False),
    },
    "AdminGetUser": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
    },
    "AdminConfirmSignUp": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
    },
    "SignUp": {
        "ClientId": st.one_of(st_world_field("plain"), st_world_field("secret_client")),
        "Username": st_usually(st_names),
        "Password": st_usually(st_password),
        "SecretHash": st_field("x"),
        "UserAttributes": st_attributes,
    },
    "InitiateAuth": {
        "ClientId": st.one_of(
            st_world_field("plain"), st_world_field("secret_client"), st_world_field("email_client")
        ),
        "AuthFlow": st_usually(st_flows),
        "AuthParameters": st_auth_parameters,
        "ClientMetadata": st.one_of(st.just(_MISSING), st_value),
    },
    "RespondToAuthChallenge": {
        "ClientId": st_world_field("plain"),
        "ChallengeName": st_field(
            "PASSWORD_VERIFIER", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "NEW_PASSWORD_REQUIRED"
        ),
        "Session": st.one_of(st.text(min_size=20, max_size=30), st_value),
        "ChallengeResponses": st_responses,
    },
    "ConfirmDevice": {
        "AccessToken": st_access_token,
        "DeviceKey": st.one_of(
            st.just("device").map(lambda _: the_world().device["DeviceKey"]), st_value
        ),
        "DeviceSecretVerifierConfig": st_verifier_config,
        "DeviceName": st.one_of(st.just(_MISSING), st_value),
    },
    "UpdateDeviceStatus": {
        "AccessToken": st_world_field("access_token"),
        "DeviceKey": st.one_of(
            st.just("device").map(lambda _: the_world().device["DeviceKey"]), st_value
        ),
        "DeviceRememberedStatus": st_field("remembered", "not_remembered", "maybe"),
    },
    "ForgetDevice": {"AccessToken": st_world_field("access_token"), "DeviceKey": st_value},
    "RevokeToken": {
        "ClientId": st.one_of(st_world_field("plain"), st_world_field("secret_client")),
        "Token": st_field("t"),
        "ClientSecret": st.one_of(st_world_field("client_secret"), st_value),
    },
    "GetUser": {"AccessToken": st_access_token},
    "UpdateUserAttributes": {
        "AccessToken": st_access_token,
        "UserAttributes": st_attributes,
        "ClientMetadata": st.one_of(st.just(_MISSING), st_value),
    },
    "ListUsers": {
        "UserPoolId": st_world_field("pool"),
        "Filter": st_field(
            'username = "alice"', 'email ^= "al"', 'sub = "x"', 'name = "x"', "bad", ""
        ),
        "Limit": st_limit,
        "PaginationToken": st_page_token,
        "AttributesToGet": st_field(["email"], [], [1]),
    },
    "AdminDeleteUser": {"UserPoolId": st_world_field("pool"), "Username": st_doomed_names},
    "AdminDisableUser": {"UserPoolId": st_world_field("pool"), "Username": st_doomed_names},
    "AdminEnableUser": {"UserPoolId": st_world_field("pool"), "Username": st_usually(st_names)},
    "AdminUpdateUserAttributes": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "UserAttributes": st_attributes,
        "ClientMetadata": st.one_of(st.just(_MISSING), st_value),
    },
    "AdminListGroupsForUser": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "Limit": st_limit,
        "NextToken": st_page_token,
    },
    "ListDevices": {
        "AccessToken": st_access_token,
        "Limit": st_limit,
        "PaginationToken": st_page_token,
    },
    "GetDevice": {"AccessToken": st_access_token, "DeviceKey": st_device_key},
    "AdminListDevices": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "Limit": st_limit,
        "PaginationToken": st_page_token,
    },
    "AdminGetDevice": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "DeviceKey": st_device_key,
    },
    "AdminForgetDevice": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_doomed_names,
        "DeviceKey": st_device_key,
    },
    "ListUserPools": {"MaxResults": st_field(1, 60, 0, 61), "NextToken": st_page_token},
    "ListUserPoolClients": {
        "UserPoolId": st_world_field("pool"),
        "MaxResults": st_field(1, 60, 0, 61),
        "NextToken": st_page_token,
    },
    "DeleteUserPool": {
        "UserPoolId": st_usually(st.just("doomed").map(lambda _: the_world().new_pool()))
    },
    "UpdateUserPoolClient": {
        "UserPoolId": st_world_field("pool"),
        "ClientId": st_world_field("scratch_client"),
        **_CLIENT_SETTINGS,
    },
    "DeleteUserPoolClient": {
        "UserPoolId": st_world_field("pool"),
        "ClientId": st_usually(st.just("doomed").map(lambda _: the_world().new_client())),
    },
    "AdminInitiateAuth": {
        "UserPoolId": st_world_field("pool"),
        "ClientId": st.one_of(st_world_field("plain"), st_world_field("secret_client")),
        "AuthFlow": st_field(
            "ADMIN_USER_PASSWORD_AUTH",
            "ADMIN_NO_SRP_AUTH",
            "USER_SRP_AUTH",
            "REFRESH_TOKEN_AUTH",
            "USER_PASSWORD_AUTH",
        ),
        "AuthParameters": st_auth_parameters,
        "ClientMetadata": st.one_of(st.just(_MISSING), st_value),
    },
    "AdminRespondToAuthChallenge": {
        "UserPoolId": st_world_field("pool"),
        "ClientId": st_world_field("plain"),
        "ChallengeName": st_field(
            "PASSWORD_VERIFIER", "NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA", "MFA_SETUP"
        ),
        "Session": st.one_of(st.text(min_size=20, max_size=30), st_value),
        "ChallengeResponses": st_responses,
    },
    "GetTokensFromRefreshToken": {
        "ClientId": st.one_of(st_world_field("plain"), st_world_field("secret_client")),
        "RefreshToken": st.one_of(st_world_field("refresh_token"), st_field("r")),
        "ClientSecret": st.one_of(st_world_field("client_secret"), st_value),
        "DeviceKey": st_device_key,
        "ClientMetadata": st.one_of(st.just(_MISSING), st_value),
    },
    "GlobalSignOut": {
        "AccessToken": st.one_of(st_world_field("doomed_token"), st.just("x.eyJpc3MiOiJ4In0.y"))
    },
    "AdminUserGlobalSignOut": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_doomed_names,
    },
    "AssociateSoftwareToken": {
        "AccessToken": st.one_of(st.just(_MISSING), st_access_token),
        "Session": st.one_of(st.just(_MISSING), st.text(min_size=20, max_size=30), st_value),
    },
    "VerifySoftwareToken": {
        "AccessToken": st.one_of(st.just(_MISSING), st_access_token),
        "Session": st.one_of(st.just(_MISSING), st.text(min_size=20, max_size=30), st_value),
        "UserCode": st_field("123456", "12345", "abcdef"),
        "FriendlyDeviceName": st.one_of(st.just(_MISSING), st_value),
    },
    "SetUserMFAPreference": {
        "AccessToken": st_access_token,
        "SoftwareTokenMfaSettings": st_mfa_settings,
        "SMSMfaSettings": st_mfa_settings,
        "EmailMfaSettings": st_mfa_settings,
    },
    "AdminSetUserMFAPreference": {
        "UserPoolId": st_world_field("pool"),
        "Username": st_usually(st_names),
        "SoftwareTokenMfaSettings": st_mfa_settings,
        "SMSMfaSettings": st_mfa_settings,
    },
    # The email pool's, so the main pool's sign-ins keep reaching their tokens.
    "SetUserPoolMfaConfig": {
        "UserPoolId": st_world_field("email_pool"),
        "SoftwareTokenMfaConfiguration": st.one_of(
            st.just(_MISSING), st_object({"Enabled": st_field(True, False)}), st_value
        ),
        "MfaConfiguration": st_field("OFF", "ON", "OPTIONAL", "SOMETIMES"),
    },
    "GetUserPoolMfaConfig": {"UserPoolId": st_world_field("pool")},
}


@st.composite
def st_call(draw: st.DrawFn) -> tuple[str, Any]:
    """(operation, request): any operation (or an unknown one) with fuzzed members."""
    known = draw(st.integers(0, 9)) > 0
    operation = draw(st.sampled_from(sorted(OPERATIONS)) if known else st.text(max_size=12))
    fields = OPERATIONS.get(operation, {})
    request = build_map(
        {k: draw(v) for k, v in fields.items()},
        draw(st.dictionaries(st.text(max_size=6), st_json_leaf, max_size=2)),
    )
    return operation, request


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=1000)
@given(st_call())
@example(("InitiateAuth", {"ClientId": "x", "AuthFlow": "USER_SRP_AUTH", "AuthParameters": []}))
@counted
def test_service_requests(world: World, call: tuple[str, Any]) -> None:
    """Every fuzzed API call is answered with a JSON response or a documented ServiceError."""
    operation, request = call
    request = json.loads(json.dumps(request))  # exactly what the endpoint would decode
    outcome = handled(world.service, operation, request)
    if isinstance(outcome, dict):
        json.dumps(outcome)


# ---------------------------------------------------------------- only the right answer signs in


@st.composite
def st_tampering(draw: st.DrawFn) -> dict[str, Any]:
    """For each answer member: keep it, replace it by a near miss or junk, or drop it."""
    return {
        key: draw(
            st.one_of(
                st.just("keep"),
                st.just("keep"),
                st.just("keep"),
                st.just("near"),
                st.just("junk"),
                st.just("drop"),
            )
        )
        for key in (
            "USERNAME",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
            "PASSWORD_CLAIM_SIGNATURE",
            "SECRET_HASH",
        )
    } | {"junk": draw(st_value), "seed": draw(st.integers(0, 1000)), "secret": draw(st.booleans())}


def near_miss(key: str, value: str, seed: int) -> str:
    """A plausible but wrong value for an answer member."""
    if key == "USERNAME":
        return ["alice@example.com", "ALICE", "bob", "alice "][seed % 4]
    if key == "TIMESTAMP":
        return (
            value.replace(" UTC ", " GMT ")
            if seed % 2
            else value[:-1] + str((int(value[-1]) + 1) % 10)
        )
    raw = base64.b64decode(value)
    if seed % 3 == 0:
        last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".index(
            value.rstrip("=")[-1]
        )
        padding = len(value) - len(value.rstrip("="))
        if padding:  # the same bytes in non-canonical base64
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            return value.rstrip("=")[:-1] + alphabet[last ^ 1] + "=" * padding
    return base64.b64encode(bytes([raw[0] ^ (1 + seed % 255)]) + raw[1:]).decode()


@settings(max_examples=40)
@given(st_tampering())
@counted
def test_endpoint_signs_in_only_with_the_right_answer(world: World, tamper: dict[str, Any]) -> None:
    """RespondToAuthChallenge (PASSWORD_VERIFIER) yields tokens only for the right, untampered answer."""
    client_id = world.quiet_secret if tamper["secret"] else world.quiet_plain
    secret = world.client_secret if tamper["secret"] else None
    client = UserSRP(
        world.quiet_pool,
        client_id,
        "alice@example.com",
        PASSWORD,
        client_secret=secret,
        small_a=(1 << 1000) + tamper["seed"],
    )
    step = world.service.handle(
        "InitiateAuth",
        {
            "ClientId": client_id,
            "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": client.auth_parameters(),
        },
    )
    right = client.process_challenge(step["ChallengeParameters"])
    answer: dict[str, Any] = dict(right)
    for key in right:
        if tamper.get(key) == "near":
            answer[key] = near_miss(key, right[key], tamper["seed"])
        elif tamper.get(key) == "junk":
            answer[key] = tamper["junk"]
        elif tamper.get(key) == "drop":
            del answer[key]
    outcome = handled(
        world.service,
        "RespondToAuthChallenge",
        {
            "ClientId": client_id,
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": answer,
        },
    )
    name = answer.get("USERNAME")
    right_answer = (
        all(
            answer.get(k, _MISSING) == right[k]
            for k in ("PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")
        )
        and name in ("alice", "alice@example.com")  # her username and her verified email
        and (secret is None or answer.get("SECRET_HASH") == secret_hash(name, client_id, secret))
        and (
            secret is not None
            or "SECRET_HASH" not in answer
            or isinstance(answer["SECRET_HASH"], str)
        )
    )
    if right_answer:
        assert isinstance(outcome, dict) and "AuthenticationResult" in outcome, outcome
    else:
        assert isinstance(outcome, ServiceError), f"signed in with a wrong answer: {answer}"


# ---------------------------------------------------------------- the HTTP endpoint


class Endpoint:
    """``srpkit serve`` in this process, with the crash of each request (if any) recorded."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.handle = serve_in_thread(log=self.lines.append)
        self.crashes: list[BaseException] = []
        self._lock = threading.Lock()
        url = urlsplit(self.handle.url)
        self.host, self.port = url.hostname or "", url.port or 0

    def post(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        """One request on a fresh connection: (status, headers, body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.putrequest("POST", "/", skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """A running endpoint whose service records unexpected exceptions before answering 500."""
    server = Endpoint()
    original = CognitoService.handle

    def recording(self: CognitoService, operation: str, request: Any, **kw: Any) -> Any:
        try:
            return original(self, operation, request, **kw)
        except ServiceError:
            raise
        except Exception as exc:
            server.crashes.append(exc)
            raise

    with mock.patch.object(CognitoService, "handle", recording):
        service = server.handle.service
        pool = service.create_pool("http", password_policy={"MinimumLength": 6})
        server.pool = pool.id  # type: ignore[attr-defined]
        server.client = service.create_client(pool.id, "app").id  # type: ignore[attr-defined]
        service.add_user(pool.id, "alice", PASSWORD)
        yield server
    server.handle.close()


st_target = st.one_of(
    st.sampled_from(sorted(OPERATIONS)).map(lambda op: f"AWSCognitoIdentityProviderService.{op}"),
    st.sampled_from(
        [
            "",
            "AWSCognitoIdentityProviderService.",
            "Other.InitiateAuth",
            "AWSCognitoIdentityProviderService.Nope",
        ]
    ),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20),
)
st_body = st.one_of(
    st.binary(max_size=64),
    st_json.map(lambda v: json.dumps(v).encode()),
    st_call().map(lambda call: json.dumps(call[1]).encode()),
    st.sampled_from(
        [b"", b"{}", b"[]", b"null", b"{bad", b"\xff\xfe{}", '{"a": "\u00e9"}'.encode("utf-16")]
    ),
)


@settings(max_examples=120)
@given(
    st_target,
    st.sampled_from(["application/x-amz-json-1.1", "application/json", "text/plain"]),
    st_body,
)
@counted
def test_http_requests(endpoint: Endpoint, target: str, content_type: str, body: bytes) -> None:
    """Every fuzzed POST gets an answer: 200 with JSON, or 4xx with an AWS-shaped error body and header."""
    endpoint.crashes.clear()
    status, headers, data = endpoint.post(
        {"X-Amz-Target": target, "Content-Type": content_type, "Content-Length": str(len(body))},
        body,
    )
    known = [known_crash(exc) for exc in endpoint.crashes]
    if status == 500 and known and all(known):
        return
    assert status in (200, 400, 404, 411, 413), (status, data[:200], endpoint.crashes)
    document = json.loads(data)
    if status != 200:
        assert document["__type"] == headers["x-amzn-ErrorType"]
        assert document["__type"] in DOCUMENTED_CODES | {"RequestEntityTooLargeException"}
        assert isinstance(document["message"], str)


@settings(max_examples=40)
@given(
    st.one_of(
        st.sampled_from(["0", "2", "00", "1048577", "-1", "1e3", " 2", "0x2", "99999999999999"]),
        st.text(st.characters(min_codepoint=0x30, max_codepoint=0x7E), max_size=13),
    )
)
@counted
def test_http_content_length(endpoint: Endpoint, length: str) -> None:
    """Any ASCII Content-Length (with a 2-byte body) gets an answer, never a dropped connection."""
    # A length between the body's and the cap is a client that lies: the server rightly waits.
    assume(not (length.isascii() and length.isdigit() and 2 < int(length) <= MAX_BODY_BYTES))
    status, _, data = endpoint.post(
        {
            "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool",
            "Content-Length": length,
        },
        b"{}",
    )
    assert status in (200, 400, 411, 413), (status, data[:200])


# ---------------------------------------------------------------- crashes the fuzzers found, fixed


def _service_with_clients() -> tuple[CognitoService, str, str, str]:
    service = CognitoService()
    pool = service.create_pool("repro", password_policy={"MinimumLength": 6})
    plain = service.create_client(pool.id, "plain").id
    secret = service.create_client(
        pool.id, "secret", secret="s3cret", prevent_user_existence_errors="ENABLED"
    ).id
    return service, pool.id, plain, secret


def answered(service: CognitoService, operation: str, request: Any) -> None:
    """The call must end in a ServiceError: each reproducer's request is bad, so no crash and no success."""
    with pytest.raises(ServiceError):
        service.handle(operation, request)


def test_known_password_with_lone_surrogate() -> None:
    """AdminCreateUser with a lone surrogate (valid JSON) in TemporaryPassword: a ServiceError, not a 500."""
    service, pool, _, _ = _service_with_clients()
    answered(
        service,
        "AdminCreateUser",
        {"UserPoolId": pool, "Username": "bob", "TemporaryPassword": "Pa55!\ud800word"},
    )


def test_known_sign_up_secret_hash() -> None:
    """SignUp at a client with a secret and an invalid Username must be a ServiceError, not a 500."""
    service, _, _, secret = _service_with_clients()
    answered(
        service,
        "SignUp",
        {"ClientId": secret, "Username": "a b", "Password": "password", "SecretHash": "x"},
    )


def test_known_decoy_with_lone_surrogate() -> None:
    """InitiateAuth for an unknown USERNAME with a lone surrogate (PreventUserExistenceErrors) must not crash."""
    service, _, _, secret = _service_with_clients()
    answered(
        service,
        "InitiateAuth",
        {
            "ClientId": secret,
            "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {"USERNAME": "\ud800", "SRP_A": "abc"},
        },
    )


def test_known_token_validity_unit_type() -> None:
    """CreateUserPoolClient with a TokenValidityUnits value that is a list must not crash (unhashable)."""
    service, pool, _, _ = _service_with_clients()
    answered(
        service,
        "CreateUserPoolClient",
        {"UserPoolId": pool, "ClientName": "x", "TokenValidityUnits": {"AccessToken": []}},
    )


def test_known_nested_access_token() -> None:
    """ConfirmDevice with an AccessToken whose payload is deeply nested JSON must not crash (RecursionError)."""
    service, _, _, _ = _service_with_clients()
    payload = base64.urlsafe_b64encode(b"[" * 12000).decode().rstrip("=")
    answered(service, "ConfirmDevice", {"AccessToken": f"eyJ9.{payload}.x", "DeviceKey": "k"})


def test_known_revoke_token_non_ascii_secret() -> None:
    """RevokeToken with a non-ASCII ClientSecret must be refused, not crash hmac.compare_digest (TypeError)."""
    service, _, _, secret = _service_with_clients()
    answered(service, "RevokeToken", {"ClientId": secret, "Token": "t", "ClientSecret": "\x80"})


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"a": ' + b"1" * 5000 + b"}"],
    ids=["nested-100000", "5000-digit-number"],
)
def test_known_http_body_that_json_cannot_decode(body: bytes, endpoint: Endpoint) -> None:
    """A body nested too deep, or with a number too long for int(), must get 400, not a dropped connection."""
    status, _, _ = endpoint.post(
        {
            "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool",
            "Content-Length": str(len(body)),
        },
        body,
    )
    assert status == 400


def test_known_http_content_length_non_ascii_digit(endpoint: Endpoint) -> None:
    """Content-Length '²' (a digit to str.isdigit, not to int) must get 400, not a dropped connection."""
    status, _, _ = endpoint.post(
        {
            "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool",
            "Content-Length": "\u00b2",
        },
        b"{}",
    )
    assert status == 400


def _code(service: CognitoService, operation: str, request: Any) -> tuple[str, str]:
    with pytest.raises(ServiceError) as caught:
        service.handle(operation, request)
    return caught.value.code, caught.value.message


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ("AdminCreateUser", "TemporaryPassword"),
        ("AdminSetUserPassword", "Password"),
        ("SignUp", "Password"),
        ("RespondToAuthChallenge", "ChallengeResponses.NEW_PASSWORD"),
    ],
)
def test_lone_surrogate_is_refused_naming_the_field(operation: str, field: str) -> None:
    """A lone surrogate anywhere in a request is InvalidParameterException naming its field, not its value."""
    service, pool, plain, _ = _service_with_clients()
    password = "Pa55!\ud800word"
    request: dict[str, Any] = {"UserPoolId": pool, "ClientId": plain, "Username": "bob"}
    parent, _, member = field.partition(".")
    request[parent] = {member: password} if member else password
    code, message = _code(service, operation, request)
    assert code == "InvalidParameterException"
    assert message.startswith(f"{field}: ") and "\ud800" not in message


def test_revoke_token_compares_the_client_secret() -> None:
    """RevokeToken accepts exactly the client's secret; a wrong one, ASCII or not, is NotAuthorizedException."""
    service, _, _, secret_client = _service_with_clients()
    request = {"ClientId": secret_client, "Token": "t"}
    assert service.handle("RevokeToken", {**request, "ClientSecret": "s3cret"}) == {}
    for wrong in ("s3creT", "s3cr\u00e9t", None):
        code, _ = _code(service, "RevokeToken", {**request, "ClientSecret": wrong})
        assert code == "NotAuthorizedException"


def test_srpkit_errors_escaping_an_operation_keep_cognitos_codes() -> None:
    """An srpkit refusal no operation translated is InvalidParameterException; a failed check NotAuthorized."""
    service, _, _, _ = _service_with_clients()
    for exc, code in (
        (InvalidInputError("username: bad", fields=("username",)), "InvalidParameterException"),
        (VerificationError("wrong signature", reason="signature"), "NotAuthorizedException"),
        (VerificationError("bad SRP_A", reason="malformed"), "InvalidParameterException"),
    ):
        with mock.patch.object(service, "_operations", {"SignUp": mock.Mock(side_effect=exc)}):
            assert _code(service, "SignUp", {})[0] == code


@pytest.mark.parametrize("name", ["a\x00b", "\ud800.db"], ids=["nul", "lone-surrogate"])
def test_state_file_name_no_file_can_have(name: str) -> None:
    """A --state name open() refuses (NUL, lone surrogate) is a StateFileError, not a crash."""
    with pytest.raises(StateFileError, match="not a usable file name"):
        SQLiteStore(name)
