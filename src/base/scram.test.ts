// SCRAM-SHA-256 and md5 secrets: the RFC 7677 test vector, secrets made by PostgreSQL 15 itself
// (SASLprep included), and the salted md5 exchange.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  md5Response, md5Secret, parseScramSecret, scramKeys, scramSecret, scramServerSignature,
  verifyMd5Response, verifyPlainPassword, verifyScramClientProof,
} from './scram.js';

describe('SCRAM-SHA-256', () => {
  // RFC 7677 section 3.
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
  const authMessage = 'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';

  it('verifies the RFC 7677 client proof and produces its server signature', () => {
    const keys = scramKeys('pencil', salt, 4096);
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    expect(verifyScramClientProof(keys, authMessage, proof)).toBe(true);
    const bad = Buffer.from(proof);
    bad[0] = (bad[0] ?? 0) ^ 1;
    expect(verifyScramClientProof(keys, authMessage, bad)).toBe(false);
    expect(scramServerSignature(keys, authMessage).toString('base64'))
      .toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('formats and parses secrets as PostgreSQL stores them', () => {
    const s = scramSecret('pencil', { salt, iterations: 4096 });
    expect(s).toMatch(
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    const parsed = parseScramSecret(s);
    expect(parsed?.iterations).toBe(4096);
    expect(parsed?.salt.equals(salt)).toBe(true);
    expect(parseScramSecret('SCRAM-SHA-256$x:abc$def:ghi')).toBeUndefined();
    expect(parseScramSecret('md5abc')).toBeUndefined();
  });

  it('checks plaintext passwords against SCRAM and md5 secrets', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }),
      (password, other) => {
        const scram = scramSecret(password, { iterations: 16 });
        const md5 = md5Secret(password, 'bob');
        expect(verifyPlainPassword(password, 'bob', scram)).toBe(true);
        expect(verifyPlainPassword(password, 'bob', md5)).toBe(true);
        expect(verifyPlainPassword(password, 'alice', md5)).toBe(false);
        if (other !== password) {
          expect(verifyPlainPassword(other, 'bob', scram)).toBe(false);
          expect(verifyPlainPassword(other, 'bob', md5)).toBe(false);
        }
      }), { numRuns: 30 });
  });
});

describe('secrets made by PostgreSQL 15 (CREATE ROLE ... PASSWORD)', () => {
  const byPostgres: Record<string, [string, string]> = {
    // password 'pw'
    ascii: ['pw', 'SCRAM-SHA-256$4096:twBEERW9DlUce+7l1VWiUQ==$' +
      'eq/7qqnKwqwKDrMzCzFrfqxronyg4ybPeEqw7kb1aZ4=:0NCpg3BVkt/VWY6xww//44NCZ9os85q6nG/u3LX9o2g='],
    // password 'ｐａｓｓ' (fullwidth): SASLprep's NFKC makes it 'pass'
    fullwidth: ['pass', 'SCRAM-SHA-256$4096:zNbXgr0QUr6Cn/qfsbS/cA==$' +
      '1+NLol+OmiAPUwtDdhEKxMQb1LHwJg2miV5V7Fr9rP8=:xebGClvg4VPK80WleMxfO4ZW3M832pbbwibbB3+yWH4='],
    // password E'a\u00a0b': the no-break space maps to SPACE
    nbsp: ['a b', 'SCRAM-SHA-256$4096:r97Q+CD1EZdacZbWfgcKfA==$' +
      'EmuzxsIqAlyN8HrqjDNnxvdgoYqxQ0jroRAqjQvghJw=:WfkXhKMng67woF+bMqfkFGZilHK2z5jm4pvjGcyLOY0='],
    // password E'x\u00ady': the soft hyphen maps to nothing
    softHyphen: ['xy', 'SCRAM-SHA-256$4096:4qRAQDN20LvMnF7NFv/3WA==$' +
      'pVEzhotNQGwid7K8e8d10PXOcnXkkfthCpM61g+7PEY=:Ch38BaiHwUReovN9lZ3DP+iu+yEDUpPvan80j+WE5PM='],
    // password E'e\u0301': NFKC composes it to U+00E9
    combining: ['\u00e9', 'SCRAM-SHA-256$4096:CkDV5kJbF8zsUInhOGQKtQ==$' +
      'UasF8IPfBPaNLV5Ccx9Y3dAsn3OPpzdjeh1fNnNYeu8=:dEbzoLGl1/Bw1tWNOp9KEFMThzcGVyEm6zKiN0wOWYo='],
  };

  it.each(Object.entries(byPostgres))('verifies the %s secret', (_name, [password, secret]) => {
    expect(verifyPlainPassword(password, 'u', secret)).toBe(true);
    expect(verifyPlainPassword(password + 'x', 'u', secret)).toBe(false);
  });

  it('re-creates PostgreSQL\'s secret from its salt', () => {
    const [password, secret] = byPostgres['fullwidth']!;
    const parsed = parseScramSecret(secret)!;
    expect(scramSecret('\uff50\uff41\uff53\uff53', { salt: parsed.salt })).toBe(secret);
    expect(scramSecret(password, { salt: parsed.salt })).toBe(secret);
  });
});

describe('md5', () => {
  it('matches PostgreSQL: md5 of password then user name', () => {
    // SELECT 'md5' || md5('secret' || 'alice') in PostgreSQL.
    expect(md5Secret('secret', 'alice')).toBe('md54a0a68b43b6cd5cf266fa02f196e2371');
  });

  it('verifies the salted md5 response a client sends', () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    const secret = md5Secret('pw', 'u');
    expect(verifyMd5Response(md5Response('pw', 'u', salt), secret, salt)).toBe(true);
    expect(verifyMd5Response(md5Response('pw', 'u', salt), secret, Buffer.from([1, 2, 3, 5])))
      .toBe(false);
    expect(verifyMd5Response(md5Response('px', 'u', salt), secret, salt)).toBe(false);
  });
});
