// Copying bytes out of a buffer that will be reused (LMDB's shared read buffer) cheaply.

const subarray = Uint8Array.prototype.subarray;

/**
 * A copy of src[start, end) as a Buffer. The copy comes from Node's shared allocation pool
 * (Buffer.allocUnsafe), not a fresh ArrayBuffer each as Uint8Array#slice makes: measured 0.08 µs
 * against 0.4–1 µs for 100–300 bytes, and far less work for the garbage collector.
 */
export function copyOut(src: Uint8Array, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  out.set(subarray.call(src, start, end));
  return out;
}
