/**
 * Bearer tokens. Off loopback the service refuses to start without one (anyone on the network
 * could otherwise run solves and read results); compared in constant time over SHA-256 digests,
 * so neither the content nor the length of the token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { InputError } from '../errors.js';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** The token from --token-file (first line) or MXNE_TOKEN; null when neither is set. */
export function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(tokenFile, 'utf8');
    } catch (e) {
      throw new InputError('--token-file', 'a readable file holding the token', tokenFile, (e as Error).message);
    }
    const token = text.split('\n')[0].trim();
    if (token.length < 16) throw new InputError('--token-file', 'a token of at least 16 characters', `${token.length} characters`);
    return token;
  }
  const t = env.MXNE_TOKEN?.trim();
  if (t === undefined || t === '') return null;
  if (t.length < 16) throw new InputError('MXNE_TOKEN', 'a token of at least 16 characters', `${t.length} characters`);
  return t;
}

/** Refuses a non-loopback bind without a token. */
export function requireTokenOffLoopback(host: string, token: string | null): void {
  if (token === null && !isLoopback(host)) {
    throw new InputError('--host', 'a loopback address (127.0.0.1, ::1), or a token (--token-file or MXNE_TOKEN) to bind elsewhere', host);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an Authorization header carries the token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m ? m[1] : ''), digest(token)) && m !== null;
}
