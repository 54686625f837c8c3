/** The district's catalog and units (public routes), read once a page: names for codes. */
import { useEffect, useState } from 'react';
import { api } from './api';
import type { Catalog, UnitEntry } from './types';

export interface Reference {
  itemName(code: string): string;
  unitName(code: string): string;
  units: UnitEntry[];
  departments: Catalog['departments'];
}

const EMPTY: Reference = { itemName: (code) => code, unitName: (code) => code, units: [], departments: [] };

export function useReference(): Reference {
  const [reference, setReference] = useState<Reference>(EMPTY);
  useEffect(() => {
    let live = true;
    Promise.all([api<Catalog>('/catalog'), api<{ items: UnitEntry[] }>('/units')])
      .then(([catalog, units]) => {
        if (!live) return;
        const items = new Map(catalog.classes.flatMap((entry) => entry.items).map((item) => [item.code, item]));
        const byCode = new Map(units.items.map((unit) => [unit.code, unit]));
        setReference({
          itemName: (code) => items.get(code)?.name ?? code,
          unitName: (code) => byCode.get(code)?.name ?? code,
          units: units.items,
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
