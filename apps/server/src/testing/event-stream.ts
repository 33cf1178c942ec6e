/**
 * For tests of the live sensor stream (`GET /api/sensors/stream`, Server-Sent Events): the stream opened over a
 * real socket (not `app.inject()`, which waits for the end of a response that never ends), collecting its events.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { LiveEvent } from '@placetwin/sensors';

export interface EventStream {
  /** Resolves once the server has said `: connected`. */
  opened: Promise<void>;
  /** The response's content type (empty until it arrives). */
  contentType(): string;
  /** Waits until `done(events so far)`, failing after `timeoutMs`. */
  until(done: (events: LiveEvent[]) => boolean, timeoutMs?: number): Promise<LiveEvent[]>;
  close(): void;
}

/** Opens `url` (the stream's full URL) with `headers` (e.g. a staff session's). */
export function openEventStream(url: string, headers: Record<string, string> = {}): EventStream {
  const events: LiveEvent[] = [];
  let contentType = '';
  let wake = () => {};
  const req = httpRequest(url, { headers });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      contentType = String(res.headers['content-type']);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (block.includes(': connected')) resolve();
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)));
        }
        wake();
      });
    });
  });
  req.end();
  return {
    opened,
    contentType: () => contentType,
    async until(done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(events)) {
        if (Date.now() > deadline) throw new Error(`SSE: only ${events.length} events in ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      return events;
    },
    close: () => req.destroy(),
  };
}
