// Assertions for programmer errors (never reachable from user input): they throw, and the
// session reports XX000. User errors are SqlErrors with their own SQLSTATE.
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(`internal: ${message}`);
}

export function unreachable(value: never, message = 'unreachable'): never {
  throw new Error(`internal: ${message}: ${JSON.stringify(value)}`);
}
