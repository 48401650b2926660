// amazon-cognito-identity-js, as it ships, through a whole session against a Cognito endpoint.
//
//   node identity_js.mjs <base URL> < {"pool_id", "client_id", "secret_client_id", "username", "password"}
//
// The pool tracks devices and remembers them on the user's say-so, and has optional TOTP MFA.
// Steps (one JSON line each, see lib.mjs): sign_in, sign_in_client_secret, get_user_attributes,
// get_user_data, refresh, remember_device, list_devices, get_device, device_sign_in,
// refresh_with_device, forget_device, sign_out, user_password_auth, global_sign_out, totp_setup,
// get_mfa_preference, mfa_sign_in.

import {
	AuthenticationDetails,
	CognitoUser,
	CognitoUserPool,
} from 'amazon-cognito-identity-js';
import { callbacks, check, claims, MemoryStorage, node, readInput, refused, REVOKED, steps, totp } from './lib.mjs';

const { url, config } = await readInput();
const storage = new MemoryStorage();
const poolOf = (clientId) =>
	new CognitoUserPool({ UserPoolId: config.pool_id, ClientId: clientId, endpoint: url, Storage: storage });
const pool = poolOf(config.client_id);
const details = new AuthenticationDetails({ Username: config.username, Password: config.password });
const { step } = steps();

/** authenticateUser as a promise: {session, confirm} on tokens, {challenge} on an MFA challenge. */
function authenticate(user) {
	return new Promise((resolve, reject) => {
		const unexpected = (what) => () => reject(new Error(`unexpected ${what}`));
		user.authenticateUser(details, {
			onSuccess: (session, confirm) => resolve({ session, confirm }),
			onFailure: reject,
			totpRequired: (challenge) => resolve({ challenge }),
			mfaRequired: unexpected('mfaRequired (SMS)'),
			newPasswordRequired: unexpected('newPasswordRequired'),
			mfaSetup: unexpected('mfaSetup'),
			selectMFAType: unexpected('selectMFAType'),
			customChallenge: unexpected('customChallenge'),
		});
	});
}
const newUser = (p = pool) => new CognitoUser({ Username: config.username, Pool: p, Storage: storage });
async function signedIn(user) {
	const out = await authenticate(user);
	check(out.session && out.session.isValid(), 'tokens, not a challenge');
	return out;
}

let user = newUser();
let first;
let deviceKey;

await step('sign_in', async () => {
	first = await signedIn(user);
	// The pool remembers devices on the user's say-so: ConfirmDevice answered "confirmation necessary".
	check(first.confirm === true, 'ConfirmDevice to ask for the user\'s confirmation');
	deviceKey = storage.getItem(`CognitoIdentityServiceProvider.${config.client_id}.${config.username}.deviceKey`);
	check(Boolean(deviceKey), 'a device key stored after ConfirmDevice');
});

// identity-js has no client-secret option: the step shows what a secret client makes of it.
await step('sign_in_client_secret', async () => {
	await signedIn(newUser(poolOf(config.secret_client_id)));
});

await step('get_user_attributes', async () => {
	const attributes = await node((cb) => user.getUserAttributes(cb));
	const sub = attributes.find((a) => a.getName() === 'sub');
	check(sub && sub.getValue() === first.session.getIdToken().decodePayload().sub, 'the sub of the id token');
}, ['sign_in']);

await step('get_user_data', async () => {
	const data = await node((cb) => user.getUserData(cb, { bypassCache: true }));
	check(data.Username === config.username, `Username ${config.username}`);
}, ['sign_in']);

await step('refresh', async () => {
	const before = user.getSignInUserSession();
	const session = await node((cb) => user.refreshSession(before.getRefreshToken(), cb));
	check(session.isValid(), 'a valid session');
	check(claims(session.getAccessToken().getJwtToken()).jti !== claims(before.getAccessToken().getJwtToken()).jti, 'a new access token');
}, ['sign_in']);

await step('remember_device', () => callbacks((cb) => user.setDeviceStatusRemembered(cb)), ['sign_in']);

await step('list_devices', async () => {
	const listed = await callbacks((cb) => user.listDevices(10, null, cb));
	check(listed.Devices.some((d) => d.DeviceKey === deviceKey), 'the remembered device in ListDevices');
}, ['remember_device']);

await step('get_device', async () => {
	const got = await callbacks((cb) => user.getDevice(cb));
	check(got.Device.DeviceKey === deviceKey, 'GetDevice to answer for the device');
	const status = got.Device.DeviceAttributes.find((a) => a.Name.endsWith('device_remembered_status'));
	check(status && status.Value === 'remembered', 'device_remembered_status remembered');
}, ['remember_device']);

await step('device_sign_in', async () => {
	user = newUser();
	const out = await signedIn(user);
	check(claims(out.session.getAccessToken().getJwtToken()).device_key === deviceKey, 'an access token naming the device');
}, ['remember_device']);

await step('refresh_with_device', async () => {
	const session = await node((cb) => user.refreshSession(user.getSignInUserSession().getRefreshToken(), cb));
	check(claims(session.getAccessToken().getJwtToken()).device_key === deviceKey, 'the device kept through the refresh');
}, ['device_sign_in']);

await step('forget_device', async () => {
	await callbacks((cb) => user.forgetDevice(cb));
	const listed = await callbacks((cb) => user.listDevices(10, null, cb));
	check(!listed.Devices.some((d) => d.DeviceKey === deviceKey), 'the device gone from ListDevices');
}, ['device_sign_in']);

// refreshSession retries any refusal with backoff for some 6 s before it reports it; its own
// client's single InitiateAuth REFRESH_TOKEN_AUTH gets the same answer at once.
// The device key goes with it, as refreshSession sends it: without, any device-bound token is refused.
function refreshOnce(session) {
	const device = claims(session.getAccessToken().getJwtToken()).device_key;
	const parameters = { REFRESH_TOKEN: session.getRefreshToken().getToken(), ...(device ? { DEVICE_KEY: device } : {}) };
	const body = { ClientId: config.client_id, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: parameters };
	return node((cb) => pool.client.request('InitiateAuth', body, cb));
}

// signOut(callback) revokes the refresh token (RevokeToken); a refresh with it is then refused.
await step('sign_out', async () => {
	const session = user.getSignInUserSession();
	check(session && session.isValid(), 'a session to sign out of');
	await new Promise((resolve, reject) => user.signOut((err) => (err ? reject(err) : resolve())));
	await refused(refreshOnce(session), REVOKED);
}, ['sign_in']);

await step('user_password_auth', async () => {
	user = newUser();
	user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
	const { session } = await signedIn(user);
	check(claims(session.getAccessToken().getJwtToken()).username === config.username, 'tokens for the user');
});

await step('global_sign_out', async () => {
	user = newUser();
	const { session } = await signedIn(user);
	await callbacks((cb) => user.globalSignOut(cb));
	await refused(refreshOnce(session), REVOKED);
	// The access token is refused too (GetUser), not only the refresh token.
	const stale = newUser();
	stale.setSignInUserSession(session);
	await refused(node((cb) => stale.getUserData(cb, { bypassCache: true })), 'NotAuthorizedException');
}, ['sign_in']);

let secret;
await step('totp_setup', async () => {
	user = newUser();
	await signedIn(user);
	secret = await new Promise((resolve, reject) =>
		user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
	);
	await callbacks((cb) => user.verifySoftwareToken(totp(secret), 'srpkit compat', cb));
	await node((cb) => user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb));
}, ['sign_in']);

// getUserData hands on GetUser's PreferredMfaSetting and UserMFASettingList.
await step('get_mfa_preference', async () => {
	const data = await node((cb) => user.getUserData(cb, { bypassCache: true }));
	check(data.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA', `PreferredMfaSetting SOFTWARE_TOKEN_MFA, not ${data.PreferredMfaSetting}`);
	check((data.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'), 'SOFTWARE_TOKEN_MFA in UserMFASettingList');
}, ['totp_setup']);

await step('mfa_sign_in', async () => {
	user = newUser();
	const out = await authenticate(user);
	check(out.challenge === 'SOFTWARE_TOKEN_MFA', `the SOFTWARE_TOKEN_MFA challenge, not ${String(out.challenge ?? 'tokens')}`);
	// The setup's code is spent; the next step's is fresh.
	const session = await new Promise((resolve, reject) =>
		user.sendMFACode(totp(secret, 1), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA'),
	);
	check(session.isValid(), 'tokens after the code');
}, ['totp_setup']);

process.exit(0);
