/**
 * A real redis-server for the scale-out tests: on a free loopback port, in a temporary folder,
 * with an append-only file so a restart (the "Redis went away" test) keeps its data.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { skipSuite } from '../helpers/skips.js';
import { foreignEnv } from '../helpers/foreignEnv.js';

export function haveRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface RedisServer { url: string; port: number; stop(): Promise<void> }

export async function startRedis(dir: string, port?: number): Promise<RedisServer> {
  const p = port ?? await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes',
    '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'], env: foreignEnv() });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    void exited.then(() => reject(new Error(`redis-server exited: ${out}`)));
  });
  return {
    url: `redis://127.0.0.1:${p}`, port: p,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Call inside describe(): skips the suite when redis-server is not installed (reported at the end of the run). */
export function requireRedis(ctx: Mocha.Suite): void {
  if (!haveRedis()) skipSuite(ctx, 'redis-server', 'To run them: apt-get install redis-server (.ci/run does).');
}
