#!/usr/bin/env node
// Generates srpkit's known-answer vectors, vectors/*.json, from the OFFICIAL
// JavaScript Cognito clients.
//
//   npm ci --prefix vectors/tools
//   node vectors/tools/generate.mjs            # (re)write vectors/*.json
//   node vectors/tools/generate.mjs --check    # regenerate in memory, compare byte for byte
//
// Everything is deterministic: inputs come from a DRBG (HMAC-SHA256 in counter
// mode) keyed by SEED and a per-test label, so regeneration reproduces the files
// byte for byte and adding a test does not disturb the others.
//
// How a vector is made:
//  1. This script chooses the inputs. Where a test targets an edge class (say
//     "S has a leading zero byte"), it searches with its own BigInt arithmetic
//     until the class is hit: salts and device passwords are redrawn from the
//     DRBG, a and b are stepped by one from a DRBG draw. B is made the way a
//     server makes it, B = (k·v + g^b) mod N, and b is published so that
//     server-side implementations can check themselves too.
//  2. Every test goes through BOTH official clients, amazon-cognito-identity-js
//     and @aws-amplify/auth, by their real code paths (jsref.mjs, one process per
//     library, run in parallel).
//  3. valid/acceptable tests: both libraries must accept and agree on every
//     output, and agree with this script's own arithmetic; the outputs written
//     are theirs. invalid tests: each library must behave as the test's
//     expectation says (accept or reject), so a library change cannot slip by.
//     A test only a session rule makes invalid (ReusedPrivateEphemeral: the
//     device step reusing the user step's a) is signed by both, and what they
//     sign must still be this script's arithmetic; the user step's SRP_A it
//     names is what each library's own USER_SRP_AUTH sends for that a.
//  4. Padding-class flags (e.g. SLeadingZeroByte) are computed from the
//     libraries' outputs, for every test, so flags are never aspirational.
// vectors/tools/check_independent.py then re-verifies the files with a separate
// Python implementation, and `srpkit vectors check` with srpkit.

import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '..');
const SEED = 'srpkit-vectors-v1';
const CHECK_ONLY = process.argv.includes('--check');
const IMPLS = ['identity-js', 'amplify'];

// ---------------------------------------------------------------- deterministic randomness
const sha256 = (data) => createHash('sha256').update(data).digest();
class Drbg {
	constructor(label) {
		this.key = sha256(`${SEED}/${label}`);
		this.counter = 0n;
		this.pool = Buffer.alloc(0);
	}
	bytes(n) {
		while (this.pool.length < n) {
			const block = Buffer.alloc(8);
			block.writeBigUInt64BE(this.counter++);
			this.pool = Buffer.concat([this.pool, createHmac('sha256', this.key).update(block).digest()]);
		}
		const out = Buffer.from(this.pool.subarray(0, n));
		this.pool = this.pool.subarray(n);
		return out;
	}
	int(nBytes) {
		return BigInt('0x' + this.bytes(nBytes).toString('hex'));
	}
	below(n) {
		return Number(this.int(6) % BigInt(n));
	}
	pick(items) {
		return items[this.below(items.length)];
	}
	text(alphabet, len) {
		let s = '';
		for (let i = 0; i < len; i++) s += alphabet[this.below(alphabet.length)];
		return s;
	}
}

// ---------------------------------------------------------------- the group and SRP arithmetic
const N = BigInt(
	'0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
		'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
		'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
		'83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
		'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
		'15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
		'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
		'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'
);
const G = 2n;
const mod = (a, m) => ((a % m) + m) % m;
function modpow(base, exp, m) {
	// 4-bit fixed window: plenty for a search of a few thousand exponentiations
	const b = mod(base, m);
	const table = [1n];
	for (let i = 1; i < 16; i++) table.push((table[i - 1] * b) % m);
	let r = 1n;
	for (const digit of exp.toString(16)) {
		r = (r * r) % m;
		r = (r * r) % m;
		r = (r * r) % m;
		r = (r * r) % m;
		const d = parseInt(digit, 16);
		if (d) r = (r * table[d]) % m;
	}
	return r;
}
// Cognito's padHex: minimal big-endian two's complement, even length.
function padHex(v) {
	if (v >= 0n) {
		let h = v.toString(16);
		if (h.length % 2) h = '0' + h;
		else if (/^[89a-f]/.test(h)) h = '00' + h;
		return h;
	}
	let n = 1;
	while (v < -(1n << BigInt(8 * n - 1))) n++;
	return ((1n << BigInt(8 * n)) + v).toString(16).padStart(2 * n, '0');
}
const hexHashInt = (hex) => BigInt('0x' + sha256(Buffer.from(hex, 'hex')).toString('hex'));
const K = hexHashInt(padHex(N) + padHex(G));
function privateKey(salt, realm, userId, password) {
	const inner = sha256(Buffer.from(`${realm}${userId}:${password}`, 'utf8')).toString('hex');
	return hexHashInt(padHex(salt) + inner);
}
const scrambling = (A, B) => hexHashInt(padHex(A) + padHex(B));
const premaster = (B, x, a, u) => modpow(mod(B - K * modpow(G, x, N), N), a + u * x, N);
function hkdfKey(S, u) {
	const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
	return createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
}
function signature(key, realm, userId, secretBlockBytes, timestamp) {
	const msg = Buffer.concat([Buffer.from(realm, 'utf8'), Buffer.from(userId, 'utf8'), secretBlockBytes, Buffer.from(timestamp, 'utf8')]);
	return createHmac('sha256', key).update(msg).digest('base64');
}
const hexOf = (v) => v.toString(16);
// the value of a strictly formatted SALT/SRP_B string (the generator only does arithmetic on those)
function strictHexValue(s) {
	if (!/^-?[0-9a-fA-F]+$/.test(s)) throw new Error(`generator: not strict hex: ${s}`);
	return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s);
}

// ---------------------------------------------------------------- padding classes
const NOMINAL_BYTES = { A: 384, B: 384, S: 384, U: 32, X: 32, Salt: 16, Verifier: 384 };
const CLASSES = ['HighBit', 'OddLengthHex', 'LeadingZeroByte'];
function classesOf(v, nominalBytes) {
	if (v < 0n) return [];
	const h = v.toString(16);
	const out = [];
	if (h.length % 2) out.push('OddLengthHex');
	else if (/^[89a-f]/.test(h)) out.push('HighBit');
	if (v < 1n << BigInt(8 * (nominalBytes - 1))) out.push('LeadingZeroByte');
	return out;
}
const hasClass = (name, v, cls) => classesOf(v, NOMINAL_BYTES[name]).includes(cls);
const classFlags = (name, v) => classesOf(v, NOMINAL_BYTES[name]).map((c) => name + c);

// ---------------------------------------------------------------- timestamps
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
function timestampOf(instant) {
	const d = new Date(instant);
	if (Number.isNaN(d.getTime())) throw new Error(`generator: bad instant ${instant}`);
	return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
function isoOf(ms) {
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}
function randomInstant(rnd, fromYear = 2021, toYear = 2034) {
	const lo = Date.UTC(fromYear, 0, 1);
	const hi = Date.UTC(toYear + 1, 0, 1);
	return isoOf(lo + Math.floor((Number(rnd.int(6)) / 2 ** 48) * (hi - lo) / 1000) * 1000);
}

// ---------------------------------------------------------------- realistic identifiers
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PRINTABLE = ALNUM + '!#$%&()*+,-./:;<=>?@[]^_{|}~';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1', 'ca-central-1', 'us-gov-west-1'];
function uuid(rnd) {
	const h = rnd.bytes(16);
	h[6] = (h[6] & 0x0f) | 0x40;
	h[8] = (h[8] & 0x3f) | 0x80;
	const s = h.toString('hex');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
const poolId = (rnd) => `${rnd.pick(REGIONS)}_${rnd.text(ALNUM, 9)}`;
const deviceKey = (rnd, region) => `${region ?? rnd.pick(REGIONS)}_${uuid(rnd)}`;
const deviceGroupKey = (rnd) => `-${rnd.text(ALNUM, 9)}`;
const devicePassword = (rnd) => rnd.bytes(40).toString('base64');
const password = (rnd) => rnd.text(PRINTABLE, 8 + rnd.below(13));
const secretBlock = (rnd, n) => rnd.bytes(n).toString('base64');
// Real SECRET_BLOCKs are about 1,724 base64 characters (1,293 bytes).
const realSecretBlock = (rnd) => secretBlock(rnd, 1200 + rnd.below(200));
const smallSecretBlock = (rnd) => secretBlock(rnd, 1 + rnd.below(64));
const drawA = (rnd) => {
	for (;;) {
		const a = rnd.int(128);
		if (a !== 0n) return a;
	}
};

// ---------------------------------------------------------------- notes (flag -> bugType, description)
const VALUE_TEXT = {
	A: ['A (SRP_A)', 'hashed into u'],
	B: ['B (the value of SRP_B)', 'hashed into u'],
	S: ['the premaster secret S', 'the HKDF input keying material'],
	U: ['u', 'the HKDF salt'],
	X: ['x', 'an exponent only, never hashed, so this class affects only the padHex form of the published x'],
	Salt: ['the salt', 'hashed into x'],
	Verifier: ['the verifier v = g^x mod N', 'sent to ConfirmDevice as base64(padHex(v))'],
};
const NOTES = {
	Typical: ['BASIC', 'Realistic inputs of the sizes Cognito and the official clients use (128-byte a, 16-byte salt, 1.2 KB SECRET_BLOCK, ...), with no edge class targeted; any padding-class flags it carries were hit by chance.'],
	PublishedVector: ['BASIC', 'Inputs and expected output published by a third party (the comment names the source), re-derived here by both official clients. Not a capture of traffic accepted by Cognito.'],
	WidePrivateEphemeral: ['EDGE_CASE', 'a is 2^1024 or more (the .NET SDK fixes an 8186-bit a in its own unit test): any a >= 1 is a valid exponent, and the official clients, the .NET SDK and srpkit use it unreduced (A = g^a mod N, S = (B - k*g^x)^(a + u*x) mod N). An implementation that refuses a >= N, or reduces a mod N, fails it.'],
	DeviceKeyOutsideApiModel: ['EDGE_CASE', 'The device key does not have the <region>_<uuid> shape of the API model (DeviceKeyType) and of every key Cognito issues (here "mock-device-key", a unit-test value). Both official clients sign with it as given; srpkit refuses it. Acceptable: refusing passes, signing must give exactly these outputs.'],
	SmallPrivateEphemeral: ['EDGE_CASE', 'a is far shorter than the 128 random bytes the official clients draw; the arithmetic must not assume a full-width a.'],
	NegativeSalt: ['EDGE_CASE', "SALT is sent with a leading '-', a negative number as Java's BigInteger.toString(16) prints one. padHex hashes it in minimal two's complement (-1 -> ff, -128 -> 80, -129 -> ff7f), as both official clients do; a client that hashes the magnitude, or rejects the '-', cannot sign in."],
	SaltUpperCase: ['EDGE_CASE', 'SALT uses upper-case hex digits. Its value, not its spelling, is hashed.'],
	SaltLeadingZeros: ['EDGE_CASE', 'SALT carries extra leading zeros. Its value, not its spelling, is hashed (padHex of the value).'],
	SrpBUpperCase: ['EDGE_CASE', 'SRP_B uses upper-case hex digits. u hashes padHex of the value of B, so the spelling must not matter.'],
	SrpBLeadingZeros: ['EDGE_CASE', 'SRP_B carries extra leading zeros. u hashes padHex of the value of B, so the spelling must not matter.'],
	BGreaterThanN: ['EDGE_CASE', 'SRP_B >= N with B mod N != 0. Cognito never sends this, but both official clients accept it, hash the unreduced B into u and compute S from B - k*g^x mod N; srpkit does the same. RFC 5054 only requires refusing B = 0 mod N.'],
	BZeroModN: ['AUTH_BYPASS', "B = 0 mod N (SRP_B = 0, N, 2N, ...). S would then be 0 whatever the password, so continuing proves nothing and lets a fake server 'verify' anyone. Both official clients refuse ('B cannot be zero.'); so must every implementation."],
	NegativeSrpB: ['MODIFIED_PARAMETER', "SRP_B has a leading '-'. Both official clients' JSBN parser reads a negative B, which passes their B mod N != 0 check, and they sign with it (padHex hashes its two's complement into u). srpkit rejects it: a server's B = (k*v + g^b) mod N is never negative, and accepting one only widens what a malicious server can send."],
	LenientHex: ['MODIFIED_PARAMETER', "SALT or SRP_B is not a plain hex number: a 0x prefix, whitespace, letters g-z, or the empty string. The official clients' JSBN parser rejects none of these: it skips characters outside [0-9A-Za-z], reads g-z as digit values 16-35 that spill into the neighbouring digit's bits (so '0x12' becomes 0x2112), reads '' as 0, and signs with whatever value results (or, when it is 0 for SRP_B, refuses). srpkit rejects every such string with InvalidChallengeError: Cognito never sends one, and guessing turns a transport or parsing fault into a wrong key."],
	InvalidBase64SecretBlock: ['MODIFIED_PARAMETER', "SECRET_BLOCK is not base64 under any reading: characters outside both the standard and URL-safe alphabets, whitespace, or '=' in the wrong place. amazon-cognito-identity-js (through the buffer package) silently drops the bad characters, and everything after an '=', and signs what is left; @aws-amplify/auth throws 'Invalid character'; srpkit rejects it."],
	NonCanonicalBase64SecretBlock: ['EDGE_CASE', "SECRET_BLOCK is base64 but not canonical padded standard base64: padding missing or short, or the URL-safe '-' and '_'. Both official clients decode it to the same bytes and sign them; srpkit's strict decoder rejects it. Cognito sends canonical base64, so either is acceptable; a client that accepts must sign exactly these bytes."],
	EmptySecretBlock: ['EDGE_CASE', 'SECRET_BLOCK is the empty string. Both official clients sign over zero secret-block bytes; srpkit rejects an empty SECRET_BLOCK. Cognito always sends one, so either is acceptable.'],
	OversizedHex: ['EDGE_CASE', "SALT or SRP_B carries hundreds of leading zeros, so the string is longer than srpkit's caps (1024 characters for SALT, 1536 for SRP_B) although the value is ordinary. Both official clients accept it; srpkit rejects it to bound work before any big-number arithmetic. Either is acceptable."],
	EmptyPassword: ['MODIFIED_PARAMETER', "The password is empty. amazon-cognito-identity-js goes ahead and signs; @aws-amplify/auth refuses ('password is required to signIn'); srpkit refuses. A Cognito password is never empty."],
	EmptyDevicePassword: ['MODIFIED_PARAMETER', "The device password is empty. amazon-cognito-identity-js goes ahead and signs; @aws-amplify/auth's assertDeviceMetadata refuses; srpkit refuses. Device passwords are base64 of 40 random bytes."],
	NonCanonicalDevicePassword: ['EDGE_CASE', 'The stored device password is not base64 of 40 bytes (a client of another make, or an older store, may hold such a password). It is hashed as the text it is.'],
	NonAsciiPassword: ['EDGE_CASE', 'The password has non-ASCII characters; the UTF-8 of the string as given is hashed.'],
	NfdPassword: ['EDGE_CASE', 'The password is in Unicode NFD (decomposed) form. No client normalizes: the UTF-8 of the string as given is hashed, so the NFD and NFC spellings of the same text give different x (the comment names the paired NFC test).'],
	NonAsciiUsername: ['EDGE_CASE', 'The user name (USER_ID_FOR_SRP) has non-ASCII characters; it is hashed and signed as UTF-8.'],
	AliasLogin: ['EDGE_CASE', "The user signed in with an alias or another spelling (signInName: an email, a phone number, different case); the challenge's USER_ID_FOR_SRP (username) is what x and the signature use and what the client sends back as USERNAME. signInName is informative only and takes part in no computation."],
	MaximumLength: ['EDGE_CASE', "Inputs at their maximum lengths: a 128-character user name (UsernameType's maximum) and, where the test has one, a 256-character password (PasswordType's maximum)."],
	SingleDigitDay: ['EDGE_CASE', "The day of the month is below 10 and is printed without padding ('Mar 5'); Cognito rejects a signature over a zero-padded day ('Mar 05')."],
	Midnight: ['EDGE_CASE', 'The instant is exactly midnight (00:00:00), printed with zero-padded hours.'],
	TwelveHourClock: ['EDGE_CASE', "The hour is 13-23, printed on the 24-hour clock ('15:01:00'). A 12-hour clock (Go's layout '03' or '3' where '15' is due, strftime's %I) prints '03:01:00': a well-formed TIMESTAMP 12 hours off, signed consistently, so only this test (or srpkit audit with the instant the answer was sent) shows it."],
	HourZero: ['EDGE_CASE', "The hour is 0, printed '00'. A 1-24 clock (Java's 'kk') prints '24', an hour that does not exist."],
	SingleDigitHour: ['EDGE_CASE', "The hour is below 10 and is printed zero-padded ('07:05:09'), unlike the day ('Mar 5'); printing it unpadded ('7:05:09') is a different TIMESTAMP."],
	UserIdForSrp: ['EDGE_CASE', 'The user name is USER_ID_FOR_SRP, as in the PASSWORD_VERIFIER answer after an alias sign-in: SECRET_HASH is over the USERNAME sent (USER_ID_FOR_SRP), and a client that hashes the alias it signed in with while sending USER_ID_FOR_SRP sends a SECRET_HASH that does not match.'],
	ReusedPrivateEphemeral: ['MISSING_STEP', "userSrpA is the SRP_A the user step (USER_SRP_AUTH) of the same sign-in sent. The device step (DEVICE_SRP_AUTH) is an SRP run of its own and must draw a fresh private ephemeral a; a client that reuses the user step's a sends the user step's SRP_A again. invalid when srpA = g^a mod N equals userSrpA (mod N): both official clients draw a new a for the device step and so never do this, but they have no check either, and given the same a they sign as usual (the test is invalid by this session rule, not by its arithmetic); srpkit refuses it (DeviceSRP's user_srp_a, which UserSRP.device_srp passes), and srpkit audit names it device_reuses_user_a. valid when userSrpA comes from another a: a guard compares the two SRP_A values, it must not refuse every device step that is given one."],
	SaltAsAsciiHex: ['EDGE_CASE', "x must hash the bytes padHex(SALT) spells. A client hashing the ASCII text of that hex (twice as many bytes, each '0'-'9' or 'a'-'f') gets another x, and so another signature; any valid test catches it, this one names it."],
	EndOfDay: ['EDGE_CASE', 'The instant is 23:59:59 (or within its last second).'],
	LeapDay: ['EDGE_CASE', 'February 29 of a leap year.'],
	NonLeapCentury: ['EDGE_CASE', 'A century year that is not a leap year (2100): March 1 follows February 28.'],
	YearEnd: ['EDGE_CASE', 'The last second of a year (December 31, 23:59:59).'],
	NewYear: ['EDGE_CASE', 'The first second of a year (January 1, 00:00:00).'],
	FractionalSeconds: ['EDGE_CASE', 'The instant has milliseconds; they are dropped (truncated, never rounded), as the JavaScript clients do.'],
	UnixEpoch: ['EDGE_CASE', 'The Unix epoch, 1970-01-01T00:00:00Z.'],
	Post2038: ['EDGE_CASE', 'An instant after 2038-01-19T03:14:07Z, beyond a signed 32-bit time_t.'],
	UnusualYear: ['EDGE_CASE', 'A year outside 1000-9998 (years 1, 999 and 9999): the year is printed in decimal without padding, as the JavaScript clients do.'],
	EmailUsername: ['EDGE_CASE', "The user name is an email address ('@' and '.' are part of the HMAC message)."],
	NfdUsername: ['EDGE_CASE', 'The user name is in Unicode NFD form; its UTF-8 is used as given, not normalized.'],
	LongClientSecret: ['EDGE_CASE', "The client secret is longer than SHA-256's 64-byte block, so HMAC hashes the key first."],
	BlockSizeClientSecret: ['EDGE_CASE', "The client secret is exactly 64 bytes, SHA-256's block size (used as the HMAC key without hashing)."],
	PlusInClientId: ['EDGE_CASE', "The client id contains '+', which ClientIdType ([\\w+]+) allows."],
	OutsideApiModel: ['EDGE_CASE', "The user name, client id or client secret is one Cognito's API model does not allow (whitespace in the user name, '-' in the client id, an empty secret). Neither official client implements SECRET_HASH; node's HMAC computes a value; srpkit rejects such input with InvalidInputError. Either is acceptable."],
	ZeroSalt: ['EDGE_CASE', 'All 16 salt bytes are zero: padHex(0) is 00, so VerifierSalt is base64 of one zero byte (AA==).'],
};
for (const [name, [what, role]] of Object.entries(VALUE_TEXT)) {
	const n = NOMINAL_BYTES[name];
	NOTES[name + 'HighBit'] = ['EDGE_CASE', `The minimal hex of ${what} has even length and starts with a digit 8-f, so padHex prefixes 00 (it is ${role}). An implementation that uses the bare hex or unsigned bytes gets a different result.`];
	NOTES[name + 'OddLengthHex'] = ['EDGE_CASE', `The minimal hex of ${what} has odd length, so padHex prefixes a single 0 (it is ${role}). An implementation that hex-decodes the bare odd-length string gets a different result, or an error.`];
	NOTES[name + 'LeadingZeroByte'] = ['EDGE_CASE', `The value of ${what} is below 2^${8 * (n - 1)}: its most significant byte at the nominal ${n}-byte width would be 00, and padHex drops it (it is ${role}). An implementation that pads to the full width (as RFC 5054's PAD does) gets a different result.`];
}

// ---------------------------------------------------------------- jsref client
class JsRef {
	constructor(impl) {
		this.impl = impl;
		this.nextId = 1;
		this.pending = new Map();
		this.proc = spawn(process.execPath, [path.join(HERE, 'jsref.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.stderr = '';
		this.proc.stderr.on('data', (d) => {
			this.stderr = (this.stderr + d).slice(-4000);
		});
		readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
			const resp = JSON.parse(line);
			const p = this.pending.get(resp.id);
			if (!p) throw new Error(`jsref(${impl}): unexpected response ${line.slice(0, 200)}`);
			this.pending.delete(resp.id);
			p.resolve(resp);
		});
		this.proc.on('exit', (code) => {
			for (const p of this.pending.values()) p.reject(new Error(`jsref(${impl}) exited (${code}): ${this.stderr}`));
			this.pending.clear();
		});
	}
	request(op, fields) {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.proc.stdin.write(JSON.stringify({ id, op, impl: this.impl, ...fields }) + '\n');
		});
	}
	close() {
		this.proc.stdin.end();
	}
}

// ---------------------------------------------------------------- test builders
// A case: {group, result, comment, flags, fields (inputs, in output order), js: {impl: 'accept'|'reject'},
//          request: [op, fields] for jsref, expect: own computed outputs (valid/acceptable), extraFlags(out)}
const cases = [];
const JS_BOTH = { 'identity-js': 'accept', amplify: 'accept' };
const JS_NONE = { 'identity-js': 'reject', amplify: 'reject' };
const JS_IDJS_ONLY = { 'identity-js': 'accept', amplify: 'reject' };

function search(label, what, ok, limit = 20000) {
	for (let i = 0; i < limit; i++) {
		const r = what(i);
		if (ok(r)) return r;
	}
	throw new Error(`generator: search ${label} found nothing in ${limit} tries`);
}

// An SRP test (user or device). spec: {label, kind, realm, userId, password, salt (BigInt) or
// saltFor(rnd) -> BigInt, target: {value, cls}, a, bMultiple (B + j*N), saltText, srpBText,
// secretBlock, instant, ...}
function srpCase(spec) {
	const rnd = new Drbg(spec.label);
	const target = spec.target;
	// the salt (searched when x or the salt itself is the target)
	const saltOk = (s) =>
		!target ||
		(target.value === 'Salt' && hasClass('Salt', s, target.cls)) ||
		(target.value === 'X' && hasClass('X', privateKey(s, spec.realm, spec.userId, spec.password), target.cls)) ||
		!['Salt', 'X'].includes(target.value);
	// a twin test (NFC vs NFD) shares the names, salt and a of the test it is paired with
	const seedLabel = spec.twin ?? spec.label;
	const saltRnd = new Drbg(seedLabel + '/salt');
	const salt = spec.salt ?? search(spec.label, () => (spec.saltFor ? spec.saltFor(saltRnd) : saltRnd.int(16)), saltOk);
	const x = privateKey(salt, spec.realm, spec.userId, spec.password);
	const v = modpow(G, x, N);
	// a (searched when A is the target). A search steps a by one from a random
	// start, so that each step costs a doubling instead of an exponentiation.
	const aRnd = new Drbg(seedLabel + '/a');
	let a = spec.a;
	let A;
	if (a === undefined) {
		const a0 = drawA(aRnd);
		const A0 = modpow(G, a0, N);
		let Ai = A0;
		const found = search(
			spec.label,
			(i) => {
				if (i > 0) Ai = (Ai * G) % N;
				return { ai: a0 + BigInt(i), Ai };
			},
			({ Ai }) => !target || target.value !== 'A' || hasClass('A', Ai, target.cls)
		);
		a = found.ai;
		A = found.Ai;
		if (a >= 1n << 1024n) throw new Error(`generator: ${spec.label}: a outgrew the 128-byte draw`);
	} else {
		A = modpow(G, a, N);
	}
	// b (searched when B, u or S is the target), stepped by one like a: g^b doubles
	const bRnd = new Drbg(spec.label + '/b');
	let b = null;
	let B;
	if (spec.srpBValue !== undefined) {
		B = spec.srpBValue;
	} else {
		const b0 = drawA(bRnd);
		let gb = modpow(G, b0, N);
		const kv = (K * v) % N;
		const found = search(
			spec.label,
			(i) => {
				if (i > 0) gb = (gb * G) % N;
				return { bb: b0 + BigInt(i), BB: ((kv + gb) % N) + (spec.bMultiple ?? 0n) * N, gb };
			},
			({ BB, gb }) => {
				if (BB % N === 0n) return false;
				if (!target) return true;
				if (target.value === 'B') return hasClass('B', BB, target.cls);
				if (target.value === 'U') return hasClass('U', scrambling(A, BB), target.cls);
				// B - k*v = g^b, so S = (g^b)^(a + u*x): one exponentiation per step
				if (target.value === 'S') return hasClass('S', modpow(gb, a + scrambling(A, BB) * x, N), target.cls);
				return true;
			}
		);
		b = found.bb;
		B = found.BB;
		if (b >= 1n << 1024n) throw new Error(`generator: ${spec.label}: b outgrew the 128-byte draw`);
	}
	const instant = spec.instant ?? randomInstant(rnd);
	const timestamp = timestampOf(instant);
	const block = spec.secretBlock ?? (spec.realSize ? realSecretBlock(rnd) : smallSecretBlock(rnd));
	const saltText = spec.saltText ? spec.saltText(salt) : salt < 0n ? '-' + hexOf(-salt) : hexOf(salt);
	const srpBText = spec.srpBText ? spec.srpBText(B) : hexOf(B);
	const result = spec.result ?? 'valid';
	const user = spec.kind === 'user';
	const fields = user
		? { poolId: spec.poolId, username: spec.userId }
		: { deviceGroupKey: spec.realm, deviceKey: spec.userId };
	if (user && spec.signInName !== undefined) fields.signInName = spec.signInName;
	fields[user ? 'password' : 'devicePassword'] = spec.password;
	// the user step of the same sign-in (ReusedPrivateEphemeral): its a is this one, or another drawn
	let userA;
	let userSrpA;
	if (spec.userStep !== undefined) {
		userA = spec.userStep === 'same' ? a : drawA(new Drbg(spec.label + '/user-a'));
		userSrpA = hexOf(modpow(G, userA, N));
		if ((userSrpA === hexOf(A)) !== (spec.userStep === 'same')) throw new Error(`generator: ${spec.label}: the user step's SRP_A is not what the test says`);
	}
	Object.assign(fields, { a: hexOf(a), ...(userSrpA !== undefined ? { userSrpA } : {}), salt: saltText, srpB: srpBText, secretBlock: block, timestamp });
	if (b !== null && result !== 'invalid') fields.b = hexOf(b);
	const request = user
		? ['password_verifier', { poolId: spec.poolId, userIdForSrp: spec.userId, password: spec.password, a: hexOf(a), salt: saltText, srpB: srpBText, secretBlock: block, instant, ...(spec.signInName !== undefined ? { username: spec.signInName } : {}) }]
		: ['device_password_verifier', { deviceGroupKey: spec.realm, deviceKey: spec.userId, devicePassword: spec.password, a: hexOf(a), salt: saltText, srpB: srpBText, secretBlock: block, instant }];
	let expect = null;
	if ((result !== 'invalid' || spec.sessionRuleOnly) && spec.ownMath !== false) {
		const u = scrambling(A, B);
		const S = premaster(B, x, a, u);
		const key = hkdfKey(S, u);
		const blockBytes = Buffer.from(block, 'base64');
		expect = { srpA: hexOf(A), u: padHex(u), x: padHex(x), S: padHex(S), key: key.toString('hex'), signature: signature(key, spec.realm, spec.userId, blockBytes, timestamp), timestamp };
		if (b !== null) {
			// the server's side of the same session must reach the same S
			const Sserver = modpow(A * modpow(v, u, N), b, N);
			if (Sserver !== S) throw new Error(`generator: ${spec.label}: server and client S differ`);
		}
	}
	cases.push({
		group: user ? 'PasswordVerifierTest' : 'DevicePasswordVerifierTest',
		file: spec.file,
		label: spec.label,
		result,
		comment: spec.comment,
		flags: spec.flags ?? [],
		fields,
		request,
		js: spec.js ?? JS_BOTH,
		expect,
		expectSignature: spec.expectSignature,
		expectKey: spec.expectKey,
		expectLenientSignature: spec.expectLenientSignature,
		sessionRuleOnly: spec.sessionRuleOnly,
		// the official clients' own USER_SRP_AUTH for the user step's a: it must send userSrpA
		userStep: userSrpA === undefined ? undefined : { same: spec.userStep === 'same', srpA: userSrpA, request: ['srp_a', { a: hexOf(userA) }] },
		autoFlags: (out) => {
			const f = [...classFlags('A', BigInt('0x' + out.srpA))];
			if (/^[0-9a-fA-F]+$/.test(srpBText)) f.push(...classFlags('B', BigInt('0x' + srpBText)).filter((c) => B < N || !c.endsWith('LeadingZeroByte')));
			f.push(...classFlags('S', BigInt('0x' + out.S)), ...classFlags('U', BigInt('0x' + out.u)), ...classFlags('X', BigInt('0x' + out.x)));
			if (/^[0-9a-fA-F]+$/.test(saltText)) f.push(...classFlags('Salt', BigInt('0x' + saltText)));
			if (new Date(instant).getUTCDate() < 10) f.push('SingleDigitDay');
			return f;
		},
	});
}

// ---------------------------------------------------------------- PasswordVerifierTest
function userBase(label, extra = {}) {
	const rnd = new Drbg(label + '/user');
	return { label, kind: 'user', poolId: poolId(rnd), userId: uuid(rnd), password: password(rnd), ...extra, realm: undefined };
}
function userCase(label, comment, extra) {
	const spec = userBase(extra?.twin ?? label, extra);
	spec.label = label;
	spec.comment = comment;
	spec.realm = spec.poolId.split('_')[1];
	srpCase(spec);
}

function passwordVerifierCases() {
	// typical, realistic sizes
	for (let i = 0; i < 6; i++) {
		const rnd = new Drbg(`pv/typical/${i}/names`);
		const named = i % 2 === 1;
		userCase(`pv/typical/${i}`, named ? 'typical sign-in, user name as USER_ID_FOR_SRP' : 'typical sign-in, USER_ID_FOR_SRP is the sub', {
			flags: ['Typical'],
			realSize: true,
			...(named ? { userId: rnd.pick(['alice', 'bob.smith', 'carol_92', 'dave+test', 'erin-o', 'frank.w']) } : {}),
		});
	}
	// the third-party published vector (cognito-srp-helper's test data)
	srpCase({
		label: 'pv/published/cognito-srp-helper',
		kind: 'user',
		poolId: 'eu-west-2_bBpjKlyj6',
		realm: 'bBpjKlyj6',
		userId: 'username',
		password: 'password',
		a: 0xabcdef0123456789n,
		salt: 0x8f6a1dad94d7b82c5e3031d21a251b0fn,
		srpBValue: BigInt('0xa2a9be7148a622a87b92513959336c923ab748fdde47e1eae8e0b4495bfc950e65a4c2cf09ac9ab38c85dbc31100bda601bb44d03d8c8a47770cdace442bea4c30ac83df807c2d2dfd6d8b449178c4c558108d141bdd79f8695d40ce25d77b1d7715a53b0022782b71105710e476b484e7c01d9625eafe4d50aff1808712d4c2636a7bb83b008fb8f398d79c5dfe59074ee0df3240253e5719c18b343f49ef5d975d89e2c481628eadca30a90ab6c41d7b9308aa6f6fc618813393ace0f52562f51f26c3fc3160e9dc99f78e9bc22758eeb7f22c137a962de99a66feb7a23e179a599813c8431c364ee193b64eef9bca04117ceba50140bafe1a0aea262c0b9bcde235866da2f1c174063d685ad67f231fcef7dca62a327f6cf2279b5fa17383acd1868629d75523e87e14cdb214ea14ce6d47228e350e4d1d451a1238886d6b3dae1d59b79321ab740c995b28c6e03a61cf76383ce1906f86389927d3575e751cfe4ab50c1eef52dd79aee69512b88f237bd74d04e8cc72d0ab94c0ad934f26'),
		secretBlock: 'F+iU1RhIMWd3K64Qg+J/eud+WYMsW1tDULDQ4boHjzgdNFiBSKFX3BvoMHZJ2MjKv6nKMRgjifbx5sjdrBi2n+Nat+9E1QD0rzeJ2l2oOeVXruiwItacGO5AjM9PU1sFtZu4N13oNbsx9DUY7diIB+ksKz8LjxJV4FP055O1OJzEGbSY+RHAw3d3HsY2xsE9Zy6bD5FpSrONwKZWWUpZXSexPiDHzGIcRyBBYXwOKAJ+1pCtZW/Jg+MuW6hiYfTMEGk8vr/35TmiAHjYRe1urxElaa+fJi41j1tpX5FhrHfNp3WmuVj6cWJwkhZ/GKGL000lwsXDEY83C2v2czpjP1VwyDf2UPxI1BNPMVjCWZx5V/9D5SniPUWCNpwyh+ZSCVvRJxQitMcV0klswY36itXXn7OCurUjgqViUIBPbrVDcbuZ49tR4UoHlQXNzsmzXwlGwyHvNUHjNAT/6/qAAtmHwJbT6GZzceN1g+33P0Eq2BIWxj16pnhPKykrGuvIV3TpcL9FY0CcTKqozRfC2pOWenT08md++uq39z9OP+wA/7Fjt1ceLOiDcRhEW0xhoBqu/3V7RDNDUqV2bLH7rEq7Q5PCGhsRu8h9crUbVtNOUrna/o7HmRy0XiBQdjLP7Xe6uASNZAAso4eUZce0oc2LIpHvAx6BK8cw8rp2Pcg+ZnC0HgcpBEF6sHJEcH4GmZNJ10c/exITniVKSJkP1C8iPqulNug6OMmSav3WpMvj/qb/t8JPNqbePj99fANkteG7JPUY9LoE/wsBDIeYEA4lZ4HvKZw9g8RbltYNmOQAa6K4XXI0AEspx1+TT5A+cJl48BPk+f46SCThCzK/8N9XHaerojUqu4EWW1l5c+WRaOCdvo/HQidTn1VQJ6lcyJwcuyoxy7MlESMfs1G9rgehHbYjWNxoUwX/AwFfNzS/7dMENhDFx+ZUsT0wgrn+iMhfJJPHG4lt0N/R6JjQ8IOgaUZ7CZdrL7pQxA5v0eqWwZ/cYJVAI+mGLez1ldYQRvZkw0dOkpCjCDrw7ZTKnsyRLDE6KyyNT+ykJq7aGyAHb5nxualN0B8OnqY1hh+tZ5xTOh9jlnvBo7dwfsbZpjsGGLiMLbc411cT+FUONrlPdK9wDEZdQ8jcys4PfeCzcju/VnNEbbv1EuxG5bIWGApSOVf04p2/0bBWn8VJkKoCsC9+QhV2KwTRfCLZWloYIc/N1QuzXf328m9FG3vihrXvkgcxxsSbUjMb4QhR7DkYIN6kWsguBOVTybdTi4vlNqFzX8bJtK3uQNKC98yYzZjR40HFOydBJjLckUandwu1blgqM3IwlmYWMiPcFx2SGQRIufq8hLOhyE12ulT9KI4c2D+yLn7hASICW/3z7LgfuWq6j1FDVlmSqM00C8wZ84DzT056HLETpWpl1Gh3QRJPkReqRKlY0Bqrk5koMfmRuGht/WnyXxs0gSAkWFOevpvYopyHBhMTdc7DlGE70QcRJiBeuJkKNOoih+lOkHGFof5xnFWzaZkuouBZFntSn4xZxEAb1Tl56k1b8oCIHLvrsnlqxMHfNYlnQUO+gnhFgDc6AlyQCtc6+wlulggchkPFMgjlaN/w6h3N9697ksRnySNMNAkCx+VgP+qbgn24pGYWWtlCWWpsdkxU6OzpFQwBchqBw9LUB5MyqjwWLssMxlJxg0KgXnRNfwv5jd0sAE5KvT4vFCt0FA==',
		instant: '2000-02-01T03:04:05Z',
		expectSignature: 'AmaS40dQC4mBIgVaKNkAvWpYBmHUi/gv/XKVVCr8xyE=',
		flags: ['PublishedVector', 'SmallPrivateEphemeral'],
		comment:
			'published test data of simonmcallister0210/cognito-srp-helper (src/__tests__/mocks/constants.ts at commit 5292dae17b812cabcd014e68cd18bd1412b66e23: defaultValues, passwordSignature AmaS40dQ...); that library computed the signature, Cognito did not accept it (the timestamp is in 2000)',
	});
	// every padding class of every padHexed value, one test each
	for (const value of ['A', 'B', 'S', 'U', 'X', 'Salt']) {
		for (const cls of CLASSES) {
			userCase(`pv/class/${value}/${cls}`, `${value === 'U' ? 'u' : value === 'X' ? 'x' : value} targeted: ${cls}`, { target: { value, cls }, flags: [] });
		}
	}
	// a second S and u leading-zero-byte test: the classic silent failure (1 sign-in in 256)
	userCase('pv/class/S/LeadingZeroByte/2', 'S targeted: LeadingZeroByte (second instance)', { target: { value: 'S', cls: 'LeadingZeroByte' } });
	userCase('pv/class/U/LeadingZeroByte/2', 'u targeted: LeadingZeroByte (second instance)', { target: { value: 'U', cls: 'LeadingZeroByte' } });
	// negative salts: the two's-complement boundaries and a random 16-byte negative one
	const negatives = [
		[1n, '-1: padHex ff'],
		[0x80n, '-0x80: padHex 80 (the ff8 boundary)'],
		[0x81n, '-0x81: padHex ff7f'],
		[0x7fn, '-0x7f: padHex 81'],
		[0x800n, '-0x800, odd-length magnitude: padHex f800'],
		[1n << 127n, '-2^127, the most negative signed 128-bit value: padHex 80 followed by 15 zero bytes'],
		[(1n << 127n) + 1n, '-(2^127 + 1): padHex ff7f...ff'],
		[null, 'random 16-byte negative salt'],
	];
	negatives.forEach(([mag, what], i) => {
		userCase(`pv/salt/negative/${i}`, `negative SALT ${what}`, {
			flags: ['NegativeSalt'],
			...(mag !== null ? { salt: -mag } : { saltFor: (r) => -(r.int(16) >> 1n) - 1n }),
		});
	});
	// spellings of SALT and SRP_B
	userCase('pv/salt/upper', 'SALT in upper case', { flags: ['SaltUpperCase'], saltText: (s) => hexOf(s).toUpperCase() });
	userCase('pv/salt/zeros', 'SALT with leading zeros', { flags: ['SaltLeadingZeros'], saltText: (s) => '000' + hexOf(s) });
	userCase('pv/srpb/upper', 'SRP_B in upper case', { flags: ['SrpBUpperCase'], srpBText: (B) => hexOf(B).toUpperCase() });
	userCase('pv/srpb/zeros', 'SRP_B with leading zeros', { flags: ['SrpBLeadingZeros'], srpBText: (B) => '00' + hexOf(B) });
	userCase('pv/srpb/zeros-odd', 'SRP_B with one leading zero (odd length)', { flags: ['SrpBLeadingZeros'], srpBText: (B) => '0' + hexOf(B) });
	userCase('pv/srpb/zeros-wide', 'SRP_B left-padded to 1024 hex digits, upper case', { flags: ['SrpBLeadingZeros', 'SrpBUpperCase'], srpBText: (B) => hexOf(B).toUpperCase().padStart(1024, '0') });
	userCase('pv/srpb/lzb-zeros', 'SRP_B with a leading zero byte, sent zero-padded to 768 digits', { target: { value: 'B', cls: 'LeadingZeroByte' }, flags: ['SrpBLeadingZeros'], srpBText: (B) => hexOf(B).padStart(768, '0') });
	// B >= N
	[[1n, 'B + N'], [2n, 'B + 2N'], [255n, 'B + 255N'], [(1n << 64n) + 1n, 'B + (2^64 + 1)N']].forEach(([j, what], i) => {
		userCase(`pv/srpb/ge-n/${i}`, `SRP_B = ${what} (>= N, not 0 mod N)`, { flags: ['BGreaterThanN'], bMultiple: j });
	});
	// text: non-ASCII, NFD, aliases, maximum lengths
	const nfc = 'Ünïcödé-Pässwörd-çåfé';
	userCase('pv/text/nonascii-latin', 'non-ASCII password (Latin-1 letters, NFC)', { flags: ['NonAsciiPassword'], password: nfc });
	userCase('pv/text/nfd', 'the same password in NFD: same pool, user, salt and a as {tc:pv/text/nonascii-latin} (NFC), different x', { flags: ['NonAsciiPassword', 'NfdPassword'], password: nfc.normalize('NFD'), twin: 'pv/text/nonascii-latin' });
	userCase('pv/text/nonascii-cjk', 'non-ASCII password (CJK and Cyrillic)', { flags: ['NonAsciiPassword'], password: '密码パスワード пароль 1!' });
	userCase('pv/text/astral', 'password with characters outside the BMP (emoji, 4 UTF-8 bytes each)', { flags: ['NonAsciiPassword'], password: 'p\u{1F511}ss\u{1F600}w\u{10348}rd' });
	userCase('pv/text/username-nonascii', 'non-ASCII USER_ID_FOR_SRP', { flags: ['NonAsciiUsername'], userId: 'josé.müller_日本' });
	userCase('pv/text/username-nfd', 'USER_ID_FOR_SRP in NFD', { flags: ['NonAsciiUsername'], userId: 'zoë.brontë'.normalize('NFD') });
	userCase('pv/alias/email', 'signed in with the email alias; USER_ID_FOR_SRP is the sub', { flags: ['AliasLogin'], signInName: 'alice.smith@example.com' });
	userCase('pv/alias/phone', 'signed in with the phone alias; USER_ID_FOR_SRP is the user name', { flags: ['AliasLogin'], signInName: '+14155550123', userId: 'alice_smith' });
	userCase('pv/alias/case', 'case-insensitive pool: signed in as Alice, USER_ID_FOR_SRP is alice', { flags: ['AliasLogin'], signInName: 'Alice', userId: 'alice' });
	{
		const rnd = new Drbg('pv/text/maxlen/names');
		userCase('pv/text/maxlen', '128-character user name, 256-character password', { flags: ['MaximumLength'], userId: rnd.text(ALNUM + '._-', 128), password: rnd.text(PRINTABLE, 256) });
	}
	// timestamps signed (the TimestampTest group covers the formatting itself)
	userCase('pv/time/leap', 'signed on a leap day at midnight', { instant: '2028-02-29T00:00:00Z' });
	userCase('pv/time/yearend', 'signed in the last second of a year', { instant: '2030-12-31T23:59:59Z' });
	// acceptable: both official clients accept, srpkit rejects (or may)
	userCase('pv/acc/b64-unpadded', 'SECRET_BLOCK without its = padding', { result: 'acceptable', flags: ['NonCanonicalBase64SecretBlock'], secretBlock: secretBlock(new Drbg('pv/acc/b64-unpadded/sb'), 32).replace(/=+$/, '') });
	userCase('pv/acc/b64-urlsafe', "SECRET_BLOCK in the URL-safe alphabet ('-' and '_')", { result: 'acceptable', flags: ['NonCanonicalBase64SecretBlock'], secretBlock: Buffer.from('fbff' + new Drbg('pv/acc/b64-urlsafe/sb').bytes(30).toString('hex') + 'fbff', 'hex').toString('base64url') + '=' });
	userCase('pv/acc/b64-short-pad', 'SECRET_BLOCK with one = where two are due', { result: 'acceptable', flags: ['NonCanonicalBase64SecretBlock'], secretBlock: 'YWJjZA=' });
	userCase('pv/acc/empty-block', 'empty SECRET_BLOCK', { result: 'acceptable', flags: ['EmptySecretBlock'], secretBlock: '' });
	userCase('pv/acc/oversized-b', 'SRP_B with 900 leading zeros (1668 characters)', { result: 'acceptable', flags: ['OversizedHex', 'SrpBLeadingZeros'], srpBText: (B) => '0'.repeat(900) + hexOf(B) });
	userCase('pv/acc/oversized-salt', 'SALT with 1000 leading zeros (1032 characters)', { result: 'acceptable', flags: ['OversizedHex', 'SaltLeadingZeros'], saltText: (s) => '0'.repeat(1000) + hexOf(s) });
	// invalid
	const inv = (label, comment, flags, js, extra) => userCase(label, comment, { result: 'invalid', flags, js, ...extra });
	inv('pv/inv/b-zero', 'SRP_B = 0', ['BZeroModN'], JS_NONE, { srpBValue: 0n, srpBText: () => '0' });
	inv('pv/inv/b-zeros', 'SRP_B = 768 zeros', ['BZeroModN'], JS_NONE, { srpBValue: 0n, srpBText: () => '0'.repeat(768) });
	inv('pv/inv/b-n', 'SRP_B = N', ['BZeroModN'], JS_NONE, { srpBValue: N });
	inv('pv/inv/b-2n', 'SRP_B = 2N', ['BZeroModN', 'BGreaterThanN'], JS_NONE, { srpBValue: 2n * N });
	inv('pv/inv/b-n-upper', 'SRP_B = N in upper case with leading zeros', ['BZeroModN', 'SrpBUpperCase', 'SrpBLeadingZeros'], JS_NONE, { srpBValue: N, srpBText: (B) => '0000' + hexOf(B).toUpperCase() });
	inv('pv/inv/b-negative', 'SRP_B = -B for an honest B', ['NegativeSrpB'], JS_BOTH, { srpBText: (B) => '-' + hexOf(B) });
	inv('pv/inv/b-negative-small', 'SRP_B = -1', ['NegativeSrpB'], JS_BOTH, { srpBValue: -1n, srpBText: () => '-1' });
	inv('pv/inv/b-minus-n', 'SRP_B = -N (0 mod N as well)', ['NegativeSrpB', 'BZeroModN'], JS_NONE, { srpBValue: -N, srpBText: () => '-' + hexOf(N) });
	inv('pv/inv/b-0x', 'SRP_B with a 0x prefix', ['LenientHex'], JS_BOTH, { srpBText: (B) => '0x' + hexOf(B) });
	inv('pv/inv/b-space', 'SRP_B with a space every 64 digits', ['LenientHex'], JS_BOTH, { srpBText: (B) => hexOf(B).replace(/(.{64})/g, '$1 ').trim() });
	inv('pv/inv/b-newline', 'SRP_B with a trailing newline', ['LenientHex'], JS_BOTH, { srpBText: (B) => hexOf(B) + '\n' });
	inv('pv/inv/b-letter', "SRP_B with a 'g' in place of one digit", ['LenientHex'], JS_BOTH, { srpBText: (B) => { const h = hexOf(B); return h.slice(0, 100) + 'g' + h.slice(101); } });
	inv('pv/inv/b-empty', 'SRP_B empty (read as 0 by JSBN)', ['LenientHex'], JS_NONE, { srpBValue: 0n, srpBText: () => '' });
	inv('pv/inv/salt-0x', 'SALT with a 0x prefix', ['LenientHex'], JS_BOTH, { saltText: (s) => '0x' + hexOf(s) });
	inv('pv/inv/salt-space', 'SALT with a leading space', ['LenientHex'], JS_BOTH, { saltText: (s) => ' ' + hexOf(s) });
	inv('pv/inv/salt-empty', 'SALT empty (read as 0 by JSBN)', ['LenientHex'], JS_BOTH, { saltText: () => '' });
	inv('pv/inv/salt-plus', "SALT with a '+' sign", ['LenientHex'], JS_BOTH, { saltText: (s) => '+' + hexOf(s) });
	inv('pv/inv/b64-bang', "SECRET_BLOCK with '!' characters", ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: 'ab!!cd==' });
	inv('pv/inv/b64-space', 'SECRET_BLOCK with a space', ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: 'YW Jj' });
	inv('pv/inv/b64-newline', 'SECRET_BLOCK with a trailing newline', ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: 'YWJj\n' });
	inv('pv/inv/b64-extra-pad', "SECRET_BLOCK 'YWJj=' (padding where none is due)", ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: 'YWJj=' });
	inv('pv/inv/b64-leading-pad', "SECRET_BLOCK '=YWJj' (identity-js signs zero bytes)", ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: '=YWJj' });
	inv('pv/inv/empty-password', 'empty password', ['EmptyPassword'], JS_IDJS_ONLY, { password: '' });
	// peers' client mistakes of 2026 (issue #16): a test that names the mistake it catches
	userCase('pv/mistake/salt-ascii', "a client that hashes the ASCII text of the SALT's hex into x (instead of the bytes it spells) gets another x and signature here", { flags: ['SaltAsAsciiHex'] });
}

// ---------------------------------------------------------------- DeviceVerifierConfigTest
const dvcCases = [];
function dvcCase(label, comment, { flags = [], saltBytes, pw, group, key, target } = {}) {
	const rnd = new Drbg(label);
	const g = group ?? deviceGroupKey(rnd);
	const dk = key ?? deviceKey(rnd);
	const pwRnd = new Drbg(label + '/pw');
	const saltRnd = new Drbg(label + '/salt');
	const found = search(
		label,
		() => ({ p: pw ?? devicePassword(pwRnd), s: saltBytes ?? saltRnd.bytes(16) }),
		({ p, s }) => {
			if (!target) return true;
			const si = BigInt('0x' + s.toString('hex'));
			if (target.value === 'Salt') return hasClass('Salt', si, target.cls);
			return hasClass('Verifier', modpow(G, privateKey(si, g, dk, p), N), target.cls);
		}
	);
	const si = BigInt('0x' + found.s.toString('hex'));
	const v = modpow(G, privateKey(si, g, dk, found.p), N);
	const expect = {
		passwordVerifier: Buffer.from(padHex(v), 'hex').toString('base64'),
		verifierSalt: Buffer.from(padHex(si), 'hex').toString('base64'),
	};
	const c = {
		group: 'DeviceVerifierConfigTest',
		label,
		result: 'valid',
		comment,
		flags,
		fields: { deviceGroupKey: g, deviceKey: dk, devicePassword: found.p, salt: found.s.toString('hex') },
		request: ['device_verifier_config', { deviceGroupKey: g, deviceKey: dk, devicePassword: found.p, saltBytes: found.s.toString('hex') }],
		js: JS_BOTH,
		expect,
		autoFlags: () => [...classFlags('Salt', si), ...classFlags('Verifier', v)],
		device: { group: g, key: dk, password: found.p, salt: si },
	};
	cases.push(c);
	dvcCases.push(c);
	return c;
}
function deviceVerifierConfigCases() {
	for (let i = 0; i < 5; i++) dvcCase(`dvc/typical/${i}`, 'a new device, as ConfirmDevice registers it', { flags: ['Typical'] });
	for (const value of ['Salt', 'Verifier']) {
		for (const cls of CLASSES) {
			dvcCase(`dvc/class/${value}/${cls}`, `${value.toLowerCase()} targeted: ${cls}`, { target: { value, cls } });
			dvcCase(`dvc/class/${value}/${cls}/2`, `${value.toLowerCase()} targeted: ${cls} (second instance)`, { target: { value, cls } });
		}
	}
	dvcCase('dvc/salt/two-zero-bytes', 'salt with two leading zero bytes: VerifierSalt has 14 bytes', { saltBytes: Buffer.concat([Buffer.alloc(2), new Drbg('dvc/salt/two-zero-bytes/s').bytes(14)]) });
	dvcCase('dvc/salt/zero', 'all-zero salt', { flags: ['ZeroSalt'], saltBytes: Buffer.alloc(16) });
	dvcCase('dvc/salt/one', 'salt 00..01: VerifierSalt is one byte, 01', { saltBytes: Buffer.concat([Buffer.alloc(15), Buffer.from([1])]) });
	dvcCase('dvc/salt/all-ff', 'salt ff..ff: VerifierSalt is 17 bytes, 00 ff..ff', { saltBytes: Buffer.alloc(16, 0xff) });
}

// ---------------------------------------------------------------- DevicePasswordVerifierTest
function deviceCase(label, comment, extra = {}) {
	const rnd = new Drbg(label + '/device');
	const from = extra.from;
	const spec = {
		label,
		kind: 'device',
		realm: from ? from.device.group : deviceGroupKey(rnd),
		userId: from ? from.device.key : deviceKey(rnd),
		password: from ? from.device.password : devicePassword(rnd),
		...(from ? { salt: from.device.salt } : {}),
		comment,
		...extra,
	};
	srpCase(spec);
}
function devicePasswordVerifierCases() {
	for (let i = 0; i < 3; i++) deviceCase(`dpv/typical/${i}`, 'typical DEVICE_PASSWORD_VERIFIER', { flags: ['Typical'], realSize: true });
	// the devices confirmed in DeviceVerifierConfigTest sign in again
	const chained = [dvcCases[0], dvcCases.find((c) => c.label === 'dvc/class/Salt/LeadingZeroByte'), dvcCases.find((c) => c.label === 'dvc/class/Salt/HighBit'), dvcCases.find((c) => c.label === 'dvc/salt/zero')];
	for (const c of chained) deviceCase(`dpv/chain/${c.label}`, `the device of {tc:${c.label}} (${c.comment}) signs in; SALT is its salt's value in hex`, { from: c, realSize: true });
	for (const value of ['A', 'B', 'S', 'U', 'X']) {
		deviceCase(`dpv/class/${value}/LeadingZeroByte`, `${value === 'U' ? 'u' : value === 'X' ? 'x' : value} targeted: LeadingZeroByte`, { target: { value, cls: 'LeadingZeroByte' } });
	}
	deviceCase('dpv/class/S/OddLengthHex', 'S targeted: OddLengthHex', { target: { value: 'S', cls: 'OddLengthHex' } });
	deviceCase('dpv/class/Salt/OddLengthHex', 'salt targeted: OddLengthHex', { target: { value: 'Salt', cls: 'OddLengthHex' } });
	deviceCase('dpv/salt/negative', 'negative SALT', { flags: ['NegativeSalt'], saltFor: (r) => -(r.int(16) >> 1n) - 1n });
	deviceCase('dpv/srpb/ge-n', 'SRP_B = B + N', { flags: ['BGreaterThanN'], bMultiple: 1n });
	deviceCase('dpv/srpb/spelling', 'SRP_B in upper case with leading zeros', { flags: ['SrpBUpperCase', 'SrpBLeadingZeros'], srpBText: (B) => '000' + hexOf(B).toUpperCase() });
	deviceCase('dpv/password/noncanonical', 'device password that is not base64 of 40 bytes', { flags: ['NonCanonicalDevicePassword'], password: 'legacy-device-password' });
	deviceCase('dpv/password/nonascii', 'non-ASCII device password', { flags: ['NonCanonicalDevicePassword', 'NonAsciiPassword'], password: 'Gerät-Paßwort-\u{1F4F1}' });
	deviceCase('dpv/time/single-digit', 'signed on a single-digit day at midnight', { instant: '2027-03-07T00:00:00Z' });
	deviceCase('dpv/acc/b64-unpadded', 'SECRET_BLOCK without its = padding', { result: 'acceptable', flags: ['NonCanonicalBase64SecretBlock'], secretBlock: secretBlock(new Drbg('dpv/acc/b64-unpadded/sb'), 31).replace(/=+$/, '') });
	deviceCase('dpv/acc/empty-block', 'empty SECRET_BLOCK', { result: 'acceptable', flags: ['EmptySecretBlock'], secretBlock: '' });
	const inv = (label, comment, flags, js, extra) => deviceCase(label, comment, { result: 'invalid', flags, js, ...extra });
	inv('dpv/inv/b-zero', 'SRP_B = 0', ['BZeroModN'], JS_NONE, { srpBValue: 0n, srpBText: () => '0' });
	inv('dpv/inv/b-n', 'SRP_B = N', ['BZeroModN'], JS_NONE, { srpBValue: N });
	inv('dpv/inv/b-3n', 'SRP_B = 3N', ['BZeroModN', 'BGreaterThanN'], JS_NONE, { srpBValue: 3n * N });
	inv('dpv/inv/b-negative', 'SRP_B = -B for an honest B', ['NegativeSrpB'], JS_BOTH, { srpBText: (B) => '-' + hexOf(B) });
	inv('dpv/inv/b-0x', 'SRP_B with a 0x prefix', ['LenientHex'], JS_BOTH, { srpBText: (B) => '0x' + hexOf(B) });
	inv('dpv/inv/salt-tab', 'SALT with a tab inside', ['LenientHex'], JS_BOTH, { saltText: (s) => hexOf(s).slice(0, 8) + '\t' + hexOf(s).slice(8) });
	inv('dpv/inv/b64-bang', "SECRET_BLOCK with '!' characters", ['InvalidBase64SecretBlock'], JS_IDJS_ONLY, { secretBlock: 'ab!!cd==' });
	inv('dpv/inv/empty-password', 'empty device password', ['EmptyDevicePassword'], JS_IDJS_ONLY, { password: '' });
	// peers' client mistakes of 2026 (issue #16): the device step reusing the user step's a
	inv(
		'dpv/mistake/reused-a',
		"the device step reuses the user step's a: userSrpA is the SRP_A both official clients send in USER_SRP_AUTH for this a, and given this a for DEVICE_SRP_AUTH they send that SRP_A again and sign (they have no check; every output they compute is the arithmetic's). Invalid by the session rule alone: the device step must draw a fresh a (srpkit audit: device_reuses_user_a)",
		['ReusedPrivateEphemeral'],
		JS_BOTH,
		{ userStep: 'same', sessionRuleOnly: true }
	);
	deviceCase('dpv/mistake/fresh-a', "the user step of the same sign-in sent userSrpA, made from another a; this device step drew its own: valid, a guard against the reused a must accept it", { flags: ['ReusedPrivateEphemeral'], userStep: 'other' });
}

// ---------------------------------------------------------------- SecretHashTest
function shCase(label, comment, { flags = [], username, clientId, clientSecret, result = 'valid', expectHash, file } = {}) {
	const rnd = new Drbg(label);
	const u = username ?? uuid(rnd);
	const ci = clientId ?? rnd.text(LOWER_ALNUM, 26);
	const cs = clientSecret ?? rnd.text(LOWER_ALNUM, 51);
	const own = createHmac('sha256', Buffer.from(cs, 'utf8')).update(Buffer.from(u + ci, 'utf8')).digest('base64');
	if (expectHash && expectHash !== own) throw new Error(`generator: ${label}: published SECRET_HASH does not reproduce`);
	cases.push({
		group: 'SecretHashTest',
		file,
		label,
		result,
		comment,
		flags,
		fields: { username: u, clientId: ci, clientSecret: cs },
		request: ['secret_hash', { username: u, clientId: ci, clientSecret: cs }],
		js: JS_BOTH,
		expect: { secretHash: own },
		autoFlags: () => [],
	});
}
function secretHashCases() {
	for (let i = 0; i < 4; i++) shCase(`sh/typical/${i}`, 'typical app client (26-character id, 51-character secret), sub as user name', { flags: ['Typical'] });
	shCase('sh/published', "published test data of simonmcallister0210/cognito-srp-helper (src/__tests__/mocks/data.ts at commit 2ff21eedbc53fbb226a63a3cd332a16434e81475: username, clientId, secretId, secretHash)", { flags: ['PublishedVector'], username: 'username', clientId: 'EPswPGbpdBLZnh9XW134hK7qYe', clientSecret: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b', expectHash: 'oUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=' });
	shCase('sh/plain-name', 'plain user name', { username: 'alice' });
	shCase('sh/email', 'email as user name', { flags: ['EmailUsername'], username: 'alice.smith+cognito@example.co.uk' });
	shCase('sh/nonascii', 'non-ASCII user name', { flags: ['NonAsciiUsername'], username: 'josé.müller_日本_\u{1F600}' });
	shCase('sh/nfd', 'user name in NFD', { flags: ['NonAsciiUsername', 'NfdUsername'], username: 'zoë.brontë'.normalize('NFD') });
	shCase('sh/maxlen', '128-character user name', { flags: ['MaximumLength'], username: new Drbg('sh/maxlen/u').text(ALNUM + '._-@', 128) });
	shCase('sh/long-secret', '100-character client secret', { flags: ['LongClientSecret'], clientSecret: new Drbg('sh/long-secret/s').text(LOWER_ALNUM, 100) });
	shCase('sh/block-secret', '64-character client secret', { flags: ['BlockSizeClientSecret'], clientSecret: new Drbg('sh/block-secret/s').text(LOWER_ALNUM, 64) });
	shCase('sh/short-secret', '1-character client secret', { clientSecret: 'x' });
	shCase('sh/plus-client', "client id with '+' and '_'", { flags: ['PlusInClientId'], clientId: 'ab+cd_EF12+gh' });
	shCase('sh/acc/space', 'user name with a space (not a Cognito user name)', { result: 'acceptable', flags: ['OutsideApiModel'], username: 'alice smith' });
	shCase('sh/acc/dash-client', "client id with '-' (not a ClientIdType)", { result: 'acceptable', flags: ['OutsideApiModel'], clientId: 'abc-def-123' });
	shCase('sh/acc/empty-secret', 'empty client secret', { result: 'acceptable', flags: ['OutsideApiModel'], clientSecret: '' });
	shCase('sh/acc/control', 'user name with a newline', { result: 'acceptable', flags: ['OutsideApiModel'], username: 'alice\nsmith' });
	shCase('sh/mistake/user-id-for-srp', 'the SECRET_HASH of a PASSWORD_VERIFIER answer after an alias sign-in: over USER_ID_FOR_SRP (a sub, the USERNAME sent), never over the alias typed', { flags: ['UserIdForSrp'] });
}

// ---------------------------------------------------------------- TimestampTest
function tsCase(label, comment, instant, flags = []) {
	cases.push({
		group: 'TimestampTest',
		label,
		result: 'valid',
		comment,
		flags,
		fields: { instant },
		request: ['timestamp', { instant }],
		js: JS_BOTH,
		expect: { timestamp: timestampOf(instant) },
		autoFlags: () => [],
	});
}
function timestampCases() {
	const rnd = new Drbg('ts/random');
	for (let i = 0; i < 6; i++) {
		const instant = randomInstant(rnd, 2020, 2040);
		const day = new Date(instant).getUTCDate();
		tsCase(`ts/random/${i}`, 'a random second in 2020-2040', instant, day < 10 ? ['Typical', 'SingleDigitDay'] : ['Typical']);
	}
	// every weekday and every month
	for (let m = 0; m < 12; m++) {
		const instant = isoOf(Date.UTC(2025, m, 10 + m, 8 + m, 5 * m, 3 * m));
		tsCase(`ts/month/${m}`, `${MONTHS[m]}, ${WEEKDAYS[new Date(instant).getUTCDay()]}`, instant);
	}
	for (let d = 1; d <= 9; d++) tsCase(`ts/day/${d}`, `day ${d} of the month`, isoOf(Date.UTC(2026, d - 1, d, 12, 34, 56)), ['SingleDigitDay']);
	tsCase('ts/midnight', 'midnight', '2024-03-05T00:00:00Z', ['Midnight', 'SingleDigitDay']);
	tsCase('ts/end-of-day', 'last second of a day, with milliseconds', '2024-03-05T23:59:59.999Z', ['EndOfDay', 'FractionalSeconds', 'SingleDigitDay']);
	tsCase('ts/fraction', 'half a second past', '2024-10-15T12:00:00.500Z', ['FractionalSeconds']);
	tsCase('ts/leap-2024', 'leap day 2024', '2024-02-29T13:14:15Z', ['LeapDay']);
	tsCase('ts/leap-2000', 'leap day 2000 (a century leap year), midnight', '2000-02-29T00:00:00Z', ['LeapDay', 'Midnight']);
	tsCase('ts/no-leap-2100', 'March 1, 2100 (2100 is not a leap year)', '2100-03-01T00:00:00Z', ['NonLeapCentury', 'Midnight', 'SingleDigitDay']);
	tsCase('ts/year-end', 'last second of 2024', '2024-12-31T23:59:59Z', ['YearEnd', 'EndOfDay']);
	tsCase('ts/new-year', 'first second of 2025', '2025-01-01T00:00:00Z', ['NewYear', 'Midnight', 'SingleDigitDay']);
	tsCase('ts/epoch', 'the Unix epoch', '1970-01-01T00:00:00Z', ['UnixEpoch', 'NewYear', 'Midnight', 'SingleDigitDay']);
	tsCase('ts/2038', 'one second past the signed 32-bit time_t', '2038-01-19T03:14:08Z', ['Post2038']);
	tsCase('ts/year-9999', 'the last second of year 9999', '9999-12-31T23:59:59Z', ['UnusualYear', 'YearEnd', 'EndOfDay']);
	tsCase('ts/year-999', 'a date in year 999', '0999-06-15T10:20:30Z', ['UnusualYear']);
	tsCase('ts/year-1', 'the first second of year 1', '0001-01-01T00:00:00Z', ['UnusualYear', 'NewYear', 'Midnight', 'SingleDigitDay']);
	// peers' clock-format mistakes of 2026 (issue #16)
	tsCase('ts/mistake/15h', "15:01 on the 24-hour clock (Go's layout '03' prints 03:01)", '2018-07-10T15:01:00Z', ['TwelveHourClock']);
	tsCase('ts/mistake/23h', '23:59 on the 24-hour clock (a 12-hour clock prints 11:59)', '2025-11-21T23:59:30Z', ['TwelveHourClock']);
	tsCase('ts/mistake/00h', "00:30 (a 1-24 clock such as Java's 'kk' prints 24:30)", '2025-11-21T00:30:15Z', ['HourZero']);
	tsCase('ts/mistake/07h', 'a one-digit hour, zero-padded (07:05:09) unlike the day', '2025-11-21T07:05:09Z', ['SingleDigitHour']);
}


// ---------------------------------------------------------------- other SDKs' published vectors
// Fixed-value tests other SDKs publish in their own unit tests (issue #16), re-derived here by
// both official clients; the comment names the repository, file and commit. Written to
// cognito_published_password_verifier_test.json and cognito_published_device_password_verifier_test.json.
function publishedCases() {
	const dotnetBlock = "iZY+s7lYj4/5me1dgBZ9QR0vYOoatfBhec3Rc3kqPFAGIWAwxmaoXkOR1+kEvm0Aic/CxgXe0KHTTZuyKpsMfjbo2J2YweeAtj47z6HCgVScBHeJ5il4NUhGJ6ehqWPls5ub233161UU/SxKAZYySbB8NNHIQidPNxEvBycU5gOeO9cOv4dlm3dwSRNFlg8OWJysI7+ZXUgSWdfUBqog90wkIfLr7HirXnd3axiqpHqAApu4Ls7JFvgXxJa74ZJLtFobED/qSc4ALtRiAPwhKkomxhSXDF1S3dD+LcTQaR0/gJY1+p1CuyTCQNBTVz5idOq8NhG/mMupKow7i54xWJp3gWCeRLMRYD5Od/b7QSgtBYZeLT2rDPb6T8oy8qScK4gq+1Ye6KmXTtmdc7XBhwtyCk4xA8YBjeXO/Gq3G+rzpqMOS9e8P/EZ1xldkcme0qYesbUiKSVO30N2lPKo3qzWyq6zFi0pINpCiWLD+qdWa9Arofsml2IYgCxZwmoIRVk8vd/+UdhErVRFdOmMZWQVLki0K09UgrnvLLBcMxc4wq8myUmMivVpxg8vSaexrxGxDVnKZHgfl0jFCEWIYyMvPAspOo9bBT1l+oQlVpf6RPKWlxgE4JSiWd9LD3PMdtETsyrWv1IxtktyzGI27UVanj0gGfesM56/FNImaxh+eoTBq4fJWxvfN0FvB90Ib/ZV+oJZ3jj8pKrZmDohutOQZqEIP5mme3UMGbkeF1zVnBuPT/Ujyb94RayMB4qvqnZap87o8gJ4iv0yp+HMAAxvPSvYJSr/dny/jEdsWM8aKU+a9+n3aMPo/97DSIyiw2E3jcorR2emlichUHqdwDg/GAACUMTmV6peecDdhuF/KNZXBF4GEsoutDzPSsaXnQ11qKejULZt//fQ/e5JzWbUVhWXBOiRr4JmbPdmWo9WIORrg/yrAlSe9RNnJOW+OCsAKLZYEHfuueUQYaxOpBTst+YQXzbwNYyX47H8nUDVXRLiA0zAoQHeTMXN8lL688MTICEUNaJW9QWjrNIaTPic0oJ6CxVM/ayd8qv28EQ9BhyyE5yEreC9y+bpUQjTwxe62H/j0NiMsE5806dhx2RzxBlEYl51hs1aqwpQ6NGn51bwZPZ5O7YitLyYdAoEdTo0hCXTKF2ITbSy8ZDv5cxQSv5zyXeHRfa/o1GSHWPawy3lYjHChVVj/ALBjpFVPJJwByQZqgXsrvuknWk7QFAi21acQxm/4pqPVtFNVW7yZ51FawlQu6rKKfu1kyTJ6CKlcdXuJFv/NxQLPLq/to4b0UHNaD/mymwr0GSEn9GxpVB4fjhL4L2BRxCpt4lfLtx1KMiTivUMIhrVShnrgUy2mpd/jooMsSf17GSvCYReg9dsaqvZXqbEMv6P2BX+RNXicLSfeDO9NyZhtuWZxyLJ5IlagOpVNbtGb/HCEQy+zF8ySzho6e8vHxNodJX+xwCxRyKl6wbEdSEulWgm5WaUmsfySrNqLKassfrTdKLHyWUvjbWucEFzS0ddu+Q7j5RGaZ4MO7Qf1hN57WUE7irwXBc9UoAWI3Sggb+oDDuVKN5PMF6cL+3/yfetGX0Wrh9tk34z5pizLmOgqOqkMW5yFDqw8/pRqQA4Qo+VrpHL1a4vANgmOHw98918pFiCG5lacOQn4FmA2QGWfNxU72qy6MLPnTgN/olShAFNFgckIn2F";
	const dotnet = { file: 'PublishedPasswordVerifier', kind: 'user', poolId: 'us-east-1_Pj8nlkpKR', realm: 'Pj8nlkpKR', userId: 'User5', password: 'Password1!', a: BigInt('0x2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200'), salt: 0xb704a27deb8cf5efec43a40eac5b60d2n, secretBlock: dotnetBlock, instant: '2017-06-15T07:00:00Z' };
	srpCase({
		...dotnet,
		label: 'pub/dotnet/authenticate-user',
		srpBValue: BigInt('0xf6c76f03232c3a93a634f5e49a74efbfffcd2b81f0dacb2bce0274ae68601b3d42a98feb96ba6a310cc2d4183edac62d571d0d220258d8753a80c4f8815a10953a21964f19c824916f46417f46d921d7956bf5c10c63e7b1c84ce6e2bc407b4e0a103a529313f439182c6450ed434d049e0d9dd5da8cf3a1d1f6f2839f55754a7b17444b8c55ff6b13bf63f61e473ad6fad9f4a1a0b2541b200de07c10296d679b36bf683245cee039842ad9579031e26cb0931ac202fe713fa2c64f920a9830722f708d5ede7ab0521363e45fb2ad0afefbd65264c39f46d0c4011e2e8dbf8d6c53764719599a359b17bcd4d7e37c76e9e68adde0dc586a29f835a2decab335a49408fbc8452d2696743f4465d12748851889d405d7287296e93f9abfb9f11806235bb588e8381a0060a174f5b0959eedba81b94eb383e80465323b1fc85478edcca4b67403a45b73ccbdcd9eaeacebd5f2ca32c7344fdbbc15a2a3d060c2b822851a282370a8dacbbfedbc511376a6e8ad95a5ce28fc2b9c37751c8d4314b9'),
		expectSignature: 'QwHbbUqF6DSSepJh2QqTWDCb1XjmqaxnnW5kDn5dz7E=',
		flags: ['PublishedVector', 'WidePrivateEphemeral'],
		comment: 'published test data of aws/aws-sdk-net-extensions-cognito (test/Amazon.Extensions.CognitoAuthentication.UnitTests/AuthenticationCryptoTests.cs at commit 3394bc57aa48abd43ec93e598bdf1b7b5a6bf25f, TestAuthenticateUser: a = new BigInteger(bytes) of 1024 little-endian bytes, bytes[0] = 0 and every other byte 2, an 8186-bit a; poolName Pj8nlkpKR (the pool id here is any region + that name); expected claim QwHbbUqF...). That SDK computed it; not a capture of traffic Cognito accepted',
	});
	srpCase({
		...dotnet,
		label: 'pub/dotnet/password-authentication-key',
		srpBValue: BigInt('0x8d340308265ada665b1b2c730fb65ff0b6dc746b63c2d7e9f08b8aa9306d4848268bc0c17ee4a2999173ca62af59fd74ba5d00f16c96bea082b163f2c3a0b745455d62cb9577425b4b5d4dadba163a8e7759a7c0256795f464682770588c84e82f2c63d4701751476da8e8a7b1a131e78560fe7b56b6761fcef88dcc486f403369a0cac2f04c25ed6d5e08b5a2f488500a0d5af4972cfa1213bfca37bbae189c8d58465b13193204f21ea01d267c7688e6e6cb5d3f5a8005db680d272308ee823816032dd2c8fc3b95b6fd0a742feb127e3d094cd002a5e6b209415ff82f6abf50d5da43910a0336e9a6fc33dd101bf13f22f13fcb3ea3809aae4917d7c426fb8c0a894030c75d3e15f0e1078a9d89e5154391cde6111ac14fab9fa3b3a880da7dbd47fd5a055937581d26b5d225c076e82f980dcbd77b3950d270d8b622dca9c9bcd8fd6435a59b9690b3c9e2bdabf58cae3420c19066abc420145b1b66f226a6493c96588c2d53b637798fcaa573379f2251848065fe1fafb68ed5e79135e9'),
		expectKey: '2e66c1b32ff8721a8c4583a19ad982ac',
		flags: ['PublishedVector', 'WidePrivateEphemeral'],
		comment: 'published test data of aws/aws-sdk-net-extensions-cognito (test/Amazon.Extensions.CognitoAuthentication.UnitTests/AuthenticationCryptoTests.cs at commit 3394bc57aa48abd43ec93e598bdf1b7b5a6bf25f, TestGetPasswordAuthenticationKey: the same a, user, pool and salt, another SRP_B; the published value is the key only (LmbBsy/4chqMRYOhmtmCrA== in base64); the SECRET_BLOCK and TIMESTAMP of TestAuthenticateUser are added so that a signature exists, and that signature is the official clients\' alone',
	});
	srpCase({
		file: 'PublishedPasswordVerifier',
		label: 'pub/go/password-verifier-challenge',
		kind: 'user',
		poolId: 'eu-west-1_myPool',
		realm: 'myPool',
		userId: 'test',
		password: 'test',
		a: 1234567890n,
		salt: 1234567890n,
		srpBValue: 1234567890n,
		secretBlock: 'c2VjcmV0c3NlY3Jlc3Rzc2VjcmV0cw==',
		instant: '2018-07-10T11:01:00Z',
		expectSignature: 'tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=',
		expectKey: 'd96cde6c95dda17175c1293140c5a81f',
		flags: ['PublishedVector', 'SmallPrivateEphemeral'],
		comment: 'published test data of alexrudd/cognito-srp (cognitosrp_test.go at commit 84939afa1f2a2a7d293b4be08c413a6bac429c10, Test_PasswordVerifierChallenge and Test_getPasswordAuthenticationKey: a = SALT = SRP_B = 1234567890, SECRET_BLOCK = base64("secretssecrestssecrets"), 2018-07-10 11:01:00 UTC; expected signature tdvQu/Li... and key d96cde6c...). That library computed them; not a capture of traffic Cognito accepted',
	});
	for (const [label, text, signature, note] of [
		['pub/rust/user-verify', '36ef01c6dde9fe503da333b1acc758ba', 'apNSb5GZpJciVc6cVNkDf4elCMoWUZcH4aukLlMPiFA=', 'test_verify_responds_predictably'],
		['pub/rust/user-verify-odd-length', '36ef01c', 'bVzjSe43mY37A6ZuzEVU5cr6QY1WeV3BPfdVJo0c2/8=', 'test_verify_handles_odd_length_values (SALT and SRP_B of odd length)'],
	]) {
		srpCase({
			file: 'PublishedPasswordVerifier',
			label,
			kind: 'user',
			poolId: 'us-west-2_abc',
			realm: 'abc',
			userId: 'user_id',
			signInName: 'test',
			password: 'password',
			a: 0x0101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101n,
			salt: BigInt('0x' + text),
			srpBValue: BigInt('0x' + text),
			secretBlock: '9ae77ec7154c14dcc487b47707fee4b4920cb96d8a8c045e4c8df879a7b375524aa736acdec6c9ad4ea606774d00621b',
			instant: '2025-02-10T18:30:12Z',
			expectSignature: signature,
			flags: ['PublishedVector', 'AliasLogin'],
			comment: `published test data of ryanmab/aws-cognito-srp (src/client/user.rs at commit ba60a20132cc3d33f6254705e57eafed9ae75a56, ${note}: under cfg(test) a is 128 bytes of 0x01 and the TIMESTAMP is fixed; user "test" signs in, USER_ID_FOR_SRP is "user_id"; the SECRET_BLOCK is their hex-looking string, read as the base64 it is sent as; expected signature ${signature.slice(0, 8)}...). That library computed it; not a capture of traffic Cognito accepted`,
		});
	}
	for (const [label, text, signature, note] of [
		['pub/rust/device-verify', '36ef01c6dde9fe503da333b1acc758ba', 'O9uSej4H1B4or3Zc7Q4+KxuSvOaEfuq2a7Ye4d16fmo=', 'test_verify_responds_predictably'],
		['pub/rust/device-verify-odd-length', '36ef01c', 'eXYI/hzMa/5YWYSk1NFcDMOOBAOg+juflcjl38+xx4I=', 'test_verify_handles_odd_length_values (SALT and SRP_B of odd length)'],
	]) {
		srpCase({
			file: 'PublishedDevicePasswordVerifier',
			label,
			kind: 'device',
			realm: 'mock-device-group-key',
			userId: 'mock-device-key',
			password: 'password',
			a: 0x0101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101n,
			salt: BigInt('0x' + text),
			srpBValue: BigInt('0x' + text),
			secretBlock: '9ae77ec7154c14dcc487b47707fee4b4920cb96d8a8c045e4c8df879a7b375524aa736acdec6c9ad4ea606774d00621b',
			instant: '2025-02-10T18:30:12Z',
			expectSignature: signature,
			result: 'acceptable',
			flags: ['PublishedVector', 'DeviceKeyOutsideApiModel'],
			comment: `published test data of ryanmab/aws-cognito-srp (src/client/device.rs at commit ba60a20132cc3d33f6254705e57eafed9ae75a56, ${note}: device group key "mock-device-group-key", device key "mock-device-key", device password "password", a = 128 bytes of 0x01, fixed TIMESTAMP; expected signature ${signature.slice(0, 8)}...). Acceptable because that device key has no <region>_<uuid> shape`,
		});
	}

	const helper = { a: 0xabcdef0123456789n, srpBValue: BigInt('0xbc071b539bfaa44b26a4f4a917dcc4b90291f3fea737baa555c0dfc792f11849902859dd52976fd7367130d91969670e8a0beb66d044641709d7a9ea609e2cc5baac6837e1ee8f8d9ccdce535be1dee59d4c893d9c9a1f06ddacb9d927e29c0e8bb1b8dda315f297e82c6095570ae3ab28a9110dfc4367296d77898b1d69d029f76e16ffebed59fc568548a9fb54a1a462440b19b4e4d89ae414374654788d599d0635f9b8a7a5c6a8556e675c4e01690d5324eecd092d269b2be31fa2dc7192cb0bec8a390ca4ce791c8e8cc9ed7258929430a2802a2b9dadd985a004d584e883621ff3518e223a6dbab5071bc844e4ee7d12f6c29bd9197f0fefcee91020b0903596cf170efd27648eb5de5ab2961032cf759dbc48dadb6db0dd585bb9c1e9f73bbea67a7ca406e26d4333c63d5339fa8c0f51fc12df554737da39fc780c0a648e884600f1bf9398cedddaee7d6db6ace4e0007d97f7322d7270dc25c6e6ae000e54b62f8cb868b16e16eadb4c8c87f3baae1c1b8e59aabb73771e62c0b898'), secretBlock: "gn7F/ENIPPk/KZ7P2xYr4S0pZhCn29Y0nxXBtEPEc8Tt2cqbQpWorIuwSAC0g3fpDW9djD5+b9v30TctMTiVt6xjGaZeuWzzgAnVrc0l0xROzJItEQM1V96ySkrfFbL4tKuZokrqiszsRkgwnu4SGBz3akVpUD8pZnAg1Ycfc3LLSyQETFTndRHjS8UFGIovw7wqQfxKNKDC1nY2XYWR1nFuEIvHXb+Tvc76IxNZcaEvl5sAuTjwpVlmfwPSOELXnYxvDxUcFYO3sNguNqahn6aH4j16ccEZ/Wqoubn7QkomXV3Qdo5khQbw4F9CWFaxCHoRZwFAc8RQ4oGiIHLvuMb/Y/JhGTL3HefSkBXQ+uvoPK7YdgY8yn3SejYv4xD8lw+KLTPy1EbCXX9Aq1uwgjzeSygLl7/tkf1C/YzhefXEOfaLk2eNRlAschYunQ7WeIZWBYzW+38+r4bQpaecj8GcH/ycAOpacfoLB+/q3E/dHsFOFlzetYO6Qll5AXEv4hzJZgNh1/2zK3N8j2JBUjZs2h60Rh8OS+ZcQGa7ICPfS7XDvSV8U6Xan3j2m0Azz2ara+1I4MYDVj5P4/BneVDh4L+6Dl3EWEAF9UO8Ur1/5seiOVcAQe3TlwN9UWgmOZHIq/UGU14ofpmZI46WWS3qB+yBPHbWWJ0MMFFtRwCTzFl+2kRGthRR5A+6MSuLCfdcQwqb6FYRZEdgXZzMa6Td0Pog/5TFqxygkRB0P3Yq4lfOnRKI6cC3+2g8uMsEmOJfzsVrsfi6GTAPrP+lIPpNe12ZquFzPGi9Z68Odj+aNDYChalBpuvJgxWR2EFuyj2MebKz6Zo/5V/w964aTTYjUt1pPHURLx3MKl7Ns1xF1lklQ1DAOQYNrVWxWJRs4TxipduEq4N02uh9XKWzXxLJuHsc1B9e1Dc+1sHs122POq7i/VYoln6LhO30o32lDHOGa56krde0N/+FY7034zB1pqL8VuDd2/8o8XZ+D/ez/1gBwQ2y1q6CRvvZmNyYBIC8an/Vgb++e5zgx6Cb43o9+PEFc8UEA8QljTgZ2m+kwjia1TSYeyYnKQOIqCKMkZa6IBIwMZ6AHIDSWk//IR/UMiq4QGfb5CJFPYOTKSGXEU9dFPYbx+pZmq/Fq7QgFCM/I7M6jKZPwn+T4/RGLEg1YNRwQS/oQI/uu5iF9sIbtWO5XTRQ8q2ld4s3tEFflYdmELHXrt1UuFaCi82iTJZAgFPeIx9mHPb0U+I7iutfEPogIE5b/2T+qJhIBgeIQUVsJuo+uLdriFm1c7YwBMBTJWC9R2mL+2x6quavpx7u0zgHrmbDxFx6+nBl0DEZxsY5h8AEDUVhyi2w+7aK9T/uh7Pz3/fH+AwXfWcA1cBueYYHX0Due6+3hRAHfOokXTbi27+YoS2AKuXDl2EibHedm5lb1Tg18V66dXtGsvpIn/OUWO2FphUGdtCMgZc51ahYTiN1m6Qqx+z1DFRM2BLw6HLxb1uT1OmDyucvCXIsMl4vNyyeIdJwstIbQrECxg1Fdow6jHrzKyJw/FKsYGSnyDRk++1jTt3J46wz16S45XaMSDG8RMH7AKKeAX/lfJ0d247ajB4U8Hei1h1kclX/DAYp7A0KyoCG7Qt9hZGsxhsloT2eYohHEKshPDs2WU48WtuHwgXydkTABvx3b1ixLp2CEuQiMyy3jZpvDD8WGaqWqbQgnH/yQw==", instant: '2000-02-01T03:04:05Z' };
	srpCase({
		...helper,
		file: 'PublishedPasswordVerifier',
		label: 'pub/cognito-srp-helper/password-signature',
		kind: 'user',
		poolId: 'eu-west-2_eYpv1mFHB',
		realm: 'eYpv1mFHB',
		userId: 'a2c2e290-6d0f-4a08-a5ca-f0162935f3a6',
		signInName: 'john.doe',
		password: 'Qwerty1!',
		salt: 0xbaf4431cdaa37c04c0d655a99f5e9b9bn,
		expectSignature: 'RrSiIBQazZkaxHQf34oRro1qjzfEvwdP6/Avltpd34E=',
		flags: ['PublishedVector', 'SmallPrivateEphemeral', 'AliasLogin'],
		comment: 'published test data of simonmcallister0210/cognito-srp-helper (src/__tests__/mocks/data.ts at commit 0eb942b19c295ba28f3b9f99ff3f21bde429cc22: poolId, sub (USER_ID_FOR_SRP), username (the alias typed), password, smallA, largeB, salt, secret, timestamp; passwordSignature RrSiIBQa...; the second data set of that library, earlier seen only in a port). That library computed it; not a capture of traffic Cognito accepted (the timestamp is in 2000)',
	});
	srpCase({
		...helper,
		file: 'PublishedDevicePasswordVerifier',
		label: 'pub/cognito-srp-helper/device-signature',
		kind: 'device',
		realm: '-FDRunwQv',
		userId: 'eu-west-2_627477ae-3631-4248-bed9-d2e934100372',
		password: 'BAUl',
		salt: 0n,
		saltText: () => 'AOuW',
		result: 'invalid',
		ownMath: false,
		js: JS_BOTH,
		expectLenientSignature: 'or56+yUDCYxPbtknfpk2fO88rycinSHoINPLk7wpSPI=',
		flags: ['PublishedVector', 'LenientHex'],
		comment: 'published test data of simonmcallister0210/cognito-srp-helper (src/__tests__/mocks/data.ts at commit 0eb942b19c295ba28f3b9f99ff3f21bde429cc22: deviceGroupKey, deviceKey, deviceRandomPassword, deviceSalt "AOuW" sent as SALT, devicePasswordSignature or56+yUD...). "AOuW" is the base64 of the verifier salt, not hex: both official clients reproduce the published signature only because JSBN reads W as digit 32 (the LenientHex note); srpkit refuses it, and so must a strict client',
	});
	shCase('pub/sh/dotnet', 'published test data of aws/aws-sdk-net-extensions-cognito (test/Amazon.Extensions.CognitoAuthentication.UnitTests/AuthenticationCryptoTests.cs at commit 3394bc57aa48abd43ec93e598bdf1b7b5a6bf25f, TestSecretHash: GetUserPoolSecretHash("Mess", "age", "secret") = qnR8UCqJ...)', { file: 'PublishedSecretHash', flags: ['PublishedVector'], username: 'Mess', clientId: 'age', clientSecret: 'secret', expectHash: 'qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc=' });
	shCase('pub/sh/go', 'published test data of alexrudd/cognito-srp (cognitosrp_test.go at commit 84939afa1f2a2a7d293b4be08c413a6bac429c10, Test_GetSecretHash: user "test", client id "123abd", secret "clientSecret" = LoIX/oPJ...)', { file: 'PublishedSecretHash', flags: ['PublishedVector'], username: 'test', clientId: '123abd', clientSecret: 'clientSecret', expectHash: 'LoIX/oPJWZzFYv8liJYRo+CHv16FNDY10JlZEDjL3Vg=' });
	shCase('pub/sh/cognito-srp-helper', 'published test data of simonmcallister0210/cognito-srp-helper (src/__tests__/mocks/data.ts at commit 0eb942b19c295ba28f3b9f99ff3f21bde429cc22: sub, clientId, secretId, secretHash QW3YkSgj...)', { file: 'PublishedSecretHash', flags: ['PublishedVector'], username: 'a2c2e290-6d0f-4a08-a5ca-f0162935f3a6', clientId: '18u8119jgbpr464n28s1itk2mq', clientSecret: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b', expectHash: 'QW3YkSgjkc9VNMtbTkuQflK54A6+9GS8ZiRDj0mSvPI=' });
}

// ---------------------------------------------------------------- files
const FILES = {
	PasswordVerifierTest: {
		file: 'cognito_password_verifier_test.json',
		algorithm: 'COGNITO-SRP-6A-3072-SHA256',
		schema: 'cognito_password_verifier_test_schema.json',
		header: [
			'PASSWORD_VERIFIER: the client side of Amazon Cognito USER_SRP_AUTH (SRP-6a, RFC 3526 3072-bit group, g = 2, SHA-256).',
			'Inputs: poolId; username = USER_ID_FOR_SRP from the challenge (used in x and the signature; signInName, when present, is what the user typed and takes part in nothing); password; a = the private ephemeral (lowercase hex, below 2^1024 as the official clients draw it); salt, srpB, secretBlock = the SALT, SRP_B and SECRET_BLOCK strings exactly as the server sends them (so spelling, sign and malformed cases can be expressed); timestamp = the TIMESTAMP string that is signed.',
			'b, when present, is the server ephemeral srpB was made from: B = (k*v + g^b) mod N (+ a multiple of N in BGreaterThanN tests), v = g^x. It lets server implementations check their side; a client needs none of it.',
			'Outputs (valid and acceptable tests only): srpA = SRP_A as sent (minimal lowercase hex); u, x, S = the lowercase padHex strings that are hashed (padHex: minimal big-endian two\'s complement, even length); key = the 16-byte HKDF-SHA256 output (hex); signature = PASSWORD_CLAIM_SIGNATURE (base64).',
			'x = H(padHex(salt) | H(poolName | username | ":" | password)), poolName = the part of poolId after "_"; u = H(padHex(A) | padHex(B)); S = (B - k*g^x)^(a + u*x) mod N; key = HKDF(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key"); signature = base64(HMAC-SHA256(key, poolName | username | base64decode(secretBlock) | timestamp)).',
			'result: valid = must be accepted with exactly these outputs; invalid = must be rejected; acceptable = may be rejected, and if accepted must give these outputs (the flags say why).',
		],
	},
	DevicePasswordVerifierTest: {
		file: 'cognito_device_password_verifier_test.json',
		algorithm: 'COGNITO-SRP-6A-3072-SHA256',
		schema: 'cognito_device_password_verifier_test_schema.json',
		header: [
			'DEVICE_PASSWORD_VERIFIER: a remembered device proving itself with SRP (DEVICE_SRP_AUTH), the same arithmetic as PASSWORD_VERIFIER with deviceGroupKey in the pool name\'s place, deviceKey in the user name\'s place and devicePassword as the password.',
			'Inputs: deviceGroupKey, deviceKey, devicePassword (the stored device password text); a; salt, srpB, secretBlock = strings exactly as the server sends them; timestamp = the TIMESTAMP string signed. b, when present: B = (k*v + g^b) mod N, for server implementations.',
			'Outputs (valid and acceptable tests only): srpA, u, x, S (padHex), key (hex), signature (base64), as in cognito_password_verifier_test.json.',
			'x = H(padHex(salt) | H(deviceGroupKey | deviceKey | ":" | devicePassword)); signature = base64(HMAC-SHA256(key, deviceGroupKey | deviceKey | base64decode(secretBlock) | timestamp)).',
			'Tests whose comment names a DeviceVerifierConfigTest are that device signing in again: its salt is the value of the 16 salt bytes (sent as hex), and B is made from the verifier registered there.',
			'userSrpA, when present (ReusedPrivateEphemeral): the SRP_A the user step (USER_SRP_AUTH) of the same sign-in sent. The device step must draw its own a, so a test whose srpA equals userSrpA (mod N) is invalid.',
			'result: valid = must be accepted with exactly these outputs; invalid = must be rejected; acceptable = may be rejected, and if accepted must give these outputs.',
		],
	},
	DeviceVerifierConfigTest: {
		file: 'cognito_device_verifier_config_test.json',
		algorithm: 'COGNITO-DEVICE-VERIFIER-3072-SHA256',
		schema: 'cognito_device_verifier_config_test_schema.json',
		header: [
			'ConfirmDevice\'s DeviceSecretVerifierConfig for a new device, as the official clients make it after a sign-in returns NewDeviceMetadata.',
			'Inputs: deviceGroupKey, deviceKey; devicePassword = base64 of the 40 random bytes the client draws (it is also the stored device password); salt = hex of the 16 raw random salt bytes.',
			'Outputs: passwordVerifier = base64(padHex(g^x mod N)), verifierSalt = base64(padHex(salt as an unsigned integer)), with x = H(padHex(salt) | H(deviceGroupKey | deviceKey | ":" | devicePassword)). A salt with a leading zero byte gives a 15-byte verifierSalt, one with its top bit set a 17-byte one.',
		],
	},
	SecretHashTest: {
		file: 'cognito_secret_hash_test.json',
		algorithm: 'COGNITO-SECRET-HASH-HMAC-SHA256',
		schema: 'cognito_secret_hash_test_schema.json',
		header: [
			'SECRET_HASH = base64(HMAC-SHA256(key = UTF-8(clientSecret), message = UTF-8(username | clientId))), for app clients with a secret.',
			'Neither official client computes SECRET_HASH (amazon-cognito-identity-js has no client-secret support; @aws-amplify/auth only declares the parameter), so these values come from node\'s crypto HMAC through jsref\'s secret_hash op and are re-verified by check_independent.py (Python\'s hmac) and srpkit.',
			'result: valid = must give exactly this secretHash; acceptable = input Cognito\'s API model does not allow: may be rejected, and if accepted must give this secretHash.',
		],
	},
	TimestampTest: {
		file: 'cognito_timestamp_test.json',
		algorithm: 'COGNITO-TIMESTAMP',
		schema: 'cognito_timestamp_test_schema.json',
		header: [
			'TIMESTAMP, the instant string signed in PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER: "Www Mmm D HH:MM:SS UTC YYYY", English names, UTC, day of month and year without padding, milliseconds dropped.',
			'Input: instant = ISO 8601 in UTC (Z). Output: timestamp, from amazon-cognito-identity-js\'s DateHelper.getNowString and @aws-amplify/auth\'s getNowString with the clock fixed to the instant.',
		],
	},
};
// Other SDKs' published vectors: files of their own, in the formats above.
const PUBLISHED_LINE = 'Published vectors of other SDKs (each comment names the repository, file and commit), re-derived by both official clients; they are those SDKs\' own results, not captures of traffic Cognito accepted. a is any a >= 1 here (WidePrivateEphemeral: the .NET SDK fixes an 8186-bit a), used unreduced.';
FILES.PublishedPasswordVerifier = {
	...FILES.PasswordVerifierTest,
	type: 'PasswordVerifierTest',
	file: 'cognito_published_password_verifier_test.json',
	header: [PUBLISHED_LINE, ...FILES.PasswordVerifierTest.header],
};
FILES.PublishedDevicePasswordVerifier = {
	...FILES.DevicePasswordVerifierTest,
	type: 'DevicePasswordVerifierTest',
	file: 'cognito_published_device_password_verifier_test.json',
	header: [PUBLISHED_LINE, ...FILES.DevicePasswordVerifierTest.header],
};
FILES.PublishedSecretHash = {
	...FILES.SecretHashTest,
	type: 'SecretHashTest',
	file: 'cognito_published_secret_hash_test.json',
	header: [PUBLISHED_LINE.replace(/ a is any.*$/, ''), ...FILES.SecretHashTest.header],
};
const COMMON_HEADER = [
	'Generated by vectors/tools/generate.mjs (deterministic, seed "' + SEED + '"); regenerate and re-verify with the two commands in vectors/README.md.',
	'Every test was run through BOTH official JavaScript clients, amazon-cognito-identity-js 6.3.21 and @aws-amplify/auth 6.21.1 (@aws-amplify/core 6.19.2), by their real code paths with the random source and clock fixed (vectors/tools/jsref.mjs). Valid and acceptable tests: both accepted and agreed on every output, which is theirs; invalid tests: each behaved as the flag description says.',
	'Independently re-verified by vectors/tools/check_independent.py (Python, hashlib/hmac/base64 and integers only) and by srpkit (`srpkit vectors check`).',
	'Big integers and byte strings are lowercase hex unless a field is sent as base64 or as a string chosen by the server; padding-class flags (e.g. SLeadingZeroByte) are computed from the values, so every test carries every class it hits.',
];

// Escape every non-ASCII character: keeps the files ASCII, so an editor that
// normalizes Unicode (NFC) on save cannot silently change an NFD test.
function toJson(obj) {
	return JSON.stringify(obj, null, 2).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n';
}

async function main() {
	const t0 = Date.now();
	passwordVerifierCases();
	deviceVerifierConfigCases();
	devicePasswordVerifierCases();
	publishedCases();
	secretHashCases();
	timestampCases();
	process.stderr.write(`generate: ${cases.length} tests built in ${((Date.now() - t0) / 1000).toFixed(1)} s; running both official clients\n`);

	const refs = Object.fromEntries(IMPLS.map((impl) => [impl, new JsRef(impl)]));
	const versions = await refs['identity-js'].request('versions', {});
	const outs = await Promise.all(IMPLS.map((impl) => Promise.all(cases.map((c) => refs[impl].request(c.request[0], c.request[1])))));
	// ReusedPrivateEphemeral: each official client's own USER_SRP_AUTH for the user step's a
	const userSteps = cases.filter((c) => c.userStep);
	const userOuts = await Promise.all(IMPLS.map((impl) => Promise.all(userSteps.map((c) => refs[impl].request(...c.userStep.request)))));
	for (const r of Object.values(refs)) r.close();
	process.stderr.write(`generate: official clients done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
	const expectVersions = { 'amazon-cognito-identity-js': '6.3.21', '@aws-amplify/auth': '6.21.1', '@aws-amplify/core': '6.19.2' };
	for (const [k, v] of Object.entries(expectVersions)) {
		if (versions[k] !== v) throw new Error(`generator: ${k} is ${versions[k]}, the header says ${v}`);
	}

	const OUTPUT_FIELDS = {
		PasswordVerifierTest: ['srpA', 'u', 'x', 'S', 'key', 'signature'],
		DevicePasswordVerifierTest: ['srpA', 'u', 'x', 'S', 'key', 'signature'],
		DeviceVerifierConfigTest: ['passwordVerifier', 'verifierSalt'],
		SecretHashTest: ['secretHash'],
		TimestampTest: ['timestamp'],
	};
	const failures = [];
	userSteps.forEach((c, i) => {
		IMPLS.forEach((impl, j) => {
			const sent = userOuts[j][i];
			if (sent.srpA !== c.userStep.srpA) failures.push(`${c.label}: ${impl}'s USER_SRP_AUTH sends ${sent.error ?? sent.srpA}, not userSrpA`);
			// the device step as each client signed it: the user step's SRP_A again (reused a), or another
			const device = outs[j][cases.indexOf(c)];
			if (!('error' in device) && (device.srpA === c.userStep.srpA) !== c.userStep.same) failures.push(`${c.label}: ${impl}'s device step sends ${c.userStep.same ? 'another SRP_A than' : 'the same SRP_A as'} its user step`);
		});
	});
	const groups = Object.fromEntries(Object.keys(FILES).map((g) => [g, []]));
	const fileOf = (c) => c.file ?? c.group;
	const labelled = [];
	cases.forEach((c, i) => {
		const got = Object.fromEntries(IMPLS.map((impl, j) => [impl, outs[j][i]]));
		for (const impl of IMPLS) {
			const accepted = !('error' in got[impl]);
			if (accepted !== (c.js[impl] === 'accept')) {
				failures.push(`${c.label}: ${impl} ${accepted ? 'accepted' : `rejected (${got[impl].error})`}, expected it to ${c.js[impl]}`);
			}
		}
		const test = { tcId: 0, comment: c.comment, flags: [...c.flags], result: c.result, ...c.fields };
		// a published value that only a lenient parser reproduces: both clients must reproduce it
		if (c.expectLenientSignature) {
			for (const impl of IMPLS) if (got[impl].signature !== c.expectLenientSignature) failures.push(`${c.label}: ${impl} does not reproduce the published signature`);
		}
		if (c.result === 'invalid' && c.sessionRuleOnly) {
			// Honest about what the official clients do: they sign it, and correctly. The outputs
			// are not written (invalid tests carry none); the test is invalid by the session rule.
			for (const impl of IMPLS) {
				for (const f of OUTPUT_FIELDS[c.group]) if (got[impl][f] !== c.expect?.[f]) failures.push(`${c.label}: ${impl}'s ${f} is not the arithmetic's`);
			}
		}
		if (c.result !== 'invalid') {
			const ref = got['identity-js'];
			if ('error' in ref) return;
			let out = {};
			if (c.group === 'DeviceVerifierConfigTest') {
				out = { passwordVerifier: ref.passwordVerifier, verifierSalt: ref.salt };
				for (const impl of IMPLS) {
					if (got[impl].devicePassword !== c.fields.devicePassword || got[impl].devicePasswordVia !== 'random-bytes') failures.push(`${c.label}: ${impl} did not use the device password as its own draw`);
				}
			} else {
				for (const f of OUTPUT_FIELDS[c.group]) out[f] = ref[f];
			}
			for (const impl of IMPLS.slice(1)) {
				const other = got[impl];
				const mine = c.group === 'DeviceVerifierConfigTest' ? { passwordVerifier: other.passwordVerifier, verifierSalt: other.salt } : other;
				for (const f of OUTPUT_FIELDS[c.group]) if (mine[f] !== out[f]) failures.push(`${c.label}: the official clients disagree on ${f}`);
			}
			if (c.group === 'PasswordVerifierTest' || c.group === 'DevicePasswordVerifierTest') {
				for (const impl of IMPLS) {
					if (got[impl].timestamp !== c.fields.timestamp) failures.push(`${c.label}: ${impl} signed TIMESTAMP ${got[impl].timestamp}, expected ${c.fields.timestamp}`);
				}
			}
			if (c.group === 'PasswordVerifierTest') {
				for (const impl of IMPLS) {
					if (got[impl].username !== c.fields.username) failures.push(`${c.label}: ${impl} sent USERNAME ${got[impl].username}, not USER_ID_FOR_SRP`);
				}
			}
			if (c.group === 'SecretHashTest') {
				for (const impl of IMPLS) if (got[impl].source !== 'node-crypto') failures.push(`${c.label}: unexpected secret_hash source`);
			}
			if (c.expect) {
				for (const f of OUTPUT_FIELDS[c.group]) if (c.expect[f] !== out[f]) failures.push(`${c.label}: the generator's own arithmetic gives a different ${f}`);
			}
			if (c.expectSignature && out.signature !== c.expectSignature) failures.push(`${c.label}: the published signature does not reproduce`);
			if (c.expectKey && out.key !== c.expectKey) failures.push(`${c.label}: the published key does not reproduce`);
			for (const f of c.autoFlags(out)) if (!test.flags.includes(f)) test.flags.push(f);
			Object.assign(test, out);
		}
		groups[fileOf(c)].push(test);
		labelled.push([c.label, c.group, test]);
	});
	if (failures.length) {
		process.stderr.write('generate: FAILED\n' + failures.map((f) => `  ${f}\n`).join(''));
		process.exit(1);
	}

	// tcIds, then comments that refer to another test by label: {tc:LABEL} -> "<group> tcId <n>"
	for (const tests of Object.values(groups)) {
		tests.forEach((t, i) => {
			t.tcId = i + 1;
		});
	}
	const byLabel = new Map(labelled.map(([label, group, test]) => [label, `${group} tcId ${test.tcId}`]));
	for (const [, , test] of labelled) {
		test.comment = test.comment.replace(/\{tc:([^}]+)\}/g, (_, label) => {
			if (!byLabel.has(label)) throw new Error(`generator: comment refers to unknown test ${label}`);
			return byLabel.get(label);
		});
	}
	let differ = 0;
	for (const [key, meta] of Object.entries(FILES)) {
		const tests = groups[key];
		const type = meta.type ?? key;
		const used = [...new Set(tests.flatMap((t) => t.flags))].sort();
		for (const f of used) if (!NOTES[f]) throw new Error(`generator: flag ${f} has no note`);
		const doc = {
			algorithm: meta.algorithm,
			schema: meta.schema,
			numberOfTests: tests.length,
			header: [...meta.header, ...COMMON_HEADER],
			notes: Object.fromEntries(used.map((f) => [f, { bugType: NOTES[f][0], description: NOTES[f][1] }])),
			testGroups: [{ type, tests }],
		};
		const text = toJson(doc);
		const file = path.join(OUT_DIR, meta.file);
		if (CHECK_ONLY) {
			let old = '';
			try {
				old = readFileSync(file, 'utf8');
			} catch {
				old = '';
			}
			if (old !== text) {
				differ++;
				process.stderr.write(`generate: ${meta.file} differs from what the generator produces\n`);
			}
		} else {
			writeFileSync(file, text);
		}
		process.stderr.write(`generate: ${meta.file}: ${tests.length} tests\n`);
	}
	process.stderr.write(`generate: ${CHECK_ONLY ? (differ ? 'MISMATCH' : 'all files reproduce byte for byte') : 'written'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
	process.exit(differ ? 1 : 0);
}

await main();
