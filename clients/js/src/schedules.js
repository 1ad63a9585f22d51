import { segment } from './transport.js';
import { taskToWire } from './wire.js';

/** `/v1/schedules`: tasks created on a cron schedule (README: Schedules). */
export class Schedules {
  constructor(transport) {
    this.transport = transport;
  }

  /** Creates or replaces the schedule `name` (declarative: putting the same schedule twice changes nothing). */
  async put(name, schedule) {
    if (schedule === null || typeof schedule !== 'object') throw new TypeError('a schedule must be an object such as { cron, task }');
    const body = schedule.task === undefined ? schedule : { ...schedule, task: taskToWire(schedule.task) };
    return (await this.transport.request('PUT', path(name), { body })).body;
  }

  async get(name) {
    return (await this.transport.request('GET', path(name))).body;
  }

  async list() {
    return (await this.transport.request('GET', '/v1/schedules')).body.schedules;
  }

  async delete(name) {
    await this.transport.request('DELETE', path(name));
  }

  async pause(name) {
    return (await this.transport.request('POST', `${path(name)}/pause`)).body;
  }

  async resume(name) {
    return (await this.transport.request('POST', `${path(name)}/resume`)).body;
  }

  /** Creates one task from the schedule now, outside its cron slots. */
  async trigger(name) {
    return (await this.transport.request('POST', `${path(name)}/trigger`)).body;
  }
}

function path(name) {
  return `/v1/schedules/${segment(name, 'schedule name')}`;
}
