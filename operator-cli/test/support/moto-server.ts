import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/** The repository's virtual environment, where `scripts/setup.sh` installs `moto[server]` (requirements-dev.txt). */
export const MOTO_SERVER = path.resolve(__dirname, '..', '..', '..', '.venv', 'bin', 'moto_server');
const PYTHON = path.resolve(__dirname, '..', '..', '..', '.venv', 'bin', 'python');
/** moto's server with DynamoDB's per-item atomicity supplied (moto_server.py says why). */
const LAUNCHER = path.join(__dirname, 'moto_server.py');

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface MotoServer {
  readonly endpoint: string;
  /** Forgets every resource and queued Athena answer. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on now, on the loopback interface only. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const running = new Set<ChildProcess>();
// A test run that ends abruptly must not leave a server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`);
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts `moto_server` on 127.0.0.1 and a free port, and waits until it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(
      `${MOTO_SERVER} is missing: run \`bash scripts/setup.sh\` (it installs moto[server] from requirements-dev.txt)`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, [LAUNCHER, '127.0.0.1', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  });
  // Set by the exit handler, which TypeScript cannot see run inside the loop below.
  const state: { exited: number | null } = { exited: null };
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      state.exited = code ?? -1;
      running.delete(child);
      resolve();
    }),
  );

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (state.exited !== null)
      throw new Error(`moto_server exited with ${state.exited} before it answered:\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `moto_server did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000}s:\n${log}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    stop: async () => {
      if (state.exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    },
  };
}
