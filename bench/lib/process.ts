// Running benchmark client processes (pgbench, psql) with wall-clock timing, sampling a server's
// resident memory from /proc, and describing the machine a benchmark ran on.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface RunResult { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs a command to completion, optionally feeding `input` on stdin. Never throws on exit code. */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => resolveRun({ code, stdout, stderr, ms: performance.now() - t0 }));
    p.stdin.on('error', () => { /* the child may exit before reading everything */ });
    if (opts.input !== undefined) p.stdin.end(opts.input); else p.stdin.end();
  });
}

/** Resident set size of `pid` in bytes, or null if the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

/** Samples the RSS of `pid` every `intervalMs` until stopped; returns the samples in bytes. */
export function sampleRss(pid: number, intervalMs = 250): { stop(): number[] } {
  const samples: number[] = [];
  const take = (): void => { const r = rssBytes(pid); if (r !== null) samples.push(r); };
  take();
  const timer = setInterval(take, intervalMs);
  return { stop() { clearInterval(timer); take(); return samples; } };
}

export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()}, node ${process.version}`;
}
