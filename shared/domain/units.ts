/**
 * The unit tree (district → town/street → community → grid), the departments and the duty roster.
 * Grid codes follow GB/T 30428.1: 6-digit division + 3 street + 3 community + 3 sequence = 15 digits.
 */
import type { Boundary } from './boundaries';
import type { Role, UnitLevel } from './types';
import { STATION_ROLES } from './operations';
import { levelOfCode, UNIT_CODE_LENGTH, unitCodeAt } from './unit-codes';

export interface Unit {
  code: string;
  name: string;
  nameEn: string;
  level: UnitLevel;
  parent?: string;
  /** Where the unit is: a GeoJSON Polygon or MultiPolygon in WGS84 (grids have one; others may). */
  boundary?: Boundary;
}

export interface Department {
  code: string;
  name: string;
  nameEn: string;
}

export interface Person {
  id: string;
  name: string;
  role: Role;
  unit: string;
  phone: string;
  department?: string;
  /** Heads get supervisory SMS (督办) for their unit or department. */
  head?: boolean;
  title?: string;
}

export interface UnitNode {
  code: string;
  name: string;
  nameEn: string;
  level: string;
  boundary?: Boundary;
  children?: UnitNode[];
}

export interface DirectoryData {
  units: UnitNode;
  departments: Department[];
  people: Person[];
}

export class UnitDirectory {
  private readonly units = new Map<string, Unit>();
  private readonly departments = new Map<string, Department>();
  private readonly people: Person[];
  // Looked up on every routing and notification: by id and by unit, not by reading the whole roster (3,053 people
  // in a district of 2,434 grids).
  private readonly peopleById = new Map<string, Person>();
  private readonly peopleByUnit = new Map<string, Person[]>();
  private readonly childrenByParent = new Map<string, Unit[]>();

  constructor(data: DirectoryData) {
    const visit = (node: UnitNode, parent?: string) => {
      const level = levelOfCode(node.code);
      if (!level || level !== node.level) {
        throw new Error(
          `Unit ${node.code} (${node.name}): a ${node.level} code must have ${UNIT_CODE_LENGTH[node.level as UnitLevel] ?? '?'} digits`,
        );
      }
      if (parent && !node.code.startsWith(parent)) throw new Error(`Unit ${node.code} does not start with its parent's code ${parent}`);
      if (parent && node.code.length !== parent.length + 3)
        throw new Error(`Unit ${node.code} (${level}) must sit directly below a unit one level up, not below ${parent}`);
      if (this.units.has(node.code)) throw new Error(`Unit ${node.code} appears twice`);
      const unit: Unit = {
        code: node.code,
        name: node.name,
        nameEn: node.nameEn,
        level,
        parent,
        ...(node.boundary && { boundary: node.boundary }),
      };
      this.units.set(node.code, unit);
      if (parent) listAt(this.childrenByParent, parent).push(unit);
      for (const child of node.children ?? []) visit(child, node.code);
    };
    visit(data.units);
    for (const department of data.departments) {
      if (this.departments.has(department.code)) throw new Error(`Department ${department.code} appears twice`);
      this.departments.set(department.code, department);
    }
    this.people = data.people;
    for (const person of data.people) {
      if (!this.peopleById.has(person.id)) this.peopleById.set(person.id, person);
      listAt(this.peopleByUnit, person.unit).push(person);
    }
  }

  private peopleAt(unit: string): Person[] {
    return this.peopleByUnit.get(unit) ?? [];
  }

  unit(code: string): Unit | undefined {
    return this.units.get(code);
  }

  department(code: string): Department | undefined {
    return this.departments.get(code);
  }

  allUnits(): Unit[] {
    return [...this.units.values()];
  }

  allDepartments(): Department[] {
    return [...this.departments.values()];
  }

  /** The district codes: every case of a district lives in that district's index partition. */
  districts(): string[] {
    return this.allUnits()
      .filter((unit) => unit.level === 'district')
      .map((unit) => unit.code);
  }

  isGrid(code: string): boolean {
    return this.units.get(code)?.level === 'grid';
  }

  /** The unit of `level` that contains `code` (a grid's community, town or district). */
  ancestor(code: string, level: UnitLevel): Unit | undefined {
    if (code.length < UNIT_CODE_LENGTH[level]) return undefined;
    return this.units.get(unitCodeAt(code, level));
  }

  children(code: string): Unit[] {
    return [...(this.childrenByParent.get(code) ?? [])];
  }

  /** The whole roster. */
  allPeople(): Person[] {
    return [...this.people];
  }

  person(id: string): Person | undefined {
    return this.peopleById.get(id);
  }

  /** The grid workers of a grid (usually one). */
  gridWorkers(gridCode: string): Person[] {
    return this.peopleAt(gridCode).filter((person) => person.role === 'grid_worker');
  }

  /** The head of a unit's station or center (网格长, center head). */
  unitHead(code: string): Person | undefined {
    return this.peopleAt(code).find((person) => person.head && STATION_ROLES.includes(person.role));
  }

  /** The staff of a unit's station or center, head first (they get the unit's notifications). */
  unitStaff(code: string): Person[] {
    return this.peopleAt(code)
      .filter((person) => STATION_ROLES.includes(person.role))
      .sort((a, b) => Number(Boolean(b.head)) - Number(Boolean(a.head)));
  }

  /** A department's team at a unit: the district bureau at 441302, the street team at 441302010. */
  departmentTeam(department: string, unit: string): Person[] {
    return this.peopleAt(unit)
      .filter((person) => person.role === 'department' && person.department === department)
      .sort((a, b) => Number(Boolean(b.head)) - Number(Boolean(a.head)));
  }

  departmentHead(department: string, unit: string): Person | undefined {
    return this.departmentTeam(department, unit).find((person) => person.head);
  }

  /** The people of a role at a unit (e.g. the district's leaders). */
  peopleWithRole(role: Role, unit: string): Person[] {
    return this.peopleAt(unit).filter((person) => person.role === role);
  }
}

function listAt<T>(lists: Map<string, T[]>, key: string): T[] {
  const list = lists.get(key) ?? [];
  lists.set(key, list);
  return list;
}
