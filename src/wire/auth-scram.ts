// The server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL implements it: parsing
// client-first and client-final messages, building server-first and server-final, and checking
// the proof against a stored secret. Only the gs2 flags 'n' and 'y' (no channel binding).
// Pure functions over strings; the message exchange itself is in auth.ts.
import { randomBytes } from 'node:crypto';
import {
  SqlError, SQLSTATE, scramServerSignature, verifyScramClientProof, type ScramSecret,
} from '../base/index.js';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';

export interface ClientFirst {
  /** "n,," or "y,," as sent. */
  gs2Header: string;
  /** client-first-message-bare. */
  bare: string;
  clientNonce: string;
}

export interface ClientFinal {
  /** client-final-message-without-proof. */
  withoutProof: string;
  channelBinding: string;
  nonce: string;
  proof: Buffer;
}

function malformed(detail: string): SqlError {
  return new SqlError(SQLSTATE.PROTOCOL_VIOLATION, 'malformed SCRAM message',
    { detail, severity: 'FATAL' });
}

/** Printable ASCII except ',' (RFC 5802 "printable"). */
const NONCE_RE = /^[\x21-\x2b\x2d-\x7e]+$/;

export function parseClientFirst(msg: string): ClientFirst {
  const flag = msg[0];
  if (flag === 'p') {
    throw malformed('The client selected SCRAM-SHA-256 without channel binding, but the SCRAM ' +
      'message includes channel binding data.');
  }
  if (flag !== 'n' && flag !== 'y') {
    throw malformed(`Unexpected channel-binding flag "${flag ?? ''}".`);
  }
  if (msg[1] !== ',') throw malformed('Comma expected, but found character.');
  let i = 2;
  if (msg.startsWith('a=', i)) {
    throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
      'client uses authorization identity, but it is not supported', { severity: 'FATAL' });
  }
  if (msg[i] !== ',') throw malformed('Unexpected attribute in client-first-message.');
  i += 1;
  const gs2Header = msg.slice(0, i);
  const bare = msg.slice(i);
  const attrs = bare.split(',');
  if (attrs[0]?.startsWith('m=') === true) {
    throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
      'client requires an unsupported SCRAM extension', { severity: 'FATAL' });
  }
  if (attrs[0]?.startsWith('n=') !== true) {
    throw malformed('Expected attribute "n" but found something else.');
  }
  const r = attrs[1];
  if (r === undefined || !r.startsWith('r=')) {
    throw malformed('Expected attribute "r" but found something else.');
  }
  const clientNonce = r.slice(2);
  if (!NONCE_RE.test(clientNonce)) throw malformed('The client nonce is not printable.');
  return { gs2Header, bare, clientNonce };
}

export function parseClientFinal(msg: string): ClientFinal {
  const attrs = msg.split(',');
  const c = attrs[0];
  if (c === undefined || !c.startsWith('c=')) {
    throw malformed('Expected attribute "c" but found something else.');
  }
  const r = attrs[1];
  if (r === undefined || !r.startsWith('r=')) {
    throw malformed('Expected attribute "r" but found something else.');
  }
  const p = attrs[attrs.length - 1];
  if (attrs.length < 3 || p === undefined || !p.startsWith('p=')) {
    throw malformed('Expected attribute "p" but found something else.');
  }
  const proofText = p.slice(2);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(proofText)) {
    throw malformed('Malformed proof in client-final-message.');
  }
  const proof = Buffer.from(proofText, 'base64');
  if (proof.length !== 32) throw malformed('Malformed proof in client-final-message.');
  return {
    withoutProof: msg.slice(0, msg.length - p.length - 1),
    channelBinding: c.slice(2),
    nonce: r.slice(2),
    proof,
  };
}

/** State of one exchange between server-first and client-final. */
export class ScramExchange {
  readonly serverNonce: string;
  private serverFirst = '';
  private first: ClientFirst | undefined;

  constructor(private readonly secret: ScramSecret) {
    this.serverNonce = randomBytes(18).toString('base64');
  }

  /** Handles client-first-message; returns server-first-message. */
  start(clientFirst: string): string {
    this.first = parseClientFirst(clientFirst);
    this.serverFirst = `r=${this.first.clientNonce}${this.serverNonce},` +
      `s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.serverFirst;
  }

  /**
   * Handles client-final-message: returns server-final-message ("v=...") when the proof is
   * right, or undefined when the password is wrong. Throws for malformed messages.
   */
  finish(clientFinal: string): string | undefined {
    const first = this.first;
    if (first === undefined) throw new Error('internal: SCRAM finish before start');
    const fin = parseClientFinal(clientFinal);
    const expectedBinding = Buffer.from(first.gs2Header).toString('base64');
    if (fin.channelBinding !== expectedBinding) {
      throw malformed('SCRAM channel binding check failed.');
    }
    if (fin.nonce !== first.clientNonce + this.serverNonce) {
      throw malformed('Nonce does not match.');
    }
    const authMessage = `${first.bare},${this.serverFirst},${fin.withoutProof}`;
    if (!verifyScramClientProof(this.secret, authMessage, fin.proof)) return undefined;
    return `v=${scramServerSignature(this.secret, authMessage).toString('base64')}`;
  }
}
