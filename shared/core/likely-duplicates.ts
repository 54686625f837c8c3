/**
 * Flood night: reports of the same item within the policy's radius (100 m) and window (6 h) of an open
 * case are offered as likely duplicates; a handler links them when they are (link_duplicate).
 */
import { toLocalIso } from '../domain/calendar';
import { distanceMeters } from '../domain/geo';
import { nearbyCells } from '../domain/geohash';
import type { GeoLocation } from '../domain/types';
import type { CoreDependencies } from './dependencies';

export interface LikelyDuplicate {
  id: string;
  distanceMeters: number;
  createdAt: string;
}

export async function likelyDuplicates(
  deps: Pick<CoreDependencies, 'caseLists' | 'policy'>,
  report: { itemCode: string; gridCode: string; location?: GeoLocation },
  now: Date,
): Promise<LikelyDuplicate[]> {
  const { location } = report;
  if (!location) return [];
  const since = toLocalIso(new Date(now.getTime() - deps.policy.duplicateWindowHours * 3600_000));
  // Only the cells around the place (about a square kilometre each), wherever the street boundaries run:
  // the query stays small on a flood night, when a street has hundreds of reports of the same item.
  const cells = nearbyCells(location.lat, location.lng, deps.policy.duplicateRadiusMeters);
  const candidates = await deps.caseLists.recentOpenOfItemNear(report.itemCode, cells, since);
  return candidates
    .flatMap((theCase) =>
      theCase.location && !theCase.duplicateOf
        ? [{ id: theCase.id, distanceMeters: Math.round(distanceMeters(location, theCase.location)), createdAt: theCase.createdAt }]
        : [],
    )
    .filter((candidate) => candidate.distanceMeters <= deps.policy.duplicateRadiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters)
    .slice(0, 10);
}
