/**
 * Sign in. The cloud: the hosted sign-in (Cognito, hosted-sign-in.ts). Local mode: the roster of the running platform,
 * unit by unit, a person a button (GET /_local/people, POST /_local/sign-in). In either, a field to paste an ID token.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from './api';
import type { HostedSession } from './hosted-sign-in';
import { both, ROLE_LABELS } from './labels';
import { keepToken, type Session } from './session';
import type { RosterEntry } from './types';

export function SignIn({
  mode,
  hosted,
  failure,
  onSignedIn,
}: {
  mode: 'local' | 'aws';
  hosted?: HostedSession;
  /** Why the last return from the hosted sign-in failed. */
  failure?: string;
  onSignedIn: (session: Session) => void;
}) {
  const [people, setPeople] = useState<RosterEntry[]>();
  const [error, setError] = useState<string | undefined>(failure && `登录失败 Sign-in failed: ${failure}`);
  const [pasted, setPasted] = useState('');
  const roster = mode === 'local' && !hosted;

  useEffect(() => {
    if (!roster) return;
    api<{ people: RosterEntry[] }>('/_local/people')
      .then((reply) => setPeople(reply.people))
      .catch((failure: Error) => setError(failure.message));
  }, [roster]);

  const units = useMemo(() => {
    const byUnit = new Map<string, RosterEntry[]>();
    for (const person of people ?? []) byUnit.set(person.unit, [...(byUnit.get(person.unit) ?? []), person]);
    return [...byUnit.values()];
  }, [people]);

  const use = (token: string) => {
    const session = keepToken(token.trim());
    if (session) onSignedIn(session);
    else setError('这不是有效的令牌（或已过期） This is not a valid token, or it has expired');
  };

  const signInAs = async (person: RosterEntry) => {
    setError(undefined);
    try {
      use((await api<{ token: string }>('/_local/sign-in', { method: 'POST', body: { person: person.id } })).token);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    use(pasted);
  };

  return (
    <main className="sign-in">
      <h1>
        网格通指挥中心 <span>GridFlow command center</span>
      </h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {hosted && (
        <p className="hosted">
          <button type="button" className="primary" data-testid="hosted-sign-in" onClick={() => void hosted.signIn()}>
            统一身份登录 Sign in
          </button>
        </p>
      )}
      <form onSubmit={submit} className="paste">
        <label htmlFor="token">粘贴令牌 Paste a token</label>
        <textarea id="token" rows={3} value={pasted} onChange={(event) => setPasted(event.target.value)} placeholder="eyJ…" />
        <button type="submit" disabled={!pasted.trim()}>
          登录 Sign in
        </button>
      </form>
      {roster && (
        <section className="roster" aria-label="roster">
          <h2>
            本地模式：选择人员登录 <span>Local mode: sign in as a person of the roster</span>
          </h2>
          {!people && !error && <p>加载中 Loading…</p>}
          {units.map((members) => (
            <section key={members[0].unit} className="unit">
              <h3>
                {members[0].unitName} <span>{members[0].unitNameEn}</span> <code>{members[0].unit}</code>
              </h3>
              <ul>
                {members.map((person) => (
                  <li key={person.id}>
                    <button type="button" data-person={person.id} onClick={() => signInAs(person)}>
                      <strong>{person.name}</strong>
                      <span className="role">{both(ROLE_LABELS[person.role], person.role)}</span>
                      {person.departmentName && <span className="department">{person.departmentName}</span>}
                      {person.head && <span className="head">负责人 head</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      )}
    </main>
  );
}
