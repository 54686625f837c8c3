import { callerFromClaims } from '../../shared/auth/caller';
import { actorOf, assertOneRole, canSeeUnit, type Caller } from '../../shared/domain/caller';
import { DomainError } from '../../shared/domain/errors';
import { sampleDirectory } from '../../dev-server/seed-reference';

/** Calls callerFromClaims and returns the DomainError it throws (fails the test if it does not throw one). */
function refusal(claims: Record<string, unknown>): DomainError {
  try {
    callerFromClaims(claims);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`callerFromClaims accepted ${JSON.stringify(claims)}`);
}

const workerClaims = {
  sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  person: 'gw-ouyang-lingqiao',
  name: '欧阳玲巧',
  role: 'grid_worker',
  units: ['441302010001001'],
  phone: '13000001001',
};

describe('callerFromClaims: plain claims (local tokens)', () => {
  it('reads a grid worker', () => {
    expect(callerFromClaims(workerClaims)).toEqual({
      person: 'gw-ouyang-lingqiao',
      sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      name: '欧阳玲巧',
      role: 'grid_worker',
      units: ['441302010001001'],
      department: undefined,
      phone: '13000001001',
    });
  });

  it('reads a department clerk with its department', () => {
    const caller = callerFromClaims({
      sub: 'ds-urban-management-441302010',
      person: 'ds-urban-management-441302010',
      role: 'department',
      units: ['441302010'],
      department: 'urban-management',
    });
    expect(caller).toMatchObject({ role: 'department', units: ['441302010'], department: 'urban-management' });
  });

  it('uses the person id as the name when there is no name claim', () => {
    expect(callerFromClaims({ sub: 'a1b2', person: 'dc-huicheng-duty', role: 'district_center', units: ['441302'] }).name).toBe(
      'dc-huicheng-duty',
    );
  });

  it('accepts several units of every level', () => {
    const units = ['441302', '441302010', '441302010001', '441302010001001'];
    expect(callerFromClaims({ sub: 'ad-huicheng', person: 'ad-huicheng', role: 'admin', units }).units).toEqual(units);
  });

  it('ignores claims it does not know', () => {
    const caller = callerFromClaims({ ...workerClaims, iss: 'https://issuer', exp: 1, 'cognito:groups': ['x'] });
    expect(Object.keys(caller).sort()).toEqual(['department', 'name', 'person', 'phone', 'role', 'sub', 'units']);
  });
});

describe('callerFromClaims: Cognito-style custom attributes', () => {
  it('reads custom:role, custom:units (comma string) and custom:department', () => {
    const caller = callerFromClaims({
      sub: 'a1b2c3',
      'custom:person': 'ds-urban-management-441302010',
      name: '小金口街道城管执法中队办件员',
      'custom:role': 'department',
      'custom:units': '441302,441302010',
      'custom:department': 'urban-management',
      token_use: 'id',
    });
    expect(caller).toEqual({
      person: 'ds-urban-management-441302010',
      sub: 'a1b2c3',
      name: '小金口街道城管执法中队办件员',
      role: 'department',
      units: ['441302', '441302010'],
      department: 'urban-management',
      phone: undefined,
    });
  });

  it('tolerates spaces and empty entries in the units string', () => {
    expect(
      callerFromClaims({ sub: 'x', person: 'px', 'custom:role': 'town_center', 'custom:units': ' 441302010 , 441302001,,' }).units,
    ).toEqual(['441302010', '441302001']);
  });

  it('reads a single unit given as a string', () => {
    expect(callerFromClaims({ sub: 'x', person: 'px', 'custom:role': 'community_station', 'custom:units': '441302010001' }).units).toEqual([
      '441302010001',
    ]);
  });
});

describe('callerFromClaims: invalid claims are 401', () => {
  it.each([
    ['no sub', { person: 'px', role: 'grid_worker', units: ['441302010001001'] }],
    ['an empty sub', { sub: '', person: 'px', role: 'grid_worker', units: ['441302010001001'] }],
    ['no role', { sub: 'x', person: 'px', units: ['441302010001001'] }],
    ['an unknown role', { sub: 'x', person: 'px', role: 'citizen', units: ['441302010001001'] }],
    ['no units', { sub: 'x', person: 'px', role: 'grid_worker' }],
    ['an empty units list', { sub: 'x', person: 'px', role: 'grid_worker', units: [] }],
    ['an empty units string', { sub: 'x', person: 'px', 'custom:role': 'grid_worker', 'custom:units': '' }],
    ['a 5-digit unit', { sub: 'x', person: 'px', role: 'grid_worker', units: ['44130'] }],
    ['a 10-digit unit', { sub: 'x', person: 'px', role: 'grid_worker', units: ['4413020100'] }],
    ['a unit with letters', { sub: 'x', person: 'px', role: 'grid_worker', units: ['44130A'] }],
    ['units as a number', { sub: 'x', person: 'px', role: 'grid_worker', units: 441302 }],
  ])('refuses %s', (_label, claims) => {
    const error = refusal(claims);
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/^The token's claims are not valid/);
  });

  it('names the invalid claims in the message', () => {
    expect(refusal({ sub: 'x', person: 'px', role: 'mayor', units: ['1'] }).message).toMatch(/role.*units|units.*role/);
  });

  it('refuses a staff token without custom:person, naming the claim (never reading its sub as the person)', () => {
    for (const claims of [
      { sub: 'a1b2c3', 'custom:role': 'grid_worker', 'custom:units': '441302010001001' },
      { sub: 'a1b2c3', 'custom:person': '', 'custom:role': 'grid_worker', 'custom:units': '441302010001001' },
      { sub: 'gw-ouyang-lingqiao', 'custom:role': 'grid_worker', 'custom:units': '441302010001001' },
    ]) {
      const error = refusal(claims);
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/^The token has no custom:person: /);
      expect(error.fields).toEqual([{ field: 'custom:person', message: expect.stringContaining('administrator') }]);
    }
  });

  it('refuses a person id that could not be a stored key part', () => {
    for (const person of ['gw#1', 'gw ouyang', '-gw', 'x'.repeat(129), 42]) {
      const error = refusal({ sub: 'a1b2c3', 'custom:person': person, 'custom:role': 'grid_worker', 'custom:units': '441302010001001' });
      expect(error.status).toBe(401);
      expect(error.fields?.[0].field).toBe('custom:person');
    }
  });

  it('names each invalid claim as the token spells it', () => {
    const error = refusal({ sub: 'x', 'custom:person': 'px', 'custom:role': 'mayor', 'custom:units': '441302' });
    expect(error.fields).toEqual([{ field: 'custom:role', message: 'not valid' }]);
  });

  it('refuses a department token without a department claim', () => {
    const error = refusal({ sub: 'x', person: 'px', role: 'department', units: ['441302'] });
    expect(error.status).toBe(401);
    expect(error.message).toBe('A department token needs the department claim');
    expect(refusal({ sub: 'x', person: 'px', role: 'department', units: ['441302'], department: '' }).status).toBe(401);
  });
});

describe('canSeeUnit', () => {
  const townCenter: Caller = { person: 'tc', sub: 'sub-tc', name: 'tc', role: 'town_center', units: ['441302010'] };

  it('sees its own unit and every unit below it', () => {
    expect(canSeeUnit(townCenter, '441302010')).toBe(true);
    expect(canSeeUnit(townCenter, '441302010001')).toBe(true);
    expect(canSeeUnit(townCenter, '441302010001001')).toBe(true);
  });

  it('does not see the unit above, or another town', () => {
    expect(canSeeUnit(townCenter, '441302')).toBe(false);
    expect(canSeeUnit(townCenter, '441302001')).toBe(false);
    expect(canSeeUnit(townCenter, '441302001001001')).toBe(false);
  });

  it('sees the union of several units', () => {
    const twoTowns: Caller = { ...townCenter, units: ['441302010', '441302001'] };
    expect(canSeeUnit(twoTowns, '441302001001001')).toBe(true);
    expect(canSeeUnit(twoTowns, '441302010001001')).toBe(true);
    expect(canSeeUnit(twoTowns, '441302002001001')).toBe(false);
  });
});

describe('actorOf', () => {
  it("records who acted: the person id, name and role, and the account's sub beside them for audit", () => {
    expect(actorOf(callerFromClaims(workerClaims))).toEqual({
      id: 'gw-ouyang-lingqiao',
      name: '欧阳玲巧',
      role: 'grid_worker',
      sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    });
  });
});

describe('assertOneRole: one person, one role', () => {
  const directory = sampleDirectory();
  const as = (person: string, role: Caller['role']): Caller => ({ person, sub: `sub-${person}`, name: person, role, units: ['441302'] });

  it("accepts a token whose role is its person's on the roster, and a person the roster does not know", () => {
    expect(() => assertOneRole(as('gw-ouyang-lingqiao', 'grid_worker'), directory)).not.toThrow();
    expect(() => assertOneRole(as('ld-zhang-wenzheng', 'leader'), directory)).not.toThrow();
    expect(() => assertOneRole(as('supervisor-441302', 'supervisor'), directory)).not.toThrow();
  });

  it("refuses a token that gives a person another role than the roster's (403 naming custom:role)", () => {
    try {
      assertOneRole(as('gw-ouyang-lingqiao', 'district_center'), directory);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).status).toBe(403);
      expect((error as DomainError).message).toMatch(/holds the role grid_worker on the roster, not district_center/);
      expect((error as DomainError).fields).toEqual([{ field: 'custom:role', message: expect.stringContaining('grid_worker') }]);
    }
  });
});
