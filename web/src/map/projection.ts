/**
 * Web Mercator, as XYZ tile servers cut the world (EPSG:3857): a longitude and latitude become a point of the world
 * square at zoom 0 (256 × 256 units), so a base map's tiles and the polygons share one coordinate system and one
 * SVG viewBox. A district is a few tens of kilometres: no clipping or resampling is needed, and the rings are drawn
 * as they are (planar, in either winding — a spherical projection would read RFC 7946's counter-clockwise rings as
 * the whole globe less the polygon).
 */

export const WORLD = 256;
const MAX_LATITUDE = 85.05112878;

export type Point = [x: number, y: number];

export function project(lng: number, lat: number): Point {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return [((lng + 180) / 360) * WORLD, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * WORLD];
}

/** A box in world units: x grows east, y grows south. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Ring = number[][];
export type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

function ringsOf(geometry: Geometry): Ring[] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/**
 * Where a map's drawing is placed: world units less `x`, `y`, times `scale`, so that what is drawn is about 1,000
 * units across. (SVG keeps coordinates in single precision: world units, 256 for the globe, would blur a grid's
 * street corners by metres.)
 */
export interface Frame {
  x: number;
  y: number;
  scale: number;
}

export function frameOf(box: Box): Frame {
  return { x: box.x, y: box.y, scale: 1000 / Math.max(box.width, box.height, 1e-9) };
}

export function toLocal(frame: Frame, lng: number, lat: number): Point {
  const [x, y] = project(lng, lat);
  return [(x - frame.x) * frame.scale, (y - frame.y) * frame.scale];
}

/** An SVG path of the geometry in the frame's units (holes cut by the even-odd rule). */
export function pathOf(geometry: Geometry, frame: Frame): string {
  return ringsOf(geometry)
    .map(
      (ring) =>
        `M${ring
          .map(([lng, lat]) => {
            const [x, y] = toLocal(frame, lng, lat);
            return `${x.toFixed(2)},${y.toFixed(2)}`;
          })
          .join('L')}Z`,
    )
    .join('');
}

/** The box around the geometries, or undefined for none. */
export function boxOf(geometries: Geometry[]): Box | undefined {
  let [west, north, east, south] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const geometry of geometries)
    for (const ring of ringsOf(geometry))
      for (const [lng, lat] of ring) {
        const [x, y] = project(lng, lat);
        west = Math.min(west, x);
        east = Math.max(east, x);
        north = Math.min(north, y);
        south = Math.max(south, y);
      }
  return west <= east ? { x: west, y: north, width: east - west, height: south - north } : undefined;
}

/** The box grown by `share` of its size on every side, and to the aspect of a `width` × `height` frame. */
export function framed(box: Box, width: number, height: number, share = 0.04): Box {
  const padded = {
    x: box.x - box.width * share,
    y: box.y - box.height * share,
    width: box.width * (1 + 2 * share),
    height: box.height * (1 + 2 * share),
  };
  const aspect = width / height;
  if (padded.width / padded.height > aspect) {
    const tall = padded.width / aspect;
    return { ...padded, y: padded.y - (tall - padded.height) / 2, height: tall };
  }
  const wide = padded.height * aspect;
  return { ...padded, x: padded.x - (wide - padded.width) / 2, width: wide };
}

/** The box zoomed by `factor` (> 1 closer) about a point of it. */
export function zoomed(box: Box, factor: number, [x, y]: Point): Box {
  const width = box.width / factor;
  const height = box.height / factor;
  return { x: x - ((x - box.x) / box.width) * width, y: y - ((y - box.y) / box.height) * height, width, height };
}

/**
 * The XYZ tiles that cover a view (in the frame's units) seen `pixels` wide: at the zoom whose tiles are about 256
 * pixels on screen, each with its place in the frame's units. None past 64 tiles (a base map is then left out).
 */
export function tilesFor(view: Box, frame: Frame, pixels: number): { z: number; x: number; y: number; at: Box }[] {
  const world = {
    x: view.x / frame.scale + frame.x,
    y: view.y / frame.scale + frame.y,
    width: view.width / frame.scale,
    height: view.height / frame.scale,
  };
  const z = Math.max(0, Math.min(19, Math.round(Math.log2((pixels / world.width) * (WORLD / 256)))));
  const count = 2 ** z;
  const size = WORLD / count;
  const first = (value: number) => Math.max(0, Math.floor(value / size));
  const last = (value: number) => Math.min(count - 1, Math.floor(value / size));
  const tiles: { z: number; x: number; y: number; at: Box }[] = [];
  for (let y = first(world.y); y <= last(world.y + world.height); y++)
    for (let x = first(world.x); x <= last(world.x + world.width); x++)
      tiles.push({
        z,
        x,
        y,
        at: {
          x: (x * size - frame.x) * frame.scale,
          y: (y * size - frame.y) * frame.scale,
          width: size * frame.scale,
          height: size * frame.scale,
        },
      });
  return tiles.length <= 64 ? tiles : [];
}

/** A tile's address from a template with `{z}`, `{x}`, `{y}` and optionally `{s}` (a subdomain of `subdomains`). */
export function tileUrl(template: string, tile: { z: number; x: number; y: number }, subdomains = '01234567'): string {
  const subdomain = subdomains[(tile.x + tile.y) % subdomains.length] ?? '';
  return template
    .replaceAll('{z}', String(tile.z))
    .replaceAll('{x}', String(tile.x))
    .replaceAll('{y}', String(tile.y))
    .replaceAll('{s}', subdomain);
}
