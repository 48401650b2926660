#!/usr/bin/env node
// Runs the OFFICIAL @aws-amplify/auth v6 client (its public signIn / signOut)
// through whole sign-ins, with the network played by whoever drives this script
// (tests/test_server_js.py). Same JSON-lines protocol as identity_js_client.mjs:
//   stdin, first line: {"pool_id", "client_id", "username", "password", "sign_ins": n}
//   stdout: {"request": {"operation", "params"}}; stdin: {"data": {...}} or {"error": {"code", "message"}}
//   stdout: {"result": {"ok", "sign_in", ["code", "message"]}} per sign-in; then {"done": true}.
// Amplify speaks the AWS JSON protocol over fetch, so fetch is what we replace:
// its real service clients, serializers and error parsers all run.

import { createRequire } from 'node:module';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.SRPKIT_JS_TOOLS || path.resolve(here, '../../vectors/tools');
const require = createRequire(path.join(toolsDir, 'package.json'));

for (const k of ['log', 'info', 'warn', 'debug', 'trace']) console[k] = console.error;
// Amplify names the device from navigator.userAgent; without it, it skips ConfirmDevice.
if (typeof globalThis.navigator === 'undefined') {
	globalThis.navigator = { userAgent: 'srpkit-test (node)' };
}

const { Amplify } = require('@aws-amplify/core');
const { signIn, signOut } = require('@aws-amplify/auth');
const { cognitoUserPoolsTokenProvider } = require('@aws-amplify/auth/cognito');

const lines = readline.createInterface({ input: process.stdin, terminal: false });
const iterator = lines[Symbol.asyncIterator]();
async function readJson() {
	const { value, done } = await iterator.next();
	if (done) throw new Error('amplify_client: stdin closed');
	return JSON.parse(value);
}
function send(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

globalThis.fetch = async (url, init = {}) => {
	const headers = init.headers || {};
	const target = headers['x-amz-target'] ?? headers['X-Amz-Target'] ?? '';
	const operation = String(target).split('.').pop();
	send({ request: { operation, params: init.body ? JSON.parse(init.body) : {} } });
	const answer = await readJson();
	const [status, body] = answer.error
		? [400, { __type: answer.error.code, message: answer.error.message }]
		: [200, answer.data];
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'srpkit' },
	});
};

class MemoryStorage {
	constructor() { this.m = new Map(); }
	async setItem(k, v) { this.m.set(k, v); }
	async getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
	async removeItem(k) { this.m.delete(k); }
	async clear() { this.m.clear(); }
}

const config = await readJson();
const auth = { Cognito: { userPoolId: config.pool_id, userPoolClientId: config.client_id } };
cognitoUserPoolsTokenProvider.setAuthConfig(auth);
cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });

for (let i = 1; i <= (config.sign_ins || 1); i++) {
	let result;
	try {
		const out = await signIn({
			username: config.username,
			password: config.password,
			options: { authFlowType: 'USER_SRP_AUTH' },
		});
		result = out.isSignedIn
			? { ok: true }
			: { ok: false, code: 'unexpected', message: JSON.stringify(out.nextStep) };
		if (out.isSignedIn) await signOut(); // local sign-out: the device stays remembered
	} catch (err) {
		result = { ok: false, code: err.name, message: err.message };
	}
	send({ result: { ...result, sign_in: i } });
}
send({ done: true });
process.exit(0);
