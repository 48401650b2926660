"""The sessions moto's own cognito-idp tests run, re-written as our own tests against `srpkit serve`.

The scenarios (not the code) are those of getmoto/moto at commit
0af643a5dbfc98797f08ee64f5be3ef8002d56ff, tests/test_cognitoidp/test_cognitoidp.py:
``user_authentication_flow`` (sign-up with SECRET_HASH, SRP sign-in with pycognito's
AWSSRP, TOTP set-up, REFRESH_TOKEN, an SRP sign-in again answered with a TOTP code),
``test_initiate_auth_REFRESH_TOKEN``, ``test_user_authentication_flow_mfa_on`` /
``_mfa_optional``, ``test_jti_in_tokens``, ``test_global_sign_out`` (and ``_unknown_accesstoken``),
``test_admin_user_global_sign_out`` (``_twice``, ``_unknown_userpool``, ``_unknown_user``),
``test_authorize_user_with_force_password_change_status``,
``test_initiate_auth_for_unconfirmed_user``, ``test_initiate_auth_with_invalid_secret_hash``,
``test_respond_to_auth_challenge_with_invalid_secret_hash``, ``test_setting_mfa`` and
``test_setting_mfa_when_token_not_verified``; and from test_cognitoidp_exceptions.py,
``TestCognitoUserDeleter.test_authenticate_with_signed_out_user``. moto has no device
test. Where moto accepts what Cognito refuses (any PASSWORD_CLAIM_SIGNATURE), the test
here asserts Cognito's refusal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP
from serve_support import PASSWORD, running

from srpkit._core.totp import STEP_SECONDS, totp

# serve runs the SRP arithmetic of every sign-in: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

REVOKED = ("NotAuthorizedException", "Refresh Token has been revoked")
ADMIN_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]


@pytest.fixture(scope="module")
def conn() -> Iterator[Any]:
    """One in-process `srpkit serve` for the module; a boto3 client for it (moto's ``conn``)."""
    with running() as (_, client, _log):
        yield client


def secret_hash(username: str, client_id: str, secret: str) -> str:
    """SECRET_HASH as the Cognito developer guide defines it: Base64(HMAC-SHA256(secret, user + client))."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def unverified(token: str) -> dict[str, Any]:
    """A token's claims (its signature is the other modules' business)."""
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def refusal(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    """The error code and message of a refused call."""
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@dataclass
class Session:
    """A user signed in over SRP through a secret app client, as moto's user_authentication_flow leaves it."""

    conn: Any
    pool_id: str
    client_id: str
    client_secret: str
    username: str
    srp: AWSSRP
    auth_params: dict[str, str]
    tokens: dict[str, Any]

    @property
    def secret_hash(self) -> str:
        return secret_hash(self.username, self.client_id, self.client_secret)

    def srp_sign_in(self) -> dict[str, Any]:
        """USER_SRP_AUTH again with the same SRP_A (as moto does), answered by AWSSRP."""
        started = self.conn.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=self.auth_params
        )
        answer = self.srp.process_challenge(started["ChallengeParameters"], self.auth_params)
        result: dict[str, Any] = self.conn.respond_to_auth_challenge(
            ClientId=self.client_id,
            ChallengeName=started["ChallengeName"],
            ChallengeResponses=answer,
        )
        return result

    def refresh(self, token: str | None = None) -> dict[str, Any]:
        """InitiateAuth REFRESH_TOKEN with SECRET_HASH (moto's form of the flow)."""
        result: dict[str, Any] = self.conn.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="REFRESH_TOKEN",
            AuthParameters={
                "REFRESH_TOKEN": token or self.tokens["RefreshToken"],
                "SECRET_HASH": self.secret_hash,
            },
        )
        return result


def new_pool(
    conn: Any, *, mfa: str = "OFF", flows: list[str] | None = None
) -> tuple[str, str, str]:
    """A pool (TOTP MFA ``mfa``) and an app client with a secret; (pool id, client id, secret)."""
    pool_id = conn.create_user_pool(PoolName=f"moto{secrets.token_hex(3)}")["UserPool"]["Id"]
    if mfa != "OFF":
        conn.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=mfa,
        )
    client = conn.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="moto",
        GenerateSecret=True,
        **({"ExplicitAuthFlows": flows} if flows else {}),
    )["UserPoolClient"]
    return pool_id, client["ClientId"], client["ClientSecret"]


def signed_up(conn: Any, *, mfa: str = "OFF") -> tuple[Session, dict[str, Any]]:
    """Sign up with SECRET_HASH, confirm as admin, sign in over SRP; the session and the answer."""
    pool_id, client_id, client_secret = new_pool(conn, mfa=mfa)
    username = f"m{secrets.token_hex(4)}"
    conn.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        SecretHash=secret_hash(username, client_id, client_secret),
    )
    conn.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    srp = AWSSRP(username, PASSWORD, pool_id, client_id, client=conn, client_secret=client_secret)
    session = Session(
        conn, pool_id, client_id, client_secret, username, srp, srp.get_auth_params(), {}
    )
    answered = session.srp_sign_in()
    session.tokens = answered.get("AuthenticationResult", {})
    return session, answered


def with_totp(session: Session) -> str:
    """Associate, verify and prefer a software token for the signed-in user; its secret."""
    access = session.tokens["AccessToken"]
    secret: str = session.conn.associate_software_token(AccessToken=access)["SecretCode"]
    verified = session.conn.verify_software_token(
        AccessToken=access, UserCode=totp(secret, time.time())
    )
    assert verified["Status"] == "SUCCESS"
    session.conn.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return secret


def next_code(secret: str) -> str:
    """The code of the step after now: the one just used is good once (moto waits for it on AWS)."""
    return totp(secret, time.time() + STEP_SECONDS)


def test_srp_sign_in_then_refresh(conn: Any) -> None:
    """moto's test_initiate_auth_REFRESH_TOKEN: REFRESH_TOKEN with SECRET_HASH gives tokens for the user."""
    session, _ = signed_up(conn)
    result = session.refresh()["AuthenticationResult"]
    access, id_claims = unverified(result["AccessToken"]), unverified(result["IdToken"])
    assert access["username"] == session.username
    assert access["client_id"] == session.client_id
    assert id_claims["sub"] == access["sub"]
    assert id_claims["cognito:username"] == session.username
    assert id_claims["aud"] == session.client_id
    assert result["TokenType"] == "Bearer"


def test_mfa_optional_session(conn: Any) -> None:
    """moto's user_authentication_flow with MFA: refresh needs no code, an SRP sign-in then asks for one."""
    session, _ = signed_up(conn, mfa="OPTIONAL")
    secret = with_totp(session)
    assert session.refresh()["AuthenticationResult"]["AccessToken"]
    challenged = session.srp_sign_in()
    assert challenged["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = conn.respond_to_auth_challenge(
        ClientId=session.client_id,
        Session=challenged["Session"],
        ChallengeName="SOFTWARE_TOKEN_MFA",
        ChallengeResponses={
            "SOFTWARE_TOKEN_MFA_CODE": next_code(secret),
            "USERNAME": session.username,
            "SECRET_HASH": session.secret_hash,
        },
    )["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]


def test_mfa_on_sets_up_at_sign_in(conn: Any) -> None:
    """moto's test_user_authentication_flow_mfa_on: MFA_SETUP by Session, then SOFTWARE_TOKEN_MFA next time."""
    session, answered = signed_up(conn, mfa="ON")
    assert answered["ChallengeName"] == "MFA_SETUP"
    associated = conn.associate_software_token(Session=answered["Session"])
    secret = associated["SecretCode"]
    verified = conn.verify_software_token(
        Session=associated["Session"], UserCode=totp(secret, time.time())
    )
    assert verified["Status"] == "SUCCESS"
    challenged = session.srp_sign_in()
    assert challenged["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = conn.respond_to_auth_challenge(
        ClientId=session.client_id,
        Session=challenged["Session"],
        ChallengeName="SOFTWARE_TOKEN_MFA",
        ChallengeResponses={
            "SOFTWARE_TOKEN_MFA_CODE": next_code(secret),
            "USERNAME": session.username,
            "SECRET_HASH": session.secret_hash,
        },
    )["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]


def test_jti_and_origin_jti(conn: Any) -> None:
    """moto's test_jti_in_tokens: a refresh keeps origin_jti with new jtis; a new sign-in has a new origin_jti."""
    pool_id, client_id, client_secret = new_pool(conn, flows=ADMIN_FLOWS)
    username = f"m{secrets.token_hex(4)}"
    hashed = secret_hash(username, client_id, client_secret)
    conn.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=PASSWORD + "t",
        MessageAction="SUPPRESS",
    )
    started = conn.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD + "t", "SECRET_HASH": hashed},
    )
    assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    first = conn.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        Session=started["Session"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": PASSWORD, "SECRET_HASH": hashed},
    )["AuthenticationResult"]
    access, id_claims = unverified(first["AccessToken"]), unverified(first["IdToken"])
    assert access["origin_jti"] == id_claims["origin_jti"]
    assert access["jti"] != id_claims["jti"]
    refreshed = conn.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"], "SECRET_HASH": hashed},
    )["AuthenticationResult"]
    again = unverified(refreshed["AccessToken"])
    assert (
        again["origin_jti"]
        == access["origin_jti"]
        == unverified(refreshed["IdToken"])["origin_jti"]
    )
    assert again["jti"] != access["jti"]
    srp = AWSSRP(username, PASSWORD, pool_id, client_id, client=conn, client_secret=client_secret)
    fresh = unverified(srp.authenticate_user()["AuthenticationResult"]["AccessToken"])
    assert fresh["origin_jti"] != access["origin_jti"]


def test_global_sign_out(conn: Any) -> None:
    """moto's test_global_sign_out: the refresh token is revoked and the access token refused."""
    session, _ = signed_up(conn)
    conn.global_sign_out(AccessToken=session.tokens["AccessToken"])
    with pytest.raises(ClientError) as caught:
        session.refresh()
    assert refusal(caught) == REVOKED
    with pytest.raises(ClientError) as caught:
        conn.get_user(AccessToken=session.tokens["AccessToken"])
    assert refusal(caught)[0] == "NotAuthorizedException"


def test_global_sign_out_unknown_token(conn: Any) -> None:
    """moto's test_global_sign_out_unknown_accesstoken: a token that is not one is NotAuthorizedException."""
    with pytest.raises(ClientError) as caught:
        conn.global_sign_out(AccessToken="n/a")
    assert refusal(caught)[0] == "NotAuthorizedException"


@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
def test_admin_user_global_sign_out(conn: Any, times: int) -> None:
    """moto's test_admin_user_global_sign_out (and _twice): the user's refresh token is revoked."""
    session, _ = signed_up(conn)
    for _ in range(times):
        conn.admin_user_global_sign_out(UserPoolId=session.pool_id, Username=session.username)
    with pytest.raises(ClientError) as caught:
        session.refresh()
    assert refusal(caught) == REVOKED


def test_admin_user_global_sign_out_unknowns(conn: Any) -> None:
    """moto's _unknown_userpool and _unknown_user: ResourceNotFoundException, UserNotFoundException."""
    session, _ = signed_up(conn)
    with pytest.raises(ClientError) as caught:
        conn.admin_user_global_sign_out(UserPoolId="us-east-1_nothere0", Username=session.username)
    assert refusal(caught)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as caught:
        conn.admin_user_global_sign_out(UserPoolId=session.pool_id, Username="n-a")
    assert refusal(caught) == ("UserNotFoundException", "User does not exist.")


def test_force_change_password_over_srp(conn: Any) -> None:
    """moto's test_authorize_user_with_force_password_change_status: SRP, NEW_PASSWORD_REQUIRED, tokens."""
    pool_id = conn.create_user_pool(PoolName=f"moto{secrets.token_hex(3)}")["UserPool"]["Id"]
    client_id = conn.create_user_pool_client(UserPoolId=pool_id, ClientName="moto")[
        "UserPoolClient"
    ]["ClientId"]
    username, temporary = "test@example.com", PASSWORD + "t"
    conn.admin_create_user(
        UserPoolId=pool_id, Username=username, TemporaryPassword=temporary, MessageAction="SUPPRESS"
    )
    srp = AWSSRP(username, temporary, pool_id, client_id, client=conn)
    params = srp.get_auth_params()
    started = conn.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
    )
    answered = conn.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=started["ChallengeName"],
        ChallengeResponses=srp.process_challenge(started["ChallengeParameters"], params),
    )
    assert answered["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert answered["Session"]
    result = conn.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=answered["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert result["TokenType"] == "Bearer" and result["AccessToken"] and result["RefreshToken"]


def test_unconfirmed_user_refused(conn: Any) -> None:
    """moto's test_initiate_auth_for_unconfirmed_user: a signed-up, unconfirmed user gets UserNotConfirmedException."""
    pool_id, client_id, client_secret = new_pool(conn)
    username = f"m{secrets.token_hex(4)}"
    hashed = secret_hash(username, client_id, client_secret)
    conn.sign_up(ClientId=client_id, Username=username, Password=PASSWORD, SecretHash=hashed)
    srp = AWSSRP(username, PASSWORD, pool_id, client_id, client=conn, client_secret=client_secret)
    with pytest.raises(ClientError) as caught:
        srp.authenticate_user()
    assert refusal(caught)[0] == "UserNotConfirmedException"


def test_invalid_secret_hash_refused(conn: Any) -> None:
    """moto's test_initiate_auth_with_invalid_secret_hash: a wrong SECRET_HASH is NotAuthorizedException."""
    session, _ = signed_up(conn)
    with pytest.raises(ClientError) as caught:
        conn.initiate_auth(
            ClientId=session.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={**session.auth_params, "SECRET_HASH": secrets.token_hex(16)},
        )
    assert refusal(caught)[0] == "NotAuthorizedException"


def test_random_signature_refused(conn: Any) -> None:
    """moto's test_respond_to_auth_challenge_with_invalid_secret_hash answers with a random signature,
    which moto accepts; Cognito (and serve) refuse it with "Incorrect username or password."."""
    session, _ = signed_up(conn)
    started = conn.initiate_auth(
        ClientId=session.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=session.auth_params
    )
    forged = {
        **session.srp.process_challenge(started["ChallengeParameters"], session.auth_params),
        "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    with pytest.raises(ClientError) as caught:
        conn.respond_to_auth_challenge(
            ClientId=session.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=forged
        )
    assert refusal(caught) == ("NotAuthorizedException", "Incorrect username or password.")


def test_mfa_preference_needs_a_verified_token(conn: Any) -> None:
    """moto's test_setting_mfa_when_token_not_verified: no TOTP preference before the token is verified."""
    session, _ = signed_up(conn, mfa="OPTIONAL")
    access = session.tokens["AccessToken"]
    secret = conn.associate_software_token(AccessToken=access)["SecretCode"]
    with pytest.raises(ClientError) as caught:
        conn.set_user_mfa_preference(
            AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )
    assert refusal(caught)[0] == "InvalidParameterException"
    conn.verify_software_token(AccessToken=access, UserCode=totp(secret, time.time()))
    conn.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )


def test_setting_mfa(conn: Any) -> None:
    """moto's test_setting_mfa: AdminGetUser shows SOFTWARE_TOKEN_MFA preferred, and nothing once turned off."""
    session, _ = signed_up(conn, mfa="OPTIONAL")
    with_totp(session)
    user = conn.admin_get_user(UserPoolId=session.pool_id, Username=session.username)
    assert user.get("UserMFASettingList") == ["SOFTWARE_TOKEN_MFA"]
    assert user.get("PreferredMfaSetting") == "SOFTWARE_TOKEN_MFA"
    conn.set_user_mfa_preference(
        AccessToken=session.tokens["AccessToken"],
        SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
    )
    user = conn.admin_get_user(UserPoolId=session.pool_id, Username=session.username)
    assert user.get("UserMFASettingList", []) == []
    assert user.get("PreferredMfaSetting", "") == ""


def test_signed_out_user_cannot_refresh_as_admin(conn: Any) -> None:
    """moto's test_authenticate_with_signed_out_user: after AdminUserGlobalSignOut, AdminInitiateAuth
    REFRESH_TOKEN is NotAuthorizedException."""
    pool_id = conn.create_user_pool(PoolName=f"moto{secrets.token_hex(3)}")["UserPool"]["Id"]
    client_id = conn.create_user_pool_client(
        UserPoolId=pool_id, ClientName="moto", ExplicitAuthFlows=ADMIN_FLOWS
    )["UserPoolClient"]["ClientId"]
    conn.admin_create_user(UserPoolId=pool_id, Username="foo", MessageAction="SUPPRESS")
    conn.admin_set_user_password(
        UserPoolId=pool_id, Username="foo", Password=PASSWORD, Permanent=True
    )
    signed_in = conn.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "foo", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    conn.admin_user_global_sign_out(UserPoolId=pool_id, Username="foo")
    with pytest.raises(ClientError) as caught:
        conn.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN",
            AuthParameters={"REFRESH_TOKEN": signed_in["RefreshToken"]},
        )
    assert refusal(caught) == REVOKED
