import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { LoggerOptions } from 'pino';

/** A request id given by a proxy in front is kept (so logs join up), if it looks like an id and not an injection. */
const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && INCOMING_ID.test(given) ? given : randomUUID();
}

const hasModule = (name: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};

/** An address's `email=` query values replaced (subject access look-ups must not leave the address in logs). */
export const redactEmailQuery = (url: string): string => url.replace(/([?&]email=)[^&#]*/gi, '$1[redacted]');

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * pino options: JSON lines (for log collectors), or pretty when a person watches a terminal and pino-pretty is
 * installed. Credentials never reach the log.
 */
export function loggerOptions(level: string, stream: { isTTY?: boolean } = process.stdout): LoggerOptions {
  const pretty = stream.isTTY === true && hasModule('pino-pretty');
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // Fastify's own request fields, with email addresses taken out of the URL.
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url === undefined ? undefined : redactEmailQuery(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}
