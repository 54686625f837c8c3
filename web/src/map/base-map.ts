/**
 * The base map's tile address, when the deployment has one: `tileUrl` of `config.json` (read with the rest of it
 * before the app starts, config.ts; the cloud stack writes it from the `tileUrl` context; locally `npm start` serves it
 * from GRIDFLOW_TILE_URL). An XYZ template in Web Mercator with `{z}`, `{x}`, `{y}` and optionally `{s}` — e.g.
 * Tianditu's `vec_w` layer with the district's key. Without one the polygons are the map.
 */
import { siteConfig } from '../config';

export function baseMapTemplate(): Promise<string | undefined> {
  return Promise.resolve(siteConfig().tileUrl);
}
