/**
 * Reporter tokens and code hashes signed with the installation's one signing secret, CURSOR_KEY (Secrets Manager in
 * the cloud, `cursor-key` in local mode's data folder): no second key to deploy, rotate or lose. The key used here is
 * derived from it under a label of its own (HMAC-SHA256), so a page cursor can never pass for a token nor the reverse.
 *
 * A token is `<payload>.<signature>`, both base64url: the payload is `{"v":1,"phone":…,"exp":…}` (exp in ms of policy
 * time). A code hash is keyed too: a 6-digit code's plain hash would give the code away to whoever reads the table.
 */
import { createHmac } from 'node:crypto';
import { isSignatureText } from './signature-text';
import type { ReporterCredentials, ReporterToken } from '../ports/reporter-credentials';

const LABEL = 'gridflow/reporter-credentials/v1';

export class HmacReporterCredentials implements ReporterCredentials {
  private readonly key: Buffer;

  constructor(installationKey: string) {
    this.key = createHmac('sha256', installationKey).update(LABEL).digest();
  }

  issueToken({ phone, expiresAt }: ReporterToken): string {
    const payload = Buffer.from(JSON.stringify({ v: 1, phone, exp: expiresAt.getTime() })).toString('base64url');
    return `${payload}.${this.mac('token', payload).toString('base64url')}`;
  }

  readToken(token: string): ReporterToken | undefined {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) return undefined;
    if (!isSignatureText(signature, this.mac('token', payload))) return undefined;
    try {
      const { v, phone, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (v !== 1 || typeof phone !== 'string' || typeof exp !== 'number') return undefined;
      return { phone, expiresAt: new Date(exp) };
    } catch {
      return undefined;
    }
  }

  hashCode(phone: string, code: string): string {
    return this.mac('code', `${phone}\n${code}`).toString('base64url');
  }

  private mac(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\n${value}`).digest();
  }
}
