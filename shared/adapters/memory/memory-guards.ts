/** Request guards in memory. */
import type { ClaimRecord, RequestGuards } from '../../ports/guards';
import { copy, type MemoryTable } from './memory-table';

export class MemoryRequestGuards implements RequestGuards {
  private readonly hits = new Map<string, number>();
  private readonly once = new Set<string>();

  constructor(private readonly table: MemoryTable) {}

  async findClaim(key: string): Promise<ClaimRecord | undefined> {
    return copy(this.table.claims.get(key));
  }

  async countHit(bucket: string, _expiresAt: Date): Promise<number> {
    const hits = (this.hits.get(bucket) ?? 0) + 1;
    this.hits.set(bucket, hits);
    return hits;
  }

  async claimOnce(key: string, _expiresAt: Date): Promise<boolean> {
    if (this.once.has(key)) return false;
    this.once.add(key);
    return true;
  }
}
