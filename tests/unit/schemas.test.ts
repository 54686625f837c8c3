import { ACTION_NAMES, ActionBody, ListEventsQuery, ReportEventBody } from '../../shared/schemas/events';

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
    expect(ReportEventBody.safeParse({ ...validReport, photos: Array.from({ length: 9 }, (_, i) => `https://p.example/${i}.jpg`) }).success).toBe(true);
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

  it('names the three actions', () => {
    expect(ACTION_NAMES).toEqual(['accept_report', 'void_report', 'complete']);
  });

  it.each([
    ['an unknown action', { action: 'escalate', note: 'x' }, 'action'],
    ['no action', { note: 'x' }, 'action'],
    ['complete without a note', { action: 'complete' }, 'note'],
    ['complete with a blank note', { action: 'complete', note: '   ' }, 'note'],
    ['void_report without a reason', { action: 'void_report' }, 'note'],
    ['complete with a non-URL photo', { action: 'complete', note: '已疏通', photos: ['after.jpg'] }, 'photos.0'],
    ['complete with 10 photos', { action: 'complete', note: '已疏通', photos: Array.from({ length: 10 }, (_, i) => `https://p.example/${i}.jpg`) }, 'photos'],
    ['a note of 2001 characters', { action: 'accept_report', note: '水'.repeat(2001) }, 'note'],
    ['an unknown field', { action: 'accept_report', assignee: 'me' }, ''],
  ])('rejects %s', (_label, body, path) => {
    expect(problemPaths(ActionBody.safeParse(body))).toContain(path);
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
  });

  it.each(['0', '101', '2.5', 'abc', '-1'])('rejects limit %p', (limit) => {
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

  it.each([
    ['a 10-digit unit', { unit: '4413020100' }, 'unit'],
    ['an unknown stage', { stage: 'lost' }, 'stage'],
    ['an unknown tier', { tier: 'province' }, 'tier'],
    ['a date without time', { from: '2026-10-01' }, 'from'],
    ['an unknown parameter', { sort: 'asc' }, ''],
  ])('rejects %s', (_label, query, path) => {
    expect(problemPaths(ListEventsQuery.safeParse(query))).toContain(path);
  });
});
