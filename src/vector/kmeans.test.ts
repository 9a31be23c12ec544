// k-means for IVFFlat: native (usearch exactSearch) and TypeScript assignment agree, also on
// typed-array views with a byte offset; centres recover well-separated blobs; spherical centres
// are unit length; bit k-means finds majority centres; padding bits are cleared.
import { describe, expect, it } from 'vitest';
import { clusteredData, seededRandom } from './clustered-data.js';
import { assignNearest, kmeansBits, kmeansFloat, maskPadding } from './kmeans.js';
import { hammingAt, l2sqAt } from './ann-kernels.js';

describe('assignNearest', () => {
  it('native and TypeScript paths agree, including views at a byte offset', () => {
    const dim = 16, k = 40, n = 3000;
    const rand = seededRandom(1);
    const backing = Float32Array.from({ length: (n + 7) * dim }, () => rand() * 2 - 1);
    const points = backing.subarray(7 * dim); // byteOffset != 0
    const centersBacking = Float32Array.from({ length: (k + 3) * dim }, () => rand() * 2 - 1);
    const centers = centersBacking.subarray(3 * dim);
    for (const metric of ['l2', 'spherical'] as const) {
      const native = new Int32Array(n);
      assignNearest(points, n, centers, k, dim, metric, 2, native); // n*k above the native cut-off
      let agree = 0;
      for (let i = 0; i < n; i++) {
        const one = new Int32Array(1);
        assignNearest(points.subarray(i * dim, (i + 1) * dim), 1, centers, k, dim, metric, 1, one); // TS path
        if (one[0] === native[i]) agree++;
      }
      expect(agree).toBeGreaterThanOrEqual(n - 3); // f32 rounding may flip exact near-ties
    }
  });
});

describe('kmeansFloat', () => {
  it('recovers well-separated blobs', () => {
    const data = clusteredData({ count: 4000, dim: 8, clusters: 10, spread: 0.05, seed: 2 });
    const { centers } = kmeansFloat(data.base, 4000, 10, 8, 'l2', seededRandom(3), { threads: 2 });
    // Every point is close to some centre (no blob left without one).
    let worst = 0;
    for (let i = 0; i < 4000; i++) {
      let best = Infinity;
      for (let c = 0; c < 10; c++) best = Math.min(best, l2sqAt(data.vector(i), centers, c * 8, 8));
      worst = Math.max(worst, best);
    }
    expect(Math.sqrt(worst)).toBeLessThan(0.5);
  });

  it('spherical centres are unit length; tiny samples become centres', () => {
    const data = clusteredData({ count: 2000, dim: 12, seed: 4, normalize: true });
    const { centers } = kmeansFloat(data.base, 2000, 16, 12, 'spherical', seededRandom(5));
    for (let c = 0; c < 16; c++) expect(Math.sqrt(l2sqAt(new Float32Array(12), centers, c * 12, 12))).toBeCloseTo(1, 5);
    const few = kmeansFloat(data.base, 3, 5, 12, 'spherical', seededRandom(6));
    expect(Array.from(few.centers.subarray(0, 12))).toEqual(Array.from(data.vector(0)));
    expect(few.iterations).toBe(0);
  });
});

describe('kmeansBits', () => {
  it('finds the majority centre of noisy copies of two patterns', () => {
    const rand = seededRandom(7);
    const words = 2;
    const patterns = [Uint32Array.of(0xdeadbeef, 0x12345678), Uint32Array.of(0x0badf00d, 0x87654321)];
    const n = 400;
    const samples = new Uint32Array(n * words);
    for (let i = 0; i < n; i++) {
      const p = patterns[i % 2]!;
      for (let w = 0; w < words; w++) {
        let noise = 0;
        for (let b = 0; b < 32; b++) if (rand() < 0.05) noise |= 1 << b;
        samples[i * words + w] = (p[w]! ^ noise) >>> 0;
      }
    }
    const { centers } = kmeansBits(samples, n, 2, 64, 'hamming', seededRandom(8));
    const found = [0, 1].map((c) => Math.min(...patterns.map((p) => hammingAt(p, centers, c * words, words))));
    expect(found).toEqual([0, 0]);
  });

  it('maskPadding clears bits past the length', () => {
    const rows = Uint32Array.of(0xffffffff, 0xffffffff);
    maskPadding(rows, 0, 2, 45);
    const bytes = new Uint8Array(rows.buffer);
    expect(Array.from(bytes)).toEqual([255, 255, 255, 255, 255, 0xf8, 0, 0]);
  });
});
