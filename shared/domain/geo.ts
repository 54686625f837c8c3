/** Distances on the ground, for "the same spot" (likely duplicates within 100 m). */
import type { GeoLocation } from './types';

const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance in metres (haversine); good to a fraction of a metre at these distances. */
export function distanceMeters(a: Pick<GeoLocation, 'lat' | 'lng'>, b: Pick<GeoLocation, 'lat' | 'lng'>): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
