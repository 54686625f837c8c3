/** How a reference document is addressed and packed, the same for every store: SHA-256 of its JSON text, gzipped. */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface PackedDocument {
  hash: string;
  packed: Buffer;
  /** The JSON text's size in bytes (UTF-8). */
  bytes: number;
}

export function packDocument(document: unknown): PackedDocument {
  const text = JSON.stringify(document);
  return { hash: createHash('sha256').update(text).digest('hex'), packed: gzipSync(text), bytes: Buffer.byteLength(text, 'utf8') };
}

export function unpackDocument(packed: Buffer): unknown {
  return JSON.parse(gunzipSync(packed).toString('utf8'));
}
