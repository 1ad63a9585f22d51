// Compiled by `tsc -p test/types` in `npm test`: the README's uses type-check against index.d.ts.
import { Offload, OffloadError, OffloadTimeoutError, TERMINAL_STATUSES, steps, verify } from '@offload/client';
import type { BulkAction, BulkFilter, CreatedTask, Queue, QueueHistory, Schedule, Task, TaskEvent, TaskStatus } from '@offload/client';

export async function usage(request: Request): Promise<void> {
  const offload = new Offload({ baseUrl: 'http://127.0.0.1:8080', token: 't', timeoutMs: 5_000, fetch });
  const created: CreatedTask = await offload.tasks.create(
    { callbackUrl: 'https://app/x', payload: { a: 1 }, webhookUrl: 'https://app/done', retries: 3, backoff: 'exponential', delay: 1_000 },
    { idempotencyKey: 'k', wait: 5 },
  );
  const status: TaskStatus = created.status;
  const finished: Task | undefined = created.task;
  await offload.tasks.create({ callbackUrl: 'https://app/x', backoff: { type: 'fixed', initial: '1s' }, runAt: new Date(), priority: 60 });
  const [first] = await offload.tasks.createBatch([{ callbackUrl: 'https://app/x' }]);
  const task = await offload.tasks.wait(first.taskId, { timeoutMs: 10_000 });
  if (TERMINAL_STATUSES.includes(task.status as (typeof TERMINAL_STATUSES)[number])) console.log(task.result?.body);
  for await (const t of offload.tasks.iterate({ queue: 'q', status: 'failed' })) await offload.tasks.retry(t.taskId);
  const page = await offload.tasks.list({ limit: 10, cursor: undefined });
  console.log(page.nextCursor, (await offload.tasks.attempts(task.taskId))[0].outcome, status, finished);
  await offload.tasks.cancel(task.taskId);
  const schedule: Schedule = await offload.schedules.put('nightly', { cron: '0 3 * * *', timezone: 'UTC', task: { callbackUrl: 'https://app/r' }, overlap: 'skip' });
  console.log(schedule.nextRunAt, (await offload.schedules.trigger('nightly')).taskId, (await offload.schedules.list()).length);
  await offload.schedules.delete('nightly');

  const queue: Queue = await offload.queues.put('emails', { concurrency: 10, ratePerSecond: 50, burst: 5, paused: false });
  await offload.queues.put('emails', { concurrency: null });
  const history: QueueHistory = await offload.queues.history('emails');
  console.log(queue.counts.queued, queue.attemptDurationMs.p95, queue.nearTimeout, (await offload.queues.list()).length,
    (await offload.queues.get('emails')).attemptTimeoutMs, history.buckets[59].depth, history.attemptTimeoutMs);
  const controller = new AbortController();
  let lastEventId: number | undefined;
  for await (const event of offload.tasks.events(task.taskId, { signal: controller.signal })) {
    if (event.type === 'attempt.finished') console.log(event.attempt, event.outcome, event.task?.status);
    lastEventId = event.eventId;
  }
  for await (const event of offload.events({ queue: 'emails', lastEventId, signal: AbortSignal.timeout(60_000) })) {
    const seen: TaskEvent = event;
    if (seen.type === 'task.failed') controller.abort();
  }
  await offload.events({ lastEventId: '42' }).return();

  const call = await verify<{ invoiceId: number }>(request, process_env_secrets(), { toleranceSeconds: 60 });
  const invoice: number = call.payload.invoiceId;
  if (call.taskId && call.taskToken) await offload.tasks.progress(call.taskId, call.taskToken, { invoice });
  await verify({ headers: { 'webhook-id': 'x' }, body: new Uint8Array(), isBase64Encoded: false }, ['whsec_x']);

  const failedEmails: BulkFilter = { queue: 'emails', status: 'failed', createdAfter: new Date(), metadata: { tenant: 't1' } };
  const matching: number = await offload.bulkActions.count(failedEmails);
  const retrying: BulkAction = await offload.bulkActions.start('retry', failedEmails);
  const retried = await offload.bulkActions.awaitFinished(retrying.actionId, {
    timeoutMs: 300_000, onProgress: (a) => console.log(`${a.done + a.failed}/${a.matched ?? '?'}`),
  });
  if (retried.status === 'running') await offload.bulkActions.cancel(retried.actionId);
  console.log(matching, (await offload.bulkActions.list({ limit: 10 }))[0].filter.queue, (await offload.bulkActions.get(retried.actionId)).finishedAt);

  try {
    await offload.tasks.get('tsk_x');
  } catch (error) {
    if (error instanceof OffloadError) console.log(error.status, error.errors.map((e) => e.field), error.requestId);
    if (error instanceof OffloadTimeoutError) console.log(error.task.status);
  }
}

declare function process_env_secrets(): string;

export const longImport = steps<{ rows: number }, { imported: number }>(async (payload, step) => {
  let imported = 0;
  for (let i = 0; i < payload.rows; i += 100) imported += await step.run(`rows-${i}`, async () => 100);
  await step.sleep('cool-down', '1s');
  const approval = await step.waitForCallback<{ ok: boolean }>('approval', { timeout: '1d' }, async (url: string) => url);
  return { imported: approval.ok ? imported : 0 };
}, { budget: '10s', secret: true });
