/**
 * The GridFlow stack against its contracts: the table design, the route table, the lifecycle ASL
 * file, and the per-function permissions. Synthesizes the real app once (nag off here: see
 * cdk-nag.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { READS_REFERENCE } from '../../shared/composition/lambda-needs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { EVENT_LIFECYCLE_ASL, PROJECT_ROOT } from '../../infra/paths';
import { SMS_FAILURE_LOG_MESSAGE, type GridFlowStack } from '../../infra/gridflow-stack';
import { CALENDAR_YEAR_MISSING_LOG } from '../../shared/core/operator-warnings';
import { SMS_MAYBE_TWICE_MESSAGE } from '../../shared/core/deliver-sms';
import { cronExpression, SCHEDULED_JOBS } from '../../shared/domain/schedule';
import { GSI, indexDefinition, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-design';
import { ROLES } from '../../shared/domain/types';
import { HANDLER_NAMES, ROUTES } from '../../shared/http/routes';
import { FUNCTION_NEEDS } from '../../infra/function-needs';
import { CALL_LOG_VARIABLE, type RecordedCall } from '../../dev-server/aws-call-recorder';
import { FIXTURE_CALLS as CALLS, call } from '../permissions/fixture-calls';
import { checkCalls, type PolicyModel } from '../permissions/permission-check';
import { LOCAL_TABLE_NAME, policyModelOf, savePolicyModel } from '../permissions/policy-model';
import { deployedDefinition, logicalIdOf, substituteAsl, synthesizeGridFlow } from './synthesize';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- template fragments

let stack: GridFlowStack;
let template: Template;
let assemblyDir: string;
let messages: string[];
let cleanup: () => void;

beforeAll(() => {
  ({ stack, template, assemblyDir, messages, cleanup } = synthesizeGridFlow({ nag: false }));
});
afterAll(() => cleanup?.());

test('CDK reports no warnings or errors on the stack', () => {
  expect(messages).toEqual([]);
});

const resourcesOfType = (type: string): Record<string, Json> => template.findResources(type);
const onlyResourceOfType = (type: string): [string, Json] => {
  const entries = Object.entries(resourcesOfType(type));
  expect(entries).toHaveLength(1);
  return entries[0];
};
const functionResource = (handlerName: string): Json => template.toJSON().Resources[logicalIdOf(stack.functions[handlerName])];

/** All IAM statements attached to a function's role (its default policy and inline policies). */
const statementsOf = (handlerName: string): Json[] => {
  const roleId = logicalIdOf(stack.functions[handlerName].executionRole);
  return Object.values(resourcesOfType('AWS::IAM::Policy'))
    .filter((policy: Json) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);
};
const actionsOf = (statement: Json): string[] => [statement.Action].flat();
const allows = (handlerName: string, action: string): Json[] =>
  statementsOf(handlerName).filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));

describe('table', () => {
  test('keys, GSIs, on-demand billing, point-in-time recovery and TTL come from the table design', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: Match.arrayWith(Object.values(GSI).map(indexDefinition)),
      },
    });
    const [, table] = onlyResourceOfType('AWS::DynamoDB::Table');
    expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(Object.keys(GSI).length);
  });
});

describe('functions', () => {
  test("one Node.js 22 arm64 function per handler name, and no other function but the site's deployment provider", () => {
    const ours = new Set(HANDLER_NAMES.map((name) => logicalIdOf(stack.functions[name])));
    // CDK's bucket deployment provider: it runs while a deployment uploads the command center's files, never on a request.
    expect(Object.keys(resourcesOfType('AWS::Lambda::Function')).filter((id) => !ours.has(id))).toEqual([
      expect.stringMatching(/^CustomCDKBucketDeployment/),
    ]);
    for (const name of HANDLER_NAMES) {
      expect(stack.functions[name]).toBeDefined();
      expect(functionResource(name).Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(stack.functions[name].logGroup) } },
      });
    }
  });

  test('each bundle is ESM built from functions/<name>.ts, with the require banner and a linked source map', () => {
    for (const name of HANDLER_NAMES) {
      const assetDir = path.join(assemblyDir, `asset.${functionResource(name).Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(bundle).toContain('//# sourceMappingURL=index.mjs.map');
      expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
      const sources: string[] = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8')).sources;
      expect(sources.some((source) => source.endsWith(`functions/${name}.ts`))).toBe(true);
      // The runtime provides AWS SDK v3.
      expect(sources.some((source) => source.includes('node_modules/@aws-sdk/'))).toBe(false);
    }
  });

  test("no bundle carries the sample district: its people, their phones, its grids, the catalog's or a year's holidays (issue 14)", () => {
    const roster = JSON.parse(readFileSync('shared/data/roster.json', 'utf8')) as { people: { id: string; phone: string }[] };
    const units = readFileSync('shared/data/units-huicheng-sample.json', 'utf8');
    const grids = [...units.matchAll(/"code": ?"(\d{15})"/g)].map((match) => match[1]);
    const samples = [
      ...roster.people.flatMap((person) => [person.id, person.phone]),
      ...grids,
      '排水口或下水道堵塞',
      '国庆节 National Day',
    ];
    expect(grids.length).toBeGreaterThan(5);
    for (const name of HANDLER_NAMES) {
      const assetDir = path.join(assemblyDir, `asset.${functionResource(name).Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect({ name, found: samples.filter((sample) => bundle.includes(sample)) }).toEqual({ name, found: [] });
    }
  });

  test('timeouts: 10 s for HTTP handlers, 30 s for workflow-step, 60 s for the sweeper, 5 minutes for the scheduled jobs', () => {
    for (const name of HANDLER_NAMES) {
      const expected = { 'workflow-step': 30, sweeper: 60, 'sms-sender': 60, 'scheduled-jobs': 300 }[name] ?? 10;
      expect(functionResource(name).Properties.Timeout).toBe(expected);
    }
  });

  test('every function gets the environment the core reads', () => {
    const stateMachine = onlyResourceOfType('AWS::StepFunctions::StateMachine')[1];
    for (const name of HANDLER_NAMES) {
      const variables = functionResource(name).Properties.Environment.Variables;
      expect(variables).toMatchObject({
        GRIDFLOW_MODE: 'aws',
        TABLE_NAME: { Ref: logicalIdOf(stack.table.table) },
        COGNITO_USER_POOL_ID: { Ref: logicalIdOf(stack.users.userPool) },
        COGNITO_CLIENT_ID: { Ref: logicalIdOf(stack.users.client) },
        // The generated secret, resolved by CloudFormation at deploy: the template holds a reference, never the key.
        CURSOR_KEY: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: logicalIdOf(stack.cursorKey) }, ':SecretString:::}}']] },
        SMS_TYPE: 'Transactional',
        POWERTOOLS_SERVICE_NAME: 'gridflow',
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
      // The command center's address, for the links SMS carry: the site's distribution.
      expect(JSON.stringify(variables.SITE_URL)).toContain('https://');
      expect(JSON.stringify(variables.SITE_URL)).toContain(logicalIdOf(stack.site.distribution));
      // Built from the state machine's name (no reference to it, which would be circular).
      const arnParts: Json[] = variables.STATE_MACHINE_ARN['Fn::Join'][1];
      expect(arnParts.at(-1)).toMatch(new RegExp(`:stateMachine:${stateMachine.Properties.StateMachineName}$`));
      expect(JSON.stringify(variables.STATE_MACHINE_ARN)).not.toContain(logicalIdOf(stack.lifecycle.stateMachine));
    }
  });
});

describe('permissions (least privilege per function, from what each function module declares)', () => {
  const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  const tableArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.table.table), 'Arn'] });
  const indexArn = (index: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${index}`]] });
  const stateMachineName = () => onlyResourceOfType('AWS::StepFunctions::StateMachine')[1].Properties.StateMachineName;
  const dynamoActionsOf = (name: string) =>
    statementsOf(name)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));
  /** Every (action, resource) an Allow statement of the function's role grants, as text, logs and X-Ray aside. */
  const grantsOf = (name: string): string[] =>
    statementsOf(name)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) =>
        actionsOf(statement).flatMap((action) =>
          [statement.Resource].flat().map((resource: Json) => `${action} ${JSON.stringify(resource)}`),
        ),
      )
      .filter((grant) => !/^(logs|xray):/.test(grant))
      .sort();
  const smArn = (): Json =>
    statementsOf('events-create').find((statement) => actionsOf(statement).includes('states:StartExecution'))?.Resource;

  test('each function is granted exactly what its module declares (functions/<name>.ts `needs`), on exact resources', () => {
    expect(smArn()).toBeDefined();
    expect(JSON.stringify(smArn())).toContain(`:stateMachine:${stateMachineName()}`);
    for (const name of HANDLER_NAMES) {
      const needs = FUNCTION_NEEDS[name];
      const expected = [
        // Every function reads the reference version in effect (READS_REFERENCE) besides what it declares.
        ...[...new Set([...READS_REFERENCE, ...(needs.table ?? [])])].map((action) => `dynamodb:${action} ${JSON.stringify(tableArn())}`),
        ...(needs.indexes ?? []).map((index) => `dynamodb:Query ${JSON.stringify(indexArn(index))}`),
        // DescribeExecution and GetExecutionHistory are authorized on an execution: every execution of the lifecycle machine.
        ...(needs.stateMachine ?? []).map((action) =>
          action === 'DescribeExecution' || action === 'GetExecutionHistory'
            ? `states:${action} ${JSON.stringify(smArn()).replace(`:stateMachine:${stateMachineName()}`, `:execution:${stateMachineName()}:*`)}`
            : `states:${action} ${JSON.stringify(smArn())}`,
        ),
        ...(needs.sms ? ['sns:Publish "*"'] : []),
        // The Lambda service sends a failed scheduled run to its on-failure destination with the function's role.
        ...(stack.schedules.failureSenders.includes(stack.functions[name])
          ? [`sqs:SendMessage ${JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.schedules.failedRuns), 'Arn'] })}`]
          : []),
        // Lambda reads the table's stream for the SMS sender, and sends what it could not deliver to its queue, with its role.
        ...(name === 'sms-sender' ? streamReaderGrants() : []),
      ].sort();
      expect({ name, grants: grantsOf(name) }).toEqual({ name, grants: expected });
    }
  });

  test("a case's lifecycle route reads the history of the lifecycle's executions only, in the stack's partition and region", () => {
    expect(grantsOf('events-lifecycle').filter((grant) => grant.startsWith('states:'))).toEqual([
      `states:GetExecutionHistory ${JSON.stringify({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':states:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:execution:${stateMachineName()}:*`,
          ],
        ],
      })}`,
    ]);
  });

  const streamReaderGrants = () => {
    const streamArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.table.table), 'StreamArn'] });
    const queueArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.smsDelivery.undelivered), 'Arn'] });
    return [
      ...['DescribeStream', 'GetRecords', 'GetShardIterator'].map((action) => `dynamodb:${action} ${streamArn}`),
      'dynamodb:ListStreams "*"',
      ...['GetQueueAttributes', 'GetQueueUrl', 'SendMessage'].map((action) => `sqs:${action} ${queueArn}`),
    ];
  };

  test('only the SMS sender may text: every other function stores the SMS it causes (issue 11, item 2)', () => {
    expect(allows('sms-sender', 'sns:Publish')).toEqual([expect.objectContaining({ Resource: '*' })]);
    for (const name of HANDLER_NAMES.filter((candidate) => candidate !== 'sms-sender')) expect(allows(name, 'sns:Publish')).toEqual([]);
  });

  test('workflow-step may start executions ("Continue in a new execution", archiving after a reopen)', () => {
    expect(allows('workflow-step', 'states:StartExecution')).toEqual([expect.objectContaining({ Resource: smArn() })]);
  });

  test('grants nobody uses are gone: SendTaskFailure, BatchWriteItem, BatchGetItem, DescribeTable, ConditionCheckItem; no Scan; GET handlers never write', () => {
    const everyAction = HANDLER_NAMES.flatMap((name) => statementsOf(name).flatMap(actionsOf));
    for (const unused of [
      'states:SendTaskFailure',
      'dynamodb:BatchWriteItem',
      'dynamodb:BatchGetItem',
      'dynamodb:DescribeTable',
      'dynamodb:Scan',
    ])
      expect(everyAction).not.toContain(unused);
    for (const route of ROUTES.filter((candidate) => candidate.method === 'GET')) {
      for (const write of WRITE_ACTIONS) expect(dynamoActionsOf(route.handler)).not.toContain(write);
    }
    // They read the reference version in effect (the catalog and the units are in it) and nothing else.
    for (const name of ['catalog', 'units', 'openapi', 'health'])
      expect(dynamoActionsOf(name)).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  test('indexes are queried by exact index ARN, never index/*', () => {
    for (const name of HANDLER_NAMES) expect(JSON.stringify(statementsOf(name))).not.toContain('index/*');
  });

  test('sns:Publish only to phone numbers: every Allow on "*" comes with a Deny on arn:<partition>:sns:*:*:* in the same policy', () => {
    const denyEverySnsArn = {
      Effect: 'Deny',
      Action: 'sns:Publish',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
    };
    const smsPolicies = Object.values(resourcesOfType('AWS::IAM::Policy')).filter((policy: Json) =>
      policy.Properties.PolicyDocument.Statement.some((statement: Json) => actionsOf(statement).includes('sns:Publish')),
    );
    expect(smsPolicies).toHaveLength(HANDLER_NAMES.filter((name) => FUNCTION_NEEDS[name].sms).length);
    for (const policy of smsPolicies as Json[]) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
        denyEverySnsArn,
      ]);
    }
  });

  test('each function writes only to its own log group, without the AWS managed basic execution policy', () => {
    for (const name of HANDLER_NAMES) {
      const role = template.toJSON().Resources[logicalIdOf(stack.functions[name].executionRole)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(allows(name, 'logs:PutLogEvents')).toEqual([
        expect.objectContaining({ Resource: { 'Fn::GetAtt': [logicalIdOf(stack.functions[name].logGroup), 'Arn'] } }),
      ]);
    }
  });
});

describe('the permission check on this template (tests/permissions/)', () => {
  let model: PolicyModel | undefined;
  const current = (): PolicyModel => (model ??= policyModelOf(stack, template.toJSON().Resources));
  const judged = (model: PolicyModel) => (principal: string) => principal in model.roles;
  const deniedOf = (model: PolicyModel, calls: RecordedCall[]) =>
    checkCalls(model, calls, judged(model)).denied.map((denial) => `${denial.call.principal} ${denial.call.action}`);

  test('the model of this template is saved for the check at the end of the run (no second synthesis)', () => {
    savePolicyModel(process.env[CALL_LOG_VARIABLE], current());
    expect(Object.keys(current().roles)).toEqual(expect.arrayContaining([...HANDLER_NAMES, stack.lifecycleIdentity.stateMachineName]));
  });

  test("today's template allows every call of the fixture", () => {
    expect(deniedOf(current(), CALLS)).toEqual([]);
  });

  test('a template missing one grant is rejected, naming the call', () => {
    const missing: PolicyModel = structuredClone(current());
    const roleId = missing.roles['events-list'];
    for (const policy of Object.values(missing.resources) as Json[]) {
      if (policy.Type !== 'AWS::IAM::Policy' || !policy.Properties.Roles.some((role: Json) => role.Ref === roleId)) continue;
      policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter(
        (statement: Json) => !JSON.stringify(statement.Resource ?? '').includes('/index/byUrgency'),
      );
    }
    const result = checkCalls(missing, CALLS, judged(missing));
    expect(result.denied).toHaveLength(1);
    expect(result.denied[0].call).toEqual(CALLS[7]);
    expect(result.denied[0].reason).toMatch(
      /^no statement of role \w+ allows dynamodb:Query on arn:aws:dynamodb:.*:table\/\w+\/index\/byUrgency$/,
    );
  });

  test('sns:Publish to a topic is refused by the Deny, even for a function that may text; unknown tables and functions are refused', () => {
    const refused = [
      call('sms-sender', 'sns:Publish', { topic: 'arn:aws:sns:us-east-1:000000000000:anything' }),
      call('events-create', 'sns:Publish', { phoneNumber: true }),
      call('events-create', 'dynamodb:GetItem', { table: 'another-table' }),
      call('events-get', 'sns:Publish', { phoneNumber: true }),
      call('catalog', 'dynamodb:PutItem', { table: LOCAL_TABLE_NAME }),
      call('events-list', 'dynamodb:Scan', { table: LOCAL_TABLE_NAME }),
      call('events-list', 'dynamodb:Query', { table: LOCAL_TABLE_NAME, index: 'byUnstarted' }),
      call('no-such-function', 'dynamodb:GetItem', { table: LOCAL_TABLE_NAME }),
    ];
    const result = checkCalls(current(), refused, () => true);
    expect(result.denied.map((denial) => denial.call)).toEqual(refused);
    expect(result.denied[0].reason).toMatch(/^explicitly denied/);
  });

  test('a grant no call used is listed', () => {
    const unused = checkCalls(current(), CALLS, judged(current())).unused;
    expect(unused).toContainEqual(expect.objectContaining({ principal: 'events-get', action: 'dynamodb:GetItem' }));
    expect(unused).not.toContainEqual(expect.objectContaining({ principal: 'events-create', action: 'sns:Publish' }));
    // Logs and X-Ray are used by the Lambda service on the function's behalf, never recorded: not listed.
    expect(unused.filter((grant) => /^(logs|xray):/.test(grant.action))).toEqual([]);
  });
});

describe('HTTP API', () => {
  const routeByKey = (): Record<string, Json> =>
    Object.fromEntries(Object.values(resourcesOfType('AWS::ApiGatewayV2::Route')).map((route: Json) => [route.Properties.RouteKey, route]));

  test('one route per route-table entry, integrated with its handler function', () => {
    const routes = routeByKey();
    expect(Object.keys(routes).sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    const integrations = template.toJSON().Resources;
    for (const route of ROUTES) {
      const integrationId = routes[`${route.method} ${route.path}`].Properties.Target['Fn::Join'][1][1].Ref;
      expect(integrations[integrationId].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(stack.functions[route.handler]), 'Arn'] },
      });
    }
  });

  test("the Cognito JWT authorizer guards exactly the 'required' routes", () => {
    const [authorizerId, authorizer] = onlyResourceOfType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: logicalIdOf(stack.users.client) }] },
    });
    const issuer = JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer);
    expect(issuer).toContain('https://cognito-idp.');
    expect(issuer).toContain(JSON.stringify({ Ref: logicalIdOf(stack.users.userPool) }));

    const routes = routeByKey();
    for (const route of ROUTES) {
      const properties = routes[`${route.method} ${route.path}`].Properties;
      if (route.auth === 'required') {
        expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(properties.AuthorizationType).toBe('NONE');
        expect(properties.AuthorizerId).toBeUndefined();
      }
    }
  });

  // CORS (none by default, the web app's origins when set): identity-and-throughput.test.ts.
  test('default stage with access logs and throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.httpApi.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('event lifecycle state machine', () => {
  test("deploys the ASL file with the stack's partition and the ARN of workflow-step's published version substituted", () => {
    const [, stateMachine] = onlyResourceOfType('AWS::StepFunctions::StateMachine');
    expect(stateMachine.Properties.StateMachineType).toBe('STANDARD');
    const [versionId] = onlyResourceOfType('AWS::Lambda::Version');
    const workflowStepVersionArn = { Ref: versionId };
    expect(stateMachine.Properties.DefinitionSubstitutions).toEqual({
      Partition: { Ref: 'AWS::Partition' },
      WorkflowStepFunctionArn: workflowStepVersionArn,
    });
    // As deployed in the China regions, say: no `arn:aws:` left in the definition.
    const inChina = {
      ...stateMachine.Properties,
      DefinitionSubstitutions: { ...stateMachine.Properties.DefinitionSubstitutions, Partition: 'aws-cn' },
    };
    const deployed = deployedDefinition(inChina, assemblyDir);
    expect(deployed).toEqual(substituteAsl(EVENT_LIFECYCLE_ASL, { WorkflowStepFunctionArn: workflowStepVersionArn, Partition: 'aws-cn' }));
    expect(JSON.stringify(deployed)).toContain('"arn:aws-cn:states:::lambda:invoke.waitForTaskToken"');
    expect(JSON.stringify(deployed)).not.toContain('arn:aws:');
  });

  test('the version is published from the current code and kept (RETAIN) when a later deployment publishes the next', () => {
    const [versionId, version] = onlyResourceOfType('AWS::Lambda::Version');
    expect(version).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { FunctionName: { Ref: logicalIdOf(stack.functions['workflow-step']) } },
    });
    // CDK's currentVersion: the logical id carries a hash of the function's code and configuration, so new
    // code is a new Version resource (the old one stays, retained) and a new definition naming it.
    expect(versionId).toMatch(new RegExp(`^${logicalIdOf(stack.lifecycle.workflowStepVersion)}[0-9a-f]{32}$`));
    expect(stack.lifecycle.workflowStepVersion).toBe(stack.functions['workflow-step'].currentVersion);
  });

  test('logs every transition without payloads, traces, and may invoke only workflow-step', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(stack.lifecycle.logGroup), 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    // Its versions only (this deployment's and the retained ones older executions call): `<workflow-step ARN>:*`.
    const machineRoleId = logicalIdOf(stack.lifecycle.stateMachine.role);
    const invokeStatements = Object.values(resourcesOfType('AWS::IAM::Policy'))
      .filter((policy: Json) => policy.Properties.Roles.some((role: Json) => role.Ref === machineRoleId))
      .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: Json) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invokeStatements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.functions['workflow-step']), 'Arn'] }, ':*']] },
      }),
    ]);
  });
});

describe('schedules, users, alerts, outputs', () => {
  test('EventBridge Scheduler invokes the sweeper every 5 minutes', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack.functions.sweeper), 'Arn'] } },
    });
  });
  test('every scheduled job runs at its times of day in Beijing time, invoking scheduled-jobs with the job name', () => {
    const schedules = Object.values(resourcesOfType('AWS::Scheduler::Schedule')).filter(
      (schedule) => schedule.Properties.ScheduleExpressionTimezone === 'Asia/Shanghai',
    );
    const expected = SCHEDULED_JOBS.flatMap((job) => job.times.map((time) => ({ job: job.name, expression: cronExpression(time) })));
    expect(
      schedules
        .map((schedule) => ({ job: JSON.parse(schedule.Properties.Target.Input).job, expression: schedule.Properties.ScheduleExpression }))
        .sort((a, b) => (a.job + a.expression).localeCompare(b.job + b.expression)),
    ).toEqual(expected.sort((a, b) => (a.job + a.expression).localeCompare(b.job + b.expression)));
    for (const schedule of schedules)
      expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.functions['scheduled-jobs']), 'Arn'] });
    expect(cronExpression({ hour: 7, minute: 0, weekdays: [1] })).toBe('cron(0 7 ? * 2 *)');
    expect(cronExpression({ hour: 7, minute: 0, dayOfMonth: 1, months: [1, 4, 7, 10] })).toBe('cron(0 7 1 1,4,7,10 ? *)');
  });

  test('Cognito: admin-created staff, strong passwords, a group per role, who users are and their role read-only to them', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: Match.anyValue(), RequireSymbols: true }) },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'person', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'role' }),
        Match.objectLike({ Name: 'units' }),
        Match.objectLike({ Name: 'department' }),
      ]),
    });
    const [, client] = onlyResourceOfType('AWS::Cognito::UserPoolClient');
    // Read: the ID token carries them (a client that cannot read custom:person gets tokens without it, all refused).
    expect(client.Properties.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:person', 'custom:role', 'custom:units', 'custom:department']),
    );
    // Written by admins only (AdminUpdateUserAttributes): users may not change who they are, their role or scope.
    expect(client.Properties.WriteAttributes.filter((name: string) => name.startsWith('custom:'))).toEqual([]);
    for (const name of ['custom:person', 'custom:role', 'custom:units', 'custom:department', 'phone_number'])
      expect(client.Properties.WriteAttributes).not.toContain(name);
    const groups = Object.values(resourcesOfType('AWS::Cognito::UserPoolGroup')).map((group: Json) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  test('SMS that fail after retries are counted from the logs of the SMS senders, as the core logs them', () => {
    expect(readFileSync(path.join(PROJECT_ROOT, 'shared/core/deliver-sms.ts'), 'utf8')).toContain(`'${SMS_FAILURE_LOG_MESSAGE}'`);
    const sender = logicalIdOf(stack.functions['sms-sender'].logGroup);
    const smsFilters = Object.values(resourcesOfType('AWS::Logs::MetricFilter')).filter((filter: Json) =>
      String(filter.Properties.MetricTransformations[0].MetricName).startsWith('Sms'),
    );
    // Only the SMS sender texts anyone: its failures, and its possible second sends (counted, not alarmed).
    expect(smsFilters.map((filter: Json) => filter.Properties.LogGroupName.Ref)).toEqual([sender, sender]);
    expect(
      smsFilters.map((filter: Json) => [filter.Properties.FilterPattern, filter.Properties.MetricTransformations[0].MetricName]).sort(),
    ).toEqual([
      [`{ $.message = "${SMS_FAILURE_LOG_MESSAGE}" }`, 'SmsFailedAfterRetries'],
      [`{ $.message = "${SMS_MAYBE_TWICE_MESSAGE}" }`, 'SmsMaybeSentTwice'],
    ]);
  });

  test("while a due year's holiday arrangement is missing, the sweeper's warning at each run raises an alarm", () => {
    expect(readFileSync(path.join(PROJECT_ROOT, 'shared/core/operator-warnings.ts'), 'utf8')).toContain(`'${CALENDAR_YEAR_MISSING_LOG}'`);
    const filters = Object.values(resourcesOfType('AWS::Logs::MetricFilter')).filter(
      (filter: Json) => filter.Properties.MetricTransformations[0].MetricName === 'CalendarYearMissing',
    );
    expect(filters.map((filter: Json) => [filter.Properties.LogGroupName.Ref, filter.Properties.FilterPattern])).toEqual([
      [logicalIdOf(stack.functions.sweeper.logGroup), `{ $.message = "${CALENDAR_YEAR_MISSING_LOG}" }`],
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CalendarYearMissing',
      Namespace: 'GridFlow',
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('holiday arrangement'),
    });
  });

  test('operator alerts go to an encrypted topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const alarm of Object.values(resourcesOfType('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: logicalIdOf(stack.alerts.topic) }]);
    }
  });

  test('outputs: API URL, user pool, client, state machine, table', () => {
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'StateMachineArn', 'TableName']) {
      template.hasOutput(output, {});
    }
  });
});
