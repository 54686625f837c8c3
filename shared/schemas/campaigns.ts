/** Request shapes of the campaigns API (闭环排查). */
import * as z from 'zod';
import type { CampaignResponseInput, CreateCampaignInput, ListCampaignsInput } from '../domain/field-work-inputs';
import { UNIT_CODE } from './events';
import type { ParsesInto } from './parses-into';

const PHOTO_URL = z.url({ protocol: /^https?$/ }).max(2048);
const ISO_INSTANT = z.iso.datetime({ offset: true });

export const CAMPAIGN_ID = z.string().regex(/^C\d{8}-[0-9A-Z]{6}$/, 'a campaign id looks like C20261126-7K3M9Q');

/** The `{id}` of the /campaigns/{id} routes (one that cannot be an id is not found: 404). */
export const CampaignPathParams = z.object({ id: CAMPAIGN_ID });

export const CreateCampaignBody = z
  .strictObject({
    title: z.string().trim().min(1).max(100),
    instructions: z.string().trim().min(1).max(4000),
    /** In the future. */
    deadlineAt: ISO_INSTANT,
    /** Towns, communities or grids within the caller's units: every grid worker below them gets the task. */
    units: z.array(UNIT_CODE).min(1).max(100),
  })
  .meta({ description: 'A campaign (闭环排查): a task for every grid worker of the units named' });
true satisfies ParsesInto<typeof CreateCampaignBody, CreateCampaignInput>;

export const CampaignResponseBody = z
  .strictObject({
    note: z.string().trim().min(1, 'say what was found or done').max(2000),
    photos: z.array(PHOTO_URL).max(9).default([]),
    /** The task is done (default true). */
    done: z.boolean().default(true),
  })
  .meta({ description: "A grid worker's answer to a campaign" });
true satisfies ParsesInto<typeof CampaignResponseBody, CampaignResponseInput>;

export const ListCampaignsQuery = z.strictObject({
  unit: UNIT_CODE.optional(),
  /** Deadlines from (default 90 days ago) … to (default: any later). */
  from: ISO_INSTANT.optional(),
  to: ISO_INSTANT.optional(),
});
true satisfies ParsesInto<typeof ListCampaignsQuery, ListCampaignsInput>;
