/**
 * Each function's declared needs (`export const needs` of functions/<name>.ts), by handler name: the only
 * source of the functions' IAM policies. A function module without a declaration fails the synth.
 */
import type { LambdaNeeds } from '../shared/composition/lambda-needs';
import { HANDLER_NAMES } from '../shared/http/routes';

const needsByHandler: Record<string, LambdaNeeds> = {};
// One module after the other (as the local gateway loads them): jest's ES module loader races on parallel imports.
for (const name of HANDLER_NAMES) {
  const module: { needs?: LambdaNeeds } = await import(`../functions/${name}`);
  if (!module.needs) throw new Error(`functions/${name}.ts declares no \`needs\`: say what it may call`);
  needsByHandler[name] = module.needs;
}

export const FUNCTION_NEEDS: Readonly<Record<string, LambdaNeeds>> = needsByHandler;
