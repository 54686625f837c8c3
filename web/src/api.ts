/** The API on this origin, with the signed-in person's token. */
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

/** Listeners told when the API refuses the token (401): the app signs out. */
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
): Promise<{ body: string }> {
  const token = storedSession()?.token;
  const response = await fetch(path, {
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
    if (response.status === 401 && token) for (const listener of unauthorizedListeners) listener();
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
