/**
 * The event stream parser of the HTML standard (server-sent events), fed text as it arrives: lines
 * end in CRLF, LF or CR (also when a CRLF is split between two chunks), `data:` lines of one event
 * are joined with LF, comments (`: heartbeat`) and unknown fields are ignored, and an event is
 * dispatched by the empty line after it; an event cut off by the end of the stream never is.
 * `lastEventId` (the id of the last event dispatched) and `retryMs` outlive a `reset` for the next connection.
 */
export class EventStreamParser {
  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
    /** The `retry:` field: how long to wait before reconnecting, in milliseconds. */
    this.retryMs = undefined;
    this.reset();
  }

  /** Forgets the half-read event of a connection that broke, to read a new one from its start. */
  reset() {
    this.idBuffer = this.lastEventId;
    this.type = '';
    this.data = [];
    this.partialLine = '';
    this.afterCR = false;
  }

  /** Takes the next piece of text and answers the events it completes, as `{id, type, data}`. */
  push(text) {
    // A CR ended the last piece: an LF opening this one is the rest of that line break.
    if (this.afterCR && text.startsWith('\n')) text = text.slice(1);
    const lines = (this.partialLine + text).split(/\r\n|\r|\n/);
    this.partialLine = lines.pop();
    this.afterCR = text.endsWith('\r');
    const events = [];
    for (const line of lines) {
      if (line === '') this.dispatch(events);
      else if (!line.startsWith(':')) this.field(line);
    }
    return events;
  }

  field(line) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.data.push(value);
    else if (name === 'event') this.type = value;
    else if (name === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (name === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  dispatch(events) {
    this.lastEventId = this.idBuffer;
    if (this.data.length > 0) events.push({ id: this.lastEventId, type: this.type || 'message', data: this.data.join('\n') });
    this.type = '';
    this.data = [];
  }
}
