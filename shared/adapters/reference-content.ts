/** How a reference document is addressed and packed, the same for every store: SHA-256 of its JSON text, gzipped. */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface PackedDocument {
  hash: string;
  packed: Buffer;
}

export function packDocument(document: unknown): PackedDocument {
  const text = JSON.stringify(document);
  return { hash: createHash('sha256').update(text).digest('hex'), packed: gzipSync(text) };
}

export function unpackDocument(packed: Buffer): unknown {
  return JSON.parse(gunzipSync(packed).toString('utf8'));
}
