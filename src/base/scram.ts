// Password secrets as PostgreSQL stores them in pg_authid.rolpassword: SCRAM-SHA-256 secrets
// (RFC 5802/7677, `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`) and legacy md5 hashes
// (`md5` + hex md5(password || user)). Creating them, parsing them, and the checks the wire
// layer's authentication exchanges need. No protocol framing here.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_DEFAULT_ITERATIONS = 4096;
const SCRAM_KEY_BYTES = 32;
const SCRAM_SALT_BYTES = 16;

/** The parts of a SCRAM-SHA-256 secret. */
export interface ScramSecret {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** Characters SASLprep maps to nothing (RFC 3454 table B.1). */
const MAPPED_TO_NOTHING =
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/gu;
/** Non-ASCII spaces SASLprep maps to SPACE (RFC 3454 table C.1.2). */
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/gu;
/** Prohibited output, approximated by Unicode categories (controls, private use, unassigned). */
const PROHIBITED = /[\p{Cc}\p{Co}\p{Cs}\p{Cn}\ufffa-\ufffd]/u;

/**
 * SASLprep (RFC 4013) as PostgreSQL's pg_saslprep uses it for SCRAM: ASCII passes unchanged;
 * otherwise map, NFKC-normalize, and when the result is prohibited use the raw password.
 */
export function saslprep(password: string): string {
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  // Spaces first: U+200B is in both tables and PostgreSQL maps it to SPACE.
  const mapped = password.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '')
    .normalize('NFKC');
  if (mapped === '' || PROHIBITED.test(mapped)) return password;
  return mapped;
}

/** SaltedPassword, ClientKey, StoredKey, ServerKey for a password (RFC 5802 section 3). */
export function scramKeys(password: string, salt: Buffer, iterations: number): ScramSecret {
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, iterations,
    SCRAM_KEY_BYTES, 'sha256');
  const clientKey = hmacSha256(salted, 'Client Key');
  return {
    iterations,
    salt,
    storedKey: sha256(clientKey),
    serverKey: hmacSha256(salted, 'Server Key'),
  };
}

/** A PostgreSQL-format SCRAM-SHA-256 secret for `password`. */
export function scramSecret(
  password: string,
  opts: { iterations?: number; salt?: Buffer } = {},
): string {
  const iterations = opts.iterations ?? SCRAM_DEFAULT_ITERATIONS;
  const salt = opts.salt ?? randomBytes(SCRAM_SALT_BYTES);
  return formatScramSecret(scramKeys(password, salt, iterations));
}

export function formatScramSecret(s: ScramSecret): string {
  return `SCRAM-SHA-256$${s.iterations}:${s.salt.toString('base64')}$` +
    `${s.storedKey.toString('base64')}:${s.serverKey.toString('base64')}`;
}

const B64 = '[A-Za-z0-9+/=]+';
const SCRAM_SECRET_RE = new RegExp(`^SCRAM-SHA-256\\$(\\d+):(${B64})\\$(${B64}):(${B64})$`);

/** Parses a stored SCRAM secret; undefined when it is not one (or is malformed). */
export function parseScramSecret(secret: string): ScramSecret | undefined {
  const m = SCRAM_SECRET_RE.exec(secret);
  if (!m) return undefined;
  const iterations = Number(m[1]);
  const salt = Buffer.from(m[2] ?? '', 'base64');
  const storedKey = Buffer.from(m[3] ?? '', 'base64');
  const serverKey = Buffer.from(m[4] ?? '', 'base64');
  if (!Number.isSafeInteger(iterations) || iterations < 1) return undefined;
  if (storedKey.length !== SCRAM_KEY_BYTES || serverKey.length !== SCRAM_KEY_BYTES) {
    return undefined;
  }
  if (salt.length === 0) return undefined;
  return { iterations, salt, storedKey, serverKey };
}

/** A PostgreSQL-format md5 secret: "md5" + hex(md5(password || user)). */
export function md5Secret(password: string, user: string): string {
  return 'md5' + md5Hex(password + user);
}

export function isMd5Secret(secret: string): boolean {
  return /^md5[0-9a-f]{32}$/.test(secret);
}

function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a plaintext password (cleartext password authentication) against a stored secret of
 * either kind.
 */
export function verifyPlainPassword(password: string, user: string, secret: string): boolean {
  const scram = parseScramSecret(secret);
  if (scram) {
    const keys = scramKeys(password, scram.salt, scram.iterations);
    return equalBytes(keys.storedKey, scram.storedKey) &&
      equalBytes(keys.serverKey, scram.serverKey);
  }
  if (isMd5Secret(secret)) {
    return equalBytes(Buffer.from(md5Secret(password, user)), Buffer.from(secret));
  }
  return false;
}

/**
 * Checks the client's md5 PasswordMessage ("md5" + hex(md5(hex(md5(password||user)) || salt)))
 * against a stored md5 secret and the 4-byte salt the server sent.
 */
export function verifyMd5Response(response: string, secret: string, salt: Buffer): boolean {
  if (!isMd5Secret(secret)) return false;
  const expected = 'md5' + md5Hex(Buffer.concat([Buffer.from(secret.slice(3)), salt]));
  return equalBytes(Buffer.from(expected), Buffer.from(response));
}

/** The md5 PasswordMessage a client computes (used by tests and clients). */
export function md5Response(password: string, user: string, salt: Buffer): string {
  const inner = md5Hex(password + user);
  return 'md5' + md5Hex(Buffer.concat([Buffer.from(inner), salt]));
}

/**
 * Verifies a SCRAM ClientProof for `authMessage`: ClientKey = proof XOR HMAC(StoredKey, msg),
 * and H(ClientKey) must equal StoredKey.
 */
export function verifyScramClientProof(
  secret: ScramSecret,
  authMessage: string,
  proof: Buffer,
): boolean {
  if (proof.length !== SCRAM_KEY_BYTES) return false;
  const clientSignature = hmacSha256(secret.storedKey, authMessage);
  const clientKey = Buffer.alloc(SCRAM_KEY_BYTES);
  for (let i = 0; i < SCRAM_KEY_BYTES; i++) {
    clientKey[i] = (proof[i] ?? 0) ^ (clientSignature[i] ?? 0);
  }
  return equalBytes(sha256(clientKey), secret.storedKey);
}

/** The ServerSignature sent in server-final-message ("v=..."). */
export function scramServerSignature(secret: ScramSecret, authMessage: string): Buffer {
  return hmacSha256(secret.serverKey, authMessage);
}
