import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Offload, OffloadError } from '@offload/client';
import { startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 30_000 };
const server = await startOffload();
const target = await startTarget();
const offload = new Offload({ baseUrl: server.url });
after(async () => {
  await target.close();
  await server.stop();
});

test('schedule methods send the requests of README: Schedules', T, async () => {
  const recorder = await startTarget((call) => ({ status: 200, json: call.path === '/v1/schedules' ? { schedules: [{ name: 'a b' }] } : { name: 'a b' } }));
  try {
    const client = new Offload({ baseUrl: recorder.url('') });

    await client.schedules.put('a b', { cron: '@every 30s', timezone: 'UTC', task: { callbackUrl: 'http://app/x', timeout: 90_000 }, overlap: 'skip' });
    assert.deepEqual(await client.schedules.list(), [{ name: 'a b' }]);
    await client.schedules.get('a b');
    await client.schedules.pause('a b');
    await client.schedules.resume('a b');
    await client.schedules.trigger('a b');
    assert.equal(await client.schedules.delete('a b'), undefined);

    assert.deepEqual(recorder.calls.map((c) => [c.method, c.path, c.body && JSON.parse(c.body)]), [
      ['PUT', '/v1/schedules/a%20b', { cron: '@every 30s', timezone: 'UTC', task: { callbackUrl: 'http://app/x', timeout: '90000ms' }, overlap: 'skip' }],
      ['GET', '/v1/schedules', ''],
      ['GET', '/v1/schedules/a%20b', ''],
      ['POST', '/v1/schedules/a%20b/pause', ''],
      ['POST', '/v1/schedules/a%20b/resume', ''],
      ['POST', '/v1/schedules/a%20b/trigger', ''],
      ['DELETE', '/v1/schedules/a%20b', ''],
    ]);
  } finally {
    await recorder.close();
  }
});

describe('schedules', () => {
  const task = { callbackUrl: target.url('/report'), payload: { kind: 'nightly' } };

  test('put creates a schedule that get and list show, and a second put replaces it', T, async () => {
    const created = await offload.schedules.put('js-nightly', {
      cron: '0 3 * * *', timezone: 'Europe/Berlin', task, paused: false, overlap: 'skip', catchUp: 'latest',
    });
    const replaced = await offload.schedules.put('js-nightly', { cron: '30 4 * * *', timezone: 'Europe/Berlin', task });

    assert.equal(created.cron, '0 3 * * *');
    assert.equal(created.overlap, 'skip');
    assert.ok(created.nextRunAt, 'a schedule tells its next run');
    assert.equal(replaced.cron, '30 4 * * *');
    const fetched = await offload.schedules.get('js-nightly');
    assert.equal(fetched.cron, '30 4 * * *');
    assert.equal(fetched.timezone, 'Europe/Berlin');
    assert.deepEqual(fetched.task.payload, { kind: 'nightly' });
    assert.ok((await offload.schedules.list()).some((s) => s.name === 'js-nightly'));
    await offload.schedules.delete('js-nightly');
  });

  test('pause and resume switch a schedule off and on', T, async () => {
    await offload.schedules.put('js-pausable', { cron: '@hourly', task });

    assert.equal((await offload.schedules.pause('js-pausable')).paused, true);
    assert.equal((await offload.schedules.get('js-pausable')).paused, true);
    assert.equal((await offload.schedules.resume('js-pausable')).paused, false);
    await offload.schedules.delete('js-pausable');
  });

  test('trigger creates a task now, which calls the target with the schedule name', T, async () => {
    await offload.schedules.put('js-manual', { cron: '@yearly', task });

    const triggered = await offload.schedules.trigger('js-manual');

    assert.match(triggered.taskId, /^tsk_/);
    const call = await target.callTo('/report', (c) => c.headers['offload-task-id'] === triggered.taskId);
    assert.equal(call.headers['offload-schedule'], 'js-manual');
    const listed = await offload.tasks.list({ scheduleName: 'js-manual' });
    assert.deepEqual(listed.tasks.map((t) => t.taskId), [triggered.taskId]);
    await offload.schedules.delete('js-manual');
  });

  test('an @every schedule creates tasks by itself', T, async () => {
    await offload.schedules.put('js-every-second', { cron: '@every 1s', task: { ...task, callbackUrl: target.url('/tick') } });

    const call = await target.callTo('/tick', () => true, 15_000);

    assert.equal(call.headers['offload-schedule'], 'js-every-second');
    await offload.schedules.delete('js-every-second');
  });

  test('delete removes a schedule; reading it then is a 404', T, async () => {
    await offload.schedules.put('js-doomed', { cron: '@daily', task });

    await offload.schedules.delete('js-doomed');
    const error = await offload.schedules.get('js-doomed').catch((e) => e);

    assert.ok(error instanceof OffloadError);
    assert.equal(error.status, 404);
    assert.ok(!(await offload.schedules.list()).some((s) => s.name === 'js-doomed'));
  });

  test('a bad cron expression is a 400 naming the field', T, async () => {
    const error = await offload.schedules.put('js-bad', { cron: '61 * * * *', task }).catch((e) => e);

    assert.ok(error instanceof OffloadError);
    assert.equal(error.status, 400);
    assert.deepEqual(error.errors.map((e) => e.field), ['cron']);
  });
});
