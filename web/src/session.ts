/**
 * Who is signed in: the ID token, kept in this tab's sessionStorage (gone when the tab closes), sent as the
 * Authorization header. Its claims are read for display and defaults only; the API decides everything.
 */
import type { Role } from './types';

const TOKEN_KEY = 'gridflow.token';

export interface Session {
  token: string;
  person: string;
  name: string;
  role: Role;
  units: string[];
  department?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The session a token carries, or undefined for one that is not a JWT or has expired. */
export function sessionOf(token: string): Session | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const expiresAt = Number(claims.exp) * 1000;
    if (!(expiresAt > Date.now())) return undefined;
    return {
      token,
      person: String(claims['custom:person'] ?? claims.sub ?? ''),
      name: String(claims.name ?? claims['custom:person'] ?? ''),
      role: String(claims['custom:role'] ?? '') as Role,
      units: String(claims['custom:units'] ?? '')
        .split(',')
        .map((unit) => unit.trim())
        .filter(Boolean),
      ...(typeof claims['custom:department'] === 'string' && { department: claims['custom:department'] }),
      expiresAt,
    };
  } catch {
    return undefined;
  }
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const session = token ? sessionOf(token) : undefined;
  if (token && !session) sessionStorage.removeItem(TOKEN_KEY);
  return session;
}

export function keepToken(token: string): Session | undefined {
  const session = sessionOf(token);
  if (session) sessionStorage.setItem(TOKEN_KEY, token);
  return session;
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * A `?token=` in the address (scripted checks, local mode): taken once and removed from the address bar and the
 * history entry at once, whatever the mode; the caller uses it only in local mode.
 */
export function takeTokenFromAddress(): string | undefined {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token') ?? undefined;
  if (token === undefined) return undefined;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return token;
}
