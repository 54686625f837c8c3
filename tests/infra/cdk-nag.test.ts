/**
 * cdk-nag's AwsSolutions pack over the real stack. cdk-nag 3 is a CDK policy-validation plugin:
 * findings are not Annotations any more, they fail the synthesis, and they are acknowledged with
 * `Validations.of(construct).acknowledge({ id, reason })`. This file synthesizes the app as
 * `cdk synth` does (plugin registered), runs the pack again directly to list any findings, and
 * checks every acknowledgment: a specific reason, and a finding it really answers.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { FUNCTION_NEEDS } from '../../infra/function-needs';
import { createGridFlowApp, nagEnabled } from '../../infra/gridflow-app';
import { PROJECT_ROOT } from '../../infra/paths';
import { ROUTES } from '../../shared/http/routes';
import type { GridFlowStack } from '../../infra/gridflow-stack';
import { SITE_FIXTURE, synthesizeGridFlow } from './synthesize';

let stack: GridFlowStack;
let cleanup: () => void;
/** Output folder for the apps that are built here but never synthesized. */
const unusedOutdir = mkdtempSync(path.join(tmpdir(), 'gridflow-cdk-test-'));

beforeAll(() => {
  // As `cdk synth` does it, plugin registered: a finding that is not acknowledged makes this throw
  // cdk-nag's report (and every test below fail with it).
  // The rules read the template, not the function code: skip bundling here (the stack test bundles).
  ({ stack, cleanup } = synthesizeGridFlow({ 'aws:cdk:bundling-stacks': [] }));
});
afterAll(() => {
  cleanup?.();
  rmSync(unusedOutdir, { recursive: true, force: true });
});

const findings = (report: PolicyValidationPluginReport, severity: string): string[] =>
  report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));

/** Every acknowledgment in the tree: where it was made, the rule, the reason. */
const acknowledgments = (root: IConstruct): { path: string; id: string; reason: string }[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

test('AwsSolutions: no error findings', () => {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  expect(findings(report, 'error')).toEqual([]);
});

test('AwsSolutions: no warning findings either', () => {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  expect(findings(report, 'warning')).toEqual([]);
});

test('clean in a known environment too (`cdk synth` with a region and account): acknowledgments name the resources as printed then', () => {
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  process.env.CDK_DEFAULT_REGION = 'ap-east-1';
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  let known: ReturnType<typeof synthesizeGridFlow> | undefined;
  try {
    known = synthesizeGridFlow({ nag: false, 'aws:cdk:bundling-stacks': [] });
    const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(known.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  } finally {
    for (const [name, value] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    known?.cleanup();
  }
});

test('every acknowledgment carries a specific reason and answers a real finding', () => {
  const acks = acknowledgments(stack).filter((ack) => ack.id.startsWith('AwsSolutions-'));
  expect(acks.length).toBeGreaterThan(0);

  // The same pack with acknowledgments ignored: what the stack would be flagged for.
  const unacknowledged = new AwsSolutionsChecks(undefined, { verbose: false });
  (unacknowledged as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const raw = unacknowledged.validateScope(stack).violations;

  for (const ack of acks) {
    // A reason says why for this resource, not a placeholder.
    expect({ ack: `${ack.id} at ${ack.path}`, long: ack.reason.length >= 80 }).toEqual({ ack: `${ack.id} at ${ack.path}`, long: true });
    const answered = raw.some(
      (violation) =>
        violation.ruleName === ack.id &&
        violation.violatingResources.some(
          (resource) => resource.constructPath === ack.path || resource.constructPath?.startsWith(`${ack.path}/`),
        ),
    );
    expect({ ack: `${ack.id} at ${ack.path}`, answered }).toEqual({ ack: `${ack.id} at ${ack.path}`, answered: true });
  }
});

test('every file an acknowledgment cites exists', () => {
  const cited = acknowledgments(stack).flatMap((ack) =>
    [...ack.reason.matchAll(/(?:[\w.-]+\/)+[\w.-]+\.(?:ts|json|jsonc|md|cjs)\b/g)].map((match) => ({
      ack: `${ack.id} at ${ack.path}`,
      file: match[0],
    })),
  );
  expect(cited.length).toBeGreaterThan(0);
  for (const { ack, file } of cited)
    expect({ ack, file, exists: existsSync(path.join(PROJECT_ROOT, file)) }).toEqual({ ack, file, exists: true });
});

test("'public' routes (acknowledged as reference data, health and the API document) are GETs whose functions write nothing; health reads one item", () => {
  const publicRoutes = ROUTES.filter((route) => route.auth === 'public');
  expect(publicRoutes.map((route) => route.handler).sort()).toEqual(['catalog', 'health', 'openapi', 'units']);
  for (const route of publicRoutes) {
    expect(route.method).toBe('GET');
    expect(FUNCTION_NEEDS[route.handler]).toEqual(route.handler === 'health' ? { table: ['GetItem'] } : {});
  }
  // The reporter's rating changes a case: it is a class of its own, with its own reason.
  expect(ROUTES.find((route) => route.handler === 'events-rate')?.auth).toBe('sms-code');
});

test('the app registers cdk-nag unless the context says nag=false', () => {
  const app = (context: Record<string, unknown> = {}) => new App({ outdir: unusedOutdir, context });
  expect(nagEnabled(app())).toBe(true);
  expect(nagEnabled(app({ nag: true }))).toBe(true);
  expect(nagEnabled(app({ nag: 'false' }))).toBe(false);
  expect(nagEnabled(app({ nag: false }))).toBe(false);

  // Skip bundling: only the registration is looked at here.
  const withoutBundling = { 'aws:cdk:bundling-stacks': [], siteDir: SITE_FIXTURE };
  const registered = (context: Record<string, unknown>) =>
    createGridFlowApp({ outdir: unusedOutdir, context: { ...withoutBundling, ...context } }).app._validationPlugins.some(
      (plugin) => plugin instanceof AwsSolutionsChecks,
    );
  expect(registered({})).toBe(true);
  expect(registered({ nag: 'false' })).toBe(false);
});
