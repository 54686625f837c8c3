/** The district's catalog and units (public routes), read once a page: names for codes. */
import { useEffect, useState } from 'react';
import { api } from './api';
import type { Catalog, UnitEntry } from './types';

export interface Reference {
  itemName(code: string): string;
  unitName(code: string): string;
  departmentName(code: string): string;
  units: UnitEntry[];
  classes: Catalog['classes'];
  departments: Catalog['departments'];
}

const EMPTY: Reference = {
  itemName: (code) => code,
  unitName: (code) => code,
  departmentName: (code) => code,
  units: [],
  classes: [],
  departments: [],
};

export function useReference(): Reference {
  const [reference, setReference] = useState<Reference>(EMPTY);
  useEffect(() => {
    let live = true;
    Promise.all([api<Catalog>('/catalog'), api<{ items: UnitEntry[] }>('/units')])
      .then(([catalog, units]) => {
        if (!live) return;
        const items = new Map(catalog.classes.flatMap((entry) => entry.items).map((item) => [item.code, item]));
        const byCode = new Map(units.items.map((unit) => [unit.code, unit]));
        const departments = new Map((catalog.departments ?? []).map((department) => [department.code, department]));
        setReference({
          itemName: (code) => items.get(code)?.name ?? code,
          unitName: (code) => byCode.get(code)?.name ?? code,
          departmentName: (code) => departments.get(code)?.name ?? code,
          units: units.items,
          classes: catalog.classes,
          departments: catalog.departments ?? [],
        });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return reference;
}
