/**
 * Views of the unit directory: GET /units (public: names and the tree, for pickers and labels) and GET /boundaries
 * (signed in: the outlines of the units a caller may see, for the map).
 */
import { canSeeUnit, type Caller } from '../domain/caller';
import { badRequest, forbidden, notFound, unprocessable } from '../domain/errors';
import type { Boundary } from '../domain/boundaries';
import { outlineOf } from '../domain/boundary-outlines';
import { mayDo } from '../domain/operations';
import { isWithin } from '../domain/unit-codes';
import type { Unit, UnitDirectory } from '../domain/units';
import type { UnitLevel } from '../domain/types';

export interface UnitView {
  code: string;
  name: string;
  nameEn: string;
  level: UnitLevel;
  parent: string | null;
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
  return { code: unit.code, name: unit.name, nameEn: unit.nameEn, level: unit.level, parent: unit.parent ?? null };
}

/** GET /boundaries: a GeoJSON FeatureCollection of a unit and the units below it that have a boundary, by code. */
export interface UnitBoundaries {
  type: 'FeatureCollection';
  unit: string;
  features: {
    type: 'Feature';
    properties: { code: string; name: string; level: UnitLevel; parent: string | null };
    geometry: Boundary;
  }[];
}

/** The outlines (boundary-outlines.ts) of `unit` (the caller's, when they have one) and every unit below it. */
export function boundariesUnder(directory: UnitDirectory, caller: Caller, query: { unit?: string }): UnitBoundaries {
  if (!mayDo(caller.role, 'see_boundaries')) throw forbidden(`A ${caller.role} may not see the units' boundaries`);
  const unit = query.unit ?? onlyUnit(caller);
  if (!canSeeUnit(caller, unit)) throw forbidden(`Unit ${unit} is outside your units`);
  if (!directory.unit(unit))
    throw unprocessable(`unit ${unit} is not a unit of this district`, [{ field: 'unit', message: 'unknown unit code' }]);
  const features = directory
    .allUnits()
    .filter((each) => each.boundary && isWithin(each.code, unit))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((each) => ({
      type: 'Feature' as const,
      properties: { code: each.code, name: each.name, level: each.level, parent: each.parent ?? null },
      geometry: outlineOf(each.boundary as Boundary),
    }));
  return { type: 'FeatureCollection', unit, features };
}

function onlyUnit(caller: Caller): string {
  if (caller.units.length === 1) return caller.units[0];
  throw badRequest('unit is required when your token covers several units', [{ field: 'unit', message: 'required' }]);
}
