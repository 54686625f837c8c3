/** Settings of local mode, from the environment (the README lists them). */
import { parseLocal } from '../shared/domain/calendar';

export interface LocalSettings {
  port: number;
  dataDir: string;
  timeScale: number;
  dynamoDbPort?: number;
  clockStart?: Date;
}

export function localSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
    return value;
  };
  return {
    port: number('PORT', 3000),
    dataDir: env.GRIDFLOW_DATA_DIR || './.gridflow',
    timeScale: number('GRIDFLOW_TIME_SCALE', 1) || 1,
    dynamoDbPort: env.GRIDFLOW_DYNAMODB_PORT ? number('GRIDFLOW_DYNAMODB_PORT', 0) : undefined,
    clockStart: env.GRIDFLOW_CLOCK_START ? parseLocal(env.GRIDFLOW_CLOCK_START) : undefined,
  };
}
