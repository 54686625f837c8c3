/** Request and reply shapes of the events API; the OpenAPI document is generated from these. */
import * as z from 'zod';
import { ACTION_NAMES, type ActionName } from '../domain/actions';
import { type ActionInput, type ListCasesInput, type RatingInput, type ReportCaseInput, URGENCY_PAGE_MAX } from '../domain/case-inputs';
import { HANDOVER_TYPES, TIMELINE_TYPES } from '../domain/timeline';
import { CLOCK_KINDS, ROLES, SEVERITIES, SOURCES, STAGES, STATUSES, TIERS } from '../domain/types';
import { GRID_CODE_PATTERN, UNIT_CODE_PATTERN } from '../domain/unit-codes';
import { PAGE_CURSOR, pageLimit } from './paging';
import type { ParsesInto } from './parses-into';

export const GRID_CODE = z.string().regex(GRID_CODE_PATTERN, 'a grid code has 15 digits');
export const UNIT_CODE = z.string().regex(UNIT_CODE_PATTERN, 'a unit code has 6, 9, 12 or 15 digits');
export const EVENT_ID = z.string().regex(/^E\d{8}-[0-9A-Z]{6}$/, 'an event id looks like E20261126-7K3M9Q');
export const PHONE = z.string().regex(/^\+?\d[\d-]{5,19}$/, 'a phone number has 6 to 20 digits');
const PHOTO_URL = z.url({ protocol: /^https?$/ }).max(2048);
const ISO_INSTANT = z.iso.datetime({ offset: true });

export const ReportEventBody = z
  .strictObject({
    itemCode: z.string().regex(/^\d{2}-\d{2}$/, 'an item code looks like 01-01'),
    gridCode: GRID_CODE,
    description: z.string().trim().min(1).max(2000),
    severity: z.number().int().min(1).max(4).optional(),
    location: z
      .strictObject({
        lat: z.number().min(-90).max(90),
        lng: z.number().min(-180).max(180),
        address: z.string().max(200).optional(),
      })
      .optional(),
    photos: z.array(PHOTO_URL).max(9).default([]),
    reporter: z.strictObject({ name: z.string().max(50).optional(), phone: PHONE.optional() }).optional(),
    source: z.enum(SOURCES).optional(),
  })
  .meta({ description: 'A reported matter (上报)' });
true satisfies ParsesInto<typeof ReportEventBody, ReportCaseInput>;

/** The `{id}` of the /events/{id} routes (one that cannot be an id is not found: 404). */
export const EventPathParams = z.object({ id: EVENT_ID });

const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListEventsQuery = z.strictObject({
  unit: UNIT_CODE.optional(),
  status: z.enum(STATUSES).optional(),
  stage: z.enum(STAGES).optional(),
  tier: z.enum(TIERS).optional(),
  overdue: booleanParam.optional(),
  /** The caller's own open cases, soonest deadline first. */
  mine: booleanParam.optional(),
  /** `urgency`: open cases most urgent first (level 1 first, then the least time left); default: by grid, then time. */
  sort: z.enum(['unit', 'urgency']).optional(),
  from: ISO_INSTANT.optional(),
  to: ISO_INSTANT.optional(),
  /**
   * The cases of the unit, open or closed, changed at or after this moment, the earliest change first (a board's poll;
   * the first page's `nextChangedSince` is the next poll's). Not with the other filters, `sort` or `mine`.
   */
  changedSince: ISO_INSTANT.optional(),
  /** Up to LIST_PAGE_MAX; with sort=urgency (a board's full read) up to URGENCY_PAGE_MAX. */
  limit: pageLimit(URGENCY_PAGE_MAX, 20),
  cursor: PAGE_CURSOR.optional(),
});
true satisfies ParsesInto<typeof ListEventsQuery, ListCasesInput>;

/** GET /events/{id}: the case with a page of its timeline, the latest entries first asked, older ones by cursor. */
export const GetEventQuery = z.strictObject({
  /** Timeline entries per reply: the latest ones (before `cursor`). */
  limit: pageLimit(100, 100),
  /** A `timelineCursor` from an earlier reply: the entries before it. */
  cursor: PAGE_CURSOR.optional(),
});

const note = z.string().trim().max(2000);
const reason = note.min(1, 'give a reason');
const DEPARTMENT = z.string().regex(/^[a-z][a-z-]{1,40}$/, 'a department code like urban-management');
const PERSON = z.string().min(1).max(80);
const FUTURE_INSTANT = ISO_INSTANT;

/** What each action takes besides its name: one entry per action of the domain, no other. */
const ACTION_FIELDS = {
  accept_report: { note: note.optional() },
  void_report: { note: note.min(1, 'say why the report is voided') },
  acknowledge: { note: note.optional() },
  complete: { note: note.min(1, 'say what was done'), photos: z.array(PHOTO_URL).max(9).default([]) },
  assign: { department: DEPARTMENT.optional(), person: PERSON.optional(), note: note.optional() },
  return: { note: reason },
  escalate: { note: reason },
  request_extension: { until: FUTURE_INSTANT, note: reason },
  approve_extension: { note: note.optional() },
  reject_extension: { note: reason },
  verify_pass: { note: note.optional(), photos: z.array(PHOTO_URL).max(9).default([]) },
  verify_fail: { note: reason, photos: z.array(PHOTO_URL).max(9).default([]) },
  convene_meeting: { departments: z.array(DEPARTMENT).min(2).max(15), at: FUTURE_INSTANT, note: note.optional() },
  record_meeting_decision: {
    lead: DEPARTMENT,
    helpers: z.array(DEPARTMENT).max(14).default([]),
    deadlineAt: FUTURE_INSTANT,
    minutes: note.min(1, 'record the minutes'),
  },
  through_train: { note: reason },
  nudge: { note: note.optional() },
  invite_department: { department: DEPARTMENT, note: reason },
  evaluate: { score: z.number().int().min(1).max(5), note: note.min(1, 'write the evaluation') },
  rate: { score: z.number().int().min(1).max(5), note: note.optional() },
  comment: { note: note.min(1, 'write the comment') },
  link_duplicate: { duplicateOf: EVENT_ID, note: note.optional() },
} satisfies Record<ActionName, z.ZodRawShape>;

function actionOption<A extends ActionName>(action: A) {
  return z.strictObject({ action: z.literal(action), ...ACTION_FIELDS[action] });
}
type ActionOption = { [A in ActionName]: ReturnType<typeof actionOption<A>> }[ActionName];

/** One option per action, in the domain's order (ACTION_NAMES). */
export const ActionBody = z
  .discriminatedUnion('action', ACTION_NAMES.map(actionOption) as [ActionOption, ...ActionOption[]])
  .refine((body) => body.action !== 'assign' || Boolean(body.department) !== Boolean(body.person), {
    message: 'give a department or a person, not both',
    path: ['department'],
  })
  .meta({ description: 'An action on an event' });
true satisfies ParsesInto<typeof ActionBody, ActionInput>;

/** The reporter rates the result with the code from the feedback SMS (no sign-in). */
export const RatingBody = z
  .strictObject({
    code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the SMS'),
    score: z.number().int().min(1).max(5),
    note: note.optional(),
  })
  .meta({ description: "The reporter's rating (满意度)" });
true satisfies ParsesInto<typeof RatingBody, RatingInput>;

const Assignee = z.object({ type: z.enum(['person', 'department', 'unit']), id: z.string(), name: z.string(), unit: z.string() });
const Actor = z.object({
  /** A signed-in user's person id (the token's `custom:person`); `reporter` or `gridflow` for the others. */
  id: z.string(),
  name: z.string(),
  role: z.enum([...ROLES, 'citizen', 'system']),
  /** The signed-in user's account subject (the token's `sub`), for audit. */
  sub: z.string().optional(),
});
const Reporter = z.object({ name: z.string().optional(), phone: z.string().optional() });

export const TimelineEntryReply = z.object({
  /** The version of the case this entry made; a comment's: the version it followed. */
  seq: z.number(),
  /** A comment's id (a comment changes no version). */
  id: z.string().optional(),
  at: z.string(),
  actor: Actor,
  type: z.enum(TIMELINE_TYPES),
  stage: z.enum(STAGES),
  tier: z.enum(TIERS),
  note: z.string().optional(),
  photos: z.array(z.string()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  aboutDeadline: z.literal(true).optional().meta({
    description: "The entry belongs to the deadline's history: a handover that started a clock, an extension, overdue, a recount",
  }),
});

const ClockReply = z.object({
  kind: z.enum(CLOCK_KINDS),
  startedAt: z.string(),
  deadlineAt: z.string(),
  reminders: z.number(),
  remindAt: z.array(z.string()).optional(),
  calendarTime: z.boolean().optional(),
  acknowledgeBy: z.string().optional(),
  acknowledgeReminded: z.boolean().optional(),
  expired: z.boolean().optional(),
  nudges: z.number(),
});

const ExtensionReply = z.object({
  status: z.enum(['requested', 'approved', 'rejected']),
  until: z.string(),
  reason: z.string(),
  requestedBy: Actor,
  requestedAt: z.string(),
  decidedAt: z.string().optional(),
});

const MeetingReply = z.object({
  at: z.string(),
  departments: z.array(z.string()),
  convenedAt: z.string(),
  decision: z
    .object({ lead: z.string(), helpers: z.array(z.string()), deadlineAt: z.string(), minutes: z.string(), recordedAt: z.string() })
    .optional(),
});

/** The case view of shared/core/read-cases.ts (`CaseView`): a test parses real replies with it, strictly. */
export const EventReply = z
  .object({
    id: z.string(),
    itemCode: z.string(),
    classCode: z.string(),
    gridCode: z.string(),
    description: z.string(),
    severity: z.literal([...SEVERITIES]),
    location: z.object({ lat: z.number(), lng: z.number(), address: z.string().optional() }).optional(),
    photos: z.array(z.string()),
    reporter: Reporter.optional(),
    source: z.enum(SOURCES),
    reportedBy: Actor,
    status: z.enum(STATUSES),
    stage: z.enum(STAGES),
    tier: z.enum(TIERS),
    assignee: Assignee.optional(),
    clock: ClockReply.optional(),
    deadlineAt: z.string().optional(),
    overdue: z.boolean(),
    acceptedAt: z.string().optional(),
    routedAt: z.string().optional(),
    acknowledgedAt: z.string().optional(),
    handledAt: z.string().optional(),
    handledOnTime: z.boolean().optional(),
    handlingNote: z.string().optional(),
    handlingPhotos: z.array(z.string()).optional(),
    verifiedAt: z.string().optional(),
    fedBackAt: z.string().optional(),
    closedAt: z.string().optional(),
    voidReason: z.string().optional(),
    returns: z.number().optional(),
    returnedBy: z.array(z.string()).optional(),
    verifyFailures: z.number().optional(),
    reassignments: z.number().optional(),
    complex: z.boolean().optional(),
    extension: ExtensionReply.optional(),
    meeting: MeetingReply.optional(),
    rating: z.object({ score: z.number(), comment: z.string().optional(), at: z.string(), by: z.string() }).optional(),
    reopened: z.boolean().optional(),
    duplicateOf: z.string().optional(),
    linkedReports: z.array(z.string()).optional(),
    linkedReporters: z.array(Reporter).optional(),
    possibleDuplicates: z.array(z.string()).optional(),
    lastMove: z
      .object({ at: z.string(), type: z.enum(HANDOVER_TYPES), reason: z.string(), tier: z.enum(TIERS), to: z.string() })
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    timeline: z.array(TimelineEntryReply).optional(),
    notice: z
      .string()
      .optional()
      .meta({ description: 'To a resident whose phone was not verified by a reporter token: it is not texted, nor kept' }),
    timelineCursor: z
      .string()
      .optional()
      .meta({ description: 'Older timeline entries remain: GET /events/{id}?cursor=<this> gives the ones before' }),
    allowedActions: z
      .array(z.enum(ACTION_NAMES))
      .optional()
      .meta({ description: 'GET /events/{id}: the actions the caller may take on the case now (from the permission table)' }),
  })
  .meta({ description: 'An event (a case) as the API shows it' });

export const EventListReply = z
  .object({
    items: z.array(EventReply),
    nextCursor: z.string().optional(),
    nextChangedSince: z.string().optional().meta({
      description: 'With changedSince, on the first page: the changedSince of the next poll (a little before now: no change is missed)',
    }),
  })
  .meta({ description: 'A page of events' });

export const ErrorReply = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ description: "Every error reply of the app (the HTTP API's own 401 and 429 are GatewayReply)" });
