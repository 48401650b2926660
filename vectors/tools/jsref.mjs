#!/usr/bin/env node
// srpkit oracle harness: drives the OFFICIAL JavaScript Cognito SRP clients
// (amazon-cognito-identity-js and @aws-amplify/auth v6) with their random
// source and clock fixed, and the network played by a fake.
//
// Protocol: one JSON request per stdin line -> exactly one JSON line on stdout,
// in order.  Errors never kill the process: they become {"id":..,"error":".."}.
// See README.md for the ops.
//
// How things are fixed (the same for both libraries):
//  * Random source: both libraries draw random bytes through
//    crypto.getRandomValues(new Uint32Array(1)) (identity-js:
//    utils/cryptoSecureRandomInt -> the global `crypto` object captured at load;
//    amplify: @aws-amplify/core utils/cryptoSecureRandomInt -> getCrypto()).
//    We override getRandomValues on the global crypto object: while a request
//    has "forced" bytes queued, every Uint32Array(1) draw is served from the
//    queue (big-endian, matching their WordArray hex encoding); any other
//    draw (e.g. uuid) gets real randomness.  After the op we require the queue
//    to be exactly consumed, which proves the library drew what we expected.
//    So `a` goes in as the library's own 128-byte draw (generateRandomSmallA /
//    generateRandomBigInteger run for real); a wider a is swapped in after the
//    draw (see WIDE_SENTINEL below).
//  * Clock: globalThis.Date is replaced by a wrapper whose no-argument
//    constructor / Date.now() return the request's `instant`.
//  * Network: identity-js -> CognitoUserPool.client.request replaced by a fake;
//    amplify -> globalThis.fetch replaced by a fake that answers the AWS JSON
//    protocol (so amplify's real service clients, serializers and error parsers run).
//
// Amplify internal modules imported by file path (the package "exports" map
// hides them; importing by path gives the SAME module instances the public
// entry point uses, because they are the same files):
//  dist/esm/providers/cognito/utils/handleDeviceSRPAuth.mjs   - the DEVICE_SRP_AUTH
//      -> DEVICE_PASSWORD_VERIFIER handler signIn calls (needs a tokenOrchestrator;
//      we pass one whose getDeviceMetadata returns the request's device data)
//  dist/esm/providers/cognito/utils/getNewDeviceMetadata.mjs  - the ConfirmDevice
//      flow signIn runs when AuthenticationResult has NewDeviceMetadata
//  dist/esm/providers/cognito/utils/srp/BigInteger/index.mjs  - its JSBN BigInteger:
//      we wrap BigInteger.prototype.modPow to OBSERVE (not change) x and S
//  dist/esm/providers/cognito/utils/srp/calculate/calculateU.mjs,
//      getPaddedHex.mjs, getHkdfKey.mjs, getBytesFromHex.mjs, getHexFromBytes.mjs,
//      getSignatureString.mjs, getNowString.mjs - its own helpers, used to
//      derive u / padHex strings / the HKDF key from the observed values and
//      to self-check: the recomputed signature must equal the one it sent.
//  @aws-amplify/core/internals/utils: base64Encoder (only to force a
//      non-canonical devicePassword, see device_verifier_config).

import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import readline from 'node:readline';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- stdout hygiene
// Library logging must never reach the protocol stream.
for (const k of ['log', 'info', 'warn', 'debug', 'trace']) console[k] = console.error;
process.on('unhandledRejection', (e) => {
	process.stderr.write(`jsref: unhandled rejection: ${e && e.stack ? e.stack : e}\n`);
});
process.on('uncaughtException', (e) => {
	process.stderr.write(`jsref: uncaught exception: ${e && e.stack ? e.stack : e}\n`);
});

// ---------------------------------------------------------------- polyfills
// node 20 has crypto.getRandomValues, atob/btoa, TextEncoder, fetch, Response.
// It has no `navigator`: amplify's getDeviceName() (ConfirmDevice DeviceName)
// reads navigator.userAgent and would throw, which getNewDeviceMetadata
// swallows (-> no ConfirmDevice at all).  Minimal polyfill:
if (typeof globalThis.navigator === 'undefined') {
	globalThis.navigator = { userAgent: 'srpkit-jsref (node)' };
}

// ---------------------------------------------------------------- random source
const cryptoObj = globalThis.crypto;
const realGetRandomValues = cryptoObj.getRandomValues.bind(cryptoObj);
let forced = null; // Uint8Array
let forcedPos = 0;
Object.defineProperty(cryptoObj, 'getRandomValues', {
	configurable: true,
	writable: true,
	value(arr) {
		if (forced && arr instanceof Uint32Array && arr.length === 1) {
			if (forcedPos + 4 > forced.length) {
				throw new Error('jsref: library drew more random bytes than were forced');
			}
			const b = forced;
			const p = forcedPos;
			arr[0] = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
			forcedPos += 4;
			return arr;
		}
		return realGetRandomValues(arr);
	},
});

// ---------------------------------------------------------------- clock
const RealDate = Date;
let fixedMs = null;
function FakeDate(...args) {
	if (!new.target) return new RealDate(fixedMs ?? RealDate.now()).toString();
	return Reflect.construct(RealDate, args.length ? args : [fixedMs ?? RealDate.now()], new.target);
}
FakeDate.prototype = RealDate.prototype;
FakeDate.now = () => fixedMs ?? RealDate.now();
FakeDate.UTC = RealDate.UTC;
FakeDate.parse = RealDate.parse;
globalThis.Date = FakeDate;

// ---------------------------------------------------------------- libraries
const idjs = await import('amazon-cognito-identity-js');
const { CognitoUser, CognitoUserPool, AuthenticationHelper, AuthenticationDetails, DateHelper } = idjs;

const { Amplify } = await import('@aws-amplify/core');
const { base64Encoder } = await import('@aws-amplify/core/internals/utils');
const { signIn } = await import('@aws-amplify/auth');
const { cognitoUserPoolsTokenProvider } = await import('@aws-amplify/auth/cognito');
const AMP = './node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/';
const ampImport = (p) => import(new URL(AMP + p, import.meta.url).href);
const { handleDeviceSRPAuth } = await ampImport('handleDeviceSRPAuth.mjs');
const { getNewDeviceMetadata } = await ampImport('getNewDeviceMetadata.mjs');
const { BigInteger: AmpBigInteger } = await ampImport('srp/BigInteger/index.mjs');
const { calculateU: ampCalculateU } = await ampImport('srp/calculate/calculateU.mjs');
const { getPaddedHex } = await ampImport('srp/getPaddedHex.mjs');
const { getHkdfKey } = await ampImport('srp/getHkdfKey.mjs');
const { getBytesFromHex } = await ampImport('srp/getBytesFromHex.mjs');
const { getHexFromBytes } = await ampImport('srp/getHexFromBytes.mjs');
const { getSignatureString } = await ampImport('srp/getSignatureString.mjs');
const { getNowString: ampGetNowString } = await ampImport('srp/getNowString.mjs');

const pkgVersion = (name) => require(`${name}/package.json`).version;
const VERSIONS = {
	'amazon-cognito-identity-js': pkgVersion('amazon-cognito-identity-js'),
	'@aws-amplify/auth': pkgVersion('@aws-amplify/auth'),
	'@aws-amplify/core': pkgVersion('@aws-amplify/core'),
	node: process.version,
};

// ---------------------------------------------------------------- observers
// identity-js: wrap AuthenticationHelper prototype methods to record x, S and
// the HKDF key as the real flow computes them (values passed through untouched).
let idjsRec = null;
{
	const P = AuthenticationHelper.prototype;
	const origCalcS = P.calculateS;
	P.calculateS = function (xValue, serverBValue, callback) {
		return origCalcS.call(this, xValue, serverBValue, (err, s) => {
			if (idjsRec) Object.assign(idjsRec, { helper: this, x: xValue, S: s });
			return callback(err, s);
		});
	};
	const origKey = P.getPasswordAuthenticationKey;
	P.getPasswordAuthenticationKey = function (username, password, B, salt, callback) {
		return origKey.call(this, username, password, B, salt, (err, hkdf) => {
			if (idjsRec) Object.assign(idjsRec, { helper: this, key: hkdf });
			return callback(err, hkdf);
		});
	};
}
// amplify: record every modPow (base, exponent, result) of its BigInteger.
let ampRec = null;
{
	const origModPow = AmpBigInteger.prototype.modPow;
	AmpBigInteger.prototype.modPow = function (e, m, callback) {
		const base = this;
		return origModPow.call(this, e, m, (err, r) => {
			if (ampRec) ampRec.push({ base, e, m, r });
			return callback(err, r);
		});
	};
}

// A wide a (>= 2^1024, as the .NET SDK's own unit test uses) cannot come from the
// libraries' 128-byte draw. The draw still runs for real, fed WIDE_SENTINEL; the
// BigInteger the library parses from exactly that draw's hex is then parsed from
// the wide a instead (identity-js: generateRandomSmallA's result; amplify: the
// fromString its generateRandomBigInteger calls). Everything after it (A = g^a
// mod N, S with a + u*x, unreduced) is the libraries' own code.
const WIDE_SENTINEL = new Uint8Array(128).fill(0x5a);
const WIDE_SENTINEL_HEX = '5a'.repeat(128);
let wideA = null;
{
	const P = AuthenticationHelper.prototype;
	const origDraw = P.generateRandomSmallA;
	P.generateRandomSmallA = function () {
		const drawn = origDraw.call(this);
		if (wideA === null || drawn.toString(16) !== WIDE_SENTINEL_HEX) return drawn;
		const wide = new drawn.constructor(wideA, 16);
		wideA = null;
		return wide;
	};
	const origFromString = AmpBigInteger.prototype.fromString;
	AmpBigInteger.prototype.fromString = function (text, radix) {
		if (wideA !== null && radix === 16 && text === WIDE_SENTINEL_HEX) {
			const wide = wideA;
			wideA = null;
			return origFromString.call(this, wide, radix);
		}
		return origFromString.call(this, text, radix);
	};
}
// The bytes to feed for a: the draw itself, or (a >= 2^1024) the sentinel, arming the swap.
function aDraw(hex) {
	wideA = null;
	if (typeof hex === 'string' && HEX_RE.test(hex) && hex.replace(/^0+/, '').length > 256) {
		wideA = hex.replace(/^0+/, '');
		return WIDE_SENTINEL;
	}
	return hexToBytes(hex, 128, 'a');
}
function checkWideUsed() {
	if (wideA !== null) {
		wideA = null;
		throw new Error('jsref: the library did not parse its a draw where the wide a is swapped in');
	}
}

// ---------------------------------------------------------------- helpers
const HEX_RE = /^[0-9a-fA-F]+$/;
// default a for device_verifier_config (its helper draws an unused a first); not 0, see hexToBytes
const A_ONE = (() => {
	const b = new Uint8Array(128);
	b[127] = 1;
	return b;
})();
function need(req, ...keys) {
	for (const k of keys) {
		if (typeof req[k] !== 'string') throw new Error(`missing or non-string field "${k}"`);
	}
}
function hexToBytes(hex, n, what) {
	if (typeof hex !== 'string' || !HEX_RE.test(hex)) throw new Error(`${what} must be a non-empty hex string`);
	let h = hex.replace(/^0+/, '');
	if (what === 'a' && h === '') {
		// Both libraries' JSBN modPow returns early WITHOUT invoking its callback
		// for a zero exponent, so A = g^0 is never delivered: identity-js's
		// authenticateUser silently never proceeds, amplify's
		// getAuthenticationHelper() never settles.  Report instead of hanging.
		throw new Error('a = 0: library flow never completes (BigInteger.modPow does not call back for a zero exponent)');
	}
	if (h.length % 2) h = '0' + h;
	if (h.length / 2 > n) {
		throw new Error(`${what} does not fit the library's ${n}-byte random draw (must be < 2^${8 * n})`);
	}
	h = h.padStart(2 * n, '0');
	return Uint8Array.from(Buffer.from(h, 'hex'));
}
function exactHexBytes(hex, n, what) {
	if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex) || hex.length !== 2 * n) {
		throw new Error(`${what} must be exactly ${n} bytes of hex`);
	}
	return Uint8Array.from(Buffer.from(hex, 'hex'));
}
function concat(...arrs) {
	const out = new Uint8Array(arrs.reduce((s, a) => s + a.length, 0));
	let o = 0;
	for (const a of arrs) {
		out.set(a, o);
		o += a.length;
	}
	return out;
}
function setInstant(instant) {
	if (typeof instant !== 'string') throw new Error('missing or non-string field "instant"');
	const ms = RealDate.parse(instant);
	if (Number.isNaN(ms)) throw new Error(`cannot parse instant ${JSON.stringify(instant)}`);
	fixedMs = ms;
}
function forceRandom(bytes) {
	forced = bytes;
	forcedPos = 0;
}
function checkRandomConsumed() {
	if (forced && forcedPos !== forced.length) {
		throw new Error(`jsref: library drew ${forcedPos} random bytes, expected ${forced.length}`);
	}
}
function errString(e) {
	if (e == null) return String(e);
	let s = `${e.name || 'Error'}: ${e.message ?? e}`;
	if (e.underlyingError) s += ` (underlying ${errString(e.underlyingError)})`;
	return s;
}
// Canonical base64 of exactly 40 bytes? Then it can be fed as the library's own draw.
function devicePasswordBytes(pw) {
	if (!/^[A-Za-z0-9+/]{54}==$/.test(pw)) return null;
	const b = Buffer.from(pw, 'base64');
	return b.length === 40 && b.toString('base64') === pw ? Uint8Array.from(b) : null;
}
function memoryStorage() {
	const m = new Map();
	return {
		setItem: (k, v) => m.set(k, String(v)),
		getItem: (k) => (m.has(k) ? m.get(k) : null),
		removeItem: (k) => m.delete(k),
		clear: () => m.clear(),
	};
}
const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const FAKE_JWT = `${b64url({ alg: 'none' })}.${b64url({ sub: 'srpkit', exp: 4102444800, iat: 1700000000, username: 'srpkit' })}.c2ln`;
const CAPTURED = 'srpkit-jsref: captured request, stopping flow';
const DEFAULT_CLIENT_ID = 'jsrefclientid0123456789abc';
const DEFAULT_POOL_ID = 'us-east-1_JsRefPool';

// ---------------------------------------------------------------- identity-js driver
function idjsPool(poolId, clientId, handler) {
	const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, Storage: memoryStorage() });
	// fake network: handler(op, params) -> [err, data]
	pool.client.request = (op, params, callback) => {
		const [err, data] = handler(op, params);
		return callback(err, data);
	};
	return pool;
}
// Runs fn(callbacks); resolves with the outcome; a synchronous throw rejects.
function idjsRun(fn) {
	return new Promise((resolve, reject) => {
		const done = (kind) => (...args) => resolve({ kind, args });
		const cb = {
			onSuccess: done('success'),
			onFailure: (e) => resolve({ kind: 'failure', error: e }),
			newPasswordRequired: done('newPasswordRequired'),
			mfaRequired: done('mfaRequired'),
			totpRequired: done('totpRequired'),
			customChallenge: done('customChallenge'),
			mfaSetup: done('mfaSetup'),
			selectMFAType: done('selectMFAType'),
		};
		try {
			fn(cb);
		} catch (e) {
			reject(e);
		}
	});
}
const stopErr = () => ({ code: 'NotAuthorizedException', name: 'NotAuthorizedException', message: CAPTURED });
function expectCaptured(outcome, cap, key) {
	if (cap[key]) return;
	if (outcome.kind === 'failure') throw outcome.error instanceof Error ? outcome.error : new Error(errString(outcome.error));
	throw new Error(`flow ended (${outcome.kind}) without sending the expected request`);
}
function idjsIntermediates(rec) {
	const h = rec.helper;
	if (!h || !rec.S || !rec.key) throw new Error('jsref: could not observe identity-js intermediates');
	return {
		u: h.padHex(h.UValue),
		x: h.padHex(rec.x),
		S: h.padHex(rec.S),
		key: Buffer.from(rec.key).toString('hex'),
	};
}

const idjsOps = {
	async srp_a(req) {
		forceRandom(aDraw(req.a));
		const cap = {};
		const pool = idjsPool(req.poolId ?? DEFAULT_POOL_ID, req.clientId ?? DEFAULT_CLIENT_ID, (op, p) => {
			if (op === 'InitiateAuth') cap.init = p;
			return [stopErr(), null];
		});
		const user = new CognitoUser({ Username: req.username ?? 'srpkit-user', Pool: pool, Storage: memoryStorage() });
		const out = await idjsRun((cb) =>
			user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: 'x' }), cb)
		);
		expectCaptured(out, cap, 'init');
		checkRandomConsumed();
		checkWideUsed();
		return { srpA: cap.init.AuthParameters.SRP_A };
	},

	async password_verifier(req) {
		need(req, 'poolId', 'userIdForSrp', 'password', 'a', 'salt', 'srpB', 'secretBlock');
		setInstant(req.instant);
		forceRandom(aDraw(req.a));
		const cap = {};
		const pool = idjsPool(req.poolId, req.clientId ?? DEFAULT_CLIENT_ID, (op, p) => {
			if (op === 'InitiateAuth') {
				cap.init = p;
				return [null, {
					ChallengeName: 'PASSWORD_VERIFIER',
					Session: 'jsref-session',
					ChallengeParameters: {
						SALT: req.salt,
						SRP_B: req.srpB,
						SECRET_BLOCK: req.secretBlock,
						USER_ID_FOR_SRP: req.userIdForSrp,
						USERNAME: req.userIdForSrp,
					},
				}];
			}
			if (op === 'RespondToAuthChallenge' && p.ChallengeName === 'PASSWORD_VERIFIER') cap.resp = p;
			return [stopErr(), null];
		});
		const username = req.username ?? req.userIdForSrp;
		const user = new CognitoUser({ Username: username, Pool: pool, Storage: memoryStorage() });
		idjsRec = {};
		const out = await idjsRun((cb) =>
			user.authenticateUser(new AuthenticationDetails({ Username: username, Password: req.password }), cb)
		);
		expectCaptured(out, cap, 'resp');
		checkRandomConsumed();
		checkWideUsed();
		const cr = cap.resp.ChallengeResponses;
		return {
			srpA: cap.init.AuthParameters.SRP_A,
			...idjsIntermediates(idjsRec),
			timestamp: cr.TIMESTAMP,
			signature: cr.PASSWORD_CLAIM_SIGNATURE,
			username: cr.USERNAME,
		};
	},

	async device_password_verifier(req) {
		need(req, 'deviceGroupKey', 'deviceKey', 'devicePassword', 'a', 'salt', 'srpB', 'secretBlock');
		setInstant(req.instant);
		forceRandom(aDraw(req.a));
		const cap = {};
		const pool = idjsPool(req.poolId ?? DEFAULT_POOL_ID, req.clientId ?? DEFAULT_CLIENT_ID, (op, p) => {
			if (op === 'RespondToAuthChallenge' && p.ChallengeName === 'DEVICE_SRP_AUTH') {
				cap.init = p;
				const cp = { SALT: req.salt, SRP_B: req.srpB, SECRET_BLOCK: req.secretBlock };
				if (typeof req.challengeUsername === 'string') cp.USERNAME = req.challengeUsername;
				return [null, { ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: 'jsref-session-2', ChallengeParameters: cp }];
			}
			if (op === 'RespondToAuthChallenge' && p.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') cap.resp = p;
			return [stopErr(), null];
		});
		const user = new CognitoUser({ Username: req.username ?? 'srpkit-user', Pool: pool, Storage: memoryStorage() });
		// state the library holds after a user-SRP round that answered DEVICE_SRP_AUTH
		// (normally filled by getCachedDeviceKeyAndPassword / ConfirmDevice)
		user.deviceKey = req.deviceKey;
		user.deviceGroupKey = req.deviceGroupKey;
		user.randomPassword = req.devicePassword;
		user.Session = 'jsref-session-1';
		idjsRec = {};
		const out = await idjsRun((cb) => user.getDeviceResponse(cb));
		expectCaptured(out, cap, 'resp');
		checkRandomConsumed();
		checkWideUsed();
		const cr = cap.resp.ChallengeResponses;
		return {
			srpA: cap.init.ChallengeResponses.SRP_A,
			...idjsIntermediates(idjsRec),
			timestamp: cr.TIMESTAMP,
			signature: cr.PASSWORD_CLAIM_SIGNATURE,
			username: cr.USERNAME,
		};
	},

	async device_verifier_config(req) {
		need(req, 'deviceGroupKey', 'deviceKey', 'devicePassword', 'saltBytes');
		const pwBytes = devicePasswordBytes(req.devicePassword);
		const aBytes = req.a ? hexToBytes(req.a, 128, 'a') : A_ONE;
		forceRandom(concat(aBytes, pwBytes ?? new Uint8Array(0), exactHexBytes(req.saltBytes, 16, 'saltBytes')));
		const cap = {};
		const poolId = req.poolId ?? DEFAULT_POOL_ID;
		const pool = idjsPool(poolId, req.clientId ?? DEFAULT_CLIENT_ID, (op, p) => {
			if (op === 'ConfirmDevice') {
				cap.confirm = p;
				return [null, { UserConfirmationNecessary: false }];
			}
			return [stopErr(), null];
		});
		const user = new CognitoUser({ Username: req.username ?? 'srpkit-user', Pool: pool, Storage: memoryStorage() });
		const P = AuthenticationHelper.prototype;
		const origRandomString = P.generateRandomString;
		if (!pwBytes) P.generateRandomString = () => req.devicePassword; // non-canonical: stub the 40-byte draw
		try {
			// the helper authenticateUserDefaultAuth creates, then the tail of
			// authenticateUserInternal for a successful auth carrying NewDeviceMetadata
			const helper = new AuthenticationHelper(pool.getUserPoolName());
			const out = await idjsRun((cb) =>
				user.authenticateUserInternal(
					{
						AuthenticationResult: {
							AccessToken: FAKE_JWT,
							IdToken: FAKE_JWT,
							RefreshToken: 'jsref-refresh',
							ExpiresIn: 3600,
							TokenType: 'Bearer',
							NewDeviceMetadata: { DeviceGroupKey: req.deviceGroupKey, DeviceKey: req.deviceKey },
						},
					},
					helper,
					cb
				)
			);
			expectCaptured(out, cap, 'confirm');
		} finally {
			P.generateRandomString = origRandomString;
		}
		checkRandomConsumed();
		checkWideUsed();
		const cfg = cap.confirm.DeviceSecretVerifierConfig;
		return {
			passwordVerifier: cfg.PasswordVerifier,
			salt: cfg.Salt,
			devicePassword: user.randomPassword,
			devicePasswordVia: pwBytes ? 'random-bytes' : 'stub',
		};
	},

	async secret_hash(req) {
		return nodeSecretHash(req);
	},

	async timestamp(req) {
		setInstant(req.instant);
		return { timestamp: new DateHelper().getNowString() };
	},
};

function nodeSecretHash(req) {
	need(req, 'username', 'clientId', 'clientSecret');
	const secretHash = createHmac('sha256', Buffer.from(req.clientSecret, 'utf8'))
		.update(Buffer.from(req.username + req.clientId, 'utf8'))
		.digest('base64');
	return { secretHash, source: 'node-crypto' };
}

// ---------------------------------------------------------------- amplify driver
let ampFetchHandler = null;
globalThis.fetch = async (url, init = {}) => {
	const headers = init.headers || {};
	const target = headers['x-amz-target'] ?? headers['X-Amz-Target'] ?? '';
	const op = String(target).split('.').pop();
	const body = init.body ? JSON.parse(init.body) : {};
	if (!ampFetchHandler) throw new TypeError('jsref: no network');
	const [status, json] = ampFetchHandler(op, body);
	return new Response(JSON.stringify(json), {
		status,
		headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'jsref' },
	});
};
const ampStop = [400, { __type: 'NotAuthorizedException', message: CAPTURED }];

class InMemoryKV {
	constructor() {
		this.m = new Map();
	}
	async setItem(k, v) {
		this.m.set(k, v);
	}
	async getItem(k) {
		return this.m.has(k) ? this.m.get(k) : null;
	}
	async removeItem(k) {
		this.m.delete(k);
	}
	async clear() {
		this.m.clear();
	}
}
let ampConfigured = null;
function ampConfigure(poolId, clientId) {
	const key = `${poolId}\n${clientId}`;
	if (ampConfigured === key) return;
	// what aws-amplify's Amplify.configure does for Auth (that wrapper package is
	// not installed): give the token provider the config and the core singleton
	// the token provider.  Storage: a fresh in-memory store.
	const config = { Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId } } };
	cognitoUserPoolsTokenProvider.setAuthConfig(config.Auth);
	cognitoUserPoolsTokenProvider.setKeyValueStorage(new InMemoryKV());
	Amplify.configure(config, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
	ampConfigured = key;
}
async function ampRunCatching(fn) {
	try {
		return { value: await fn() };
	} catch (e) {
		return { error: e };
	}
}
function ampExpectCaptured(outcome, cap, key) {
	if (cap[key]) return;
	if (outcome.error) throw outcome.error;
	throw new Error('flow ended without sending the expected request');
}
// Derive the padHex strings / key from what amplify computed (observed modPows)
// using amplify's own helpers, then self-check against the signature it sent.
function ampIntermediates({ aHex, srpA, srpB, poolName, username, challengeParameters, timestamp, signature }) {
	const rec = ampRec;
	if (!rec || rec.length < 3) throw new Error('jsref: could not observe amplify modPow calls');
	const gx = rec[rec.length - 2];
	const last = rec[rec.length - 1];
	const a = new AmpBigInteger(aHex, 16);
	const A = new AmpBigInteger(srpA, 16);
	const B = new AmpBigInteger(srpB, 16);
	const N = last.m;
	const U = ampCalculateU({ A, B });
	const x = gx.e;
	if (!gx.base.equals(new AmpBigInteger('2', 16)) || !last.e.equals(a.add(U.multiply(x)))) {
		throw new Error('jsref: observed amplify modPow calls do not match calculateS');
	}
	const S = last.r.mod(N);
	const info = concat(new TextEncoder().encode('Caldera Derived Key'), new Uint8Array([1]));
	const key = getHkdfKey(getBytesFromHex(getPaddedHex(S)), getBytesFromHex(getPaddedHex(U)), info);
	const sig = getSignatureString({ userPoolName: poolName, username, challengeParameters, dateNow: timestamp, hkdf: key });
	if (sig !== signature) throw new Error('jsref: amplify intermediates self-check failed (signature mismatch)');
	return { u: getPaddedHex(U), x: getPaddedHex(x), S: getPaddedHex(S), key: getHexFromBytes(key) };
}

const ampOps = {
	async srp_a(req) {
		const poolId = req.poolId ?? DEFAULT_POOL_ID;
		ampConfigure(poolId, req.clientId ?? DEFAULT_CLIENT_ID);
		forceRandom(aDraw(req.a));
		const cap = {};
		ampFetchHandler = (op, body) => {
			if (op === 'InitiateAuth') cap.init = body;
			return ampStop;
		};
		const out = await ampRunCatching(() =>
			signIn({ username: req.username ?? 'srpkit-user', password: 'x', options: { authFlowType: 'USER_SRP_AUTH' } })
		);
		ampExpectCaptured(out, cap, 'init');
		checkRandomConsumed();
		checkWideUsed();
		return { srpA: cap.init.AuthParameters.SRP_A };
	},

	async password_verifier(req) {
		need(req, 'poolId', 'userIdForSrp', 'password', 'a', 'salt', 'srpB', 'secretBlock');
		setInstant(req.instant);
		ampConfigure(req.poolId, req.clientId ?? DEFAULT_CLIENT_ID);
		forceRandom(aDraw(req.a));
		const cap = {};
		const challengeParameters = {
			SALT: req.salt,
			SRP_B: req.srpB,
			SECRET_BLOCK: req.secretBlock,
			USER_ID_FOR_SRP: req.userIdForSrp,
			USERNAME: req.userIdForSrp,
		};
		ampFetchHandler = (op, body) => {
			if (op === 'InitiateAuth') {
				cap.init = body;
				return [200, { ChallengeName: 'PASSWORD_VERIFIER', Session: 'jsref-session', ChallengeParameters: challengeParameters }];
			}
			if (op === 'RespondToAuthChallenge' && body.ChallengeName === 'PASSWORD_VERIFIER') cap.resp = body;
			return ampStop;
		};
		ampRec = [];
		const out = await ampRunCatching(() =>
			signIn({
				username: req.username ?? req.userIdForSrp,
				password: req.password,
				options: { authFlowType: 'USER_SRP_AUTH' },
			})
		);
		ampExpectCaptured(out, cap, 'resp');
		checkRandomConsumed();
		checkWideUsed();
		const cr = cap.resp.ChallengeResponses;
		const srpA = cap.init.AuthParameters.SRP_A;
		return {
			srpA,
			...ampIntermediates({
				aHex: req.a,
				srpA,
				srpB: req.srpB,
				poolName: req.poolId.split('_')[1] || '',
				username: cr.USERNAME,
				challengeParameters,
				timestamp: cr.TIMESTAMP,
				signature: cr.PASSWORD_CLAIM_SIGNATURE,
			}),
			timestamp: cr.TIMESTAMP,
			signature: cr.PASSWORD_CLAIM_SIGNATURE,
			username: cr.USERNAME,
		};
	},

	async device_password_verifier(req) {
		need(req, 'deviceGroupKey', 'deviceKey', 'devicePassword', 'a', 'salt', 'srpB', 'secretBlock');
		setInstant(req.instant);
		forceRandom(aDraw(req.a));
		const cap = {};
		const challengeParameters = { SALT: req.salt, SRP_B: req.srpB, SECRET_BLOCK: req.secretBlock };
		if (typeof req.challengeUsername === 'string') challengeParameters.USERNAME = req.challengeUsername;
		ampFetchHandler = (op, body) => {
			if (op === 'RespondToAuthChallenge' && body.ChallengeName === 'DEVICE_SRP_AUTH') {
				cap.init = body;
				return [200, { ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: 'jsref-session-2', ChallengeParameters: challengeParameters }];
			}
			if (op === 'RespondToAuthChallenge' && body.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') cap.resp = body;
			return ampStop;
		};
		const deviceMetadata = {
			deviceKey: req.deviceKey,
			deviceGroupKey: req.deviceGroupKey,
			randomPassword: req.devicePassword,
		};
		ampRec = [];
		const out = await ampRunCatching(() =>
			handleDeviceSRPAuth({
				username: req.username ?? 'srpkit-user',
				config: { userPoolId: req.poolId ?? DEFAULT_POOL_ID, userPoolClientId: req.clientId ?? DEFAULT_CLIENT_ID },
				clientMetadata: undefined,
				session: 'jsref-session-1',
				tokenOrchestrator: { getDeviceMetadata: async () => deviceMetadata },
			})
		);
		ampExpectCaptured(out, cap, 'resp');
		checkRandomConsumed();
		checkWideUsed();
		const cr = cap.resp.ChallengeResponses;
		const srpA = cap.init.ChallengeResponses.SRP_A;
		return {
			srpA,
			...ampIntermediates({
				aHex: req.a,
				srpA,
				srpB: req.srpB,
				poolName: req.deviceGroupKey,
				username: req.deviceKey,
				challengeParameters,
				timestamp: cr.TIMESTAMP,
				signature: cr.PASSWORD_CLAIM_SIGNATURE,
			}),
			timestamp: cr.TIMESTAMP,
			signature: cr.PASSWORD_CLAIM_SIGNATURE,
			username: cr.USERNAME,
		};
	},

	async device_verifier_config(req) {
		need(req, 'deviceGroupKey', 'deviceKey', 'devicePassword', 'saltBytes');
		const pwBytes = devicePasswordBytes(req.devicePassword);
		const aBytes = req.a ? hexToBytes(req.a, 128, 'a') : A_ONE;
		// non-canonical password: the library still draws its 40 bytes (fed as zeros)
		// and base64Encoder.convert's result for exactly that draw is replaced.
		const pwDraw = pwBytes ?? new Uint8Array(40);
		forceRandom(concat(aBytes, pwDraw, exactHexBytes(req.saltBytes, 16, 'saltBytes')));
		const cap = {};
		ampFetchHandler = (op, body) => {
			if (op === 'ConfirmDevice') {
				cap.confirm = body;
				return [200, { UserConfirmationNecessary: false }];
			}
			return ampStop;
		};
		const origConvert = base64Encoder.convert;
		if (!pwBytes) {
			let armed = true;
			base64Encoder.convert = function (input, ...rest) {
				if (armed && input instanceof Uint8Array && input.length === 40 && forcedPos === 128 + 40) {
					armed = false;
					return req.devicePassword;
				}
				return origConvert.call(this, input, ...rest);
			};
		}
		let meta;
		try {
			meta = await getNewDeviceMetadata({
				userPoolId: req.poolId ?? DEFAULT_POOL_ID,
				userPoolEndpoint: undefined,
				newDeviceMetadata: { DeviceKey: req.deviceKey, DeviceGroupKey: req.deviceGroupKey },
				accessToken: FAKE_JWT,
			});
		} finally {
			base64Encoder.convert = origConvert;
		}
		if (!meta) {
			throw new Error('getNewDeviceMetadata returned undefined (the library swallowed an error from generateHashDevice or ConfirmDevice)');
		}
		if (!cap.confirm) throw new Error('flow ended without sending ConfirmDevice');
		checkRandomConsumed();
		checkWideUsed();
		const cfg = cap.confirm.DeviceSecretVerifierConfig;
		return {
			passwordVerifier: cfg.PasswordVerifier,
			salt: cfg.Salt,
			devicePassword: meta.randomPassword,
			devicePasswordVia: pwBytes ? 'random-bytes' : 'stub',
		};
	},

	async secret_hash(req) {
		return nodeSecretHash(req);
	},

	async timestamp(req) {
		setInstant(req.instant);
		return { timestamp: ampGetNowString() };
	},
};

const IMPLS = { 'identity-js': idjsOps, amplify: ampOps };

// ---------------------------------------------------------------- dispatch
const TIMEOUT_MS = 20000;
async function handle(req) {
	if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new Error('request must be a JSON object');
	if (req.op === 'versions') return { ...VERSIONS };
	const impl = IMPLS[req.impl];
	if (!impl) throw new Error(`unknown impl ${JSON.stringify(req.impl)} (use "identity-js" or "amplify")`);
	const fn = impl[req.op];
	if (!fn) throw new Error(`unknown op ${JSON.stringify(req.op)}`);
	let timer;
	try {
		return await Promise.race([
			fn(req),
			new Promise((_, rej) => {
				timer = setTimeout(() => rej(new Error(`jsref: op timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

async function processLine(line) {
	let id = null;
	let resp;
	try {
		let req;
		try {
			req = JSON.parse(line);
		} catch (e) {
			throw new Error(`bad JSON: ${e.message}`);
		}
		if (req && typeof req === 'object' && 'id' in req) id = req.id;
		resp = { id, ...(await handle(req)) };
	} catch (e) {
		resp = { id, error: e instanceof Error ? e.message || errString(e) : errString(e) };
		if (e && e.underlyingError) resp.error += ` (underlying ${errString(e.underlyingError)})`;
		if (e && e.name && e.name !== 'Error') resp.errorName = e.name;
	} finally {
		fixedMs = null;
		forced = null;
		forcedPos = 0;
		idjsRec = null;
		ampRec = null;
		ampFetchHandler = null;
	}
	let s;
	try {
		s = JSON.stringify(resp);
	} catch (e) {
		s = JSON.stringify({ id, error: `jsref: unserializable response: ${e.message}` });
	}
	process.stdout.write(s + '\n');
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
	if (line.trim() === '') continue;
	await processLine(line);
}
