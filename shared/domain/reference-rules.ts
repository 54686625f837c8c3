/**
 * Whether a proposed set of reference documents holds together: the rules a version must keep before it is applied,
 * each once, each problem named by its field path in the documents (`people[12].phone`, `units.children[3].code`).
 * Pure; what needs the store (open cases in a unit to be removed) is the use case's (core/administer-reference.ts).
 */
import { type Boundary, boundaryProblems, OVERLAP_TOLERANCE_M2, overlapSquareMetres } from './boundaries';
import type { FieldProblem } from './errors';
import { MAINLAND_MOBILE } from './phones';
import type { ReferenceDocumentSet } from './reference-documents';
import { ROLES, type Role, type UnitLevel } from './types';
import { levelOfCode, UNIT_CODE_LENGTH } from './unit-codes';
import type { UnitNode } from './units';

/** A unit of the proposed tree with where it sits in the `units` document. */
export interface PlacedUnit {
  node: UnitNode;
  /** `units`, `units.children[3]`, … */
  path: string;
  parent?: string;
}

/** Every unit of a tree, top down, with its field path. */
export function placedUnits(root: UnitNode): PlacedUnit[] {
  const placed: PlacedUnit[] = [];
  const visit = (node: UnitNode, path: string, parent?: string) => {
    placed.push({ node, path, parent });
    for (const [i, child] of (node.children ?? []).entries()) visit(child, `${path}.children[${i}]`, node.code);
  };
  visit(root, 'units');
  return placed;
}

/** Every problem of a proposed document set; none means it may be applied (as far as the documents tell). */
export function referenceProblems(documents: ReferenceDocumentSet): FieldProblem[] {
  const units = placedUnits(documents.units);
  return [
    ...unitTreeProblems(units),
    ...boundaryProblemsOf(units),
    ...peopleProblems(documents, new Set(units.map((unit) => unit.node.code))),
    ...gridWorkerProblems(documents, units),
    ...catalogProblems(documents),
  ];
}

const LEVEL_ABOVE: Record<UnitLevel, UnitLevel | undefined> = {
  district: undefined,
  town: 'district',
  community: 'town',
  grid: 'community',
};

function unitTreeProblems(units: PlacedUnit[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const { node, path, parent } of units) {
    const level = levelOfCode(node.code);
    if (!level || level !== node.level) {
      const length = UNIT_CODE_LENGTH[node.level as UnitLevel];
      problems.push({
        field: `${path}.code`,
        message: `a ${node.level} code has ${length ?? '6, 9, 12 or 15'} digits, not '${node.code}'`,
      });
      continue;
    }
    if (seen.has(node.code)) problems.push({ field: `${path}.code`, message: `unit ${node.code} appears twice` });
    seen.add(node.code);
    if (!parent) {
      if (level !== 'district') problems.push({ field: `${path}.level`, message: 'the top of the tree must be a district' });
      continue;
    }
    if (!node.code.startsWith(parent)) {
      problems.push({ field: `${path}.code`, message: `${node.code} does not extend its parent's code ${parent}` });
      continue;
    }
    const above = LEVEL_ABOVE[level];
    if (!above || levelOfCode(parent) !== above)
      problems.push({
        field: `${path}.code`,
        message: above
          ? `the parent ${above} of ${node.code} (${node.code.slice(0, UNIT_CODE_LENGTH[above])}) is missing: it sits below ${parent}`
          : `a district cannot sit below ${parent}`,
      });
  }
  return problems;
}

function boundaryProblemsOf(units: PlacedUnit[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const wellFormed = new Map<string, { path: string; code: string; boundary: Boundary }[]>();
  for (const { node, path, parent } of units) {
    if (node.boundary === undefined) continue;
    const found = boundaryProblems(node.boundary);
    for (const problem of found) problems.push({ field: `${path}.boundary${problem.at}`, message: problem.message });
    if (found.length > 0) continue;
    const siblings = wellFormed.get(parent ?? '') ?? [];
    for (const sibling of siblings) {
      const overlap = overlapOrProblem(sibling.boundary, node.boundary);
      if (typeof overlap === 'string')
        problems.push({ field: `${path}.boundary`, message: `cannot be laid over ${sibling.code}: ${overlap}` });
      else if (overlap > OVERLAP_TOLERANCE_M2)
        problems.push({
          field: `${path}.boundary`,
          message: `overlaps the boundary of its sibling ${sibling.code} (${sibling.path}) by ${Math.round(overlap)} m²`,
        });
    }
    siblings.push({ path, code: node.code, boundary: node.boundary });
    wellFormed.set(parent ?? '', siblings);
  }
  return problems;
}

/** The overlap in m², or why the geometry could not be intersected (a degenerate ring polygon-clipping refuses). */
function overlapOrProblem(a: Boundary, b: Boundary): number | string {
  try {
    return overlapSquareMetres(a, b);
  } catch (error) {
    return (error as Error).message;
  }
}

function peopleProblems(documents: ReferenceDocumentSet, unitCodes: Set<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const departments = new Set(documents.departments.map((department) => department.code));
  const ids = new Set<string>();
  documents.people.forEach((person, i) => {
    const at = `people[${i}]`;
    if (ids.has(person.id)) problems.push({ field: `${at}.id`, message: `person ${person.id} appears twice` });
    ids.add(person.id);
    if (!ROLES.includes(person.role as Role))
      problems.push({ field: `${at}.role`, message: `role '${person.role}' does not exist (one of ${ROLES.join(', ')})` });
    if (!MAINLAND_MOBILE.test(person.phone.replace(/[\s-]/g, '')))
      problems.push({ field: `${at}.phone`, message: 'must be a mainland mobile number: 11 digits starting with 1, optionally +86' });
    if (!unitCodes.has(person.unit)) problems.push({ field: `${at}.unit`, message: `unit ${person.unit} does not exist` });
    if (person.department !== undefined && !departments.has(person.department))
      problems.push({ field: `${at}.department`, message: `department ${person.department} does not exist` });
  });
  return problems;
}

function gridWorkerProblems(documents: ReferenceDocumentSet, units: PlacedUnit[]): FieldProblem[] {
  const staffed = new Set(documents.people.filter((person) => person.role === 'grid_worker').map((person) => person.unit));
  return units
    .filter(({ node }) => node.level === 'grid' && !staffed.has(node.code))
    .map(({ node, path }) => ({ field: `${path}.code`, message: `grid ${node.code} (${node.name}) has no grid worker` }));
}

/** An item routes to its department's team at the district (a street without a team of it sends it to its center). */
function catalogProblems(documents: ReferenceDocumentSet): FieldProblem[] {
  const district = documents.units.code;
  const departments = new Set(documents.departments.map((department) => department.code));
  const teams = new Set(
    documents.people.filter((person) => person.role === 'department' && person.unit === district).map((person) => person.department),
  );
  const problems: FieldProblem[] = [];
  documents.catalog.classes.forEach((catalogClass, c) => {
    catalogClass.items.forEach((item, i) => {
      const department = item.department ?? catalogClass.defaultDepartment;
      const field =
        item.department === undefined ? `catalog.classes[${c}].defaultDepartment` : `catalog.classes[${c}].items[${i}].department`;
      if (!departments.has(department)) problems.push({ field, message: `item ${item.code}: department ${department} does not exist` });
      else if (!teams.has(department))
        problems.push({ field, message: `item ${item.code} routes to ${department}, which has no team at the district ${district}` });
    });
  });
  return problems;
}
