/**
 * The Redis side shared by `mxne serve --queue` and `mxne worker`: the queue's name, the
 * connection options read from a redis:// URL, a reachability check that fails with a clear error
 * instead of retrying forever, and the channel on which the server tells workers to cancel a job.
 */
import { Redis } from 'ioredis';
import { InputError } from '../errors.js';

export const QUEUE_NAME = 'mxne-solve';
export const CANCEL_CHANNEL = 'mxne:cancel';

/** ioredis options for a redis://[user:password@]HOST:PORT[/db] URL; BullMQ needs maxRetriesPerRequest null. */
export interface RedisAddress { host: string; port: number; username?: string; password?: string; db: number; maxRetriesPerRequest: null }

export function redisOptions(url: string, field = '--queue'): RedisAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(field, 'a redis://HOST:PORT URL', url);
  }
  if (u.protocol !== 'redis:' || u.hostname === '') throw new InputError(field, 'a redis://HOST:PORT URL', url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 6379,
    username: u.username || undefined, password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
}

/** Connects once, without retrying: a server that is not there is an InputError naming --queue. */
export async function checkReachable(url: string, field = '--queue'): Promise<void> {
  const client = new Redis({ ...redisOptions(url, field), lazyConnect: true, retryStrategy: () => null, connectTimeout: 3000, maxRetriesPerRequest: 0 });
  client.on('error', () => {}); // reported by connect() below
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new InputError(field, 'a reachable Redis server', url, (e as Error).message || String(e));
  } finally {
    client.disconnect();
  }
}
