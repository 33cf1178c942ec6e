/**
 * One Placetwin server as a child process on a free port, awaited until `/api/health` answers 200: the piece
 * the end-to-end servers (placetwin-server.ts), the scale-out API processes (api-process.ts) and the benchmarks
 * share. Callers choose the script and the environment; this owns the port, the output tail and the shutdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { repoRoot } from './paths';

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  pid: number;
  /** The last 20 kB the process printed (for failure messages). */
  log(): string;
  /** SIGTERM, SIGKILL after 15 s if still running, then the caller's `cleanUp`. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Node arguments, e.g. `['--import', 'tsx', 'apps/server/src/server.ts']`. */
  args: string[];
  /** The child's whole environment (PORT and HOST are set here). */
  env: NodeJS.ProcessEnv;
  /** What to call it in errors, e.g. `API process`. */
  name: string;
  timeoutMs: number;
  /** How often to ask /api/health while it starts. */
  pollMs?: number;
  /** Runs after the process has gone (e.g. removes its data directory). */
  cleanUp?: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: repoRoot,
    env: { ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const running = () => child.exitCode === null && child.signalCode === null;
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (running()) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(killTimer);
    }
    await options.cleanUp?.();
  };

  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!running()) {
      await stop();
      throw new Error(`${options.name} exited with code ${child.exitCode} before it was healthy:\n${output}`);
    }
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false, // Not listening yet.
    );
    if (healthy) return { baseUrl, pid: child.pid ?? 0, log: () => output, stop };
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  await stop();
  throw new Error(`${options.name} was not healthy within ${options.timeoutMs / 1000} s:\n${output}`);
}
