/** What each scheduled job does (shared/domain/schedule.ts says when). */
import type { JobName } from '../domain/schedule';
import type { CoreDependencies } from './dependencies';
import { publishReports } from './reports/published-reports';

export async function runJob(deps: CoreDependencies, job: JobName, at: Date): Promise<{ job: JobName; done: number }> {
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
    case 'campaign-reminders':
      // Patrols and campaigns: see shared/core/patrols.ts and shared/core/campaigns.ts.
      return { job, done: 0 };
  }
}
