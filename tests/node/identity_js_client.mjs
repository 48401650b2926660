#!/usr/bin/env node
// Runs the OFFICIAL amazon-cognito-identity-js client through whole sign-ins,
// with the network played by whoever drives this script (tests/test_server_js.py).
//
// Protocol (JSON lines):
//   stdin, first line: {"pool_id", "client_id", "username", "password", "sign_ins": n}
//   stdout: {"request": {"operation", "params"}}  one per API call the client makes;
//   stdin:  {"data": {...}} or {"error": {"code", "message"}}  the answer to it;
//   stdout: {"result": {"ok": true, "sign_in": i}} or {"result": {"ok": false, "code", "message"}}
//           after each sign-in (the client's own onSuccess / onFailure);
//   stdout: {"done": true} at the end.
// The client's randomness and clock are its own: nothing here touches its crypto.
// Sign-in i > 1 reuses the client's storage, so it proves a remembered device
// (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER) if the first one confirmed one.

import { createRequire } from 'node:module';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.SRPKIT_JS_TOOLS || path.resolve(here, '../../vectors/tools');
const require = createRequire(path.join(toolsDir, 'package.json'));

// Library logging must never reach the protocol stream.
for (const k of ['log', 'info', 'warn', 'debug', 'trace']) console[k] = console.error;

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');

const lines = readline.createInterface({ input: process.stdin, terminal: false });
const iterator = lines[Symbol.asyncIterator]();
async function readJson() {
	const { value, done } = await iterator.next();
	if (done) throw new Error('identity_js_client: stdin closed');
	return JSON.parse(value);
}
function send(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

// The client calls the network one request at a time, so answers arrive in order.
let queue = Promise.resolve();
function fakeRequest(operation, params, callback) {
	queue = queue.then(async () => {
		send({ request: { operation, params } });
		const answer = await readJson();
		if (answer.error) {
			const err = new Error(answer.error.message);
			err.code = answer.error.code;
			err.name = answer.error.code;
			callback(err, null);
		} else {
			callback(null, answer.data);
		}
	});
}

function signIn(pool, username, password) {
	return new Promise((resolve) => {
		const user = new CognitoUser({ Username: username, Pool: pool });
		const details = new AuthenticationDetails({ Username: username, Password: password });
		user.authenticateUser(details, {
			onSuccess: () => resolve({ ok: true }),
			onFailure: (err) => resolve({ ok: false, code: err.code || err.name, message: err.message }),
			mfaRequired: () => resolve({ ok: false, code: 'unexpected', message: 'mfaRequired' }),
			newPasswordRequired: () => resolve({ ok: false, code: 'unexpected', message: 'newPasswordRequired' }),
		});
	});
}

const config = await readJson();
const pool = new CognitoUserPool({ UserPoolId: config.pool_id, ClientId: config.client_id });
pool.client.request = fakeRequest;
pool.client.requestWithRetry = fakeRequest;
for (let i = 1; i <= (config.sign_ins || 1); i++) {
	const result = await signIn(pool, config.username, config.password);
	send({ result: { ...result, sign_in: i } });
}
send({ done: true });
process.exit(0);
