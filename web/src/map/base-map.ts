/**
 * The base map's tile address, when the deployment has one: `tileUrl` of `config.json` (the cloud stack writes it
 * from the `tileUrl` context; locally `npm start` serves it from GRIDFLOW_TILE_URL). An XYZ template in Web
 * Mercator with `{z}`, `{x}`, `{y}` and optionally `{s}` — e.g. Tianditu's `vec_w` layer with the district's key.
 * Without one the polygons are the map.
 */
let asked: Promise<string | undefined> | undefined;

export function baseMapTemplate(): Promise<string | undefined> {
  asked ??= fetch('/config.json', { headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? (response.json() as Promise<{ tileUrl?: unknown }>) : {}))
    .then(({ tileUrl }: { tileUrl?: unknown }) =>
      typeof tileUrl === 'string' && /^https?:\/\/[^\s]+\{z\}/.test(tileUrl) && tileUrl.includes('{x}') && tileUrl.includes('{y}')
        ? tileUrl
        : undefined,
    )
    .catch(() => undefined);
  return asked;
}
