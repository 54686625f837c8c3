/** npm run docs — rewrites the README's generated tables (who may do what, who gets which SMS) from the code. */
import { readFileSync, writeFileSync } from 'node:fs';
import { actionsTable, smsTable, withGeneratedBlock } from '../shared/http/rules-doc';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withGeneratedBlock(withGeneratedBlock(before, 'actions', actionsTable()), 'sms', smsTable());
writeFileSync(readme, after);
console.log(after === before ? 'README tables are up to date' : 'README tables rewritten');
