/** The table answers a read: one GetItem of a key no item has (nothing is read but the answer). */
import type { StoreHealth } from '../../ports/store-health';
import type { SingleTable } from './single-table';

export const HEALTH_KEY = { pk: 'HEALTH', sk: 'HEALTH' } as const;

export class DynamoDbStoreHealth implements StoreHealth {
  constructor(private readonly table: SingleTable) {}

  async check(): Promise<void> {
    await this.table.get({ ...HEALTH_KEY });
  }
}
