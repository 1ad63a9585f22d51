/**
 * Task fields as the server reads them: numbers given for durations are milliseconds, a `Date` for
 * `runAt` is sent as RFC 3339. Fields left undefined are dropped by JSON.stringify.
 */
export function taskToWire(task) {
  if (task === null || typeof task !== 'object' || Array.isArray(task)) {
    throw new TypeError('a task must be an object such as { callbackUrl, payload }');
  }
  const wire = { ...task, delay: duration(task.delay), timeout: duration(task.timeout) };
  if (task.runAt instanceof Date) wire.runAt = task.runAt.toISOString();
  if (task.backoff !== null && typeof task.backoff === 'object') {
    wire.backoff = { ...task.backoff, initial: duration(task.backoff.initial), max: duration(task.backoff.max) };
  }
  return wire;
}

function duration(value) {
  return typeof value === 'number' ? `${Math.round(value)}ms` : value;
}
