/** The README shows the who-may-do-what tables (actions, operations) and the SMS table exactly as the code has them. */
import { readFileSync } from 'node:fs';
import { actionsTable, operationsTable, scoringList, smsTable, withGeneratedBlock } from '../../shared/http/rules-doc';

test('the README tables match the tables in code (run npm run docs after changing them)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const generated = withGeneratedBlock(withGeneratedBlock(readme, 'actions', actionsTable()), 'operations', operationsTable());
  expect(withGeneratedBlock(generated, 'sms', smsTable())).toBe(readme);
});

test('the README states the scoring rule exactly as the code words it (run npm run docs after changing it)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(withGeneratedBlock(readme, 'scoring', scoringList())).toBe(readme);
});
