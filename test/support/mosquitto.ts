import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shared development broker (mosquitto -d -c /etc/mosquitto/mosquitto.conf). */
export const SHARED_BROKER_URL = process.env.PLACETWIN_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export interface TestBroker {
  url: string;
  port: number;
  /** Graceful stop (SIGTERM): mosquitto writes its persistence file (sessions, queued messages) on the way out. */
  stop(): Promise<void>;
  /** Starts it again on the same port and persistence file. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
}

/**
 * A private mosquitto on a free port, with persistence in a temporary directory, so tests can stop and restart
 * a broker without disturbing anyone using the shared one on 1883. Queues are unbounded: mosquitto's default
 * (1,000 queued messages per client) would silently drop acknowledged readings in a burst.
 */
export async function startTestBroker(): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'placetwin-mqtt-'));
  // mosquitto started as root drops to its own user, which must be able to write here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 0',
      'max_inflight_messages 0',
      'log_type error',
      'log_type warning',
      'log_dest stderr',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
    child = proc;
    let exited = false;
    proc.once('exit', () => {
      exited = true;
    });
    for (let i = 0; i < 100; i++) {
      if (exited) throw new Error(`mosquitto on port ${port} exited at start`);
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`mosquitto on port ${port} did not start`);
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
