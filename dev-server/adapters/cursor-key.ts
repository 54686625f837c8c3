/**
 * Local mode's CURSOR_KEY (which signs page cursors; in the cloud, infra/ gives every function the same one): made
 * once per data folder, written whole or not at all, and kept, so cursors handed out before a restart still page.
 * Without a data folder, a random key for this run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_CURSOR_KEY_LENGTH } from '../../shared/adapters/dynamodb/cursors';
import { writeFileAtomic } from '../durable-files';

export const CURSOR_KEY_FILE = 'cursor-key';

export function localCursorKey(dataDir: string | undefined): string {
  const made = () => randomBytes(32).toString('hex');
  if (!dataDir) return made();
  const path = join(dataDir, CURSOR_KEY_FILE);
  if (!existsSync(path)) {
    try {
      // Exclusive: when two starts make it at the same moment, the first one's key stays.
      writeFileAtomic(path, `${made()}\n`, { mode: 0o600, exclusive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < MIN_CURSOR_KEY_LENGTH)
    throw new Error(`${path} holds no cursor key of ${MIN_CURSOR_KEY_LENGTH}+ characters: delete it to have a new one made`);
  return key;
}
