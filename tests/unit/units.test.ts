import { ancestorCodes, isWithin, levelOfCode } from '../../shared/domain/unit-codes';
import { UnitDirectory, type DirectoryData } from '../../shared/domain/units';
import { sampleDirectory } from '../../dev-server/seed-reference';

const directory = sampleDirectory();

const JINYUAN = '441302010001';
const JINYUAN_GRID_1 = '441302010001001';
const XIAOJINKOU = '441302010';
const HUICHENG = '441302';

/** A minimal well-formed tree to vary in the malformed-tree tests. */
function tree(grid: { code: string; level?: string }, community: { code: string; level?: string } = { code: JINYUAN }): DirectoryData {
  return {
    units: {
      code: HUICHENG,
      name: '惠城区',
      nameEn: 'Huicheng District',
      level: 'district',
      children: [
        {
          code: XIAOJINKOU,
          name: '小金口街道',
          nameEn: 'Xiaojinkou',
          level: 'town',
          children: [
            {
              code: community.code,
              name: '金源社区',
              nameEn: 'Jinyuan Community',
              level: community.level ?? 'community',
              children: [{ code: grid.code, name: '网格', nameEn: 'grid', level: grid.level ?? 'grid' }],
            },
          ],
        },
      ],
    },
    departments: [],
    people: [],
  };
}

describe('levelOfCode', () => {
  it.each([
    ['441302', 'district'],
    ['441302010', 'town'],
    ['441302010001', 'community'],
    ['441302010001001', 'grid'],
  ] as const)('%s is a %s code', (code, level) => {
    expect(levelOfCode(code)).toBe(level);
  });

  it.each(['', '44130', '4413020', '44130201000', '44130201000100', '4413020100010011', 'abcdef', '44130a'])(
    '"%s" has no level',
    (code) => {
      expect(levelOfCode(code)).toBeUndefined();
    },
  );
});

describe('ancestorCodes', () => {
  it('lists a grid’s district, town, community and the grid itself, top first', () => {
    expect(ancestorCodes(JINYUAN_GRID_1)).toEqual([HUICHENG, XIAOJINKOU, JINYUAN, JINYUAN_GRID_1]);
  });

  it('stops at the code’s own level', () => {
    expect(ancestorCodes(XIAOJINKOU)).toEqual([HUICHENG, XIAOJINKOU]);
    expect(ancestorCodes(HUICHENG)).toEqual([HUICHENG]);
  });
});

describe('isWithin', () => {
  it('is true for the scope itself and everything below it', () => {
    expect(isWithin(JINYUAN_GRID_1, JINYUAN_GRID_1)).toBe(true);
    expect(isWithin(JINYUAN_GRID_1, JINYUAN)).toBe(true);
    expect(isWithin(JINYUAN_GRID_1, XIAOJINKOU)).toBe(true);
    expect(isWithin(JINYUAN_GRID_1, HUICHENG)).toBe(true);
  });

  it('is false for siblings, other branches and units above the scope', () => {
    expect(isWithin('441302010001002', JINYUAN_GRID_1)).toBe(false);
    expect(isWithin('441302010002001', JINYUAN)).toBe(false);
    expect(isWithin('441302001001001', XIAOJINKOU)).toBe(false);
    expect(isWithin(HUICHENG, JINYUAN)).toBe(false);
    expect(isWithin(JINYUAN_GRID_1, '441303')).toBe(false);
  });
});

describe('sampleDirectory()', () => {
  it('holds the Huicheng tree: 1 district, 13 towns/streets, 1 community, 9 grids', () => {
    const units = directory.allUnits();
    const count = (level: string) => units.filter((unit) => unit.level === level).length;
    expect(count('district')).toBe(1);
    expect(count('town')).toBe(13);
    expect(count('community')).toBe(1);
    expect(count('grid')).toBe(9);
    expect(units).toHaveLength(24);
  });

  it('looks up a unit with its level and parent', () => {
    expect(directory.unit(JINYUAN)).toEqual({
      code: JINYUAN,
      name: '金源社区',
      nameEn: 'Jinyuan Community',
      level: 'community',
      parent: XIAOJINKOU,
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [114.405, 23.125],
            [114.435, 23.125],
            [114.435, 23.155],
            [114.405, 23.155],
            [114.405, 23.125],
          ],
        ],
      },
    });
    expect(directory.unit(JINYUAN_GRID_1)).toMatchObject({ name: '金源社区第1网格', level: 'grid', parent: JINYUAN });
    expect(directory.unit(HUICHENG)).toMatchObject({ name: '惠城区', level: 'district', parent: undefined });
    expect(directory.unit('441302010001099')).toBeUndefined();
  });

  it('looks up departments', () => {
    expect(directory.department('urban-management')).toEqual({
      code: 'urban-management',
      name: '区城市管理和综合执法局',
      nameEn: 'Urban Management and Law Enforcement Bureau',
    });
    expect(directory.department('no-such-department')).toBeUndefined();
    expect(directory.allDepartments()).toHaveLength(15);
  });

  it('lists the districts', () => {
    expect(directory.districts()).toEqual([HUICHENG]);
  });

  it('tells grids from other units', () => {
    expect(directory.isGrid(JINYUAN_GRID_1)).toBe(true);
    expect(directory.isGrid(JINYUAN)).toBe(false);
    expect(directory.isGrid(HUICHENG)).toBe(false);
    expect(directory.isGrid('441302010001099')).toBe(false);
  });

  it('finds the community, town and district of a grid', () => {
    expect(directory.ancestor(JINYUAN_GRID_1, 'community')?.name).toBe('金源社区');
    expect(directory.ancestor(JINYUAN_GRID_1, 'town')?.name).toBe('小金口街道');
    expect(directory.ancestor(JINYUAN_GRID_1, 'district')?.name).toBe('惠城区');
    expect(directory.ancestor(JINYUAN_GRID_1, 'grid')?.code).toBe(JINYUAN_GRID_1);
  });

  it('has no community ancestor for a town (it returns nothing rather than the town itself)', () => {
    // BUG: ancestor() slices the code to the level's length; a code shorter than that comes back whole,
    // so the town 小金口街道 is returned as its own "community".
    expect(directory.ancestor(XIAOJINKOU, 'community')).toBeUndefined();
    expect(directory.ancestor(JINYUAN, 'grid')).toBeUndefined();
  });

  it('lists the children of a unit', () => {
    expect(directory.children(JINYUAN).map((unit) => unit.code)).toEqual(Array.from({ length: 9 }, (_, i) => `44130201000100${i + 1}`));
    expect(directory.children(HUICHENG)).toHaveLength(13);
    expect(directory.children(HUICHENG).every((unit) => unit.level === 'town')).toBe(true);
    expect(directory.children(JINYUAN_GRID_1)).toEqual([]);
  });

  it('finds people by id', () => {
    expect(directory.person('cs-lan-bin')).toMatchObject({ name: '蓝彬', role: 'community_station', unit: JINYUAN, head: true });
    expect(directory.person('nobody')).toBeUndefined();
  });

  it('finds the grid workers of a grid, and none for a community code', () => {
    expect(directory.gridWorkers(JINYUAN_GRID_1).map((person) => person.name)).toEqual(['欧阳玲巧']);
    expect(directory.gridWorkers('441302010001005').map((person) => person.name)).toEqual(['古欢欢']);
    expect(directory.gridWorkers(JINYUAN)).toEqual([]);
  });

  it('finds the head of a station or center, never a department head or a leader', () => {
    expect(directory.unitHead(JINYUAN)?.name).toBe('蓝彬');
    expect(directory.unitHead(XIAOJINKOU)?.name).toBe('苏伟军');
    // 441302 also has the leader 张文正 and many department heads: the unit head is the center's.
    expect(directory.unitHead(HUICHENG)?.id).toBe('dc-huicheng-head');
    expect(directory.unitHead(JINYUAN_GRID_1)).toBeUndefined();
  });

  it('lists a unit’s duty staff head first, without grid workers, departments or leaders', () => {
    expect(directory.unitStaff(JINYUAN).map((person) => person.id)).toEqual(['cs-lan-bin', 'cs-jinyuan-duty']);
    expect(directory.unitStaff(XIAOJINKOU).map((person) => person.id)).toEqual(['tc-su-weijun', 'tc-xiaojinkou-duty']);
    expect(directory.unitStaff(JINYUAN_GRID_1)).toEqual([]);
  });

  it('finds a department’s team at the district and at the street, head first', () => {
    expect(directory.departmentTeam('urban-management', XIAOJINKOU).map((person) => person.id)).toEqual([
      'dh-urban-management-441302010',
      'ds-urban-management-441302010',
    ]);
    expect(directory.departmentTeam('urban-management', HUICHENG).map((person) => person.id)).toEqual([
      'dh-urban-management-441302',
      'ds-urban-management-441302',
    ]);
    // Xiaojinkou has no street team of natural resources.
    expect(directory.departmentTeam('natural-resources', XIAOJINKOU)).toEqual([]);
  });

  it('finds a department’s head at a unit', () => {
    expect(directory.departmentHead('urban-management', XIAOJINKOU)?.name).toBe('小金口街道城管执法中队负责人');
    expect(directory.departmentHead('urban-management', HUICHENG)?.name).toBe('区城市管理和综合执法局负责人');
    expect(directory.departmentHead('natural-resources', XIAOJINKOU)).toBeUndefined();
  });

  it('finds the people of a role at a unit', () => {
    expect(directory.peopleWithRole('leader', HUICHENG).map((person) => person.name)).toEqual(['张文正']);
    expect(directory.peopleWithRole('leader', XIAOJINKOU)).toEqual([]);
  });
});

describe('UnitDirectory: a malformed tree is refused', () => {
  it('accepts the minimal well-formed tree', () => {
    const small = new UnitDirectory(tree({ code: JINYUAN_GRID_1 }));
    expect(small.allUnits().map((unit) => unit.code)).toEqual([HUICHENG, XIAOJINKOU, JINYUAN, JINYUAN_GRID_1]);
  });

  it('refuses a grid code of the wrong length', () => {
    expect(() => new UnitDirectory(tree({ code: '44130201000101' }))).toThrow(/a grid code must have 15 digits/);
    expect(() => new UnitDirectory(tree({ code: '4413020100010011' }))).toThrow(/a grid code must have 15 digits/);
  });

  it('refuses a district code of the wrong length', () => {
    const data = tree({ code: JINYUAN_GRID_1 });
    data.units = { ...data.units, code: '4413020' };
    expect(() => new UnitDirectory(data)).toThrow(/a district code must have 6 digits/);
  });

  it('refuses a level that does not match the code’s length', () => {
    expect(() => new UnitDirectory(tree({ code: JINYUAN_GRID_1, level: 'community' }))).toThrow(/Unit 441302010001001/);
  });

  it('refuses an unknown level', () => {
    expect(() => new UnitDirectory(tree({ code: JINYUAN_GRID_1 }, { code: JINYUAN, level: 'village' }))).toThrow(
      /a village code must have \? digits/,
    );
  });

  it('refuses a child whose code is not under its parent’s', () => {
    expect(() => new UnitDirectory(tree({ code: '441302010002001' }))).toThrow(
      /Unit 441302010002001 does not start with its parent's code 441302010001/,
    );
    expect(() => new UnitDirectory(tree({ code: '441302010002001' }, { code: '441302011001' }))).toThrow(
      /does not start with its parent's code 441302010/,
    );
  });

  it('refuses a unit that skips a level (a grid directly under a town)', () => {
    const data = tree({ code: JINYUAN_GRID_1 });
    const town = data.units.children![0];
    town.children = [{ code: JINYUAN_GRID_1, name: '网格', nameEn: 'grid', level: 'grid' }];
    expect(() => new UnitDirectory(data)).toThrow(/must sit directly below a unit one level up/);
  });

  it('refuses a unit code or a department code that appears twice', () => {
    const data = tree({ code: JINYUAN_GRID_1 });
    const community = data.units.children![0].children![0];
    community.children = [...community.children!, { ...community.children![0] }];
    expect(() => new UnitDirectory(data)).toThrow(`Unit ${JINYUAN_GRID_1} appears twice`);
    const departments = tree({ code: JINYUAN_GRID_1 });
    departments.departments = [
      { code: 'urban-management', name: '城管', nameEn: 'Urban' },
      { code: 'urban-management', name: '城管', nameEn: 'Urban' },
    ];
    expect(() => new UnitDirectory(departments)).toThrow('Department urban-management appears twice');
  });
});
