import { ACTION_NAMES, type ActionName } from '../../shared/domain/actions';
import { ActionBody, ListEventsQuery, RatingBody, ReportEventBody } from '../../shared/schemas/events';

const validReport = {
  itemCode: '01-01',
  gridCode: '441302010001001',
  description: '金源路12号门前排水口堵塞，雨后积水约20厘米',
  severity: 4,
  location: { lat: 23.1591, lng: 114.4152, address: '惠城区小金口街道金源路12号' },
  photos: ['https://photos.example/drain-1.jpg', 'http://photos.example/drain-2.jpg'],
  reporter: { name: '李先生', phone: '13000007001' },
  source: 'citizen',
};

/** The paths of the issues a schema reports for an input. */
function problemPaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('ReportEventBody', () => {
  it('accepts a full valid report unchanged', () => {
    expect(ReportEventBody.parse(validReport)).toEqual(validReport);
  });

  it('accepts a minimal report: photos default to [], severity and source stay unset', () => {
    const parsed = ReportEventBody.parse({ itemCode: '01-01', gridCode: '441302010001001', description: '排水口堵塞' });
    expect(parsed).toEqual({ itemCode: '01-01', gridCode: '441302010001001', description: '排水口堵塞', photos: [] });
  });

  it('trims the description', () => {
    expect(ReportEventBody.parse({ ...validReport, description: '  排水口堵塞  ' }).description).toBe('排水口堵塞');
  });

  it('accepts the limits: 2000-character description, 9 photos, severities 1 and 4, lat ±90', () => {
    expect(ReportEventBody.safeParse({ ...validReport, description: '水'.repeat(2000) }).success).toBe(true);
    expect(
      ReportEventBody.safeParse({ ...validReport, photos: Array.from({ length: 9 }, (_, i) => `https://p.example/${i}.jpg`) }).success,
    ).toBe(true);
    expect(ReportEventBody.safeParse({ ...validReport, severity: 1 }).success).toBe(true);
    expect(ReportEventBody.safeParse({ ...validReport, location: { lat: -90, lng: 180 } }).success).toBe(true);
  });

  it.each([
    ['missing itemCode', { itemCode: undefined }, 'itemCode'],
    ['a malformed itemCode', { itemCode: '0101' }, 'itemCode'],
    ['a 14-digit grid code', { gridCode: '44130201000100' }, 'gridCode'],
    ['a 16-digit grid code', { gridCode: '4413020100010011' }, 'gridCode'],
    ['a community code as the grid', { gridCode: '441302010001' }, 'gridCode'],
    ['an empty description', { description: '' }, 'description'],
    ['a blank description', { description: '   ' }, 'description'],
    ['a 2001-character description', { description: '水'.repeat(2001) }, 'description'],
    ['severity 0', { severity: 0 }, 'severity'],
    ['severity 5', { severity: 5 }, 'severity'],
    ['severity 2.5', { severity: 2.5 }, 'severity'],
    ['severity as a string', { severity: '2' }, 'severity'],
    ['10 photos', { photos: Array.from({ length: 10 }, (_, i) => `https://p.example/${i}.jpg`) }, 'photos'],
    ['a photo that is not a URL', { photos: ['drain.jpg'] }, 'photos.0'],
    ['a photo on ftp', { photos: ['ftp://p.example/drain.jpg'] }, 'photos.0'],
    ['an unknown field', { priority: 'high' }, ''],
    ['lat 91', { location: { lat: 91, lng: 114.4 } }, 'location.lat'],
    ['lat -90.5', { location: { lat: -90.5, lng: 114.4 } }, 'location.lat'],
    ['lng 181', { location: { lat: 23.1, lng: 181 } }, 'location.lng'],
    ['an unknown location field', { location: { lat: 23.1, lng: 114.4, alt: 10 } }, 'location'],
    ['a bad reporter phone', { reporter: { phone: 'call me' } }, 'reporter.phone'],
    ['an unknown source', { source: 'email' }, 'source'],
  ])('rejects %s', (_label, change, path) => {
    expect(problemPaths(ReportEventBody.safeParse({ ...validReport, ...change }))).toContain(path);
  });
});

describe('ActionBody', () => {
  it('accepts accept_report with or without a note', () => {
    expect(ActionBody.parse({ action: 'accept_report' })).toEqual({ action: 'accept_report' });
    expect(ActionBody.parse({ action: 'accept_report', note: '属实，立案' })).toEqual({ action: 'accept_report', note: '属实，立案' });
  });

  it('accepts void_report with a reason', () => {
    expect(ActionBody.parse({ action: 'void_report', note: '重复上报' })).toEqual({ action: 'void_report', note: '重复上报' });
  });

  it('accepts complete with a note; photos default to []', () => {
    expect(ActionBody.parse({ action: 'complete', note: '已疏通' })).toEqual({ action: 'complete', note: '已疏通', photos: [] });
    expect(ActionBody.parse({ action: 'complete', note: '已疏通', photos: ['https://p.example/after.jpg'] }).action).toBe('complete');
  });

  it('names the 21 actions of the lifecycle', () => {
    expect(ACTION_NAMES).toEqual([
      'accept_report',
      'void_report',
      'acknowledge',
      'complete',
      'assign',
      'return',
      'escalate',
      'request_extension',
      'approve_extension',
      'reject_extension',
      'verify_pass',
      'verify_fail',
      'convene_meeting',
      'record_meeting_decision',
      'through_train',
      'nudge',
      'invite_department',
      'evaluate',
      'rate',
      'comment',
      'link_duplicate',
    ]);
    expect(new Set(ACTION_NAMES).size).toBe(21);
  });

  it.each([
    ['an unknown action', { action: 'delete', note: 'x' }, 'action'],
    ['no action', { note: 'x' }, 'action'],
    ['complete without a note', { action: 'complete' }, 'note'],
    ['complete with a blank note', { action: 'complete', note: '   ' }, 'note'],
    ['void_report without a reason', { action: 'void_report' }, 'note'],
    ['complete with a non-URL photo', { action: 'complete', note: '已疏通', photos: ['after.jpg'] }, 'photos.0'],
    [
      'complete with 10 photos',
      { action: 'complete', note: '已疏通', photos: Array.from({ length: 10 }, (_, i) => `https://p.example/${i}.jpg`) },
      'photos',
    ],
    ['a note of 2001 characters', { action: 'accept_report', note: '水'.repeat(2001) }, 'note'],
    ['an unknown field', { action: 'accept_report', assignee: 'me' }, ''],
  ])('rejects %s', (_label, body, path) => {
    expect(problemPaths(ActionBody.safeParse(body))).toContain(path);
  });
});

/** One valid body per action, as the client sends it, and what the schema makes of it. */
const VALID_ACTIONS: Record<ActionName, { body: Record<string, unknown>; parsed?: Record<string, unknown> }> = {
  accept_report: { body: { action: 'accept_report' } },
  void_report: { body: { action: 'void_report', note: '重复上报' } },
  acknowledge: { body: { action: 'acknowledge' } },
  complete: { body: { action: 'complete', note: '已疏通' }, parsed: { action: 'complete', note: '已疏通', photos: [] } },
  assign: { body: { action: 'assign', department: 'urban-management', note: '请城管中队处理' } },
  return: { body: { action: 'return', note: '不属于本单位职责' } },
  escalate: { body: { action: 'escalate', note: '涉及多个部门' } },
  request_extension: { body: { action: 'request_extension', until: '2026-10-12T17:30:00+08:00', note: '需等待配件' } },
  approve_extension: { body: { action: 'approve_extension' } },
  reject_extension: { body: { action: 'reject_extension', note: '时限内可办结' } },
  verify_pass: { body: { action: 'verify_pass' }, parsed: { action: 'verify_pass', photos: [] } },
  verify_fail: {
    body: { action: 'verify_fail', note: '现场仍有积水' },
    parsed: { action: 'verify_fail', note: '现场仍有积水', photos: [] },
  },
  convene_meeting: {
    body: { action: 'convene_meeting', departments: ['urban-management', 'housing-construction'], at: '2026-10-12T09:00:00+08:00' },
  },
  record_meeting_decision: {
    body: {
      action: 'record_meeting_decision',
      lead: 'housing-construction',
      deadlineAt: '2026-10-20T17:30:00+08:00',
      minutes: '住建牵头，城管协助',
    },
    parsed: {
      action: 'record_meeting_decision',
      lead: 'housing-construction',
      helpers: [],
      deadlineAt: '2026-10-20T17:30:00+08:00',
      minutes: '住建牵头，城管协助',
    },
  },
  through_train: { body: { action: 'through_train', note: '有人员被困' } },
  nudge: { body: { action: 'nudge' } },
  invite_department: { body: { action: 'invite_department', department: 'water-affairs', note: '请水务部门协助排涝' } },
  evaluate: { body: { action: 'evaluate', score: 4, note: '处置及时' } },
  rate: { body: { action: 'rate', score: 5 } },
  comment: { body: { action: 'comment', note: '已电话联系反映人' } },
  link_duplicate: { body: { action: 'link_duplicate', duplicateOf: 'E20261009-7K3M9Q' } },
};

describe('ActionBody: every action', () => {
  it('has a valid sample for each action and no other', () => {
    expect(Object.keys(VALID_ACTIONS).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(Object.entries(VALID_ACTIONS))('accepts a valid %s body', (_action, { body, parsed }) => {
    expect(ActionBody.parse(body)).toEqual(parsed ?? body);
  });

  it.each(Object.entries(VALID_ACTIONS))('rejects %s with an unknown field', (_action, { body }) => {
    expect(problemPaths(ActionBody.safeParse({ ...body, assignee: 'me' }))).toContain('');
  });

  it('assign: a person instead of a department is fine', () => {
    expect(ActionBody.parse({ action: 'assign', person: 'gw-ouyang-lingqiao' })).toEqual({
      action: 'assign',
      person: 'gw-ouyang-lingqiao',
    });
  });

  it.each([
    ['assign with neither department nor person', { action: 'assign' }, 'department'],
    [
      'assign with both department and person',
      { action: 'assign', department: 'urban-management', person: 'gw-ouyang-lingqiao' },
      'department',
    ],
    ['assign with a malformed department', { action: 'assign', department: 'Urban Management' }, 'department'],
    ['return without a reason', { action: 'return' }, 'note'],
    ['return with a blank reason', { action: 'return', note: '  ' }, 'note'],
    ['escalate without a reason', { action: 'escalate' }, 'note'],
    ['request_extension without until', { action: 'request_extension', note: '需等待配件' }, 'until'],
    ['request_extension with a date only', { action: 'request_extension', until: '2026-10-12', note: '需等待配件' }, 'until'],
    ['request_extension without a reason', { action: 'request_extension', until: '2026-10-12T17:30:00+08:00' }, 'note'],
    ['reject_extension without a reason', { action: 'reject_extension' }, 'note'],
    ['verify_fail without a reason', { action: 'verify_fail' }, 'note'],
    [
      'convene_meeting with one department',
      { action: 'convene_meeting', departments: ['urban-management'], at: '2026-10-12T09:00:00+08:00' },
      'departments',
    ],
    [
      'convene_meeting with 16 departments',
      {
        action: 'convene_meeting',
        departments: Array.from({ length: 16 }, (_, i) => `dept-${'x'.repeat(i + 1)}`),
        at: '2026-10-12T09:00:00+08:00',
      },
      'departments',
    ],
    ['convene_meeting without a time', { action: 'convene_meeting', departments: ['urban-management', 'health'] }, 'at'],
    [
      'record_meeting_decision without minutes',
      { action: 'record_meeting_decision', lead: 'health', deadlineAt: '2026-10-20T17:30:00+08:00' },
      'minutes',
    ],
    [
      'record_meeting_decision without a lead',
      { action: 'record_meeting_decision', deadlineAt: '2026-10-20T17:30:00+08:00', minutes: 'x' },
      'lead',
    ],
    [
      'record_meeting_decision with a bad helper',
      { action: 'record_meeting_decision', lead: 'health', helpers: ['H'], deadlineAt: '2026-10-20T17:30:00+08:00', minutes: 'x' },
      'helpers.0',
    ],
    ['through_train without a reason', { action: 'through_train' }, 'note'],
    ['invite_department without a department', { action: 'invite_department', note: 'x' }, 'department'],
    ['invite_department without a reason', { action: 'invite_department', department: 'health' }, 'note'],
    ['evaluate without a note', { action: 'evaluate', score: 3 }, 'note'],
    ['evaluate with score 0', { action: 'evaluate', score: 0, note: 'x' }, 'score'],
    ['rate with score 6', { action: 'rate', score: 6 }, 'score'],
    ['rate with score 2.5', { action: 'rate', score: 2.5 }, 'score'],
    ['rate without a score', { action: 'rate' }, 'score'],
    ['comment without a note', { action: 'comment' }, 'note'],
    ['link_duplicate with a malformed id', { action: 'link_duplicate', duplicateOf: 'E1' }, 'duplicateOf'],
    ['link_duplicate without an id', { action: 'link_duplicate' }, 'duplicateOf'],
  ])('rejects %s', (_label, body, path) => {
    expect(problemPaths(ActionBody.safeParse(body))).toContain(path);
  });
});

describe('RatingBody', () => {
  it('accepts the 6-digit code and a score, with an optional note', () => {
    expect(RatingBody.parse({ code: '123456', score: 5 })).toEqual({ code: '123456', score: 5 });
    expect(RatingBody.parse({ code: '000001', score: 1, note: '仍有积水' })).toEqual({ code: '000001', score: 1, note: '仍有积水' });
  });

  it.each([
    ['a 5-digit code', { code: '12345', score: 3 }, 'code'],
    ['a code with letters', { code: '12345a', score: 3 }, 'code'],
    ['a numeric code', { code: 123456, score: 3 }, 'code'],
    ['score 0', { code: '123456', score: 0 }, 'score'],
    ['score 6', { code: '123456', score: 6 }, 'score'],
    ['no score', { code: '123456' }, 'score'],
    ['an unknown field', { code: '123456', score: 3, eventId: 'E20261009-7K3M9Q' }, ''],
  ])('rejects %s', (_label, body, path) => {
    expect(problemPaths(RatingBody.safeParse(body))).toContain(path);
  });
});

describe('ListEventsQuery', () => {
  it('defaults the limit to 20', () => {
    expect(ListEventsQuery.parse({})).toEqual({ limit: 20 });
  });

  it('coerces the limit from a query string', () => {
    expect(ListEventsQuery.parse({ limit: '50' }).limit).toBe(50);
    expect(ListEventsQuery.parse({ limit: '1' }).limit).toBe(1);
    expect(ListEventsQuery.parse({ limit: '100' }).limit).toBe(100);
    // Over 100 only with sort=urgency (the core refuses it otherwise, naming limit).
    expect(ListEventsQuery.parse({ limit: '500', sort: 'urgency' }).limit).toBe(500);
  });

  it.each(['0', '501', '2.5', 'abc', '-1'])('rejects limit %p', (limit) => {
    expect(problemPaths(ListEventsQuery.safeParse({ limit }))).toContain('limit');
  });

  it.each(['overdue', 'mine'] as const)('turns %s=true/false into booleans', (flag) => {
    expect(ListEventsQuery.parse({ [flag]: 'true' })[flag]).toBe(true);
    expect(ListEventsQuery.parse({ [flag]: 'false' })[flag]).toBe(false);
    expect(ListEventsQuery.parse({})[flag]).toBeUndefined();
  });

  it.each(['yes', '1', 'TRUE', ''])('rejects overdue=%p and mine=%p', (value) => {
    expect(problemPaths(ListEventsQuery.safeParse({ overdue: value }))).toContain('overdue');
    expect(problemPaths(ListEventsQuery.safeParse({ mine: value }))).toContain('mine');
  });

  it('accepts the filters', () => {
    const query = {
      unit: '441302010',
      status: 'open',
      stage: 'routed',
      tier: 'town',
      from: '2026-10-01T00:00:00+08:00',
      to: '2026-10-09T08:00:00Z',
      cursor: 'abc',
    };
    expect(ListEventsQuery.parse(query)).toEqual({ ...query, limit: 20 });
  });

  it.each(['unit', 'urgency'])('accepts sort=%s', (sort) => {
    expect(ListEventsQuery.parse({ sort }).sort).toBe(sort);
  });

  it.each([
    ['a 10-digit unit', { unit: '4413020100' }, 'unit'],
    ['an unknown stage', { stage: 'lost' }, 'stage'],
    ['an unknown tier', { tier: 'province' }, 'tier'],
    ['a date without time', { from: '2026-10-01' }, 'from'],
    ['an unknown parameter', { order: 'asc' }, ''],
    ['an unknown sort', { sort: 'asc' }, 'sort'],
  ])('rejects %s', (_label, query, path) => {
    expect(problemPaths(ListEventsQuery.safeParse(query))).toContain(path);
  });
});
