/** The units a page may be asked about (the caller's, and those above grids below them), and the picker of one. */
import { useMemo } from 'react';
import type { Reference } from './reference';
import type { Session } from './session';
import type { UnitEntry } from './types';

export function useUnitsInScope(reference: Reference, session: Session): UnitEntry[] {
  return useMemo(
    () => reference.units.filter((each) => each.level !== 'grid' && session.units.some((scope) => each.code.startsWith(scope))),
    [reference.units, session.units],
  );
}

export function UnitPicker({ units, unit, onChange }: { units: UnitEntry[]; unit: string; onChange: (unit: string) => void }) {
  return (
    <label>
      单位 Unit
      <select name="unit" value={unit} onChange={(change) => onChange(change.target.value)}>
        {units.map((each) => (
          <option key={each.code} value={each.code}>
            {each.name} {each.nameEn}
          </option>
        ))}
      </select>
    </label>
  );
}
