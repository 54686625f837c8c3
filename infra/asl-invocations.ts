/**
 * What a state machine definition invokes, read from its Task states, so that the state machine's role is
 * derived from the ASL file instead of restated beside it: a Task added to the definition that calls
 * something else fails the synth until this module learns what that call needs.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = { Type?: string; Resource?: string; Parameters?: Json; Arguments?: Json; [key: string]: Json | undefined };

/** `arn:<partition>:states:::lambda:invoke`, with or without `.waitForTaskToken`; the partition may be a `${…}`. */
const LAMBDA_INVOKE = /^arn:(?:[\w-]+|\$\{\w+\}):states:::lambda:invoke(?:\.waitForTaskToken)?$/;
const WHOLE_SUBSTITUTION = /^\$\{(\w+)\}$/;

/**
 * The functions the definition's Tasks invoke, each as its substituted value (e.g. a function ARN token),
 * once. `substitutions` are the definition substitutions the state machine is deployed with.
 */
export function invokedFunctions<Value>(definition: Json, substitutions: Readonly<Record<string, Value>>): (Value | string)[] {
  const invoked = new Set<Value | string>();
  for (const [name, state] of taskStates(definition)) {
    const resource = state.Resource ?? '';
    const parameters = (state.Parameters ?? state.Arguments) as Record<string, Json> | undefined;
    const target = LAMBDA_INVOKE.test(resource) ? parameters?.FunctionName : resource;
    if (typeof target !== 'string' || !(LAMBDA_INVOKE.test(resource) || WHOLE_SUBSTITUTION.test(target) || /:lambda:/.test(target)))
      throw new Error(
        `Task "${name}" calls ${resource} in a way the state machine's role cannot be derived from: teach infra/asl-invocations.ts`,
      );
    const substitution = WHOLE_SUBSTITUTION.exec(target)?.[1];
    if (substitution && !(substitution in substitutions))
      throw new Error(`Task "${name}" invokes \${${substitution}}, which is not substituted`);
    invoked.add(substitution ? substitutions[substitution] : target);
  }
  return [...invoked];
}

/** Every Task state with its name, in Parallel branches and Map processors too. */
function* taskStates(definition: Json): Generator<[string, State]> {
  const states = (definition as { States?: Record<string, State> }).States ?? {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') yield [name, state];
    for (const branch of (state.Branches as Json[] | undefined) ?? []) yield* taskStates(branch);
    for (const processor of [state.Iterator, state.ItemProcessor]) if (processor) yield* taskStates(processor);
  }
}
