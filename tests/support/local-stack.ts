/** Starts the real local platform for a test file and talks to it over HTTP. */
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../shared/adapters/local/local-platform';
import { parseLocal } from '../../shared/domain/calendar';
import type { Role } from '../../shared/domain/types';
import { sampleClaims, type TokenRequest } from '../../bin/sample-users';

export interface Stack {
  platform: LocalPlatform;
  url: string;
  token(role: Role, unit: string, extra?: Partial<TokenRequest>): string;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startStack(options: Partial<LocalPlatformOptions> & { clockStart?: Date } = {}): Promise<Stack> {
  const platform = await startLocalPlatform({ port: 0, timeScale: 1, quiet: true, ...options });
  const call: Stack['call'] = async (method, path, { token, body, rawBody, headers } = {}) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    platform,
    url: platform.url,
    token: (role, unit, extra) => platform.token(sampleClaims(platform.deps.directory, role, unit, extra)),
    call,
    stop: () => platform.stop(),
  };
}

/** Polls until `probe` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const at = (local: string) => parseLocal(local);

export const JINYUAN_GRID_1 = '441302010001001';
export const JINYUAN = '441302010001';
export const XIAOJINKOU = '441302010';
export const HUICHENG = '441302';
