// cognito-srp-helper with @aws-sdk/client-cognito-identity-provider (v3), as they ship, through a
// whole session against a Cognito endpoint.
//
//   node sdk_v3.mjs <base URL> < {"pool_id", "client_id", "secret_client_id", "client_secret",
//                                 "username", "password"}
//
// The SDK makes the calls, cognito-srp-helper the SRP, device verifier and SECRET_HASH, as its
// README shows. Steps (one JSON line each, see lib.mjs): sign_in, sign_in_client_secret, get_user,
// list_users, refresh, refresh_client_secret, get_tokens_from_refresh_token, confirm_device, list_devices,
// get_device, device_sign_in, refresh_with_device, forget_device, revoke_token, user_password_auth,
// global_sign_out, totp_setup, get_mfa_preference, mfa_sign_in.

import {
	AssociateSoftwareTokenCommand,
	CognitoIdentityProviderClient,
	ConfirmDeviceCommand,
	ForgetDeviceCommand,
	GetDeviceCommand,
	GetTokensFromRefreshTokenCommand,
	GetUserCommand,
	GlobalSignOutCommand,
	InitiateAuthCommand,
	ListDevicesCommand,
	ListUsersCommand,
	RespondToAuthChallengeCommand,
	RevokeTokenCommand,
	SetUserMFAPreferenceCommand,
	UpdateDeviceStatusCommand,
	VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
	createDeviceVerifier,
	createSecretHash,
	createSrpSession,
	signSrpSession,
	signSrpSessionWithDevice,
	wrapAuthChallenge,
	wrapInitiateAuth,
} from 'cognito-srp-helper';
import { check, claims, readInput, refused, REVOKED, steps, totp } from './lib.mjs';

const { url, config } = await readInput();
const cognito = new CognitoIdentityProviderClient({
	region: config.pool_id.split('_')[0],
	endpoint: url,
	credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, // the calls here are unsigned
	maxAttempts: 1,
});
const send = (command) => cognito.send(command);
const { step } = steps();
const username = config.username;

/** One USER_SRP_AUTH sign-in (with a device if given): the last response (tokens or a challenge). */
async function srpSignIn({ clientId = config.client_id, secret = null, device = null } = {}) {
	const base = { USERNAME: username, ...(device ? { DEVICE_KEY: device.key } : {}) };
	const hashOf = (name) => (secret ? { SECRET_HASH: createSecretHash(name, clientId, secret) } : {});
	const session = createSrpSession(username, config.password, config.pool_id, false);
	const initiated = await send(
		new InitiateAuthCommand(
			wrapInitiateAuth(session, { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { ...base, ...hashOf(username) } }),
		),
	);
	check(initiated.ChallengeName === 'PASSWORD_VERIFIER', `PASSWORD_VERIFIER, not ${initiated.ChallengeName}`);
	// Answers name the user as the challenge does (USER_ID_FOR_SRP), as Cognito requires.
	const userId = initiated.ChallengeParameters.USER_ID_FOR_SRP;
	const answers = { ...base, USERNAME: userId, ...hashOf(userId) };
	const signed = signSrpSession(session, initiated);
	const verified = await send(
		new RespondToAuthChallengeCommand(
			wrapAuthChallenge(signed, { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: answers, Session: initiated.Session }),
		),
	);
	if (!device || verified.ChallengeName !== 'DEVICE_SRP_AUTH') return verified;
	const deviceSrp = await send(
		new RespondToAuthChallengeCommand(
			wrapAuthChallenge(signed, { ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', ChallengeResponses: answers, Session: verified.Session }),
		),
	);
	const deviceSigned = signSrpSessionWithDevice(session, deviceSrp, device.groupKey, device.password);
	return send(
		new RespondToAuthChallengeCommand(
			wrapAuthChallenge(deviceSigned, { ClientId: clientId, ChallengeName: 'DEVICE_PASSWORD_VERIFIER', ChallengeResponses: answers, Session: deviceSrp.Session }),
		),
	);
}
async function tokensOf(options) {
	const out = await srpSignIn(options);
	check(out.AuthenticationResult, `tokens, not ${out.ChallengeName}`);
	return out.AuthenticationResult;
}
const refreshWith = (refreshToken, extra = {}, clientId = config.client_id) =>
	send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra } }));

let tokens;
let device;
let sub;
await step('sign_in', async () => {
	tokens = await tokensOf();
	sub = claims(tokens.AccessToken).sub;
});

let secretTokens;
await step('sign_in_client_secret', async () => {
	secretTokens = await tokensOf({ clientId: config.secret_client_id, secret: config.client_secret });
});

await step('get_user', async () => {
	const user = await send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
	check(user.Username === username && user.UserAttributes.some((a) => a.Name === 'sub' && a.Value === sub), 'the user and its sub');
}, ['sign_in']);

// Tokens from a sign-in that handed out a device key refresh only with it (Cognito answers
// "Invalid Refresh Token." without: aws/aws-sdk-cpp#851, aws/aws-sdk-java-v2#3418).
const deviceOf = (t) => ({ DEVICE_KEY: t.NewDeviceMetadata?.DeviceKey });

// An admin call (IAM-signed on AWS; serve takes any credentials).
await step('list_users', async () => {
	const listed = await send(new ListUsersCommand({ UserPoolId: config.pool_id, Filter: `username = "${username}"` }));
	check(listed.Users.length === 1 && listed.Users[0].Username === username, 'the user, filtered by username');
});

await step('refresh', async () => {
	const out = (await refreshWith(tokens.RefreshToken, deviceOf(tokens))).AuthenticationResult;
	check(claims(out.AccessToken).jti !== claims(tokens.AccessToken).jti, 'a new access token');
}, ['sign_in']);

// SECRET_HASH for a refresh is over the user's internal name (the sub in an alias pool; here the username).
await step('refresh_client_secret', async () => {
	const name = claims(secretTokens.AccessToken).username;
	const hash = createSecretHash(name, config.secret_client_id, config.client_secret);
	const out = await refreshWith(secretTokens.RefreshToken, { SECRET_HASH: hash, ...deviceOf(secretTokens) }, config.secret_client_id);
	check(out.AuthenticationResult.AccessToken, 'an access token');
}, ['sign_in_client_secret']);

await step('get_tokens_from_refresh_token', async () => {
	const out = await send(
		new GetTokensFromRefreshTokenCommand({
			ClientId: config.secret_client_id,
			ClientSecret: config.client_secret,
			RefreshToken: secretTokens.RefreshToken,
			DeviceKey: secretTokens.NewDeviceMetadata?.DeviceKey,
		}),
	);
	check(claims(out.AuthenticationResult.AccessToken).username === username, 'tokens for the user');
}, ['sign_in_client_secret']);

await step('confirm_device', async () => {
	const { DeviceKey, DeviceGroupKey } = tokens.NewDeviceMetadata ?? {};
	check(DeviceKey && DeviceGroupKey, 'NewDeviceMetadata from a pool that tracks devices');
	const { DeviceSecretVerifierConfig, DeviceRandomPassword } = createDeviceVerifier(DeviceKey, DeviceGroupKey);
	const confirmed = await send(
		new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey, DeviceName: 'srpkit compat', DeviceSecretVerifierConfig }),
	);
	check(confirmed.UserConfirmationNecessary === true, 'the pool to ask for the user\'s confirmation');
	await send(new UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken, DeviceKey, DeviceRememberedStatus: 'remembered' }));
	device = { key: DeviceKey, groupKey: DeviceGroupKey, password: DeviceRandomPassword };
}, ['sign_in']);

await step('list_devices', async () => {
	const listed = await send(new ListDevicesCommand({ AccessToken: tokens.AccessToken, Limit: 10 }));
	check(listed.Devices.some((d) => d.DeviceKey === device.key), 'the device in ListDevices');
}, ['confirm_device']);

await step('get_device', async () => {
	const got = await send(new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.key }));
	check(got.Device.DeviceKey === device.key, 'GetDevice to answer for the device');
}, ['confirm_device']);

let deviceTokens;
await step('device_sign_in', async () => {
	deviceTokens = await tokensOf({ device });
	check(claims(deviceTokens.AccessToken).device_key === device.key, 'an access token naming the device');
}, ['confirm_device']);

await step('refresh_with_device', async () => {
	const out = (await refreshWith(deviceTokens.RefreshToken, { DEVICE_KEY: device.key })).AuthenticationResult;
	check(claims(out.AccessToken).device_key === device.key, 'the device kept through the refresh');
}, ['device_sign_in']);

await step('forget_device', async () => {
	await send(new ForgetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.key }));
	const listed = await send(new ListDevicesCommand({ AccessToken: tokens.AccessToken, Limit: 10 }));
	check(!listed.Devices.some((d) => d.DeviceKey === device.key), 'the device gone from ListDevices');
}, ['confirm_device']);

await step('revoke_token', async () => {
	await send(new RevokeTokenCommand({ ClientId: config.client_id, Token: tokens.RefreshToken }));
	await refused(refreshWith(tokens.RefreshToken, deviceOf(tokens)), REVOKED);
}, ['sign_in']);

await step('user_password_auth', async () => {
	const out = await send(
		new InitiateAuthCommand({ ClientId: config.client_id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: config.password } }),
	);
	check(claims(out.AuthenticationResult.AccessToken).username === username, 'tokens for the user');
});

await step('global_sign_out', async () => {
	const fresh = await tokensOf();
	await send(new GlobalSignOutCommand({ AccessToken: fresh.AccessToken }));
	await refused(refreshWith(fresh.RefreshToken, deviceOf(fresh)), REVOKED);
	await refused(send(new GetUserCommand({ AccessToken: fresh.AccessToken })), 'NotAuthorizedException');
}, ['sign_in']);

let secret;
let mfaTokens;
await step('totp_setup', async () => {
	const fresh = await tokensOf();
	secret = (await send(new AssociateSoftwareTokenCommand({ AccessToken: fresh.AccessToken }))).SecretCode;
	const verified = await send(new VerifySoftwareTokenCommand({ AccessToken: fresh.AccessToken, UserCode: totp(secret) }));
	check(verified.Status === 'SUCCESS', `SUCCESS, not ${verified.Status}`);
	await send(
		new SetUserMFAPreferenceCommand({ AccessToken: fresh.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
	);
	mfaTokens = fresh;
}, ['sign_in']);

await step('get_mfa_preference', async () => {
	const user = await send(new GetUserCommand({ AccessToken: mfaTokens.AccessToken }));
	check(user.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA', `PreferredMfaSetting SOFTWARE_TOKEN_MFA, not ${user.PreferredMfaSetting}`);
	check((user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'), 'SOFTWARE_TOKEN_MFA in UserMFASettingList');
}, ['totp_setup']);

await step('mfa_sign_in', async () => {
	const challenged = await srpSignIn();
	check(challenged.ChallengeName === 'SOFTWARE_TOKEN_MFA', `SOFTWARE_TOKEN_MFA, not ${challenged.ChallengeName}`);
	// The setup's code is spent; the next step's is fresh.
	const out = await send(
		new RespondToAuthChallengeCommand({
			ClientId: config.client_id,
			ChallengeName: 'SOFTWARE_TOKEN_MFA',
			Session: challenged.Session,
			ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(secret, 1) },
		}),
	);
	check(out.AuthenticationResult && out.AuthenticationResult.AccessToken, 'tokens after the code');
}, ['totp_setup']);

process.exit(0);
