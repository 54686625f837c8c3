/**
 * A definition validated and cut into its segment machines (README.md, parking) — once per definition in a
 * process. Validation (asl-validator: JSONPaths, ARNs) takes 0.5–1.3 s for the lifecycle, which a platform's
 * start would spend after DynamoDB Local is up; it prepares the parts while the JVM starts instead. The parts
 * hold no state of any run (each run gets its own options), so platforms in one process may share them.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { prepareDefinition } from './definition';
import type { MachineVersion } from './execution-record';

export type MachineParts = Omit<MachineVersion, 'version'>;

const prepared = new Map<string, MachineParts>();

export function machineParts(definitionText: string): MachineParts {
  const known = prepared.get(definitionText);
  if (known) return known;
  const parts = cut(definitionText);
  prepared.set(definitionText, parts);
  return parts;
}

function cut(definitionText: string): MachineParts {
  const prepared = prepareDefinition(definitionText, {});
  // Throws if the definition is invalid.
  new StateMachine(prepared.definition);
  // The segments are cut from it mechanically; some of their states are unreachable on purpose.
  const segment = (definition: StateMachineDefinition) => new StateMachine(definition, { validationOptions: { noValidate: true } });
  return {
    start: segment(prepared.segments.start),
    resumeAt: new Map([...prepared.segments.resumeAt].map(([stateName, definition]) => [stateName, segment(definition)])),
    taskStates: prepared.taskStates,
    waitStates: prepared.segments.waitStates,
    executionTimeoutSeconds: prepared.executionTimeoutSeconds,
  };
}
