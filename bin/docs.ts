/** npm run docs — rewrites the README's generated tables (who may do what: actions and operations; who gets which SMS) and the scoring rule from the code. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../dev-server/durable-files';
import { actionsTable, operationsTable, scoringList, smsTable, withGeneratedBlock } from '../shared/http/rules-doc';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(readme, 'utf8');
const tables = withGeneratedBlock(
  withGeneratedBlock(withGeneratedBlock(before, 'actions', actionsTable()), 'operations', operationsTable()),
  'sms',
  smsTable(),
);
const after = withGeneratedBlock(tables, 'scoring', scoringList());
writeFileAtomic(readme, after);
console.log(after === before ? 'README tables are up to date' : 'README tables rewritten');
