/**
 * The schema-driven fuzz suite (issue 13 item 1): requests generated from GET /openapi.json's schemas, then
 * mutated — wrong types, missing and extra fields, huge and control-character strings, deep nesting, `__proto__`
 * keys, bad escapes, odd query values — over every route, against the local stack (real handlers, DynamoDB
 * Local). None may get a 5xx, and every 4xx is `{ error: { code, message, fields? } }` (a 400 names its fields).
 *
 * Seeded: FUZZ_SEED=<n> replays a run (the seed and the failing requests are printed on failure); FUZZ_REQUESTS
 * sets how many requests (default 3,000).
 */
import { ensureWebBuild } from '../../web/build';
import { HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
/** Requests in flight at once. */
const WIDTH = 8;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(values: readonly T[]): T => values[int(values.length)] as T,
  };
}
type Random = ReturnType<typeof prng>;

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  pathParameters: { name: string; schema: Schema }[];
  queryParameters: { name: string; schema: Schema }[];
  body?: Schema;
  auth: 'required' | 'optional' | 'none';
}

interface FuzzRequest {
  method: string;
  path: string;
  /** The body as sent (text), or none. */
  body?: string;
  headers: Record<string, string>;
  mutation: string;
}

let stack: Stack;
let operations: Operation[];
let tokens: string[];
/** Real values, so that generated requests get past the schemas and reach the core: ids, codes, cursors. */
const pool = {
  strings: [] as string[],
  eventIds: [] as string[],
  campaignIds: [] as string[],
  cursors: [] as string[],
};

beforeAll(async () => {
  // Mutated paths reach the web app's page too (\`/reports/..\` is \`/\`): without a build it is a 503, so the app is
  // built first, as npm start does (a fresh clone has none until a browser test builds it).
  [stack] = await Promise.all([startStack({ timeScale: 1 }), ensureWebBuild((line) => console.error(line))]);
  tokens = [
    stack.token('district_center', HUICHENG),
    stack.token('town_center', XIAOJINKOU),
    stack.token('community_station', JINYUAN),
    stack.token('grid_worker', JINYUAN_GRID_1),
    stack.token('department', XIAOJINKOU, { department: 'urban-management' }),
    stack.token('supervisor', HUICHENG),
    stack.token('leader', HUICHENG),
    stack.token('admin', HUICHENG),
  ];
  const document = (await stack.call('GET', '/openapi.json')).body;
  operations = operationsOf(document);
  await seedRealValues();
});
afterAll(() => stack?.stop());

function operationsOf(document: any): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters: any[] = operation.parameters ?? [];
      const security: any[] = operation.security ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path'),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema,
        auth: security.length === 0 ? 'none' : security.some((option) => Object.keys(option).length === 0) ? 'optional' : 'required',
      } satisfies Operation;
    }),
  );
}

async function seedRealValues() {
  const [district, town, , worker] = tokens;
  for (let index = 0; index < 3; index++) {
    const { body } = await stack.call('POST', '/events', {
      token: worker,
      body: { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: `垃圾堆积 ${index}`, severity: 4 },
    });
    pool.eventIds.push(body.id);
  }
  const campaign = await stack.call('POST', '/campaigns', {
    token: town,
    body: { title: '排查', instructions: '排查隐患', deadlineAt: new Date(Date.now() + 86_400_000).toISOString(), units: [JINYUAN] },
  });
  if (campaign.body?.id) pool.campaignIds.push(campaign.body.id);
  const page = await stack.call('GET', `/events?unit=${HUICHENG}&limit=1`, { token: district });
  if (page.body?.nextCursor) pool.cursors.push(page.body.nextCursor);
  const today = new Date().toISOString().slice(0, 10);
  pool.strings.push(
    HUICHENG,
    XIAOJINKOU,
    JINYUAN,
    JINYUAN_GRID_1,
    '441302010001099',
    '01-01',
    '01-02',
    '02-03',
    '09-99',
    'urban-management',
    'housing-construction',
    'no-such-department',
    '13000008888',
    '123456',
    today,
    '2026-11-26',
    '2026-W48',
    '2026-11',
    '2026-Q4',
    new Date().toISOString(),
    new Date(Date.now() + 3 * 86_400_000).toISOString(),
    new Date(Date.now() - 3 * 86_400_000).toISOString(),
    'https://p.example.cn/1.jpg',
    ...pool.eventIds,
    'E20261126-7K3M9Q',
    ...pool.campaignIds,
    'C20261126-7K3M9Q',
    ...pool.cursors,
  );
}

// ── Generating valid-looking values from a schema ─────────────────────────────────────────────────────

const TEXT = ['垃圾堆积', 'x', 'blocked drain', '金英街 3 号', '山体滑坡 风险'];

function generate(random: Random, schema: Schema | undefined, name = ''): unknown {
  if (!schema) return random.pick(TEXT);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return generate(random, random.pick(options), name);
  switch (schema.type) {
    case 'object': {
      const required = new Set<string>(schema.required ?? []);
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, Schema>)
          .filter(([key]) => required.has(key) || random.chance(0.5))
          .map(([key, property]) => [key, generate(random, property, key)]),
      );
    }
    case 'array': {
      const length = Math.max(schema.minItems ?? 0, random.int(Math.min(schema.maxItems ?? 3, 3) + 1));
      return Array.from({ length }, () => generate(random, schema.items, name));
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (name === 'limit' ? 1 : 0);
      const high = schema.maximum ?? low + 10;
      const value = low + random.next() * (high - low);
      return schema.type === 'integer' ? Math.round(value) : value;
    }
    case 'boolean':
      return random.chance(0.5);
    default:
      return stringFor(random, schema);
  }
}

function stringFor(random: Random, schema: Schema): string {
  const fits = (value: string) =>
    (!schema.pattern || new RegExp(schema.pattern).test(value)) &&
    value.length >= (schema.minLength ?? 0) &&
    value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  const real = pool.strings.filter(fits);
  if (schema.pattern || schema.format) return real.length ? random.pick(real) : random.pick(TEXT);
  return random.pick([...TEXT, ...real].filter(fits).concat('x'));
}

// ── Mutating ───────────────────────────────────────────────────────────────────────────────────────────

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0000\u0001\u001f\u007f',
  'a\u202eb',
  '\ud800',
  '\udfff\ud800',
  '\uffff',
  '𠀀𠀀𠀀',
  '%',
  '%FF',
  '%E0%A4%A',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  '0x10',
  '1e1',
  '-1',
  '1e308',
  '9'.repeat(400),
  '\n\r\t',
  'ʕ•ᴥ•ʔ',
];
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', 'a.b', '$where'];

function nastyValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 1 ? 7 : 10)) {
    case 0:
      return random.pick(NASTY_STRINGS);
    case 1:
      return random.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -0]);
    case 2:
      return random.pick([true, false, null]);
    case 3:
      return 'x'.repeat(random.pick([2001, 5000, 20_000, 70_000]));
    case 4:
      return Array.from({ length: random.int(40) }, () => random.pick(NASTY_STRINGS)).join('');
    case 5:
      return random.pick(pool.strings);
    case 6:
      return [];
    case 7:
      return { [random.pick(NASTY_KEYS)]: nastyValue(random, depth + 1) };
    case 8:
      return Array.from({ length: random.int(5) }, () => nastyValue(random, depth + 1));
    default:
      return deep(random.pick([20, 200]), random.chance(0.5));
  }
}

function deep(levels: number, arrays: boolean): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = arrays ? [value] : { a: value };
  return value;
}

/** Nested `levels` deep, as text (JSON.stringify of it would overflow the stack). */
function deepText(levels: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Paths to every value inside a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

function setAt(root: unknown, path: (string | number)[], change: (parent: any, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  let parent: any = root;
  for (const key of path.slice(0, -1)) parent = parent[key];
  change(parent, path[path.length - 1] as string | number);
  return root;
}

/** A body mutation: the new body's text (JSON or not) and what was done. */
function mutateBody(random: Random, body: unknown): { text?: string; what: string } {
  const copy = structuredClone(body);
  const paths = pathsOf(copy).filter((path) => path.length > 0);
  const target = paths.length ? random.pick(paths) : undefined;
  switch (random.int(12)) {
    case 0:
      if (!target) break;
      setAt(copy, target, (parent, key) => {
        parent[key] = nastyValue(random);
      });
      return { text: JSON.stringify(copy), what: `${target.join('.')} = nasty value` };
    case 1:
      if (!target) break;
      setAt(copy, target, (parent, key) => {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      });
      return { text: JSON.stringify(copy), what: `${target.join('.')} removed` };
    case 2: {
      const key = random.chance(0.5) ? random.pick(NASTY_KEYS) : `extra${random.int(100)}`;
      const value = JSON.stringify(nastyValue(random));
      const text = JSON.stringify(copy);
      // Written into the text: JSON.parse makes `__proto__` an own key, as a hostile client's body would.
      return {
        text: text.startsWith('{') && text !== '{}' ? `{${JSON.stringify(key)}:${value},${text.slice(1)}` : text,
        what: `extra ${key}`,
      };
    }
    case 3:
      return { text: JSON.stringify(nastyValue(random)), what: 'body replaced by a nasty value' };
    case 4:
      return {
        text: random.pick(['{', '{"a":', 'nul', '[1,]', '\u0000', '{"a":"\\u12"}', '"\\ud800"', '{}}', "{'a':1}"]),
        what: 'malformed JSON',
      };
    case 5:
      return { text: undefined, what: 'no body' };
    case 6:
      return { text: deepText(random.pick([100, 1000, 10_000]), random.chance(0.5)), what: 'deep nesting' };
    case 7:
      if (!target) break;
      setAt(copy, target, (parent, key) => {
        parent[key] = random.pick([[parent[key]], { value: parent[key] }, String(parent[key]), Number(parent[key]) || 0]);
      });
      return { text: JSON.stringify(copy), what: `${target.join('.')} wrapped or retyped` };
    case 8:
      return {
        text: JSON.stringify(copy).replace(/"([^"\\]*)"/, (_, text) => `"${text}${random.pick(NASTY_STRINGS)}"`),
        what: 'string edited',
      };
    default:
      break;
  }
  return { text: JSON.stringify(copy), what: 'unchanged' };
}

function queryValue(random: Random): string {
  return random.pick([
    ...NASTY_STRINGS,
    '0',
    '-5',
    '101',
    '1000000000000000000000',
    'true',
    'TRUE',
    '[]',
    '{}',
    'x'.repeat(3000),
    '9999-W52',
    '0000-01',
    '9999-12',
    '1900-01-01',
    '2100-Q1',
    '2026-W53',
    '2026-02-30',
    Buffer.from(JSON.stringify({ status: 'open', key: { pk: 'x' } })).toString('base64url'),
    Buffer.from(JSON.stringify({ status: 'open', positions: { x: null } })).toString('base64url'),
    ...pool.strings,
  ]);
}

function parsedOrEmpty(text: string | undefined): unknown {
  try {
    return text === undefined ? {} : JSON.parse(text);
  } catch {
    return {};
  }
}

/** One request for an operation: generated, then (most of the time) mutated. */
function requestFor(random: Random, operation: Operation): FuzzRequest {
  const mutations: string[] = [];
  const ids = Object.fromEntries(
    operation.pathParameters.map((parameter) => [parameter.name, encodeURIComponent(String(generate(random, parameter.schema)))]),
  );
  const query = new URLSearchParams();
  for (const parameter of operation.queryParameters)
    if (random.chance(0.4)) query.append(parameter.name, String(generate(random, parameter.schema, parameter.name)));
  let body = operation.body ? JSON.stringify(generate(random, operation.body)) : undefined;
  const headers: Record<string, string> = {};
  if (operation.auth !== 'none' && (operation.auth === 'required' || random.chance(0.5)) && !random.chance(0.03))
    headers.authorization = `Bearer ${random.pick(tokens)}`;

  let bodyReplaced = false;
  const rounds = random.chance(0.05) ? 0 : 1 + random.int(3);
  for (let round = 0; round < rounds; round++) {
    const kind = random.int(10);
    if (kind < 4 && operation.body && !bodyReplaced) {
      const mutated = mutateBody(random, parsedOrEmpty(body));
      body = mutated.text;
      // A body replaced whole (malformed, deep, none) is left as it is.
      bodyReplaced = !['removed', 'nasty value', 'extra', 'retyped', 'edited', 'unchanged'].some((word) => mutated.what.includes(word));
      mutations.push(`body: ${mutated.what}`);
    } else if (kind < 7) {
      const name =
        random.chance(0.8) && operation.queryParameters.length ? random.pick(operation.queryParameters).name : random.pick(NASTY_KEYS);
      const value = queryValue(random);
      if (random.chance(0.2)) query.append(name, value);
      else query.set(name, value);
      mutations.push(`query ${name}`);
    } else if (kind < 8 && operation.pathParameters.length) {
      const parameter = random.pick(operation.pathParameters);
      ids[parameter.name] = random.chance(0.5)
        ? random.pick(['%', '%FF', '%E0%A4%A', '%00', '%2F', '..', '%25', 'x'.repeat(2000), '%C0%AF', '%ED%A0%80'])
        : encodeURIComponent(queryValue(random).replace(/[\ud800-\udfff]/g, '\ufffd'));
      mutations.push(`path ${parameter.name}`);
    } else if (kind < 9) {
      const header = random.pick(['idempotency-key', 'accept', 'content-type', 'authorization']);
      headers[header] = random.pick([
        'x'.repeat(300),
        'has spaces',
        '*/*',
        'text/html',
        'text/csv;q=0.5, application/json',
        'application/json; charset=latin1',
        'text/plain',
        'Bearer ',
        'Bearer x.y.z',
        'Basic YTpi',
        'ok-key-1',
      ]);
      mutations.push(`header ${header}`);
    } else {
      query.set(random.pick(['unexpected', '__proto__', 'constructor', 'limit', 'cursor']), queryValue(random));
      mutations.push('extra query');
    }
  }
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'x');
  const search = query.toString();
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return {
    method: operation.method,
    path: `${path}${search ? `?${search}` : ''}`,
    body,
    headers,
    mutation: mutations.join('; ') || 'none',
  };
}

/** What is wrong with a reply, or undefined. */
function problemOf(operation: Operation, status: number, text: string): string | undefined {
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return undefined;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${status} that is not JSON`;
  }
  // The JWT authorizer's own 401 (the HTTP API's shape, as in the cloud).
  if (status === 401 && operation.auth === 'required' && body?.message === 'Unauthorized' && !body.error) return undefined;
  const error = body?.error;
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') return `a ${status} without { error: { code, message } }`;
  if (error.fields !== undefined) {
    const valid =
      Array.isArray(error.fields) &&
      error.fields.every((problem: any) => typeof problem?.field === 'string' && typeof problem?.message === 'string');
    if (!valid) return `a ${status} whose fields are not [{ field, message }]`;
  }
  if (status === 400 && !(error.fields?.length > 0 && error.fields.every((problem: any) => problem.field !== '')))
    return 'a 400 that names no field';
  return undefined;
}

test(`${REQUESTS} mutated requests over every route: no 5xx, every 4xx names its problem (seed ${SEED})`, async () => {
  const random = prng(SEED);
  const routes = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
  expect(routes.size).toBeGreaterThanOrEqual(15);
  const requests = Array.from({ length: REQUESTS }, (_, index) => {
    const operation = operations[index % operations.length] as Operation;
    return { operation, request: requestFor(random, operation) };
  });
  const failures: { kind: string; line: string }[] = [];
  const statuses: Record<string, number> = {};
  const started = Date.now();
  for (let start = 0; start < requests.length; start += WIDTH) {
    await Promise.all(
      requests.slice(start, start + WIDTH).map(async ({ operation, request }, offset) => {
        const described = () =>
          `${request.method} ${request.path.slice(0, 300)} [${request.mutation}] headers=${JSON.stringify(request.headers).slice(0, 300)} body=${String(request.body).slice(0, 300)}`;
        let response: Response;
        let text: string;
        try {
          response = await fetch(`${stack.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
          text = await response.text();
        } catch (error) {
          failures.push({
            kind: `no reply ${operation.method} ${operation.path}`,
            line: `#${start + offset} no reply (${String((error as Error).cause ?? error)}): ${described()}`,
          });
          return;
        }
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const problem = problemOf(operation, response.status, text);
        if (problem)
          failures.push({
            kind: `${problem} ${operation.method} ${operation.path}`,
            line: `#${start + offset} ${problem}: ${described()} → ${text.slice(0, 300)}`,
          });
      }),
    );
  }
  const summary = `seed ${SEED}, ${REQUESTS} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, statuses ${JSON.stringify(statuses)}`;
  if (failures.length) {
    // The first of each kind (problem, route), at most 40.
    const firsts = [...new Map(failures.map((failure) => [failure.kind, failure.line])).entries()].slice(0, 40);
    const lines = firsts.map(([kind, line]) => `${kind} (×${failures.filter((failure) => failure.kind === kind).length}):\n  ${line}`);
    throw new Error(`${failures.length} bad replies (FUZZ_SEED=${SEED} replays) — ${summary}\n${lines.join('\n')}`);
  }
  console.log(summary);
}, 240_000);
