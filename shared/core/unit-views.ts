/** Views of the unit directory for GET /units. */
import { notFound } from '../domain/errors';
import type { Boundary } from '../domain/boundaries';
import type { Unit, UnitDirectory } from '../domain/units';
import type { UnitLevel } from '../domain/types';

export interface UnitView {
  code: string;
  name: string;
  nameEn: string;
  level: UnitLevel;
  parent: string | null;
  /** Where the unit is (GeoJSON Polygon or MultiPolygon, WGS84), when the reference documents give it. */
  boundary?: Boundary;
}

export interface UnitTreeNode extends UnitView {
  children: UnitTreeNode[];
}

export function unitList(directory: UnitDirectory, filter: { parent?: string; level?: UnitLevel; under?: string }): UnitView[] {
  return directory
    .allUnits()
    .filter((unit) => (filter.parent ? unit.parent === filter.parent : true))
    .filter((unit) => (filter.level ? unit.level === filter.level : true))
    .filter((unit) => (filter.under ? unit.code.startsWith(filter.under) : true))
    .map(unitView);
}

export function unitTree(directory: UnitDirectory, rootCode?: string): UnitTreeNode[] {
  const build = (unit: Unit): UnitTreeNode => {
    return { ...unitView(unit), children: directory.children(unit.code).map(build) };
  };
  if (rootCode) {
    const root = directory.unit(rootCode);
    if (!root) throw notFound(`Unit ${rootCode} does not exist`);
    return [build(root)];
  }
  return directory
    .allUnits()
    .filter((unit) => unit.level === 'district')
    .map(build);
}

function unitView(unit: Unit): UnitView {
  return {
    code: unit.code,
    name: unit.name,
    nameEn: unit.nameEn,
    level: unit.level,
    parent: unit.parent ?? null,
    ...(unit.boundary && { boundary: unit.boundary }),
  };
}
