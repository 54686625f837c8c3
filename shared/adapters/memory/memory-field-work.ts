/** Patrols and campaigns in memory: a patrol, its counters, its day marker and its claim all or nothing. */
import { summaryOfNew, type Campaign, type CampaignResponse, type CampaignSummary } from '../../domain/campaigns';
import { IdempotencyKeyTaken, InvalidCursor } from '../../domain/errors';
import type { Patrol } from '../../domain/patrols';
import type { CounterIncrement } from '../../domain/counters';
import type { FieldWorkStore, FirstOfDay, PatrolPage } from '../../ports/field-work';
import type { IdempotencyClaim } from '../../ports/guards';
import { byKey, copy, decodeCursor, type MemoryTable, pageOf } from './memory-table';
import { districtOf } from '../../domain/unit-codes';

export class MemoryFieldWorkStore implements FieldWorkStore {
  /** `<district>#<day>` → `<unit code>#<at ISO UTC>#<id>` → patrol. */
  private readonly patrols = new Map<string, Map<string, Patrol>>();
  /** `<district>#<day>` → grids patrolled. */
  private readonly markers = new Map<string, Set<string>>();
  private readonly campaigns = new Map<
    string,
    { campaign: Campaign; summary: CampaignSummary; responses: Map<string, CampaignResponse> }
  >();

  constructor(private readonly table: MemoryTable) {}

  async savePatrol(
    patrol: Patrol,
    counters: CounterIncrement[],
    firstOfDay?: FirstOfDay,
    idempotency?: IdempotencyClaim,
  ): Promise<{ firstOfDay: boolean }> {
    if (idempotency && this.table.claims.has(idempotency.key)) throw new IdempotencyKeyTaken(idempotency.key);
    const list = `${districtOf(patrol.unitCode)}#${patrol.day}`;
    const key = `${patrol.unitCode}#${new Date(patrol.at).toISOString()}#${patrol.id}`;
    const day = this.patrols.get(list) ?? new Map<string, Patrol>();
    if (day.has(key)) throw new Error(`Patrol ${patrol.id} exists`);
    const markerList = firstOfDay && `${districtOf(firstOfDay.grid)}#${firstOfDay.day}`;
    const first = Boolean(firstOfDay && markerList && !this.markers.get(markerList)?.has(firstOfDay.grid));
    const stored: Patrol = firstOfDay ? { ...patrol, firstOfDay: first } : patrol;
    this.patrols.set(list, day);
    day.set(key, copy(stored));
    if (first && firstOfDay && markerList) {
      this.markers.set(markerList, (this.markers.get(markerList) ?? new Set<string>()).add(firstOfDay.grid));
      this.table.counters.add(firstOfDay.counters);
    }
    this.table.counters.add(counters);
    if (idempotency) this.table.claims.set(idempotency.key, { bodyHash: idempotency.bodyHash, patrol: copy(stored) });
    return { firstOfDay: first };
  }

  async patrolsOn(unitPrefix: string, day: string, limit: number, cursor?: string): Promise<PatrolPage> {
    const list = `${districtOf(unitPrefix)}#${day}`;
    const start = cursor ? decodeCursor(cursor) : undefined;
    if (start && (start.list !== list || !start.after.startsWith(unitPrefix))) throw new InvalidCursor('belongs to another unit or day');
    const entries = [...(this.patrols.get(list) ?? [])]
      .filter(([key]) => key.startsWith(unitPrefix))
      .map(([key, patrol]) => ({ key, item: copy(patrol) }));
    return pageOf(byKey(entries), limit, list, start?.after);
  }

  async patrolledGrids(district: string, day: string): Promise<string[]> {
    return [...(this.markers.get(`${district}#${day}`) ?? [])].sort();
  }

  async createCampaign(campaign: Campaign): Promise<void> {
    if (this.campaigns.has(campaign.id)) throw new Error(`Campaign ${campaign.id} exists`);
    const summary = summaryOfNew(campaign);
    this.campaigns.set(campaign.id, { campaign: copy(campaign), summary: copy(summary), responses: new Map() });
  }

  async getCampaign(id: string): Promise<{ campaign: Campaign; responses: CampaignResponse[] } | undefined> {
    const stored = this.campaigns.get(id);
    if (!stored) return undefined;
    const responses = [...stored.responses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, response]) => copy(response));
    return { campaign: copy(stored.campaign), responses };
  }

  async saveCampaignResponse(
    campaign: Campaign,
    answer: Omit<CampaignResponse, 'firstAt' | 'responses'>,
  ): Promise<{ response: CampaignResponse; first: boolean }> {
    const stored = this.campaigns.get(campaign.id);
    if (!stored) throw new Error(`Campaign ${campaign.id} does not exist`);
    const earlier = stored.responses.get(answer.person);
    if (!earlier) {
      const response: CampaignResponse = { ...answer, firstAt: answer.at, responses: 1 };
      stored.responses.set(answer.person, copy(response));
      stored.summary.responded++;
      return { response, first: true };
    }
    const { note, photos, done, at } = answer;
    const response: CampaignResponse = { ...earlier, note, photos, done, at, responses: earlier.responses + 1 };
    stored.responses.set(answer.person, copy(response));
    return { response, first: false };
  }

  async campaignsByDeadline(district: string, from: string, to: string): Promise<CampaignSummary[]> {
    const entries = [...this.campaigns.values()]
      .filter(({ campaign }) => campaign.district === district)
      .map(({ campaign, summary }) => ({ key: `${new Date(campaign.deadlineAt).toISOString()}#${campaign.id}`, item: summary }))
      .filter((entry) => entry.key >= from && entry.key <= `${to}~`);
    return byKey(entries).map((entry) => copy(entry.item));
  }
}
