/** What each scheduled job does (shared/domain/schedule.ts says when). */
import type { JobName } from '../domain/schedule';
import type { CoreDependencies } from './dependencies';
import { type PublishingDeps, publishReports } from './reports/published-reports';
import { remindMissingPatrols } from './patrols';
import { remindLateCampaignTargets } from './campaigns';
import { foldFinishedDays } from './fold-counters';

/** The jobs between them: publishing reports, the field work's reminders, the counters' fold. No workflow, no cases' lists. */
type JobDeps = PublishingDeps & Pick<CoreDependencies, 'fieldWork' | 'counters' | 'directory' | 'logger'>;

export async function runJob(deps: JobDeps, job: JobName, at: Date): Promise<{ job: JobName; done: number }> {
  switch (job) {
    case 'daily-reports':
      return { job, done: await publishReports(deps, 'daily', at) };
    case 'weekly-reports':
      return { job, done: await publishReports(deps, 'weekly', at) };
    case 'monthly-reports':
      return { job, done: await publishReports(deps, 'monthly', at) };
    case 'quarterly-reports':
      return { job, done: await publishReports(deps, 'quarterly', at) };
    case 'patrol-check':
      // Every day, weekends and holidays included: patrols are daily (shared/core/patrols.ts).
      return { job, done: await remindMissingPatrols(deps, at) };
    case 'campaign-reminders':
      return { job, done: await remindLateCampaignTargets(deps, at) };
    case 'fold-counters':
      return { job, done: await foldFinishedDays(deps, at) };
  }
}
