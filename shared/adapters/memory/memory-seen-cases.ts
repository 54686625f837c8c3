/** Cases a person opened, in memory. */
import type { SeenCase, SeenCaseStore } from '../../ports/seen-cases';

export class MemorySeenCaseStore implements SeenCaseStore {
  private readonly seen = new Map<string, Map<string, string>>();

  async markSeen(person: string, caseId: string, at: Date, _keepUntil: Date): Promise<SeenCase> {
    const cases = this.seen.get(person) ?? new Map<string, string>();
    const first = cases.get(caseId) ?? at.toISOString();
    cases.set(caseId, first);
    this.seen.set(person, cases);
    return { id: caseId, at: first };
  }

  async seenBy(person: string): Promise<SeenCase[]> {
    return [...(this.seen.get(person) ?? new Map<string, string>())].sort(([a], [b]) => a.localeCompare(b)).map(([id, at]) => ({ id, at }));
  }
}
