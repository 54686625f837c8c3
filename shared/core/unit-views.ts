/** Views of the unit directory for GET /units. */
import { notFound } from '../domain/errors';
import type { UnitDirectory } from '../domain/units';
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
  const build = (code: string): UnitTreeNode => {
    const unit = directory.unit(code)!;
    return {
      code,
      name: unit.name,
      nameEn: unit.nameEn,
      level: unit.level,
      parent: unit.parent ?? null,
      children: directory.children(code).map((child) => build(child.code)),
    };
  };
  if (rootCode) {
    if (!directory.unit(rootCode)) throw notFound(`Unit ${rootCode} does not exist`);
    return [build(rootCode)];
  }
  return directory.districts().map(build);
}
