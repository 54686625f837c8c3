/**
 * The platform's policy time, which the deadlines are on: GET /health gives it with its scale (local mode may run a
 * sped-up or started-elsewhere clock), and the page carries it forward between readings.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { Health } from './types';

export interface PolicyClock {
  /** Policy time now, in ms since the epoch. */
  now(): number;
}

export const WALL_CLOCK: PolicyClock = { now: () => Date.now() };

export function policyClockOf(health: Health, readAt = Date.now()): PolicyClock {
  const base = Date.parse(health.time);
  const scale = health.timeScale || 1;
  return { now: () => base + (Date.now() - readAt) * scale };
}

export const ClockContext = createContext<PolicyClock>(WALL_CLOCK);

/** Policy time, updated every `everyMs` (the countdowns tick with it). */
export function useNow(everyMs = 1000): number {
  const clock = useContext(ClockContext);
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    setNow(clock.now());
    const timer = setInterval(() => setNow(clock.now()), everyMs);
    return () => clearInterval(timer);
  }, [clock, everyMs]);
  return now;
}

/** A span as days, hours, minutes (seconds under an hour): 2天3时 2d 3h. */
export function span(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** A moment in Beijing time, as the district reads it: 11-23 09:05. */
export function beijing(iso: string | undefined, withYear = false): string {
  if (!iso) return '—';
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    ...(withYear && { year: 'numeric' }),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((each) => each.type === type)?.value ?? '';
  return `${withYear ? `${part('year')}-` : ''}${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
