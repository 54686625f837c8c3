/** Phone verification codes in memory. */
import type { PendingCode, VerificationStore } from '../../ports/verifications';

export class MemoryVerificationStore implements VerificationStore {
  private readonly codes = new Map<string, PendingCode>();

  async putCode(phone: string, codeHash: string, expiresAt: Date, _keepUntil: Date): Promise<void> {
    this.codes.set(phone, { codeHash, tries: 0, expiresAt });
  }

  async countTry(phone: string): Promise<PendingCode | undefined> {
    const code = this.codes.get(phone);
    if (!code) return undefined;
    code.tries += 1;
    return { ...code };
  }

  async useCode(phone: string, codeHash: string): Promise<boolean> {
    if (this.codes.get(phone)?.codeHash !== codeHash) return false;
    this.codes.delete(phone);
    return true;
  }
}
