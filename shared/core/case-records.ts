/**
 * A case's record beyond its timeline, for whoever may see the case (the same rule as GET /events/{id}): the SMS
 * it caused and where each stands, and the course of its lifecycle executions (the states they visited).
 */
import type { Caller } from '../domain/caller';
import type { CaseMessage } from '../ports/sms-intents';
import type { ExecutionCourse } from '../ports/workflow';
import type { CoreDependencies } from './dependencies';
import { visibleCase } from './read-cases';

export interface CaseMessages {
  eventId: string;
  /** Oldest first; recipients' numbers masked. */
  items: CaseMessage[];
}

export async function caseMessages(
  deps: Pick<CoreDependencies, 'cases' | 'smsIntents'>,
  caller: Caller,
  eventId: string,
): Promise<CaseMessages> {
  await visibleCase(deps, caller, eventId);
  return { eventId, items: await deps.smsIntents.ofCase(eventId) };
}

export interface CaseLifecycle {
  eventId: string;
  /** Each generation's execution (`<id>`, then `<id>-2`, … when a long case continued), oldest first; none before it starts. */
  executions: ExecutionCourse[];
}

export async function caseLifecycle(
  deps: Pick<CoreDependencies, 'cases' | 'workflow'>,
  caller: Caller,
  eventId: string,
): Promise<CaseLifecycle> {
  const { case: theCase } = await visibleCase(deps, caller, eventId);
  const generations = Array.from({ length: theCase.workflowGeneration ?? 1 }, (_, index) => index + 1);
  const courses = await Promise.all(generations.map((generation) => deps.workflow.course(theCase.id, generation)));
  return { eventId, executions: courses.filter((course) => course !== undefined) };
}
