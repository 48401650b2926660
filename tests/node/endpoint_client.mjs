#!/usr/bin/env node
// Runs an OFFICIAL JavaScript client over real HTTP against a Cognito-compatible
// endpoint (tests/test_serve_js.py points it at `srpkit serve`): nothing is faked,
// the client's own fetch, serializers, crypto and device storage all run.
//
//   node endpoint_client.mjs '{"client": "identity-js" | "amplify", "endpoint", "pool_id",
//                              "client_id", "username", "password", "sign_ins": n}'
// stdout, one JSON line per sign-in:
//   {"sign_in": i, "ok": true, "remembered": bool} or {"sign_in": i, "ok": false, "code", "message"}
// Sign-in i > 1 reuses the client's storage, so it proves a remembered device
// (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER) if an earlier one confirmed it;
// a device the pool remembers only on the user's say-so is remembered right away.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.SRPKIT_JS_TOOLS || path.resolve(here, '../../vectors/tools');
const require = createRequire(path.join(toolsDir, 'package.json'));

// Library logging must never reach the result stream.
for (const k of ['log', 'info', 'warn', 'debug', 'trace']) console[k] = console.error;
// Amplify names the device from navigator.userAgent; without it, it skips ConfirmDevice.
if (typeof globalThis.navigator === 'undefined') {
	globalThis.navigator = { userAgent: 'srpkit-test (node)' };
}

const config = JSON.parse(process.argv[2]);
const send = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const failure = (err) => ({ ok: false, code: err.code || err.name, message: err.message });

function identityJs() {
	const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');
	const pool = new CognitoUserPool({
		UserPoolId: config.pool_id,
		ClientId: config.client_id,
		endpoint: config.endpoint,
	});
	return () =>
		new Promise((resolve) => {
			const user = new CognitoUser({ Username: config.username, Pool: pool });
			const details = new AuthenticationDetails({
				Username: config.username,
				Password: config.password,
			});
			const unexpected = (what) => () => resolve({ ok: false, code: 'unexpected', message: what });
			user.authenticateUser(details, {
				onSuccess: (_session, userConfirmationNecessary) => {
					if (!userConfirmationNecessary) return resolve({ ok: true, remembered: false });
					user.setDeviceStatusRemembered({
						onSuccess: () => resolve({ ok: true, remembered: true }),
						onFailure: (err) => resolve(failure(err)),
					});
				},
				onFailure: (err) => resolve(failure(err)),
				mfaRequired: unexpected('mfaRequired'),
				newPasswordRequired: unexpected('newPasswordRequired'),
			});
		});
}

async function amplify() {
	const { Amplify } = require('@aws-amplify/core');
	const { signIn, signOut, rememberDevice } = require('@aws-amplify/auth');
	const { cognitoUserPoolsTokenProvider } = require('@aws-amplify/auth/cognito');
	class MemoryStorage {
		constructor() { this.m = new Map(); }
		async setItem(k, v) { this.m.set(k, v); }
		async getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
		async removeItem(k) { this.m.delete(k); }
		async clear() { this.m.clear(); }
	}
	const auth = {
		Cognito: {
			userPoolId: config.pool_id,
			userPoolClientId: config.client_id,
			userPoolEndpoint: config.endpoint,
		},
	};
	cognitoUserPoolsTokenProvider.setAuthConfig(auth);
	cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
	Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
	return async () => {
		try {
			const out = await signIn({
				username: config.username,
				password: config.password,
				options: { authFlowType: 'USER_SRP_AUTH' },
			});
			if (!out.isSignedIn) {
				return { ok: false, code: 'unexpected', message: JSON.stringify(out.nextStep) };
			}
			if (config.remember) await rememberDevice();
			await signOut(); // local sign-out (RevokeToken): the device stays remembered
			return { ok: true, remembered: Boolean(config.remember) };
		} catch (err) {
			return failure(err);
		}
	};
}

const signInOnce = config.client === 'amplify' ? await amplify() : identityJs();
for (let i = 1; i <= (config.sign_ins || 1); i++) {
	send({ sign_in: i, ...(await signInOnce()) });
}
process.exit(0);
