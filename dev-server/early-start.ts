/**
 * What `npm start` does before it loads the platform: Node takes 1–2 s to load it, and DynamoDB Local's JVM
 * 2–4 s to start, so the JVM is launched first and both go on at once. The data folder is locked before anything
 * touches it, as the platform would. Node built-ins only (and what they import), so that this is quick to load.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DataFolderLock, lockDataFolder } from './data-folder-lock';
import { type LaunchedDynamoDbLocal, launchDynamoDbLocal } from './dynamodb-launch';
import { freePort } from './free-port';

export interface EarlyStart {
  lock: DataFolderLock;
  dynamoDbPort: number;
  dynamoDb: Promise<LaunchedDynamoDbLocal>;
}

export async function startEarly(options: { dataDir: string; dynamoDbPort?: number; log: (line: string) => void }): Promise<EarlyStart> {
  const { dataDir, log } = options;
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir, log);
  try {
    const dynamoDbPort = options.dynamoDbPort ?? (await freePort());
    const dynamoDb = launchDynamoDbLocal({ port: dynamoDbPort, dataDir: join(dataDir, 'dynamodb'), log });
    // Awaited by the platform; a failure meanwhile is its to report, not an unhandled rejection here.
    dynamoDb.catch(() => {});
    return { lock, dynamoDbPort, dynamoDb };
  } catch (error) {
    lock.release();
    throw error;
  }
}
