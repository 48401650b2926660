// aws-amplify v6, as it ships, through a whole session against a Cognito endpoint.
//
//   node amplify.mjs <base URL> < {"pool_id", "client_id", "secret_client_id", "username", "password"}
//
// Configured as the Amplify docs say, with userPoolEndpoint for the local endpoint. Steps (one
// JSON line each, see lib.mjs): sign_in_client_secret, sign_in, fetch_user_attributes, refresh,
// remember_device, fetch_devices, device_sign_in, refresh_with_device, forget_device, sign_out,
// user_password_auth, global_sign_out, totp_setup, fetch_mfa_preference, mfa_sign_in.

import { Amplify } from 'aws-amplify';
import {
	confirmSignIn,
	fetchAuthSession,
	fetchDevices,
	fetchMFAPreference,
	fetchUserAttributes,
	forgetDevice,
	rememberDevice,
	setUpTOTP,
	signIn,
	signOut,
	updateMFAPreference,
	verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { Hub } from 'aws-amplify/utils';
import { check, claims, describe, MemoryStorage, readInput, REVOKED, steps, totp } from './lib.mjs';

// Amplify names the device from navigator.userAgent; without one it skips ConfirmDevice.
if (typeof globalThis.navigator === 'undefined') {
	globalThis.navigator = { userAgent: 'srpkit-compat (node)' };
}

const { url, config } = await readInput();
const storage = new MemoryStorage();
function configure(clientId) {
	Amplify.configure({
		Auth: { Cognito: { userPoolId: config.pool_id, userPoolClientId: clientId, userPoolEndpoint: url } },
	});
	// After configure, which puts back its default storage: ours can be copied and restored.
	cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
}
const { step } = steps();

// A refused refresh does not throw: Amplify drops the tokens and tells Hub why.
let refreshFailure = null;
Hub.listen('auth', ({ payload }) => {
	if (payload.event === 'tokenRefresh_failure') refreshFailure = payload.data?.error ?? null;
});

async function signedIn(authFlowType = 'USER_SRP_AUTH') {
	const out = await signIn({ username: config.username, password: config.password, options: { authFlowType } });
	check(out.isSignedIn, `signed in, not ${out.nextStep?.signInStep}`);
}
async function tokens(forceRefresh = false) {
	return (await fetchAuthSession({ forceRefresh })).tokens;
}
/** Puts a signed-out session's tokens back and forces a refresh: it must be refused. */
async function refreshRefused(saved) {
	storage.restore(saved);
	refreshFailure = null;
	const found = await tokens(true);
	check(found === undefined, 'no tokens from a revoked refresh token');
	check(describe(refreshFailure) === REVOKED, `${REVOKED}, not ${describe(refreshFailure)}`);
	storage.clear();
}

// Amplify has no client-secret option: the step shows what a secret client makes of it.
configure(config.secret_client_id);
await step('sign_in_client_secret', () => signedIn());
storage.clear();
configure(config.client_id);

let deviceKey;
await step('sign_in', async () => {
	await signedIn();
	deviceKey = storage.getItem(`CognitoIdentityServiceProvider.${config.client_id}.${config.username}.deviceKey`);
	check(Boolean(deviceKey), 'a device key stored after ConfirmDevice');
});

await step('fetch_user_attributes', async () => {
	const attributes = await fetchUserAttributes();
	check(attributes.sub === (await tokens()).idToken.payload.sub, 'the sub of the id token');
}, ['sign_in']);

await step('refresh', async () => {
	const before = (await tokens()).accessToken.payload.jti;
	const after = await tokens(true);
	check(after && after.accessToken.payload.jti !== before, 'a new access token');
}, ['sign_in']);

await step('remember_device', () => rememberDevice(), ['sign_in']);

await step('fetch_devices', async () => {
	const devices = await fetchDevices();
	check(devices.some((d) => d.id === deviceKey), 'the remembered device in fetchDevices');
}, ['remember_device']);

await step('device_sign_in', async () => {
	await signOut();
	await signedIn();
	check((await tokens()).accessToken.payload.device_key === deviceKey, 'an access token naming the device');
}, ['remember_device']);

await step('refresh_with_device', async () => {
	const after = await tokens(true);
	check(after && after.accessToken.payload.device_key === deviceKey, 'the device kept through the refresh');
}, ['device_sign_in']);

await step('forget_device', async () => {
	await forgetDevice();
	check(!(await fetchDevices()).some((d) => d.id === deviceKey), 'the device gone from fetchDevices');
}, ['device_sign_in']);

// signOut() revokes the refresh token (RevokeToken); the same tokens then refresh no more.
await step('sign_out', async () => {
	if (!(await tokens())) await signedIn();
	const saved = storage.snapshot();
	await signOut();
	check((await tokens()) === undefined, 'no tokens after signOut');
	await refreshRefused(saved);
}, ['sign_in']);

await step('user_password_auth', async () => {
	await signedIn('USER_PASSWORD_AUTH');
	check(claims((await tokens()).accessToken.toString()).username === config.username, 'tokens for the user');
});

await step('global_sign_out', async () => {
	if (!(await tokens())) await signedIn();
	const saved = storage.snapshot();
	await signOut({ global: true });
	await refreshRefused(saved);
}, ['sign_in']);

let secret;
await step('totp_setup', async () => {
	await signedIn();
	secret = (await setUpTOTP()).sharedSecret;
	await verifyTOTPSetup({ code: totp(secret) });
	await updateMFAPreference({ totp: 'PREFERRED' });
}, ['sign_in']);

// fetchMFAPreference reads GetUser's UserMFASettingList and PreferredMfaSetting.
await step('fetch_mfa_preference', async () => {
	const found = await fetchMFAPreference();
	check(found.preferred === 'TOTP' && (found.enabled ?? []).includes('TOTP'), `TOTP enabled and preferred, not ${JSON.stringify(found)}`);
}, ['totp_setup']);

await step('mfa_sign_in', async () => {
	await signOut();
	const out = await signIn({ username: config.username, password: config.password });
	check(out.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', `the TOTP step, not ${out.nextStep.signInStep}`);
	// The setup's code is spent; the next step's is fresh.
	const done = await confirmSignIn({ challengeResponse: totp(secret, 1) });
	check(done.isSignedIn, `signed in, not ${done.nextStep?.signInStep}`);
}, ['totp_setup']);

process.exit(0);
