/** Who may do what besides the actions on a case: the one operations table (shared/domain/operations.ts). */
import { actsForUnitAt, mayDo, OPERATION_RULES, OPERATIONS, STATION_ROLES } from '../../shared/domain/operations';
import { PATROL_KINDS, PATROL_RULES } from '../../shared/domain/patrols';
import { ACTION_RULES } from '../../shared/domain/permissions';
import { ROLES } from '../../shared/domain/types';

describe('the operations table', () => {
  it('has one row per operation', () => {
    expect(Object.keys(OPERATION_RULES)).toEqual([...OPERATIONS]);
  });

  it('the handler actions are open to the roles that handle cases', () => {
    for (const action of ['acknowledge', 'complete', 'escalate', 'request_extension'] as const)
      expect(ACTION_RULES[action].roles).toEqual(OPERATION_RULES.handle.roles);
  });

  it('each kind of patrol is logged by one role', () => {
    expect(PATROL_KINDS.map((kind) => OPERATION_RULES[PATROL_RULES[kind].operation].roles)).toEqual([
      ['grid_worker'],
      ['community_station'],
      ['town_center'],
    ]);
  });

  it.each([
    ['report', ['grid_worker', 'community_station', 'town_center', 'district_center', 'admin']],
    ['be_assigned_by_name', ['grid_worker', 'community_station', 'town_center', 'district_center', 'leader']],
    ['send_campaign', ['town_center', 'community_station']],
    ['answer_campaign', ['grid_worker']],
  ] as const)('%s: %p', (operation, roles) => {
    expect(ROLES.filter((role) => mayDo(role, operation))).toEqual(ROLES.filter((role) => (roles as readonly string[]).includes(role)));
  });

  it('department staff see no unit-wide views (campaigns, patrols, unit reports) but read their team’s report', () => {
    for (const operation of ['see_campaigns', 'see_patrols', 'read_unit_report'] as const) {
      expect(mayDo('department', operation)).toBe(false);
      expect(ROLES.filter((role) => role !== 'department').every((role) => mayDo(role, operation))).toBe(true);
    }
    expect(ROLES.every((role) => mayDo(role, 'read_department_report'))).toBe(true);
  });
});

describe('who acts for a unit that is the handler (UNIT_STAFF)', () => {
  it.each([
    ['community_station', 'community', true],
    ['town_center', 'community', false],
    ['town_center', 'town', true],
    ['community_station', 'town', false],
    ['district_center', 'district', true],
    ['leader', 'district', true],
    ['leader', 'town', false],
    ['grid_worker', 'grid', false],
    ['district_center', undefined, false],
  ] as const)('%s at a %s unit: %s', (role, level, acts) => {
    expect(actsForUnitAt(role, level)).toBe(acts);
  });

  it('prints the same roles in the operations table as it checks', () => {
    expect([...OPERATION_RULES.act_for_unit.roles].sort()).toEqual(['community_station', 'district_center', 'leader', 'town_center']);
    expect(STATION_ROLES).toEqual(['community_station', 'town_center', 'district_center']);
  });
});
