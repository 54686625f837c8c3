/**
 * The permission check: each AWS call the functions made in the tests (dev-server/aws-call-recorder.ts),
 * held against the policies of the synthesized template for that function's role — matching the action
 * (IAM wildcards), the resource type and the resource's logical id or index name (local ARNs never equal
 * CloudFormation's, so both sides are turned into ARNs that name logical ids), honouring Deny, NotAction
 * and NotResource. It also lists the grants no recorded call used.
 */
import { type CallResource, PUBLISHED_VERSION, type RecordedCall } from '../../dev-server/aws-call-recorder';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- template fragments

/** What the check reads of a stack: its resources, and where local names meet logical ids. */
export interface PolicyModel {
  /** The template's Resources. */
  resources: Record<string, Json>;
  /** A function's handler name (or the state machine's name) → the logical id of the role it runs as. */
  roles: Record<string, string>;
  /** Local names → logical ids: the table by its local name, functions by handler name. */
  tables: Record<string, string>;
  functions: Record<string, string>;
}

export interface Denial {
  call: RecordedCall;
  reason: string;
}

export interface UnusedGrant {
  principal: string;
  action: string;
  resource: string;
}

export interface CheckResult {
  denied: Denial[];
  unused: UnusedGrant[];
  /** Principals with calls the check does not judge (tests' own reads through the operator's composition). */
  unjudged: Record<string, number>;
}

const REGION = 'REGION';
const ACCOUNT = 'ACCOUNT';

/**
 * Actions the services use on the role's behalf, never the function's code (the Lambda runtime writes
 * logs, active tracing sends X-Ray segments, Step Functions delivers its logs, Lambda sends a failed
 * asynchronous run to the function's on-failure queue, and reads the table's stream for the SMS sender):
 * no recorded call uses them.
 */
const USED_BY_THE_SERVICE =
  /^((logs|xray):|sqs:(SendMessage|GetQueueAttributes|GetQueueUrl)$|dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$)/;

export function checkCalls(model: PolicyModel, calls: RecordedCall[], judged: (principal: string) => boolean): CheckResult {
  const statementsByPrincipal = new Map<string, Statement[]>();
  const statementsOf = (principal: string): Statement[] => {
    let statements = statementsByPrincipal.get(principal);
    if (!statements) {
      statements = roleStatements(model, model.roles[principal]);
      statementsByPrincipal.set(principal, statements);
    }
    return statements;
  };

  const denied: Denial[] = [];
  const unjudged: Record<string, number> = {};
  const used = new Set<string>();
  for (const call of calls) {
    if (!judged(call.principal)) {
      unjudged[call.principal] = (unjudged[call.principal] ?? 0) + call.count;
      continue;
    }
    if (!model.roles[call.principal]) {
      denied.push({ call, reason: `no role in the template runs '${call.principal}'` });
      continue;
    }
    const arn = callArn(model, call.resource);
    if (arn === undefined) {
      denied.push({ call, reason: `the resource ${JSON.stringify(call.resource)} is nothing the template defines` });
      continue;
    }
    const verdict = evaluate(statementsOf(call.principal), call.action, arn);
    if (verdict.allowedBy) for (const grant of verdict.allowedBy) used.add(`${call.principal} ${grant}`);
    if (verdict.decision !== 'allow')
      denied.push({
        call,
        reason:
          verdict.decision === 'deny'
            ? `explicitly denied (${call.action} on ${arn})`
            : `no statement of role ${model.roles[call.principal]} allows ${call.action} on ${arn}`,
      });
  }

  const unused: UnusedGrant[] = [];
  for (const principal of Object.keys(model.roles)) {
    for (const statement of statementsOf(principal).filter((candidate) => candidate.effect === 'Allow')) {
      for (const action of statement.actions) {
        if (USED_BY_THE_SERVICE.test(action)) continue;
        for (const resource of statement.resources ?? [`NOT ${statement.notResources?.join(', ')}`]) {
          if (!used.has(`${principal} ${grantKey(action, resource)}`)) unused.push({ principal, action, resource });
        }
      }
    }
  }
  return { denied, unused, unjudged };
}

/** The calls of many files (and flushes) summed per distinct call. */
export function mergeCalls(lines: RecordedCall[]): RecordedCall[] {
  const byKey = new Map<string, RecordedCall>();
  for (const { count, ...call } of lines) {
    const key = JSON.stringify(call);
    const entry = byKey.get(key);
    if (entry) entry.count += count;
    else byKey.set(key, { ...call, count });
  }
  return [...byKey.values()];
}

export function describeCall(call: RecordedCall): string {
  return `${call.principal}: ${call.action}${call.via ? ` (in ${call.via})` : ''} on ${JSON.stringify(call.resource)} (${call.count}×)`;
}

// ── Policies ──────────────────────────────────────────────────────────────────────────────────────────

interface Statement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions?: string[];
  /** ARN patterns (logical ids for names); `resources` or `notResources`. */
  resources?: string[];
  notResources?: string[];
}

/** Every statement of the role: its inline Policies and the AWS::IAM::Policy resources attached to it. */
function roleStatements(model: PolicyModel, roleId: string | undefined): Statement[] {
  if (!roleId) return [];
  const role = model.resources[roleId];
  const documents: Json[] = [
    ...((role?.Properties?.Policies ?? []) as Json[]).map((policy) => policy.PolicyDocument),
    ...Object.values(model.resources)
      .filter(
        (resource: Json) =>
          resource.Type === 'AWS::IAM::Policy' && (resource.Properties.Roles ?? []).some((ref: Json) => ref?.Ref === roleId),
      )
      .map((policy: Json) => policy.Properties.PolicyDocument),
  ];
  if ((role?.Properties?.ManagedPolicyArns ?? []).length)
    throw new Error(`Role ${roleId} has managed policies, which the check cannot read`);
  return documents.flatMap((document) =>
    [document.Statement].flat().map((statement: Json): Statement => {
      if (statement.Condition) throw new Error(`Role ${roleId} has a statement with a Condition, which the check cannot evaluate`);
      const list = (value: Json) => (value === undefined ? undefined : [value].flat());
      return {
        effect: statement.Effect,
        actions: list(statement.Action) ?? [],
        notActions: list(statement.NotAction),
        resources: list(statement.Resource)?.map((resource: Json) => resolve(model, resource)),
        notResources: list(statement.NotResource)?.map((resource: Json) => resolve(model, resource)),
      };
    }),
  );
}

function evaluate(statements: Statement[], action: string, arn: string): { decision: 'allow' | 'deny' | 'implicit'; allowedBy?: string[] } {
  const applies = (statement: Statement): string[] => {
    const actionMatches = statement.notActions
      ? !statement.notActions.some((pattern) => matches(pattern, action, true))
      : statement.actions.some((pattern) => matches(pattern, action, true));
    if (!actionMatches) return [];
    if (statement.notResources)
      return statement.notResources.some((pattern) => matches(pattern, arn)) ? [] : [`NOT ${statement.notResources.join(', ')}`];
    return (statement.resources ?? []).filter((pattern) => matches(pattern, arn));
  };
  if (statements.some((statement) => statement.effect === 'Deny' && applies(statement).length > 0)) return { decision: 'deny' };
  const allowedBy = statements
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) =>
      applies(statement).flatMap((resource) =>
        (statement.notActions ? ['*'] : statement.actions.filter((pattern) => matches(pattern, action, true))).map((pattern) =>
          grantKey(pattern, resource),
        ),
      ),
    );
  return allowedBy.length ? { decision: 'allow', allowedBy } : { decision: 'implicit' };
}

const grantKey = (action: string, resource: string) => `${action} ${resource}`;

/** IAM's wildcards: `*` any run of characters, `?` one; actions compare without case. */
export function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

// ── Resources as ARNs that name logical ids ───────────────────────────────────────────────────────────

const arnOf = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

/** The ARN a call acts on, with logical ids for names; undefined when the template has no such resource. */
function callArn(model: PolicyModel, resource: CallResource): string | undefined {
  if ('phoneNumber' in resource) return 'phone-number (no ARN)';
  if ('table' in resource) {
    const table = model.tables[resource.table];
    return table && arnOf('dynamodb', `table/${table}${resource.index ? `/index/${resource.index}` : ''}`);
  }
  if ('taskToken' in resource) {
    // The token names no state machine; IAM checks it against the one that issued it — the stack has one.
    const machines = idsOfType(model, 'AWS::StepFunctions::StateMachine');
    return machines.length === 1 ? arnOf('states', `stateMachine:${machines[0]}`) : undefined;
  }
  if ('execution' in resource) {
    const machine = stateMachineNamed(model, resource.stateMachine);
    return machine && arnOf('states', `execution:${machine}:${resource.execution}`);
  }
  if ('stateMachine' in resource) {
    const machine = stateMachineNamed(model, resource.stateMachine);
    return machine && arnOf('states', `stateMachine:${machine}`);
  }
  if ('function' in resource) {
    const fn = model.functions[resource.function];
    const qualifier = resource.qualifier === PUBLISHED_VERSION ? (versionOf(model, fn) ?? 'no-published-version') : resource.qualifier;
    return fn && arnOf('lambda', `function:${fn}${qualifier ? `:${qualifier}` : ''}`);
  }
  if ('topic' in resource) {
    const name = resource.topic.split(':').at(-1) ?? '';
    const topic = idsOfType(model, 'AWS::SNS::Topic').find((id) => model.resources[id].Properties?.TopicName === name);
    return arnOf('sns', topic ?? name);
  }
  return undefined;
}

/** The logical id of the function's published version (AWS::Lambda::Version), which an ARN of it names. */
function versionOf(model: PolicyModel, functionId: string | undefined): string | undefined {
  return idsOfType(model, 'AWS::Lambda::Version').find((id) => {
    const name = model.resources[id].Properties?.FunctionName;
    return name?.Ref === functionId || name === functionId;
  });
}

function idsOfType(model: PolicyModel, type: string): string[] {
  return Object.keys(model.resources).filter((id) => model.resources[id].Type === type);
}

function stateMachineNamed(model: PolicyModel, name: string): string | undefined {
  return idsOfType(model, 'AWS::StepFunctions::StateMachine').find((id) => model.resources[id].Properties?.StateMachineName === name);
}

/** Physical names the template gives its resources, so that ARNs built from names point at logical ids. */
function namedResources(model: PolicyModel): [string, string, string][] {
  const nameProperties: Record<string, [string, string]> = {
    'AWS::StepFunctions::StateMachine': ['StateMachineName', ':stateMachine:'],
    'AWS::DynamoDB::Table': ['TableName', ':table/'],
    'AWS::Lambda::Function': ['FunctionName', ':function:'],
    'AWS::SNS::Topic': ['TopicName', ':'],
  };
  return Object.entries(model.resources).flatMap(([id, resource]: [string, Json]) => {
    const [property, prefix] = nameProperties[resource.Type] ?? [];
    const name = property && resource.Properties?.[property];
    if (typeof name !== 'string') return [];
    // A state machine's executions are named under it: `…:execution:<machine name>:<execution name>`.
    const executions: [string, string, string][] = resource.Type === 'AWS::StepFunctions::StateMachine' ? [[':execution:', name, id]] : [];
    return [[prefix, name, id] as [string, string, string], ...executions];
  });
}

/** A policy's Resource value as an ARN pattern naming logical ids. */
function resolve(model: PolicyModel, value: Json): string {
  let text = intrinsic(model, value);
  for (const [prefix, name, id] of namedResources(model)) {
    text = text.replace(new RegExp(`${escapeRegExp(prefix)}${escapeRegExp(name)}(?=$|[:/])`), `${prefix}${id}`);
  }
  return text;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

function intrinsic(model: PolicyModel, value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref !== undefined) return ref(model, value.Ref);
  if (value?.['Fn::GetAtt']) {
    const [id, attribute] = typeof value['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.') : value['Fn::GetAtt'];
    return getAtt(model, id, attribute);
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return (parts as Json[]).map((part) => intrinsic(model, part)).join(separator);
  }
  if (value?.['Fn::Sub'] !== undefined) {
    const [text, variables] = typeof value['Fn::Sub'] === 'string' ? [value['Fn::Sub'], {}] : value['Fn::Sub'];
    return (text as string).replace(/\$\{([\w:.]+)\}/g, (_, name: string) => {
      if (name in (variables as object)) return intrinsic(model, variables[name]);
      if (name in PSEUDO) return PSEUDO[name];
      const [id, attribute] = name.split('.');
      return attribute ? getAtt(model, id, attribute) : ref(model, id);
    });
  }
  throw new Error(`The check cannot read the policy resource ${JSON.stringify(value)}`);
}

function ref(model: PolicyModel, id: string): string {
  if (id in PSEUDO) return PSEUDO[id];
  const resource = model.resources[id];
  if (!resource) throw new Error(`A policy refers to ${id}, which the template does not define`);
  switch (resource.Type) {
    case 'AWS::Lambda::Version':
      return `${intrinsic(model, resource.Properties.FunctionName).replace(/^(?!arn:)/, arnOf('lambda', 'function:'))}:${id}`;
    case 'AWS::Lambda::Alias':
      return `${intrinsic(model, resource.Properties.FunctionName).replace(/^(?!arn:)/, arnOf('lambda', 'function:'))}:${resource.Properties.Name}`;
    case 'AWS::SNS::Topic':
      return arnOf('sns', id);
    case 'AWS::StepFunctions::StateMachine':
      return arnOf('states', `stateMachine:${id}`);
    case 'AWS::SQS::Queue':
      return `https://sqs/${id}`;
    default:
      return id;
  }
}

function getAtt(model: PolicyModel, id: string, attribute: string): string {
  const resource = model.resources[id];
  if (!resource) throw new Error(`A policy refers to ${id}, which the template does not define`);
  if (resource.Type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn') return arnOf('dynamodb', `table/${id}/stream/*`);
  if (attribute !== 'Arn' && !(resource.Type === 'AWS::SNS::Topic' && attribute === 'TopicArn'))
    throw new Error(`The check cannot read ${id}.${attribute}`);
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table':
      return arnOf('dynamodb', `table/${id}`);
    case 'AWS::Lambda::Function':
      return arnOf('lambda', `function:${id}`);
    case 'AWS::StepFunctions::StateMachine':
      return arnOf('states', `stateMachine:${id}`);
    case 'AWS::Logs::LogGroup':
      return arnOf('logs', `log-group:${id}:*`);
    case 'AWS::SQS::Queue':
      return arnOf('sqs', id);
    case 'AWS::SNS::Topic':
      return arnOf('sns', id);
    default:
      return arnOf(String(resource.Type).split('::')[1].toLowerCase(), id);
  }
}
