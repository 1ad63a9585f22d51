/** Fields `define` sets itself: a background function's task is always a pull task named after it, carrying the payload given. */
const OWN_FIELDS = ['name', 'callbackUrl', 'method', 'headers', 'payload', 'body', 'contentType'];

/**
 * A background function: one definition that a web route enqueues with and a worker runs
 * (`worker.register(fn)`), so both share the name, the queue and the handler.
 */
export class BackgroundFunction {
  #tasks;
  #defaults;

  constructor(tasks, name, handler, options = {}) {
    if (typeof name !== 'string' || name === '') throw new TypeError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
    if (typeof handler !== 'function') throw new TypeError(`the handler of "${name}" must be a function (payload, task) => result`);
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object such as { queue }');
    refuseOwnFields(options, 'define');
    this.#tasks = tasks;
    this.#defaults = { ...options };
    this.name = name;
    this.handler = handler;
    this.queue = options.queue;
  }

  /**
   * Creates a task that a worker running this function picks up; `options` are the task's own
   * (delay, runAt, retries, backoff, timeout, idempotencyKey, metadata, priority, …, and `wait`)
   * over those given to `define`. Resolves as `tasks.create` does, with `{taskId, status, …}`.
   */
  async enqueue(payload, options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object such as { delay: "30s" }');
    refuseOwnFields(options, 'enqueue');
    const { wait, ...task } = { ...this.#defaults, ...options };
    return this.#tasks.create({ ...task, name: this.name, payload: payload === undefined ? null : payload }, { wait });
  }
}

function refuseOwnFields(options, where) {
  const own = OWN_FIELDS.filter((field) => options[field] !== undefined);
  if (own.length > 0) throw new TypeError(`${where} sets ${own.join(', ')} itself; remove ${own.length > 1 ? 'them' : 'it'} from the options`);
}
