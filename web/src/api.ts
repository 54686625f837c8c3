/** The API (on the page's origin locally, on its own in the cloud: config.json), with the signed-in person's token. */
import { siteConfig } from './config';
import { storedSession } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * Asked for a new token when the API refuses the one sent (the hosted sign-in renews with its refresh token); true when
 * there is one, and the request is sent once more.
 */
let renewToken: (() => Promise<boolean>) | undefined;
export function setTokenRenewal(renew: (() => Promise<boolean>) | undefined): void {
  renewToken = renew;
}

/** One renewal for all the requests refused together (the board, the reference and the health read at once). */
let renewal: Promise<boolean> | undefined;
function renewOnce(renew: () => Promise<boolean>): Promise<boolean> {
  renewal ??= renew().finally(() => {
    renewal = undefined;
  });
  return renewal;
}

/** Listeners told when the API refuses the token (401) and no new one can be had: the app signs out. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function api<T>(path: string, options: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const { body } = await request(path, options, 'application/json');
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  return parsed as T;
}

/** A GET whose answer is text (a report's HTML or CSV). */
export async function apiText(path: string, accept: string): Promise<string> {
  return (await request(path, {}, accept)).body;
}

async function request(
  path: string,
  options: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal },
  accept: string,
  renewed = false,
): Promise<{ body: string }> {
  let token = storedSession()?.token;
  // A tab that slept past the token's hour has none left (session.ts drops an expired one): renew before asking, for a
  // 401 from the cloud's authorizer may come without CORS headers, which the page cannot read.
  if (!token && !renewed && renewToken && (await renewOnce(renewToken))) token = storedSession()?.token;
  const response = await fetch(`${siteConfig().apiUrl}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      accept,
      ...(token && { authorization: `Bearer ${token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401 && token) {
      if (!renewed && renewToken && (await renewOnce(renewToken))) return request(path, options, accept, true);
      for (const listener of unauthorizedListeners) listener();
    }
    let error: { code?: string; message?: string; fields?: { field: string; message: string }[] } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error })?.error;
    } catch {
      error = undefined;
    }
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.fields,
    );
  }
  return { body: text };
}
