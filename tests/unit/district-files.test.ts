/**
 * The district's files, the pure parts (bin/district/): CSV as spreadsheets write it, the unit tree built from a
 * sheet by its codes, a row's place, and a problem the platform names by its place in the documents shown at its
 * row and column. (Through a running platform: tests/integration/district-files.test.ts.)
 */
import { columnLetter, convert, placeOf } from '../../bin/district/convert';
import { csvRows, csvText } from '../../bin/district/csv';
import { problemPlace } from '../../bin/district/places';
import type { DistrictFiles } from '../../bin/district/read-files';

test('CSV: quotes, commas, line breaks and doubled quotes survive a round trip; the byte-order mark is written and skipped', () => {
  const rows = [
    ['code', 'name', 'title'],
    ['441302', '惠城区', 'a "quoted", comma'],
    ['441302010', '', 'two\nlines'],
  ];
  const text = csvText(rows);
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(csvRows(text)).toEqual(rows);
  expect(csvRows('a,b\r\n1,2')).toEqual([
    ['a', 'b'],
    ['1', '2'],
  ]);
});

test('column letters as spreadsheets name them', () => {
  expect([0, 4, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'E', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  expect(placeOf({ file: 'district.xlsx', sheet: 'people', row: 5, columns: ['id', 'name', 'role', 'unit', 'phone'] }, 'phone')).toBe(
    'district.xlsx, sheet people, row 5, column E (phone)',
  );
});

const files = (tables: DistrictFiles['tables'], extra: Partial<DistrictFiles> = {}): DistrictFiles => ({
  tables,
  json: new Map(),
  read: [],
  ignored: [],
  problems: [],
  ...extra,
});

const units = {
  name: 'units' as const,
  file: 'units.csv',
  columns: ['level', 'code', 'name', 'platform'],
  rows: [
    ['grid', '441302010001001', '金源社区第1网格', ''],
    ['district', '441302', '惠城区', '区网格中心'],
    ['', '', '', ''],
    ['community', '441302010001', '金源社区', ''],
    ['grid', '441302010002001', '无社区网格', ''],
    ['town', '441302010', '小金口街道', ''],
  ],
};

test('the unit tree is built from the codes: each unit below the longest code of the sheet its own starts with', () => {
  const converted = convert(files([units]));
  expect(converted.problems).toEqual([]);
  expect(converted.documents.units).toEqual({
    code: '441302',
    name: '惠城区',
    nameEn: '',
    level: 'district',
    platform: '区网格中心',
    children: [
      {
        code: '441302010',
        name: '小金口街道',
        nameEn: '',
        level: 'town',
        children: [
          {
            code: '441302010001',
            name: '金源社区',
            nameEn: '',
            level: 'community',
            children: [{ code: '441302010001001', name: '金源社区第1网格', nameEn: '', level: 'grid' }],
          },
          // Its community is not in the sheet: it sits below the street, and the platform names that (the row below).
          { code: '441302010002001', name: '无社区网格', nameEn: '', level: 'grid' },
        ],
      },
    ],
  });
  // The platform's field for the orphan grid is shown at its row: the header is row 1, the empty row counts.
  expect(problemPlace('units.children[0].children[1].code', converted)).toBe(
    'units.csv, row 6, column B (code) [units.children[0].children[1].code]',
  );
});

test('what cannot be converted is named by row and column: a missing column, a code twice, a head neither yes nor no', () => {
  const people = {
    name: 'people' as const,
    file: 'people.csv',
    columns: ['id', 'name', 'role', 'unit', 'phone', 'head'],
    rows: [
      ['p1', '甲', 'grid_worker', '441302010001001', '13000001001', 'yes'],
      ['p2', '乙', 'grid_worker', '441302010001001', '13000001002', 'perhaps'],
    ],
  };
  const twice = { ...units, rows: [...units.rows, ['town', '441302010', '又一个', '']] };
  const converted = convert(files([twice, people, { name: 'departments', file: 'departments.csv', columns: ['code'], rows: [] }]));
  expect(converted.problems).toEqual([
    'units.csv, row 8, column B (code): unit 441302010 appears twice (also units.csv, row 7)',
    "people.csv, row 3, column F (head): 'perhaps' is not yes or no (or empty)",
    'departments.csv, row 1: the column name is missing (the departments have code, name, nameEn)',
  ]);
  expect(converted.documents.people?.[0]).toEqual({
    id: 'p1',
    name: '甲',
    role: 'grid_worker',
    unit: '441302010001001',
    phone: '13000001001',
    head: true,
  });
  // A 400's dotted field is read the same way as a 422's.
  expect(problemPlace('documents.people.1.phone', converted)).toBe('people.csv, row 3, column E (phone) [people[1].phone]');
});

test("a boundary lands on its unit, and a problem inside it is shown at the GeoJSON's feature", () => {
  const square = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [114.41, 23.13],
        [114.42, 23.13],
        [114.42, 23.14],
        [114.41, 23.13],
      ] as [number, number][],
    ],
  };
  const converted = convert(
    files([units], {
      boundaries: {
        file: 'boundaries.geojson',
        collection: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { code: '441302010001001' }, geometry: square },
            { type: 'Feature', properties: { code: '441302999' }, geometry: square },
          ],
        },
      },
    }),
  );
  expect(converted.problems).toEqual(['boundaries.geojson, feature 2: unit 441302999 is not in the units']);
  expect(converted.documents.units?.children?.[0].children?.[0].children?.[0].boundary).toEqual(square);
  expect(problemPlace('units.children[0].children[0].children[0].boundary.coordinates[0]', converted)).toBe(
    'boundaries.geojson, feature 1 (unit 441302010001001) at geometry.coordinates[0] [units.children[0].children[0].children[0].boundary.coordinates[0]]',
  );
});
