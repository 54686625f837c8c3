/**
 * The cloud's sign-in: Cognito's hosted sign-in with the authorization code and PKCE, through `oidc-client-ts` (the
 * library AWS's own Cognito guide for single-page apps uses; it makes the verifier and state, checks the callback, and
 * renews with the refresh token before the tokens expire). The app sends the ID token to the API (it carries the
 * `custom:*` claims the API authorizes by); this module keeps session.ts's token current as it is renewed.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { HostedSignIn } from './config';
import { forgetToken, keepToken, type Session } from './session';

/** A place in the app (its routes are in the address's hash): what may come back through the sign-in's state. */
const APP_PLACE = /^#\/[\w\-/?=&%.:,]*$/;

/** The scopes the app client allows (infra/constructs/user-directory.ts). */
const SCOPES = 'openid profile phone';

export interface HostedSession {
  /** Sends the browser to the hosted sign-in page. */
  signIn(): Promise<void>;
  /**
   * The session after a return from the hosted sign-in (`?code=&state=` in the address, then taken out of it), or
   * the one kept in this tab; undefined when there is none.
   */
  resume(): Promise<Session | undefined>;
  /** New tokens with the refresh token now (after the API refused the ID token); false when that fails. */
  renew(): Promise<boolean>;
  /** Revokes the refresh token, forgets the tokens and ends the hosted session (the browser leaves for its logout page). */
  signOut(): Promise<void>;
  /** Told of every renewed session (the app shows it), and of none when renewal fails (the app signs out). */
  onChange(listener: (session: Session | undefined) => void): () => void;
}

export function hostedSession(config: HostedSignIn, origin = window.location.origin): HostedSession {
  const home = `${origin}/`;
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  const manager = new UserManager({
    authority: issuer,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: SCOPES,
    // Cognito's endpoints, given rather than discovered: its discovery document names no logout endpoint, and one
    // request fewer before the first page.
    metadata: {
      issuer,
      authorization_endpoint: `${config.signInUrl}/oauth2/authorize`,
      token_endpoint: `${config.signInUrl}/oauth2/token`,
      userinfo_endpoint: `${config.signInUrl}/oauth2/userInfo`,
      revocation_endpoint: `${config.signInUrl}/oauth2/revoke`,
      end_session_endpoint: `${config.signInUrl}/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    },
    loadUserInfo: false,
    automaticSilentRenew: true,
    monitorSession: false,
    // A tab's own: nothing outlives the tab, as the local sign-in's token does not.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    revokeTokenTypes: ['refresh_token'],
  });
  const listeners = new Set<(session: Session | undefined) => void>();
  const tell = (session: Session | undefined) => {
    for (const listener of listeners) listener(session);
  };
  const sessionOfUser = (user: User | null): Session | undefined => (user?.id_token ? keepToken(user.id_token) : undefined);
  // Once signing out, a user stored on the way (the revocation stores the user without its refresh token) is no session.
  let signingOut = false;
  manager.events.addUserLoaded((user) => {
    if (!signingOut) tell(sessionOfUser(user));
  });
  manager.events.addSilentRenewError(() => {
    forgetToken();
    tell(undefined);
  });

  return {
    // The page asked for (a report link from an SMS, a case) goes through the sign-in in the state and is opened after.
    signIn: () => manager.signinRedirect({ url_state: window.location.hash }),
    async resume() {
      const url = new URL(window.location.href);
      // A code, or the hosted page's refusal (`error`, `error_description`: cancelled, a disabled user): the callback
      // checks the state and turns a refusal into an error the sign-in page shows.
      if (url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'))) {
        let place = url.hash;
        try {
          const user = await manager.signinRedirectCallback(url.href);
          if (user.url_state && APP_PLACE.test(user.url_state)) place = user.url_state;
          return sessionOfUser(user);
        } finally {
          // The code is spent either way; the address keeps only the page's place.
          window.history.replaceState(window.history.state, '', `${url.pathname}${place}`);
        }
      }
      const kept = await manager.getUser();
      // An hour-old tab: its ID token has expired, its refresh token may still be good.
      if (kept?.expired && kept.refresh_token) return sessionOfUser(await manager.signinSilent().catch(() => null));
      return sessionOfUser(kept);
    },
    async renew() {
      // With the refresh token only: Cognito's hosted page has no silent (prompt=none) sign-in to fall back on.
      if (!(await manager.getUser())?.refresh_token) return false;
      try {
        return sessionOfUser(await manager.signinSilent()) !== undefined;
      } catch {
        // A refresh token refused once (revoked, expired, the user disabled) is not tried again by the next request.
        await manager.removeUser().catch(() => undefined);
        return false;
      }
    },
    async signOut() {
      signingOut = true;
      const user = await manager.getUser();
      // Revoking is best effort: the hosted logout below ends the sign-in session either way.
      if (user?.refresh_token) await manager.revokeTokens(['refresh_token']).catch(() => undefined);
      await manager.removeUser();
      forgetToken();
      // Cognito's logout takes client_id and logout_uri (one of the client's sign-out URLs).
      window.location.assign(`${config.signInUrl}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: home })}`);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
