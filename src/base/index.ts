// Public surface of base: the vocabulary every layer shares.
export { SqlError, toSqlError, notSupported, type SqlErrorFields } from './sql-error.js';
export { SQLSTATE, type SqlState } from './sqlstate.js';
export { LIMITS } from './limits.js';
export { assert, unreachable } from './assert.js';
export {
  scramSecret, md5Secret, parseScramSecret, formatScramSecret, scramKeys, isMd5Secret,
  verifyPlainPassword, verifyMd5Response, md5Response, verifyScramClientProof,
  scramServerSignature, hmacSha256, sha256, md5Hex, saslprep, SCRAM_DEFAULT_ITERATIONS,
  type ScramSecret,
} from './scram.js';
export { invalidUtf8, decodeUtf8Text, shortAscii } from './utf8.js';
export { startWorker } from './worker-start.js';
export { copyOut } from './bytes.js';
