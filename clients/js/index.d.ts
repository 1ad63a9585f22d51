// Types of @offload/client (README: API, Pull workers, Clients). Durations are strings ("250ms", "30s", "10m", "2h",
// "1d", "PT10M") or numbers of milliseconds; instants are RFC 3339 UTC strings.

export type Duration = string | number;
export type TaskStatus = 'scheduled' | 'queued' | 'running' | 'waiting' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export type AttemptOutcome = 'succeeded' | 'http_error' | 'timeout' | 'connection_error' | 'lease_expired' | 'cancelled' | 'worker_error';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export declare const TERMINAL_STATUSES: readonly ['succeeded', 'failed', 'cancelled'];

export interface BackoffPolicy {
  type: 'exponential' | 'linear' | 'fixed';
  initial?: Duration;
  max?: Duration;
  factor?: number;
  jitter?: boolean;
}

/** A task to create; only `callbackUrl` is required. Unknown fields are refused by the server (400). */
export interface NewTask {
  callbackUrl: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** Any JSON, sent as the body with `Content-Type: application/json` (max 1 MiB). */
  payload?: unknown;
  /** A text body instead of `payload`. */
  body?: string;
  contentType?: string;
  queue?: string;
  delay?: Duration;
  runAt?: string | Date;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  backoff?: 'exponential' | 'linear' | 'fixed' | BackoffPolicy;
  /** Per attempt (default "1h"); "none" for no limit. */
  timeout?: Duration;
  webhookUrl?: string;
  idempotencyKey?: string;
  metadata?: Record<string, unknown>;
  /** 1–200 characters: at most `keyConcurrency` (default 1) tasks with this key run at once in the queue. */
  concurrencyKey?: string;
  keyConcurrency?: number;
  /**
   * Seconds of head start, -86400 to 86400 (default 0): among tasks that may run, the earliest
   * `runAt - priority` goes first. It never makes a task run before its `runAt`.
   */
  priority?: number;
  /** How long the task is kept once finished ("1m" to "3650d", or "forever"); default: its queue's, then the server's. */
  retention?: string;
}

export interface TaskResult {
  statusCode: number;
  contentType: string | null;
  /** The answer's JSON when it was JSON, else its text. */
  body: unknown;
  truncated: boolean;
}

export interface Task {
  taskId: string;
  status: TaskStatus;
  queue: string;
  /** A pull task's worker function name (instead of `callbackUrl`). */
  name?: string;
  callbackUrl?: string;
  method: string;
  payload?: unknown;
  body?: string;
  contentType?: string;
  /** The names of the task's own headers; their values are not shown back. */
  headerNames: string[];
  createdAt: string;
  runAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  maxAttempts: number;
  /** Calls the target answered with `Offload-Continue` (long work split into calls). */
  continuations?: number;
  maxContinuations?: number;
  /** The state the last continued call answered with. */
  state?: unknown;
  /** While sleeping between calls or waiting for a callback: when that ends. */
  waitingUntil?: string | null;
  nextAttemptAt: string | null;
  result: TaskResult | null;
  lastError: string | null;
  progress: unknown;
  metadata: Record<string, unknown> | null;
  scheduleName: string | null;
  idempotencyKey: string | null;
  /** Per attempt, or "none". */
  timeout: string;
  webhook: { url: string; status: 'pending' | 'delivered' | 'failed'; attempts: number } | null;
  concurrencyKey: string | null;
  keyConcurrency: number | null;
  /** Seconds of head start over tasks due at the same time. */
  priority: number;
  /** The task's own retention, null when its queue's or the server's applies. */
  retention: string | null;
  /** When the finished task will be deleted; null while it is not finished or when it is kept forever. */
  purgeAt: string | null;
}

/** The body of the webhook Offload POSTs to `webhookUrl` when a task finishes. */
export interface TaskFinished {
  taskId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  result: TaskResult | null;
  lastError: string | null;
  attempts: number;
  metadata: Record<string, unknown> | null;
  createdAt: string;
  finishedAt: string;
}

export interface Attempt {
  number: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  outcome: AttemptOutcome | null;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  node: string | null;
}

export interface CreateOptions {
  /** Sent as the `Idempotency-Key` header: within 24 h the same key returns the original task. */
  idempotencyKey?: string;
  /** Seconds (1–60) the server may hold the answer until the task is finished (`Prefer: wait=N`). */
  wait?: number;
}

export interface CreatedTask {
  taskId: string;
  status: TaskStatus;
  statusUrl: string;
  /** True when the idempotency key was seen before and this is the original task. */
  replayed: boolean;
  /** The whole task, when the server sent it: it finished within `wait`, or the create was replayed. */
  task?: Task;
}

export interface ListFilter {
  queue?: string;
  status?: TaskStatus;
  scheduleName?: string;
  /** 1 to the server's maximum; default 50. */
  limit?: number;
  cursor?: string;
}

export interface TaskPage {
  tasks: Task[];
  nextCursor: string | null;
}

export interface Tasks {
  create(task: NewTask, options?: CreateOptions): Promise<CreatedTask>;
  /** 1 to 1,000 tasks, all or none; their ids in the order given. */
  createBatch(tasks: NewTask[]): Promise<Array<{ taskId: string; status: TaskStatus; replayed?: boolean }>>;
  get(taskId: string): Promise<Task>;
  /** Long-polls until the task is finished; throws `OffloadTimeoutError` after `timeoutMs` (default 60 s). */
  wait(taskId: string, options?: { timeoutMs?: number }): Promise<Task>;
  list(filter?: ListFilter): Promise<TaskPage>;
  /** Every matching task, newest first, page after page. */
  iterate(filter?: ListFilter): AsyncGenerator<Task, void, undefined>;
  attempts(taskId: string): Promise<Attempt[]>;
  cancel(taskId: string): Promise<Task>;
  /** A finished task goes with its attempts, events and result; an unfinished one is a 409 (cancel it first). */
  delete(taskId: string): Promise<void>;
  retry(taskId: string): Promise<Task>;
  /** From inside the called endpoint, with the `Offload-Task-Token` it received (`verify` returns it as `taskToken`). */
  progress(taskId: string, taskToken: string, progress: unknown): Promise<Task>;
  /**
   * The task's live events from its creation on (or after `lastEventId`); the iteration ends after
   * the task's final event. An unknown task throws a 404 `OffloadError`.
   */
  events(taskId: string, options?: EventStreamOptions): AsyncGenerator<TaskEvent, void, undefined>;
}

export type TaskEventType =
  | 'task.created' | 'attempt.started' | 'attempt.finished' | 'task.progress' | 'task.continued' | 'task.waiting' | 'task.succeeded' | 'task.failed' | 'task.cancelled';

/** One live event, the data of a server-sent event. */
export interface TaskEvent {
  /** Increasing, in commit order; pass it back as `lastEventId` to go on after it. */
  eventId: number;
  type: TaskEventType;
  taskId: string;
  queue: string;
  /** The attempt it belongs to, 1-based; 0 before the first. */
  attempt: number;
  /** On `attempt.finished` only. */
  outcome?: AttemptOutcome;
  at: string;
  /** The task as it is when the event is sent, so it may be further along than the event. */
  task: Task | null;
}

/**
 * Event streams go over `fetch` (so the token is sent), and a dropped connection is opened again
 * with `Last-Event-ID`: nothing is lost or repeated. Reconnecting gives up after `timeoutMs` without
 * a connection, throwing `OffloadConnectionError` (or the 5xx `OffloadError`); a 4xx is thrown at once.
 */
export interface EventStreamOptions {
  /** Aborting it ends the iteration: the loop stops, nothing is thrown. */
  signal?: AbortSignal;
  /** Start after this event (an `eventId`); `0` for every event the server still keeps. */
  lastEventId?: number | string;
}

export interface ScheduleSpec {
  /** 5-field Unix cron, `@hourly`…`@yearly`, or `@every <duration>`. */
  cron: string;
  timezone?: string;
  task: NewTask;
  paused?: boolean;
  overlap?: 'allow' | 'skip';
  catchUp?: 'latest' | 'none';
}

export interface Schedule extends ScheduleSpec {
  name: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastTaskId: string | null;
}

export interface Schedules {
  /** Creates or replaces the schedule `name`. */
  put(name: string, schedule: ScheduleSpec): Promise<Schedule>;
  get(name: string): Promise<Schedule>;
  list(): Promise<Schedule[]>;
  delete(name: string): Promise<void>;
  pause(name: string): Promise<Schedule>;
  resume(name: string): Promise<Schedule>;
  /** Creates one task from the schedule now. */
  trigger(name: string): Promise<{ taskId: string; status: TaskStatus }>;
}

/** Flow control and retention of a queue; a `put` replaces all six, and absent or null means no limit (or the server's retention). */
export interface QueueSettings {
  /** 1–100,000 tasks of the queue running at once. */
  concurrency?: number | null;
  /** Attempts started per second on average (> 0, up to 100,000). */
  ratePerSecond?: number | null;
  /** With a rate: attempts that may start at once after a quiet spell (default 1). */
  burst?: number | null;
  paused?: boolean | null;
  /** How long succeeded tasks of the queue are kept ("1m" to "3650d", or "forever"). */
  retainSucceeded?: string | null;
  /** How long failed and cancelled tasks of the queue are kept. */
  retainFailed?: string | null;
}

/** Nearest-rank percentiles in milliseconds; null without attempts. */
export interface AttemptDurations {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Queue {
  name: string;
  paused: boolean;
  concurrency: number | null;
  ratePerSecond: number | null;
  burst: number | null;
  retainSucceeded: string | null;
  retainFailed: string | null;
  counts: Record<TaskStatus, number>;
  inFlight: number;
  /** How long the oldest task whose time has come has waited; null when none waits. */
  oldestReadyAgeMs: number | null;
  /** Tasks finished (succeeded, failed or cancelled) in the last minute and hour. */
  throughput: { lastMinute: number; lastHour: number };
  /** Over the queue's last 1,000 attempts of the last hour. */
  attemptDurationMs: AttemptDurations;
  /** The shortest attempt timeout among the tasks of those attempts; null when none has one. */
  attemptTimeoutMs: number | null;
  /** How many finished attempts the durations are over (cancelled attempts and expired leases left out). */
  attemptSamples: number;
  /** p95 is past 70 % of `attemptTimeoutMs`, judged from at least 20 finished attempts. */
  nearTimeout: boolean;
}

/** One minute of a queue's history. */
export interface QueueMinute {
  at: string;
  created: number;
  finished: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Tasks created before the minute's end and not finished by then. */
  depth: number;
  /** The attempts that finished in the minute and were sampled (the latest 300). */
  attempts: number;
  attemptDurationMs: AttemptDurations;
}

export interface QueueHistory {
  queue: string;
  bucketSeconds: number;
  from: string;
  to: string;
  /** The shortest timeout among the tasks of the hour's sampled attempts, for drawing the limit. */
  attemptTimeoutMs: number | null;
  /** 60, oldest first; the last is the current, partial minute. */
  buckets: QueueMinute[];
}

/** A queue that no task named and no settings were put for is a 404 `OffloadError`. */
export interface Queues {
  list(): Promise<Queue[]>;
  get(name: string): Promise<Queue>;
  put(name: string, settings: QueueSettings): Promise<Queue>;
  history(name: string): Promise<QueueHistory>;
}

export type BulkActionType = 'retry' | 'cancel' | 'delete';

/** Which tasks a bulk action applies to: those that match every field given (at least one). */
export interface BulkFilter {
  queue?: string;
  status?: TaskStatus;
  /** The worker function of pull tasks. */
  name?: string;
  scheduleName?: string;
  /** Created at or after this time (a Date or RFC 3339 text). */
  createdAfter?: Date | string;
  /** Created before this time. */
  createdBefore?: Date | string;
  lastErrorContains?: string;
  /** Every entry must be in the task's metadata. */
  metadata?: Record<string, string>;
}

export interface BulkAction {
  actionId: string;
  action: BulkActionType;
  filter: BulkFilter;
  status: 'running' | 'succeeded' | 'cancelled';
  /** The tasks the filter matched; null until the server has counted them. */
  matched: number | null;
  /** Tasks the action was applied to so far. */
  done: number;
  /** Matched tasks it could not be applied to (not in a status it applies to). */
  failed: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface BulkActions {
  /** How many tasks the filter matches now (a dry run). */
  count(filter: BulkFilter): Promise<number>;
  /** Starts the action and answers it running; the same action with the same filter already running answers that one. */
  start(action: BulkActionType, filter: BulkFilter): Promise<BulkAction>;
  get(actionId: string): Promise<BulkAction>;
  /** Newest first. */
  list(options?: { limit?: number }): Promise<BulkAction[]>;
  /** A finished action is a 409. */
  cancel(actionId: string): Promise<BulkAction>;
  /** Reads the action until it is finished or `timeoutMs` (default 60 s) passes; answers it as it is then. */
  awaitFinished(actionId: string, options?: { timeoutMs?: number; onProgress?: (action: BulkAction) => void }): Promise<BulkAction>;
}

export interface OffloadOptions {
  /** Default: `OFFLOAD_URL`, else http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …`. Default: `OFFLOAD_TOKEN`. */
  token?: string;
  /** Per request (a long-poll adds its wait), and how long an event stream tries to reconnect; default 30,000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export declare class Offload {
  constructor(options?: OffloadOptions);
  readonly baseUrl: string;
  readonly tasks: Tasks;
  readonly schedules: Schedules;
  readonly queues: Queues;
  /** Retry, cancel or delete every task a filter matches, in the background. */
  readonly bulkActions: BulkActions;
  /** New events of every task, or of one `queue`, until `signal` aborts; from now unless `lastEventId` is given. */
  events(options?: EventStreamOptions & { queue?: string }): AsyncGenerator<TaskEvent, void, undefined>;
  /** The same as the exported `steps`. */
  steps<P = any, R = unknown>(handler: StepsHandler<P, R>, options?: StepsOptions): (request: Request) => Promise<Response>;
  /** A pull worker of this server; add handlers, then `await worker.start()`. */
  worker(options?: WorkerOptions): Worker;
  /**
   * A background function: a route enqueues it (`await fn.enqueue(payload)`), a worker runs it
   * (`worker.register(fn)`). `options` are its queue and default task options.
   */
  define<P = any, R = unknown>(name: string, handler: Handler<P, R>, options?: DefineOptions): BackgroundFunction<P, R>;
}

export interface WorkerOptions {
  /** Lease only from these queues (default: any queue). */
  queues?: string[];
  /** Handlers running at once (default 10). */
  concurrency?: number;
  /** Milliseconds a lease lasts without a heartbeat, 1,000 to 3,600,000 (default 60,000): a dead worker's tasks go elsewhere this long after its last heartbeat. */
  leaseFor?: number;
  /** Milliseconds between heartbeats (default `leaseFor / 3`). */
  heartbeatEvery?: number;
  /** Milliseconds one lease request waits on the server for work, 0 to 60,000 (default 20,000). */
  waitFor?: number;
  /** Names the worker in the attempts it runs (default: host name and process id). */
  workerId?: string;
  /** Where warnings go (the server is away, a task was cancelled); default `console`. */
  logger?: Pick<Console, 'warn' | 'info' | 'error'>;
}

/** The task a handler runs. */
export interface WorkerTask {
  id: string;
  name: string;
  queue: string;
  /** 1-based; above 1 the task ran before (delivery is at-least-once: be idempotent). */
  attempt: number;
  /** Aborted when the task is cancelled, its lease is lost, or the worker stops past its grace; pass it to `fetch` and the like. */
  signal: AbortSignal;
  leaseExpiresAt: string;
  /** The whole task as leased (metadata, maxAttempts, …). */
  task: Task;
  /** Records progress (any JSON) on the task, sent within half a second with a heartbeat; resolves once sent. */
  progress(value: unknown): Promise<void>;
}

/** Runs one task: what it returns (JSON) is the task's result; a thrown `NonRetryableError` fails the task, any other error fails the attempt. */
export type Handler<P = any, R = unknown> = (payload: P, task: WorkerTask) => R | Promise<R>;

export declare class Worker {
  readonly workerId: string;
  readonly queues: string[];
  readonly concurrency: number;
  readonly leaseFor: number;
  readonly waitFor: number;
  /** Tasks whose handler is running now. */
  readonly running: number;
  handle<P = any, R = unknown>(name: string, handler: Handler<P, R>): this;
  register(...functions: Array<BackgroundFunction<any, any>>): this;
  /** Starts leasing and running tasks in the background. */
  start(): Promise<void>;
  /**
   * Stops leasing, lets running handlers finish for up to `graceMs` (default 30,000), then aborts the
   * rest and releases their tasks (queued again at once, the attempt not counted).
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Task options of a background function: those of a task, without what `define` sets itself. */
export type EnqueueOptions = Omit<NewTask, 'callbackUrl' | 'method' | 'headers' | 'payload' | 'body' | 'contentType'> & {
  /** Seconds (1–60) the server may hold the answer until the task is finished. */
  wait?: number;
};

export type DefineOptions = Omit<EnqueueOptions, 'wait' | 'idempotencyKey'>;

export interface BackgroundFunction<P = any, R = unknown> {
  readonly name: string;
  readonly queue: string | undefined;
  readonly handler: Handler<P, R>;
  /** Creates a task for a worker that runs this function; options over those given to `define`. */
  enqueue(payload: P, options?: EnqueueOptions): Promise<CreatedTask>;
}

/** Thrown by a handler: the task fails at once, without retries. */
export declare class NonRetryableError extends Error {
  constructor(message?: string, options?: ErrorOptions);
}

export interface FieldError {
  field: string;
  message: string;
}

/** The server refused a request (RFC 9457 problem). */
export declare class OffloadError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** Such as "POST /v1/tasks". */
  readonly request: string;
  /** The server's `Offload-Request-Id`. */
  readonly requestId: string | undefined;
}

/** A request got no answer: unreachable server, broken connection, or no answer within `timeoutMs`. */
export declare class OffloadConnectionError extends Error {
  readonly request: string;
  readonly url: string;
}

/** `tasks.wait` ran out of time; `task` is how it was last seen. */
export declare class OffloadTimeoutError extends Error {
  readonly task: Task;
  readonly timeoutMs: number;
}

export declare class WebhookVerificationError extends Error {}

/** What `verify` accepts besides a web `Request`: Node and Lambda requests. */
export interface RawRequest {
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body, exactly as received; omitted for a Node `IncomingMessage` whose body is unread. */
  body?: string | Uint8Array | ArrayBuffer | null;
  /** Lambda: the body is base64. */
  isBase64Encoded?: boolean;
}

export interface VerifyOptions {
  /** Largest distance between `webhook-timestamp` and now; default 300. */
  toleranceSeconds?: number;
  /** Now, in milliseconds since 1970 or as a Date; default `Date.now()`. */
  now?: number | Date;
}

export interface VerifiedCall<P = any> {
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  payload: P;
  /** The raw body as text. */
  body: string;
  webhookId: string;
  timestamp: Date;
  /** `Offload-Task-Id`, on calls and webhooks. */
  taskId: string | undefined;
  /** `Offload-Attempt` (1-based), on calls. */
  attempt: number | undefined;
  queue: string | undefined;
  scheduleName: string | undefined;
  /** `Offload-Task-Token`, for `tasks.progress`. */
  taskToken: string | undefined;
  /** `Offload-Event` on webhooks, such as "task.succeeded". */
  event: string | undefined;
}

/**
 * Checks the Standard Webhooks signature of a call or webhook from Offload and reads it; throws
 * `WebhookVerificationError` when it does not hold. `secrets` (`whsec_…`, an array or a
 * comma-separated string) default to `OFFLOAD_SIGNING_SECRETS`.
 */
export declare function verify<P = any>(request: Request | RawRequest, secrets?: string | string[], options?: VerifyOptions): Promise<VerifiedCall<P>>;

/** Milliseconds, or a duration such as `"10s"`, `"250ms"`, `"5m"`, `"2h"`, `"1d"`. */
export type StepDuration = number | string;

/** What a `steps` handler gets besides its payload. Results must be JSON-serializable. */
export interface Step {
  /** Runs `fn` once over all calls; later calls get its stored result. */
  run<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** Sleeps between calls (up to 365 days): the call ends and Offload calls again afterwards. */
  sleep(name: string, duration: StepDuration): Promise<void>;
  /**
   * Calls `start(callbackUrl)` once, ends the call, and returns the JSON later POSTed to that URL;
   * throws `CallbackTimeoutError` when nothing came within `timeout` (default 7 days).
   */
  waitForCallback<T = unknown>(name: string, options?: { timeout?: StepDuration }, start?: (callbackUrl: string) => unknown): Promise<T>;
}

export type StepsHandler<P = any, R = unknown> = (payload: P, step: Step) => R | Promise<R>;

export interface StepsOptions {
  /** How long one call may run before the helper answers with a continuation (default "10s"). */
  budget?: StepDuration;
  /** Signing secret(s) to verify every call with; `true` reads `OFFLOAD_SIGNING_SECRETS`. */
  secret?: string | string[] | true;
}

/**
 * A web-standard route handler for long work on a serverless target: the handler re-runs from the
 * top on each call from Offload, finished steps replay from the state, and the helper answers with
 * `Offload-Continue` before the budget runs out, to sleep, or to wait for a callback.
 */
export declare function steps<P = any, R = unknown>(handler: StepsHandler<P, R>, options?: StepsOptions): (request: Request) => Promise<Response>;

export declare class CallbackTimeoutError extends Error {
  readonly step: string;
}
