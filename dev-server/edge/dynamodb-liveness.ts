/**
 * Tells a hung DynamoDB Local from a busy one. DynamoDB Local runs transactions one at a time, so in a flood an
 * alive one takes seconds to answer a call; a hung one (stopped, or a JVM that no longer runs) never answers. When
 * a forwarded call has waited `suspectAfterMs`, a probe asks its HTTP server something that needs no data (GET /,
 * on a connection of its own): a busy JVM answers it at once. A probe unanswered within `probeTimeoutMs` makes it
 * unresponsive: every call waiting is let go (the forwarder answers 503) and new ones are refused at once, until
 * a probe is answered again.
 */
import { request as httpRequest } from 'node:http';

export class Unresponsive extends Error {
  override name = 'Unresponsive';
}

export interface DynamoDbLiveness {
  /** True from a failed probe until one is answered again. */
  readonly unresponsive: boolean;
  /** `call`'s outcome, or Unresponsive as soon as DynamoDB Local is found hung while it waits. */
  watch<T>(call: Promise<T>): Promise<T>;
  stop(): void;
}

export function dynamoDbLiveness(
  endpoint: string,
  { suspectAfterMs = 2000, probeTimeoutMs = 2000, checkEveryMs = 250 } = {},
): DynamoDbLiveness {
  const target = new URL(endpoint);
  const waiting = new Set<{ since: number; giveUp: (error: Unresponsive) => void }>();
  let unresponsive = false;
  let probing = false;
  let timer: NodeJS.Timeout | undefined;

  const probe = () =>
    new Promise<boolean>((resolve) => {
      const outgoing = httpRequest({ host: target.hostname, port: target.port, path: '/', method: 'GET', agent: false }, (reply) => {
        reply.resume();
        resolve(true);
      });
      outgoing.setTimeout(probeTimeoutMs, () => outgoing.destroy());
      outgoing.once('error', () => resolve(false));
      outgoing.end();
    });

  const check = async () => {
    if (probing) return;
    const now = Date.now();
    const suspect = unresponsive || [...waiting].some((each) => now - each.since >= suspectAfterMs);
    if (!suspect) {
      if (waiting.size === 0) stopChecking();
      return;
    }
    probing = true;
    const answered = await probe();
    probing = false;
    unresponsive = !answered;
    if (unresponsive) {
      const error = new Unresponsive(`DynamoDB Local has not answered a probe within ${probeTimeoutMs} ms`);
      for (const each of waiting) each.giveUp(error);
      waiting.clear();
    } else if (waiting.size === 0) stopChecking();
  };
  const startChecking = () => {
    timer ??= setInterval(() => void check(), checkEveryMs);
    timer.unref();
  };
  const stopChecking = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    get unresponsive() {
      if (unresponsive) startChecking(); // keeps probing until it answers
      return unresponsive;
    },
    watch<T>(call: Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        const entry = { since: Date.now(), giveUp: reject };
        waiting.add(entry);
        startChecking();
        call.then(resolve, reject).finally(() => waiting.delete(entry));
      });
    },
    stop: stopChecking,
  };
}
