/** POST /events/{id}/actions: one action on a case, checked against the who-may-do-what table. */
import type { Caller } from '../auth/caller';
import { actorOf } from '../auth/caller';
import { toLocalIso } from '../domain/calendar';
import { authorizeAction } from '../domain/permissions';
import type { GridEvent } from '../domain/types';
import type { ActionInput } from '../schemas/events';
import { buildChange, type ChangeSpec } from './changes';
import type { CoreDependencies } from './dependencies';
import { reporterMessage } from './lifecycle-messages';
import { sendMessages } from './notify';
import { updateEvent } from './update-event';

export async function actOnEvent(deps: CoreDependencies, caller: Caller, eventId: string, input: ActionInput): Promise<GridEvent> {
  const now = deps.clock.now();
  const { before, change } = await updateEvent(deps, eventId, ({ event }) => {
    authorizeAction(input.action, caller, event);
    const [after, spec] = applyAction(event, input, now);
    // The workflow task waiting on this case is woken below; its token is spent.
    return buildChange(event, after, { ...spec, actor: actorOf(caller), at: now, waitingTask: null });
  });
  const event = change!.event;
  if (before.waitingTask) {
    const woken = await deps.workflow.sendTaskSuccess(before.waitingTask.token, { action: input.action, version: event.version });
    if (!woken) deps.logger.warn('The waiting task was gone; the workflow picks the change up at its next check', { eventId });
  }
  if (input.action === 'void_report') {
    const message = reporterMessage(deps, event, 'report_voided', input.note);
    if (message) await sendMessages(deps, event, [message]);
  }
  return event;
}

type Applied = [Omit<GridEvent, 'version' | 'updatedAt'>, Omit<ChangeSpec, 'actor' | 'at'>];

function applyAction(event: GridEvent, input: ActionInput, now: Date): Applied {
  const at = toLocalIso(now);
  switch (input.action) {
    case 'accept_report':
      return [{ ...event, acceptedAt: at }, { type: 'accepted', note: input.note, count: ['accepted'] }];
    case 'void_report':
      return [
        { ...event, stage: 'voided', status: 'closed', closedAt: at, voidReason: input.note, deadlineAt: undefined },
        { type: 'voided', note: input.note, count: ['voided'] },
      ];
    case 'complete': {
      const onTime = !event.deadlineAt || now.getTime() <= Date.parse(event.deadlineAt);
      return [
        { ...event, stage: 'feedback', handledAt: at, handledOnTime: onTime, handlingNote: input.note, handlingPhotos: input.photos },
        { type: 'completed', note: input.note, photos: input.photos, data: { onTime }, count: onTime ? ['handled', 'handledOnTime'] : ['handled'] },
      ];
    }
  }
}
