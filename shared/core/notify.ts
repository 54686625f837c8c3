/**
 * Sending SMS for an event. A failed send is retried; if it keeps failing it is recorded on the case's
 * timeline (and counted) so operators see it — never silently dropped.
 */
import { renderMessage, type TemplateName } from '../domain/messages';
import type { Person } from '../domain/units';
import type { Case } from '../domain/types';
import { withRetries, type RetryPolicy } from '../domain/retry';
import { buildChange, SYSTEM_ACTOR } from './changes';
import type { CoreDependencies } from './dependencies';
import { updateCase } from './update-case';

export interface MessageRequest {
  to: Pick<Person, 'phone' | 'name'>;
  recipientRole: string;
  template: TemplateName;
  params: Record<string, string>;
}

/** A refused SMS is tried twice more, after 200 ms and after 1 s (the provider's throttling passes quickly). */
export const SMS_SEND_RETRY: RetryPolicy = { name: 'sms-send', retries: 2, delayMs: (attempt) => [200, 1000][attempt] ?? 1000 };

/** What sending needs: a failure is recorded on the case. */
export type MessagingDeps = Pick<CoreDependencies, 'notifier' | 'logger' | 'clock' | 'cases'>;

/**
 * Sends each message, retrying. Messages about a case record a final failure on its timeline; others
 * (a report is ready, a patrol is missing, a campaign task) leave it in the log, which raises the alarm.
 */
export async function sendMessages(deps: MessagingDeps, event: Case | undefined, requests: MessageRequest[]): Promise<void> {
  const failures: string[] = [];
  for (const request of requests) {
    const rendered = renderMessage(request.template, request.params);
    const message = { to: request.to.phone, recipientRole: request.recipientRole, ...(event ? { eventId: event.id } : {}), ...rendered };
    let lastError: unknown;
    await withRetries(SMS_SEND_RETRY, () => deps.notifier.send(message)).catch((error) => {
      lastError = error;
    });
    if (lastError !== undefined) {
      deps.logger.error('SMS failed after retries', { eventId: event?.id, template: request.template, error: String(lastError) });
      failures.push(`${request.template} → ${request.to.name} (${request.recipientRole}): ${String(lastError)}`);
    }
  }
  if (failures.length > 0 && event) await recordFailedMessages(deps, event.id, failures);
}

async function recordFailedMessages(deps: MessagingDeps, eventId: string, failures: string[]) {
  const at = deps.clock.now();
  await updateCase(deps, eventId, ({ event }) =>
    buildChange(event, event, {
      type: 'notification_failed',
      actor: SYSTEM_ACTOR,
      at,
      note: `SMS not delivered after retries: ${failures.join('; ')}`,
      count: ['smsFailed'],
    }),
  );
}
