// What the compatibility scenarios share: their input, their output, and a TOTP.
//
// Each scenario script is run as `node <client>.mjs <base URL>` (or with SRPKIT_COMPAT_URL set)
// and reads its pool, app clients and user as one JSON object on stdin (never argv: argv is
// readable by every process on the machine, and the object carries a password and a client
// secret). It prints one JSON line per step, {"step", "ok", "error"}, on stdout; the library's
// own logging goes to stderr, so it never mixes into the result stream.

import crypto from 'node:crypto';

for (const k of ['log', 'info', 'warn', 'debug', 'trace']) console[k] = console.error;

/** The base URL (argv, else SRPKIT_COMPAT_URL) and the JSON object on stdin. */
export async function readInput() {
	const url = process.argv[2] || process.env.SRPKIT_COMPAT_URL;
	if (!url) throw new Error('usage: node <client>.mjs <base URL> < config.json');
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	return { url, config: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
}

/** An error as one line: the code the client gives it, then its message. */
export function describe(err) {
	if (err === undefined || err === null) return 'no error';
	const code = err.code || err.name || 'Error';
	return `${code}: ${err.message ?? String(err)}`;
}

/**
 * Runs named steps in order and prints each one's outcome. A step that needs an earlier
 * one which failed is not run: it is printed as failed with "needs <step>".
 */
export function steps() {
	const passed = new Set();
	async function step(name, fn, needs = []) {
		const missing = needs.filter((n) => !passed.has(n));
		let error = null;
		if (missing.length > 0) {
			error = `needs ${missing.join(', ')}`;
		} else {
			try {
				await fn();
				passed.add(name);
			} catch (err) {
				error = describe(err);
			}
		}
		process.stdout.write(JSON.stringify({ step: name, ok: error === null, error }) + '\n');
		return error === null;
	}
	return { step, passed };
}

/** Throws unless ``condition`` holds; ``what`` says what was expected. */
export function check(condition, what) {
	if (!condition) throw new Error(`expected ${what}`);
}

/** What Cognito answers a refresh with a revoked refresh token (aws-amplify/amplify-swift#3344). */
export const REVOKED = 'NotAuthorizedException: Refresh Token has been revoked';

/** Awaits ``promise``, which must be refused as ``expected`` ("code" or "code: message"). */
export async function refused(promise, expected) {
	try {
		await promise;
	} catch (err) {
		const found = describe(err);
		if (found !== expected && !found.startsWith(`${expected}: `)) {
			throw new Error(`expected ${expected}, got ${found}`);
		}
		return found;
	}
	throw new Error(`expected ${expected}, but the call succeeded`);
}

/** A callback-style call (identity-js) as a promise: ``fn(callback)`` with (err, value). */
export function node(fn) {
	return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** A callbacks-object call (identity-js): ``fn({onSuccess, onFailure})`` as a promise. */
export function callbacks(fn) {
	return new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));
}

/** The claims of a JWT (not verified: the server's own tests check its signatures). */
export function claims(jwt) {
	return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) of a base32 secret, ``stepsAhead``
 * steps after now. Cognito accepts a code once, so a second use within the same 30 s must be
 * the next step's code (servers accept one step either side of now).
 */
export function totp(secret, stepsAhead = 0) {
	let bits = '';
	for (const ch of secret.replace(/=+$/, '').toUpperCase()) {
		const v = BASE32.indexOf(ch);
		if (v < 0) throw new Error('the TOTP secret is not base32');
		bits += v.toString(2).padStart(5, '0');
	}
	const key = Buffer.alloc(Math.floor(bits.length / 8));
	for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + stepsAhead));
	const mac = crypto.createHmac('sha1', key).update(counter).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
	return String(value).padStart(6, '0');
}

/** A Storage (identity-js's sync interface and Amplify's async one) that lives in memory. */
export class MemoryStorage {
	constructor() {
		this.m = new Map();
	}
	setItem(k, v) {
		this.m.set(k, String(v));
	}
	getItem(k) {
		return this.m.has(k) ? this.m.get(k) : null;
	}
	removeItem(k) {
		this.m.delete(k);
	}
	clear() {
		this.m.clear();
	}
	/** A copy of everything stored (to put a signed-out session back and try its tokens). */
	snapshot() {
		return new Map(this.m);
	}
	restore(saved) {
		this.m = new Map(saved);
	}
}
