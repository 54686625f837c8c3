/**
 * Request shapes of the reference administration (/admin/reference/…). A document is checked for its shape here
 * (400 naming the field, e.g. `documents.people.12.phone`); whether the documents hold together is the domain's
 * (domain/reference-rules.ts: 422 naming the field in the documents, e.g. `people[12].phone`). Documents keep fields
 * this does not name (a unit's `platform`, a person's `title`).
 */
import * as z from 'zod';
import type { ReferenceDocumentSet } from '../domain/reference-documents';
import { MAX_NEARBY_RADIUS_METERS } from '../domain/geohash';
import { TIERS } from '../domain/types';

const TEXT = z.string().max(500);
const CODE = z.string().min(1).max(64);
const DATE = z.iso.date();
const TIME = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** A boundary's GeoJSON is checked by the domain (closed rings, WGS84, siblings' overlaps), which names each part. */
const BOUNDARY = z.looseObject({ type: z.string().max(20), coordinates: z.array(z.unknown()).max(100_000) }).meta({
  description: 'A GeoJSON Polygon or MultiPolygon in WGS84 ([longitude, latitude]); rings closed',
});

/** A unit of the tree at any depth: the tree is four levels at most (district → town → community → grid). */
const unitNode = (children?: z.ZodType) =>
  z.looseObject({
    code: z.string().max(15),
    name: z.string().min(1).max(100),
    nameEn: TEXT,
    level: z.string().max(20),
    boundary: BOUNDARY.optional(),
    children: children ? z.array(children).max(20_000).optional() : z.array(z.never()).max(0).optional(),
  });

const UnitTree = unitNode(unitNode(unitNode(unitNode()))).meta({
  description: 'The unit tree: the district, its towns/streets, their communities, their grids',
});

const Department = z.looseObject({ code: CODE, name: z.string().min(1).max(100), nameEn: TEXT });

const Person = z.looseObject({
  id: z.string().min(1).max(128),
  name: z.string().min(1).max(100),
  role: z.string().max(40),
  unit: z.string().max(20),
  phone: z.string().max(30),
  department: CODE.optional(),
  head: z.boolean().optional(),
  title: TEXT.optional(),
});

const LIMIT = z.union([
  z.strictObject({ workingDays: z.number().positive().max(365) }),
  z.strictObject({ workingHours: z.number().positive().max(10_000) }),
  z.strictObject({ calendarHours: z.number().positive().max(10_000) }),
  z.strictObject({ calendarMinutes: z.number().positive().max(600_000) }),
]);

const Catalog = z.looseObject({
  classes: z
    .array(
      z.looseObject({
        code: CODE,
        name: z.string().min(1).max(100),
        nameEn: TEXT,
        defaultDepartment: CODE,
        items: z
          .array(
            z.looseObject({
              code: CODE,
              name: z.string().min(1).max(100),
              nameEn: TEXT,
              department: CODE.optional(),
              severity: z.number().int().min(1).max(4),
              handlingLimit: LIMIT.nullable().optional(),
              closedWhen: z.string().max(1000),
            }),
          )
          .max(1000),
      }),
    )
    .max(100),
});

const WorkingHours = z.looseObject({
  timezone: z.string().max(60).optional(),
  workingHours: z
    .array(z.strictObject({ from: TIME, to: TIME }))
    .min(1)
    .max(10),
});

const CalendarYear = z.looseObject({
  year: z.number().int().min(1990).max(2200),
  source: z.string().max(1000).optional(),
  holidays: z.array(z.strictObject({ name: z.string().max(100), from: DATE, to: DATE })).max(100),
  makeUpWorkdays: z.array(DATE).max(100),
});

/** A limit for each severity (1 most severe … 4), any of them; those not given keep the default. */
const LIMIT_BY_SEVERITY = z.strictObject({ 1: LIMIT.optional(), 2: LIMIT.optional(), 3: LIMIT.optional(), 4: LIMIT.optional() });
const COUNT = (max: number) => z.number().int().min(1).max(max).optional();

/**
 * The district's values over the policy's defaults (domain/policy.ts; README, "The district's policy"): the clocks'
 * limits, the reminders, the nudges, the ladder's counts and the caps. Unknown fields are refused, named.
 */
const PolicyDocument = z
  .strictObject({
    acceptanceLimit: LIMIT_BY_SEVERITY.optional(),
    dispatchLimit: LIMIT_BY_SEVERITY.optional(),
    acknowledgeLimit: LIMIT_BY_SEVERITY.optional(),
    handlingLimit: z.strictObject(Object.fromEntries(TIERS.map((tier) => [tier, LIMIT_BY_SEVERITY.optional()]))).optional(),
    conveneLimit: LIMIT_BY_SEVERITY.optional(),
    meetingDecisionLimit: LIMIT.optional(),
    verificationLimit: LIMIT_BY_SEVERITY.optional(),
    ratingLimit: LIMIT_BY_SEVERITY.optional(),
    reminderFractions: z
      .array(z.number().gt(0).lt(1))
      .max(5)
      .refine((fractions) => fractions.every((fraction, i) => i === 0 || fraction > (fractions[i - 1] as number)), 'ascending')
      .optional(),
    reminderWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
    maxOverdueNudges: z.number().int().min(0).max(20).optional(),
    returnsToMeeting: COUNT(10),
    verifyFailuresToMeeting: COUNT(10),
    maxReassignments: COUNT(100),
    duplicateRadiusMeters: z.number().min(0).max(MAX_NEARBY_RADIUS_METERS).optional(),
    duplicateWindowHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .optional(),
    smsPerPhonePerDay: COUNT(10_000),
    ratingCodesPerCasePerDay: COUNT(20),
    commentsPerHour: COUNT(1_000),
    citizenReportsPerHour: COUNT(100_000),
    verificationCodesPerDay: COUNT(100),
  })
  .meta({ description: "The district's values over the policy's defaults; fields not given keep them" });

const CALENDAR_NAME = /^calendar-\d{4}$/;

/** Documents by name; those not given are kept from the version in effect. */
const ProposedDocuments = z
  .object({
    units: UnitTree.optional(),
    departments: z.array(Department).max(1000).optional(),
    people: z.array(Person).max(100_000).optional(),
    catalog: Catalog.optional(),
    'working-hours': WorkingHours.optional(),
    policy: PolicyDocument.optional(),
  })
  .catchall(CalendarYear)
  .superRefine((documents, context) => {
    for (const [name, document] of Object.entries(documents)) {
      if (!CALENDAR_NAME.test(name) || !('year' in (document as object))) continue;
      if (`calendar-${(document as { year: number }).year}` !== name)
        context.addIssue({ code: 'custom', path: [name, 'year'], message: `must be ${name.slice(9)}, as the document's name says` });
    }
  })
  .meta({ description: 'Documents by name (units, departments, people, catalog, working-hours, policy, calendar-<year>)' });

/** The proposed documents as the core takes them (the shapes above are theirs; the core checks the rest). */
type Documents = Partial<ReferenceDocumentSet>;

const documentsField = ProposedDocuments.refine(
  (documents) => Object.keys(documents).every((name) => name in ProposedDocuments.shape || CALENDAR_NAME.test(name)),
  { message: 'documents are units, departments, people, catalog, working-hours, policy and calendar-<year> (4 digits)' },
);

/** A document's name, as a version names it. */
const DOCUMENT_NAME = /^(units|departments|people|catalog|working-hours|policy|calendar-\d{4})$/;

/** Documents of the version in effect to go without: a calendar year applied by mistake, the policy (the required five stay). */
const removeField = z
  .array(z.string().regex(DOCUMENT_NAME, 'a document name (calendar-<year>, policy; units, departments, people, catalog, working-hours)'))
  .max(100)
  .optional()
  .meta({ description: 'Documents of the version in effect that the new one goes without, e.g. ["calendar-2027"]' });

export const ValidateReferenceBody = z.strictObject({ documents: documentsField, remove: removeField });

export const ApplyReferenceBody = z
  .strictObject({
    /** The version the proposal was made against (null: none yet): another applied first is a 409. */
    expectedVersion: z.number().int().min(0).nullable(),
    note: z.string().trim().min(1, 'say why').max(500),
    documents: documentsField,
    remove: removeField,
  })
  .meta({ description: 'A new version: the documents given replace those of the version in effect' });

export const RollBackReferenceBody = z.strictObject({
  /** The version whose documents become the next version's. */
  to: z.number().int().min(1),
  expectedVersion: z.number().int().min(0).nullable(),
  note: z.string().trim().max(500).optional(),
});

export const ReferenceVersionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ReferenceDocumentPathParams = z.object({
  version: z.coerce.number().int().min(1).max(999_999),
  name: z.string().regex(DOCUMENT_NAME, 'a document name'),
});

/** The documents parsed, as the core's type (the schema checked their shapes). */
export function proposedDocuments(documents: z.output<typeof documentsField>): Documents {
  return documents as Documents;
}
