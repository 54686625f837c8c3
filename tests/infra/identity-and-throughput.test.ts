/**
 * Item 5 (the user pool's issuer pinned, the authorizer's issuer derived from it), item 7 (the
 * reports throttle and workflow-step's reserved concurrency as settings) and item 9 (the README's fixed
 * costs count what the stack has) in the synthesized template.
 * Synthesized without bundling the functions (`aws:cdk:bundling-stacks: []`): only the template matters.
 */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { DEFAULT_REPORTS_THROTTLE } from '../../infra/constructs/gridflow-http-api';
import { ISSUER_HOSTS, issuerUrlOf } from '../../infra/constructs/user-directory';
import { logicalIdOf, synthesizeGridFlow, type SynthesizedGridFlow } from './synthesize';
import { HANDLER_NAMES } from '../../shared/http/routes';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- template fragments

const NO_BUNDLING = { nag: false, 'aws:cdk:bundling-stacks': [] };

let synthesized: SynthesizedGridFlow;
beforeAll(() => {
  synthesized = synthesizeGridFlow(NO_BUNDLING);
});
afterAll(() => synthesized?.cleanup());

const resources = (template: SynthesizedGridFlow['template'], type: string): Json[] => Object.values(template.findResources(type));

/** Resolves a template string expression (Fn::Join of strings and Refs) for a region, suffix and refs. */
function resolve(value: Json, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (value.Ref !== undefined) {
    if (!(value.Ref in refs)) throw new Error(`No value for Ref ${value.Ref}`);
    return refs[value.Ref];
  }
  if (value['Fn::Join']) return value['Fn::Join'][1].map((part: Json) => resolve(part, refs)).join(value['Fn::Join'][0]);
  throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
}

describe('item 5: the issuer', () => {
  test("the user pool pins IssuerConfiguration ORIGINAL; the authorizer's issuer is that pool's issuer in that format", () => {
    const { stack, template } = synthesized;
    const poolId = logicalIdOf(stack.users.userPool);
    const pool = template.toJSON().Resources[poolId];
    expect(pool.Properties.IssuerConfiguration).toEqual({ Type: 'ORIGINAL' });

    const [authorizer] = resources(template, 'AWS::ApiGatewayV2::Authorizer');
    const refs = { 'AWS::Region': 'ap-east-1', 'AWS::URLSuffix': 'amazonaws.com', [poolId]: 'ap-east-1_AbC123xyz' };
    const issuer = resolve(authorizer.Properties.JwtConfiguration.Issuer, refs);
    // The format Cognito documents for the pinned type...
    const host = ISSUER_HOSTS[pool.Properties.IssuerConfiguration.Type as keyof typeof ISSUER_HOSTS];
    expect(issuer).toBe(`https://${host}.ap-east-1.amazonaws.com/ap-east-1_AbC123xyz`);
    // ...which is what the handlers' verifier (aws-jwt-verify, from COGNITO_USER_POOL_ID) expects of ORIGINAL pools.
    expect(issuer).toBe(CognitoJwtVerifier.parseUserPoolId('ap-east-1_AbC123xyz').issuer);
    // And the functions are told the same pool (GridFlow's: the site's deployment provider is CDK's, with no environment).
    const environments = resources(template, 'AWS::Lambda::Function')
      .map((fn) => fn.Properties.Environment?.Variables)
      .filter((variables) => variables?.GRIDFLOW_MODE === 'aws');
    expect(environments).toHaveLength(HANDLER_NAMES.length);
    expect(new Set(environments.map((variables) => JSON.stringify(variables.COGNITO_USER_POOL_ID)))).toEqual(
      new Set([JSON.stringify({ Ref: poolId })]),
    );
  });

  test('the issuer follows the pool: an UPDATED pool gives the issuer-cognito-idp form, an unpinned pool fails the synth', () => {
    const stack = new Stack(new App(), 'Issuers');
    const updated = new CfnUserPool(stack, 'Updated', { issuerConfiguration: { type: 'UPDATED' } });
    expect(stack.resolve(issuerUrlOf(updated))).toEqual({
      'Fn::Join': ['', ['https://issuer-cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Updated' }]],
    });
    expect(() => issuerUrlOf(new CfnUserPool(stack, 'Unpinned', {}))).toThrow(/IssuerConfiguration/);
  });
});

describe('item 7: throughput settings', () => {
  const stageOf = (template: SynthesizedGridFlow['template']) => {
    const stages = template.findResources('AWS::ApiGatewayV2::Stage');
    expect(Object.keys(stages)).toHaveLength(1);
    return Object.values(stages)[0] as Json;
  };
  const reportsRouteId = (template: SynthesizedGridFlow['template']) =>
    Object.entries(template.findResources('AWS::ApiGatewayV2::Route')).find(
      ([, route]) => (route as Json).Properties.RouteKey === 'POST /events',
    )?.[0];

  test('by default POST /events is throttled at 200 rps, burst 400, other routes at the stage default; workflow-step reserves nothing', () => {
    const { stack, template } = synthesized;
    expect(DEFAULT_REPORTS_THROTTLE).toEqual({ rateLimit: 200, burstLimit: 400 });
    const stage = stageOf(template);
    expect(stage.Properties.RouteSettings).toEqual({ 'POST /events': { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 } });
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    // CloudFormation refuses RouteSettings naming a route it has not created yet.
    expect(stage.DependsOn).toContain(reportsRouteId(template));
    for (const fn of resources(template, 'AWS::Lambda::Function')) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(stack.functions['workflow-step']).toBeDefined();
  });

  test('context settings change the reports throttle and reserve concurrency for workflow-step only', () => {
    const tuned = synthesizeGridFlow({
      ...NO_BUNDLING,
      reportsRateLimit: '500',
      reportsBurstLimit: 1000,
      workflowStepReservedConcurrency: '40',
    });
    try {
      expect(stageOf(tuned.template).Properties.RouteSettings).toEqual({
        'POST /events': { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      });
      const workflowStepId = logicalIdOf(tuned.stack.functions['workflow-step']);
      const reserved = Object.entries(tuned.template.findResources('AWS::Lambda::Function'))
        .filter(([, fn]) => (fn as Json).Properties.ReservedConcurrentExecutions !== undefined)
        .map(([id, fn]) => [id, (fn as Json).Properties.ReservedConcurrentExecutions]);
      expect(reserved).toEqual([[workflowStepId, 40]]);
    } finally {
      tuned.cleanup();
    }
  });

  // Issue 13 item 5: CORS lets only the web app's origin read replies: the command center's (issue 16), and the ones
  // corsAllowOrigins adds.
  test("CORS: the command center's origin only by default; corsAllowOrigins adds the ones named", () => {
    const apis = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Api')) as Json[];
    expect(apis).toHaveLength(1);
    const site = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^SiteDistribution'), 'DomainName'] }]] };
    expect(apis[0]?.Properties.CorsConfiguration.AllowOrigins).toHaveLength(1);
    Template.fromJSON({ Resources: { Api: apis[0] } }).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [site] }),
    });
    const withApp = synthesizeGridFlow({ ...NO_BUNDLING, corsAllowOrigins: 'https://gridflow.example.cn, https://ops.example.cn' });
    try {
      withApp.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: [Match.anyValue(), 'https://gridflow.example.cn', 'https://ops.example.cn'],
          AllowMethods: Match.arrayWith(['GET', 'POST']),
          AllowHeaders: Match.arrayWith(['Authorization', 'Content-Type', 'Idempotency-Key']),
        },
      });
    } finally {
      withApp.cleanup();
    }
  });

  test('a setting that is not a positive whole number fails the synth, naming it', () => {
    expect(() => synthesizeGridFlow({ ...NO_BUNDLING, workflowStepReservedConcurrency: '0' })).toThrow(/workflowStepReservedConcurrency/);
    expect(() => synthesizeGridFlow({ ...NO_BUNDLING, reportsRateLimit: 'lots' })).toThrow(/reportsRateLimit/);
  });
});

describe("item 9: the README's fixed monthly costs", () => {
  test('count what the template has: KMS keys, alarms, log groups; and name the user pool plan the stack uses', () => {
    const { template } = synthesized;
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const row = (item: string) => readme.split('\n').find((line) => line.startsWith(`| ${item}`)) ?? `(no "${item}" row)`;
    const count = (type: string) => Object.keys(template.findResources(type)).length;
    expect(row('KMS')).toContain(`${['no', 'one', 'two', 'three'][count('AWS::KMS::Key')]} customer-managed key`);
    // Stated so that another alarm or function does not make it wrong; the bounds are checked here.
    expect(row('CloudWatch alarms')).toContain('| at most 10 standard-resolution alarms');
    expect(count('AWS::CloudWatch::Alarm')).toBeLessThanOrEqual(10);
    expect(row('CloudWatch Logs')).toContain("| a log group per function, plus the API's access log and the workflow's");
    expect(count('AWS::Logs::LogGroup')).toBe(count('AWS::Lambda::Function') + 2);
    const [pool] = resources(template, 'AWS::Cognito::UserPool');
    expect(pool.Properties.UserPoolTier).toBe('PLUS');
    expect(row('Cognito user pool')).toContain('Plus plan');
  });
});
