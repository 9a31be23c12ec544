// Client authentication after the startup packet: runs the exchange the pg_hba method asks for
// (trust, cleartext password, md5, SCRAM-SHA-256) against the role's stored secret, and throws
// a FATAL SqlError on failure, in PostgreSQL's words. Unknown roles and roles without a
// password go through the same exchange and fail the same way (no role enumeration).
import { randomBytes } from 'node:crypto';
import {
  SqlError, SQLSTATE, isMd5Secret, parseScramSecret, scramKeys, verifyMd5Response,
  verifyPlainPassword, type ScramSecret,
} from '../base/index.js';
import { SCRAM_MECHANISM, ScramExchange } from './auth-scram.js';
import type { HbaMethod } from './hba.js';
import type { RoleAuth } from './engine-api.js';
import { BodyCursor } from './message-reader.js';
import type { MessageWriter } from './message-writer.js';

/** What authentication needs from the connection. */
export interface AuthIo {
  writer: MessageWriter;
  flush(): void;
  /** The body of the next PasswordMessage/SASL message ('p'); throws FATAL otherwise. */
  readPasswordMessage(expected: 'password' | 'SASL'): Promise<Buffer>;
}

export function authFailed(user: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_PASSWORD,
    `password authentication failed for user "${user}"`, { severity: 'FATAL' });
}

function roleSecret(role: RoleAuth | undefined): string | null {
  if (role === undefined || role.password === null) return null;
  if (role.validUntil !== null && role.validUntil * 1000 < Date.now()) return null;
  return role.password;
}

/** Runs the exchange for `method`; resolves when the client is authenticated. */
export async function authenticate(
  method: HbaMethod,
  user: string,
  role: RoleAuth | undefined,
  io: AuthIo,
): Promise<void> {
  switch (method) {
    case 'trust':
      return;
    case 'reject':
      throw new Error('internal: reject is handled before authentication');
    case 'password':
      return passwordAuth(user, role, io);
    case 'md5': {
      const secret = roleSecret(role);
      // As PostgreSQL: a role with a SCRAM secret authenticates with SCRAM under "md5".
      if (secret !== null && parseScramSecret(secret) !== undefined) {
        return scramAuth(user, secret, io);
      }
      return md5Auth(user, secret, io);
    }
    case 'scram-sha-256':
      return scramAuth(user, roleSecret(role), io);
  }
}

function readCString(body: Buffer): string {
  const c = new BodyCursor(body);
  const s = c.cstring();
  c.end();
  return s;
}

async function passwordAuth(user: string, role: RoleAuth | undefined, io: AuthIo): Promise<void> {
  io.writer.authSimple(3);
  io.flush();
  const body = await io.readPasswordMessage('password');
  const password = readCString(body);
  const secret = roleSecret(role);
  if (password === '' || secret === null || !verifyPlainPassword(password, user, secret)) {
    throw authFailed(user);
  }
}

async function md5Auth(user: string, secret: string | null, io: AuthIo): Promise<void> {
  const salt = randomBytes(4);
  io.writer.authMd5(salt);
  io.flush();
  const body = await io.readPasswordMessage('password');
  const response = readCString(body);
  if (secret === null || !isMd5Secret(secret) || !verifyMd5Response(response, secret, salt)) {
    throw authFailed(user);
  }
}

/** A stand-in secret for unknown roles, so that the exchange looks the same and then fails. */
function mockSecret(): ScramSecret {
  return scramKeys(randomBytes(16).toString('hex'), randomBytes(16), 4096);
}

async function scramAuth(user: string, stored: string | null, io: AuthIo): Promise<void> {
  const parsed = stored === null ? undefined : parseScramSecret(stored);
  const secret = parsed ?? mockSecret();
  io.writer.authSasl([SCRAM_MECHANISM]);
  io.flush();

  // SASLInitialResponse: mechanism, Int32 length (-1 = none), data.
  const initial = new BodyCursor(await io.readPasswordMessage('SASL'));
  const mechanism = initial.cstring();
  if (mechanism !== SCRAM_MECHANISM) {
    throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION,
      'client selected an invalid SASL authentication mechanism', { severity: 'FATAL' });
  }
  const len = initial.int32();
  const clientFirst = len < 0 ? '' : initial.bytes(len).toString('utf8');
  initial.end();

  const exchange = new ScramExchange(secret);
  const serverFirst = exchange.start(clientFirst);
  io.writer.authSaslData(11, serverFirst);
  io.flush();

  const clientFinal = (await io.readPasswordMessage('SASL')).toString('utf8');
  const serverFinal = exchange.finish(clientFinal);
  if (serverFinal === undefined || parsed === undefined) throw authFailed(user);
  io.writer.authSaslData(12, serverFinal);
}
