/** The README shows the who-may-do-what table and the SMS table exactly as the code has them. */
import { readFileSync } from 'node:fs';
import { actionsTable, smsTable, withGeneratedBlock } from '../../shared/http/rules-doc';

test('the README tables match the tables in code (run npm run docs after changing them)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(withGeneratedBlock(withGeneratedBlock(readme, 'actions', actionsTable()), 'sms', smsTable())).toBe(readme);
});
