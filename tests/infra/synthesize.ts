/**
 * Helpers for the infra tests: synthesize the real GridFlow app (the handlers in functions/ are
 * bundled by esbuild, which takes a few seconds: do it once per test file, in beforeAll) and read
 * what the template does not hold inline.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createGridFlowApp } from '../../infra/gridflow-app';
import { PROJECT_ROOT } from '../../infra/paths';
import type { GridFlowStack } from '../../infra/gridflow-stack';

export interface SynthesizedGridFlow {
  stack: GridFlowStack;
  template: Template;
  /** The cloud assembly directory: bundled function code and file assets live here. */
  assemblyDir: string;
  /** CDK's own annotations on the stack (deprecations, misconfigurations): "level id: message". */
  messages: string[];
  /** Removes the cloud assembly (about 1 MB per bundled function); call it in afterAll. */
  cleanup: () => void;
}

/** The context of cdk.json (feature flags included), so the tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** A stand-in for the web app's build (the infra tests look at the wiring; the browser tests at the app). */
export const SITE_FIXTURE = path.join(PROJECT_ROOT, 'tests', 'infra', 'fixtures', 'site');

export function synthesizeGridFlow(extraContext: Record<string, unknown> = {}): SynthesizedGridFlow {
  const outdir = mkdtempSync(path.join(tmpdir(), 'gridflow-cdk-test-'));
  const cleanup = () => rmSync(outdir, { recursive: true, force: true });
  try {
    const { app, stack } = createGridFlowApp({ outdir, context: { ...cdkJsonContext(), siteDir: SITE_FIXTURE, ...extraContext } });
    const cloudAssembly = app.synth();
    const messages = cloudAssembly
      .getStackArtifact(stack.artifactId)
      .messages.map((message) => `${message.level} ${message.id}: ${String(message.entry.data)}`);
    return { stack, template: Template.fromStack(stack), assemblyDir: cloudAssembly.directory, messages, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return (element.stack as Stack).getLogicalId(element);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A state machine's definition as deployed: the definition text (inline DefinitionString, a
 * Fn::Join of strings and tokens, or a DefinitionS3Location file asset), with the
 * DefinitionSubstitutions applied, parsed. Wherever a CloudFormation token (e.g. a Fn::GetAtt)
 * stands for a whole JSON string, the token object itself appears in the result, so it can be
 * compared structurally.
 */
export function deployedDefinition(stateMachineProps: Record<string, Json>, assemblyDir: string): Json {
  const tokens: Json[] = [];
  const marker = (token: Json): string => `@@token${tokens.push(token) - 1}@@`;

  let text: string;
  const definitionString = stateMachineProps.DefinitionString;
  const s3Location = stateMachineProps.DefinitionS3Location as { Key?: Json } | undefined;
  if (typeof definitionString === 'string') {
    text = definitionString;
  } else if (definitionString && typeof definitionString === 'object' && 'Fn::Join' in definitionString) {
    const [separator, parts] = (definitionString as { 'Fn::Join': [string, Json[]] })['Fn::Join'];
    text = parts.map((part) => (typeof part === 'string' ? part : marker(part))).join(separator);
  } else if (s3Location && typeof s3Location.Key === 'string') {
    text = readFileSync(path.join(assemblyDir, `asset.${s3Location.Key}`), 'utf8');
  } else {
    throw new Error(`Unrecognized state machine definition: ${JSON.stringify(stateMachineProps).slice(0, 200)}`);
  }

  const substitutions = (stateMachineProps.DefinitionSubstitutions ?? {}) as Record<string, Json>;
  for (const [name, value] of Object.entries(substitutions)) {
    text = text.split(`\${${name}}`).join(typeof value === 'string' ? value : marker(value));
  }

  const restoreTokens = (value: Json): Json => {
    if (typeof value === 'string') {
      const whole = /^@@token(\d+)@@$/.exec(value);
      if (whole) return tokens[Number(whole[1])];
      if (value.includes('@@token')) throw new Error(`A token is embedded inside the string "${value}"`);
      return value;
    }
    if (Array.isArray(value)) return value.map(restoreTokens);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, restoreTokens(inner)]));
    }
    return value;
  };
  return restoreTokens(JSON.parse(text) as Json);
}

/**
 * The ASL file as it should deploy: every whole-string `${Name}` replaced by `values[Name]`, and a
 * `${Name}` inside a string (e.g. `arn:${Partition}:states:::…`) by its value, which must then be a string.
 */
export function substituteAsl(file: string, values: Record<string, Json>): Json {
  const replace = (value: Json): Json => {
    if (typeof value === 'string') {
      const whole = /^\$\{(\w+)\}$/.exec(value);
      if (whole) {
        if (!(whole[1] in values)) throw new Error(`No value for \${${whole[1]}} in the test`);
        return values[whole[1]];
      }
      return value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
        const inner = values[name];
        if (typeof inner !== 'string') throw new Error(`\${${name}} stands inside a string: the test needs a string value for it`);
        return inner;
      });
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]));
    }
    return value;
  };
  return replace(JSON.parse(readFileSync(file, 'utf8')) as Json);
}
