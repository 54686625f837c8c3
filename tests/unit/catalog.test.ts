import { Catalog, type CatalogFile } from '../../shared/domain/catalog';
import { sampleCatalog, sampleDirectory } from '../../dev-server/seed-reference';

const catalog = sampleCatalog();

type FileItem = CatalogFile['classes'][number]['items'][number];

const fileItem = (overrides: Partial<FileItem> = {}): FileItem => ({
  code: '01-01',
  name: '排水口或下水道堵塞',
  nameEn: 'Drain outlet or sewer blocked',
  severity: 4,
  closedWhen: 'Water drains freely',
  ...overrides,
});

const fileWith = (...classes: { code: string; defaultDepartment?: string; items: FileItem[] }[]): CatalogFile => ({
  classes: classes.map((catalogClass) => ({
    code: catalogClass.code,
    name: `类${catalogClass.code}`,
    nameEn: `Class ${catalogClass.code}`,
    defaultDepartment: catalogClass.defaultDepartment ?? 'urban-management',
    items: catalogClass.items,
  })),
});

describe('sampleCatalog()', () => {
  it('has the seed’s 4 major classes of 9 items each, 36 items in all', () => {
    expect(catalog.classes.map((catalogClass) => catalogClass.code)).toEqual(['01', '02', '03', '04']);
    expect(catalog.classes.map((catalogClass) => catalogClass.items.length)).toEqual([9, 9, 9, 9]);
    expect(catalog.allItems()).toHaveLength(36);
  });

  it('names each class and its default department', () => {
    expect(catalog.classes.map(({ code, name, defaultDepartment }) => ({ code, name, defaultDepartment }))).toEqual([
      { code: '01', name: '城市管理与市容环境', defaultDepartment: 'urban-management' },
      { code: '02', name: expect.any(String), defaultDepartment: 'emergency-management' },
      { code: '03', name: expect.any(String), defaultDepartment: 'justice' },
      { code: '04', name: expect.any(String), defaultDepartment: 'civil-affairs' },
    ]);
  });

  it('looks up an item with its class, department, severity, limit and closing condition', () => {
    expect(catalog.item('01-01')).toEqual({
      code: '01-01',
      classCode: '01',
      name: '排水口或下水道堵塞',
      nameEn: 'Drain outlet or sewer blocked',
      department: 'urban-management',
      severity: 4,
      handlingLimit: { workingDays: 1 },
      closedWhen: 'Water drains freely; photo of the cleared outlet',
    });
    expect(catalog.item('01-03')).toMatchObject({
      classCode: '01',
      department: 'housing-construction',
      severity: 3,
      handlingLimit: { workingDays: 3 },
    });
    expect(catalog.item('01-04')?.handlingLimit).toEqual({ workingHours: 4 });
  });

  it('returns undefined for an unknown code', () => {
    expect(catalog.item('99-99')).toBeUndefined();
    expect(catalog.item('01')).toBeUndefined();
  });

  it('turns a null limit into undefined (the severity default applies)', () => {
    const withoutLimit = catalog.allItems().filter((item) => item.handlingLimit === undefined);
    expect(withoutLimit.map((item) => item.code).sort()).toEqual(['02-02', '02-03', '02-04', '02-09', '03-06', '04-09']);
    expect(catalog.allItems().some((item) => item.handlingLimit === null)).toBe(false);
  });

  it('every item code is unique and starts with its class code', () => {
    const codes = catalog.allItems().map((item) => item.code);
    expect(new Set(codes).size).toBe(36);
    for (const item of catalog.allItems()) expect(item.code).toMatch(new RegExp(`^${item.classCode}-\\d{2}$`));
  });

  it('every item has a severity 1–4 and a department the unit directory knows', () => {
    const directory = sampleDirectory();
    for (const item of catalog.allItems()) {
      expect([1, 2, 3, 4]).toContain(item.severity);
      expect(directory.department(item.department)).toBeDefined();
    }
  });

  it('gives each call its own catalog (no shared mutable state)', () => {
    expect(sampleCatalog()).not.toBe(catalog);
    expect(sampleCatalog().allItems()).toEqual(catalog.allItems());
  });
});

describe('new Catalog(file)', () => {
  it('gives an item without a department its class’s default department', () => {
    const custom = new Catalog(fileWith({ code: '01', defaultDepartment: 'water-affairs', items: [fileItem()] }));
    expect(custom.item('01-01')?.department).toBe('water-affairs');
  });

  it('keeps an item’s own department over the class default', () => {
    const custom = new Catalog(fileWith({ code: '01', defaultDepartment: 'water-affairs', items: [fileItem({ department: 'health' })] }));
    expect(custom.item('01-01')?.department).toBe('health');
  });

  it('maps null and missing limits to undefined, and keeps a given limit', () => {
    const custom = new Catalog(
      fileWith({
        code: '01',
        items: [
          fileItem({ code: '01-01', handlingLimit: null }),
          fileItem({ code: '01-02' }),
          fileItem({ code: '01-03', handlingLimit: { workingHours: 5 } }),
        ],
      }),
    );
    expect(custom.item('01-01')?.handlingLimit).toBeUndefined();
    expect(custom.item('01-02')?.handlingLimit).toBeUndefined();
    expect(custom.item('01-03')?.handlingLimit).toEqual({ workingHours: 5 });
  });

  it('refuses a code that appears twice in one class', () => {
    expect(() => new Catalog(fileWith({ code: '01', items: [fileItem(), fileItem()] }))).toThrow('Catalog item 01-01 appears twice');
  });

  it('refuses an item listed under a class its code does not belong to', () => {
    expect(() => new Catalog(fileWith({ code: '01', items: [fileItem()] }, { code: '02', items: [fileItem()] }))).toThrow(
      'Catalog item 01-01 is listed under class 02',
    );
  });

  it('refuses a class code that appears twice', () => {
    expect(() => new Catalog(fileWith({ code: '01', items: [fileItem()] }, { code: '01', items: [fileItem({ code: '01-02' })] }))).toThrow(
      'Catalog class 01 appears twice',
    );
  });

  it.each([{}, { workingDays: 0 }, { workingDays: -1 }, { weeks: 1 }, { workingDays: 1, workingHours: 2 }])(
    'refuses the handling limit %p',
    (handlingLimit) => {
      expect(() => new Catalog(fileWith({ code: '01', items: [fileItem({ handlingLimit: handlingLimit as never })] }))).toThrow(
        /handlingLimit must be one of/,
      );
    },
  );

  it.each([0, 5, 2.5, -1, Number.NaN])('refuses severity %p', (severity) => {
    expect(() => new Catalog(fileWith({ code: '01', items: [fileItem({ severity })] }))).toThrow(
      'Catalog item 01-01: severity must be 1–4',
    );
  });

  it('refuses a severity given as a string', () => {
    expect(() => new Catalog(fileWith({ code: '01', items: [fileItem({ severity: '2' as unknown as number })] }))).toThrow(
      /severity must be 1–4/,
    );
  });
});
