/**
 * The catalog of matters: 4 major classes (大类), 36 items (小项). Data, not code: a deployment can
 * replace it with its own file of the same shape.
 */
import type { Severity } from './types';
import type { TimeLimit } from './calendar';

export interface CatalogItem {
  code: string;
  classCode: string;
  name: string;
  nameEn: string;
  department: string;
  severity: Severity;
  /** The item's own handling limit; overrides the severity default at the tier the case starts on. */
  handlingLimit?: TimeLimit;
  closedWhen: string;
}

export interface CatalogClass {
  code: string;
  name: string;
  nameEn: string;
  defaultDepartment: string;
  items: CatalogItem[];
}

export interface CatalogFile {
  classes: {
    code: string;
    name: string;
    nameEn: string;
    defaultDepartment: string;
    items: {
      code: string;
      name: string;
      nameEn: string;
      department?: string;
      severity: number;
      handlingLimit?: TimeLimit | null;
      closedWhen: string;
    }[];
  }[];
}

export class Catalog {
  readonly classes: CatalogClass[];
  private readonly items = new Map<string, CatalogItem>();

  constructor(file: CatalogFile) {
    this.classes = file.classes.map((catalogClass) => ({
      code: catalogClass.code,
      name: catalogClass.name,
      nameEn: catalogClass.nameEn,
      defaultDepartment: catalogClass.defaultDepartment,
      items: catalogClass.items.map((item) => {
        if (![1, 2, 3, 4].includes(item.severity)) throw new Error(`Catalog item ${item.code}: severity must be 1–4`);
        if (!item.code.startsWith(`${catalogClass.code}-`))
          throw new Error(`Catalog item ${item.code} is listed under class ${catalogClass.code}`);
        if (item.handlingLimit) checkLimit(item.code, item.handlingLimit);
        return {
          code: item.code,
          classCode: catalogClass.code,
          name: item.name,
          nameEn: item.nameEn,
          department: item.department ?? catalogClass.defaultDepartment,
          severity: item.severity as Severity,
          handlingLimit: item.handlingLimit ?? undefined,
          closedWhen: item.closedWhen,
        };
      }),
    }));
    const classCodes = this.classes.map((catalogClass) => catalogClass.code);
    const repeated = classCodes.find((code, index) => classCodes.indexOf(code) !== index);
    if (repeated) throw new Error(`Catalog class ${repeated} appears twice`);
    for (const item of this.classes.flatMap((catalogClass) => catalogClass.items)) {
      if (this.items.has(item.code)) throw new Error(`Catalog item ${item.code} appears twice`);
      this.items.set(item.code, item);
    }
  }

  item(code: string): CatalogItem | undefined {
    return this.items.get(code);
  }

  allItems(): CatalogItem[] {
    return [...this.items.values()];
  }
}

const LIMIT_UNITS = ['workingDays', 'workingHours', 'calendarHours', 'calendarMinutes'];

/** A limit is one positive amount of one unit; a bad one would otherwise fail only when a case is routed. */
function checkLimit(code: string, limit: object) {
  const entries = Object.entries(limit);
  const [unit, amount] = entries[0] ?? [];
  if (entries.length !== 1 || !LIMIT_UNITS.includes(unit) || typeof amount !== 'number' || !(amount > 0)) {
    throw new Error(`Catalog item ${code}: handlingLimit must be one of ${LIMIT_UNITS.join(', ')} with a positive number`);
  }
}
