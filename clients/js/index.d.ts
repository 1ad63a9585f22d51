// Types of @offload/client (DESIGN.md §3–§5). Durations are strings ("250ms", "30s", "10m", "2h",
// "1d", "PT10M") or numbers of milliseconds; instants are RFC 3339 UTC strings.

export type Duration = string | number;
export type TaskStatus = 'scheduled' | 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export type AttemptOutcome = 'succeeded' | 'http_error' | 'timeout' | 'connection_error' | 'lease_expired' | 'cancelled';
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
  retry(taskId: string): Promise<Task>;
  /** From inside the called endpoint, with the `Offload-Task-Token` it received (`verify` returns it as `taskToken`). */
  progress(taskId: string, taskToken: string, progress: unknown): Promise<Task>;
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

export interface OffloadOptions {
  /** Default: `OFFLOAD_URL`, else http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …`. Default: `OFFLOAD_TOKEN`. */
  token?: string;
  /** Per request (a long-poll adds its wait); default 30,000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export declare class Offload {
  constructor(options?: OffloadOptions);
  readonly baseUrl: string;
  readonly tasks: Tasks;
  readonly schedules: Schedules;
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
