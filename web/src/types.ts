/** What the API replies, as the app reads it (the domain's own types: type-only, nothing of the domain is bundled). */
import type { ActionName } from '../../shared/domain/actions';
import type { Case, Role, TimelineEntry } from '../../shared/domain/types';

export type { ActionName, Role };

/** A case as GET /events and GET /events/{id} show it. */
export type CaseView = Omit<Case, 'version' | 'needsAcceptance' | 'involvedDepartments'> & {
  /** `aboutDeadline`: the entry belongs to the deadline's history (the API decides which: one rule, in the domain). */
  timeline?: (Omit<TimelineEntry, 'eventId'> & { aboutDeadline?: true })[];
  timelineCursor?: string;
  allowedActions?: ActionName[];
};

export interface CasePage {
  items: CaseView[];
  nextCursor?: string;
}

export interface Health {
  mode: 'local' | 'aws';
  time: string;
  timeScale: number;
}

export interface CatalogItem {
  code: string;
  name: string;
  nameEn: string;
}

export interface Catalog {
  classes: { code: string; name: string; nameEn: string; items: CatalogItem[] }[];
  departments: { code: string; name: string; nameEn: string }[];
}

export interface UnitEntry {
  code: string;
  name: string;
  nameEn: string;
  level: 'district' | 'town' | 'community' | 'grid';
  parent?: string;
}

export interface RosterEntry {
  id: string;
  name: string;
  role: Role;
  title?: string;
  head?: boolean;
  unit: string;
  unitName: string;
  unitNameEn: string;
  department?: string;
  departmentName?: string;
  departmentNameEn?: string;
}
