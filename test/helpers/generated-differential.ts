// Generated differential checks: a fast-check arbitrary of SQL texts, each run on PostgreSQL and on
// QuiverDB, whose answers (rows as text, or the SQLSTATE of the error) must be the same.
import fc from 'fast-check';
import type pg from 'pg';
import { expect } from 'vitest';

/** A statement's rows as JSON text, or `error <SQLSTATE>`. */
export async function answerOf(client: pg.Client, sql: string): Promise<string> {
  try {
    return JSON.stringify((await client.query({ text: sql, rowMode: 'array' })).rows);
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? String(e)}`;
  }
}

/** Runs `numRuns` generated statements on both servers; fast-check shrinks the first that differs. */
export async function assertSameAnswers(
  statements: fc.Arbitrary<string>, postgres: pg.Client, quiver: pg.Client, numRuns: number,
): Promise<void> {
  await fc.assert(fc.asyncProperty(statements, async (sql) => {
    const [expected, actual] = await Promise.all([answerOf(postgres, sql), answerOf(quiver, sql)]);
    expect(actual, sql).toBe(expected);
  }), { numRuns });
}
