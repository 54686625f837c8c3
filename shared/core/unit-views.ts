/** Views of the unit directory for GET /units. */
import { notFound } from '../domain/errors';
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
    .map((unit) => ({ code: unit.code, name: unit.name, nameEn: unit.nameEn, level: unit.level, parent: unit.parent ?? null }));
}

export function unitTree(directory: UnitDirectory, rootCode?: string): UnitTreeNode[] {
  const build = (unit: Unit): UnitTreeNode => {
    return {
      code: unit.code,
      name: unit.name,
      nameEn: unit.nameEn,
      level: unit.level,
      parent: unit.parent ?? null,
      children: directory.children(unit.code).map(build),
    };
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
