import fc from 'fast-check';
import {
  enumerateMutants,
  HOSTILE_DATES,
  JsonEntries,
  withKey,
  mutantArbitrary,
  RawJson,
  resolve,
  toJsonText,
  validate,
  valueArbitrary,
  type ArbitraryOptions,
  type JsonSchema,
  type Mutant,
  type Refuse,
} from './schemaArbitraries';

/**
 * Whole HTTP requests for each operation of the OpenAPI document (plus the
 * HTML pages it does not describe): a valid request, or one with exactly one
 * part changed (auth, a path parameter, the query, the content type, the
 * body, another header), labelled with what was changed and what a correct
 * server answers.
 */

// ------------------------------------------------------------------ operations

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** "POST /admin/tenants" (the form variant of a JSON route: "POST /auth/password-reset (form)") */
  id: string;
  method: string;
  /** OpenAPI path template: /admin/tenants/{tenantId} */
  path: string;
  params: Param[];
  body?: { schema: JsonSchema; required: boolean; contentType: 'json' | 'form' } | undefined;
  /** security scheme names; empty: no authentication */
  auth: string[];
  /** json: errors are problem documents; html: a page for people; static: files */
  kind: 'json' | 'html' | 'static';
  /** statuses the document lists */
  statuses: number[];
  /** 2xx response schemas by status (JSON only) */
  responseSchemas: Record<number, JsonSchema>;
  /** the OpenAPI document the schemas' `$ref`s point into (named components such as AuditEvent) */
  schemaRoot?: unknown;
  /** in the OpenAPI document (false: the pages list below) */
  documented: boolean;
  /** a page form posts to the same method and path: urlencoded bodies are the page's, not this route's */
  formTwin?: boolean;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

interface OpenApiDoc {
  paths?: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
  components?: { securitySchemes?: Record<string, { type?: string; scheme?: string; description?: string }> };
}

type Any = any;

/** Every method + path of the document. */
export function operationsOf(openapi: unknown): Operation[] {
  const doc = openapi as OpenApiDoc;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const shared = ((item as Any).parameters ?? []) as Any[];
    for (const method of METHODS) {
      const op = (item as Any)[method];
      if (!op) continue;
      const params: Param[] = [...shared, ...(op.parameters ?? [])].map((p: Any) => ({
        name: p.name, in: p.in, required: Boolean(p.required || p.in === 'path'), schema: resolve(p.schema ?? {}, openapi),
      }));
      const content = op.requestBody?.content ?? {};
      // JSON bodies (not NDJSON: a user import's file is a stream its own tests cover, not a JSON document to mutate)
      const jsonType = Object.keys(content).find((c) => /^application\/([\w.-]+\+)?json$/i.test(c));
      const formType = Object.keys(content).find((c) => /x-www-form-urlencoded/i.test(c));
      const bodyType = jsonType ?? formType;
      const responses = (op.responses ?? {}) as Record<string, Any>;
      const html = Object.entries(responses).some(([s, r]) => s.startsWith('2') && Object.keys(r?.content ?? {}).some((c) => c.includes('html')));
      const security = (op.security ?? doc.security ?? []) as Record<string, string[]>[];
      const responseSchemas: Record<number, JsonSchema> = {};
      for (const [s, r] of Object.entries(responses)) {
        const schema = r?.content?.['application/json']?.schema;
        if (s.startsWith('2') && schema) responseSchemas[Number(s)] = resolve(schema, openapi);
      }
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params,
        body: bodyType ? { schema: resolve(content[bodyType].schema ?? {}, openapi), required: Boolean(op.requestBody?.required), contentType: jsonType ? 'json' : 'form' } : undefined,
        auth: security.flatMap((s) => Object.keys(s)),
        kind: html ? 'html' : 'json',
        statuses: Object.keys(responses).map(Number).filter((n) => Number.isFinite(n)),
        responseSchemas,
        schemaRoot: openapi,
        documented: true,
      });
    }
  }
  return ops;
}

const str = (o: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', ...o });
const form = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({ type: 'object', properties, required, additionalProperties: true });
const slug = str({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' });

/**
 * The server-rendered pages and files, which the OpenAPI document does not
 * describe (forms post application/x-www-form-urlencoded and answer HTML).
 */
export const PAGE_OPERATIONS: Operation[] = [
  page('GET', '/reset-password', [{ name: 'token', in: 'query', required: true, schema: str({ maxLength: 512 }) }]),
  page('POST', '/auth/password-reset', [], form({ token: str({ maxLength: 512 }), newPassword: str({ maxLength: 4096 }), confirmPassword: str({ maxLength: 4096 }) }, ['token', 'newPassword', 'confirmPassword']), ' (form)'),
  // "this wasn't me": the notice's link opens the page, whose form posts the token (the JSON route's twin)
  page('GET', '/report-password-change', [{ name: 'token', in: 'query', required: true, schema: str({ maxLength: 512 }) }]),
  page('POST', '/auth/password-change-report', [], form({ token: str({ maxLength: 512 }) }, ['token']), ' (form)'),
  page('GET', '/sign-in', [{ name: 'tenant', in: 'query', required: true, schema: slug }]),
  page('POST', '/sign-in', [], form({ tenant: slug, email: str({ maxLength: 254 }), password: str({ maxLength: 4096 }) }, ['tenant', 'email', 'password'])),
  page('POST', '/sign-in/change', [], form({
    tenant: slug, changeToken: str({ minLength: 1, maxLength: 512 }), reason: str({ enum: ['temporary_password', 'admin_forced', 'scheduled_rotation'] }),
    newPassword: str({ maxLength: 4096 }), confirmPassword: str({ maxLength: 4096 }),
  }, ['tenant', 'changeToken', 'reason', 'newPassword', 'confirmPassword'])),
  page('GET', '/signed-in', [{ name: 'tenant', in: 'query', required: true, schema: slug }, { name: 'rf_session', in: 'cookie', required: false, schema: str() }]),
  page('POST', '/sign-out', [{ name: 'rf_session', in: 'cookie', required: false, schema: str() }], form({ tenant: slug }, [])),
  { ...page('GET', '/console', []), kind: 'static' },
  { ...page('GET', '/console/', []), kind: 'static' },
  { ...page('GET', '/console/{rest}', [{ name: 'rest', in: 'path', required: true, schema: str({ pattern: '^[a-z][a-z0-9/-]{0,30}$' }) }]), kind: 'static' },
  { ...page('GET', '/console/assets/{file}', [{ name: 'file', in: 'path', required: true, schema: str({ pattern: '^[a-z0-9-]{1,20}\\.(js|css)$' }) }]), kind: 'static' },
  { ...page('GET', '/console/theme.css', []), kind: 'static' },
  { ...page('GET', '/healthz', []), kind: 'json' },
  { ...page('GET', '/openapi.json', []), kind: 'json' },
];

function page(method: string, path: string, params: Param[], body?: JsonSchema, suffix = ''): Operation {
  return {
    id: `${method} ${path}${suffix}`, method, path, params, body: body ? { schema: body, required: true, contentType: 'form' } : undefined,
    auth: [], kind: 'html', statuses: [], responseSchemas: {}, documented: false,
  };
}

/** The document's operations, and the pages it does not describe (unless it does). */
export function allOperations(openapi: unknown): Operation[] {
  const pages = PAGE_OPERATIONS.filter((p) => !operationsOf(openapi).some((o) => o.id === p.id));
  const documented = operationsOf(openapi).map((o) => (pages.some((p) => p.method === o.method && p.path === o.path && p.body?.contentType === 'form') ? { ...o, formTwin: true } : o));
  return [...documented, ...pages];
}

// ------------------------------------------------------------------ requests

export interface Mutation {
  part: 'auth' | 'path' | 'query' | 'content-type' | 'body' | 'header' | 'cookie';
  /** a parameter, field path or header name */
  where: string;
  kind: string;
  why: string;
  refuse: Refuse;
  /** statuses a correct server answers with when this is the only thing wrong */
  expect?: number[] | undefined;
  /** the problem code a correct server answers with */
  expectCode?: string | undefined;
}

export interface FuzzRequest {
  op: string;
  method: string;
  /** path and query string, exactly as sent (already percent-encoded, junk included) */
  path: string;
  headers: [string, string][];
  body?: Uint8Array | undefined;
  /** what was changed from a valid request (empty: a valid request) */
  mutations: Mutation[];
}

/** What the harness seeded through the API, so that valid ids exist. */
export interface Fixtures {
  /** existing values by parameter or property name: tenantId, userId, sessionId, resetId, operationId, email, changeToken… */
  values: Record<string, string[]>;
  /** cursors returned by the API, by operation path template */
  cursors: Record<string, string[]>;
  /** bearer credentials by security scheme name */
  bearer: Record<string, string[]>;
  /** whole Authorization values, for schemes whose credential is no bearer token (the mail webhook's HTTP Basic) */
  authorization?: Record<string, string[]>;
  /** cookies a browser of a signed-in user would send, by name */
  cookies: Record<string, string[]>;
  /**
   * A session the harness keeps alive: credentials above may hold the placeholder SESSION_PLACEHOLDER, replaced by a
   * live token when the request is sent (valid sign-outs and revocations end sessions during a run).
   */
  session?: { tenant: string; email: string; password: string; token: string } | undefined;
}

export const SESSION_PLACEHOLDER = '{{session}}';

const WORDS = ['copper', 'lantern', 'meadow', 'quartz', 'violet', 'harbor', 'cinder', 'maple', 'orbit', 'tundra', 'saffron', 'glacier', 'pepper', 'falcon', 'juniper', 'marble'];
/** Passphrases any sane policy accepts (four words, a number). */
export const passphraseArb = fc
  .tuple(fc.shuffledSubarray(WORDS, { minLength: 4, maxLength: 4 }), fc.integer({ min: 10, max: 99 }))
  .map(([w, n]) => `${w.join('-')}-${n}`);

const tokenArb = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const plainEmailArb = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/), fc.constantFrom('example.com', 'example.org', 'mail.example'))
  .map(([a, d]) => `${a}@${d}`);
/** Unicode spellings of an address that case-folding functions disagree on (issue 17): İ, the Kelvin sign, ß, fullwidth, NFD. */
const UNICODE_CASE_VARIANTS: ((e: string) => string)[] = [
  (e) => e.replace(/i/g, '\u0130'),
  (e) => e.replace(/k/g, '\u212a'),
  (e) => e.replace(/ss/g, '\u00df').replace(/s/g, '\u017f'),
  (e) => e.replace(/[a-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)),
  (e) => e.toUpperCase().normalize('NFD'),
];
const emailArb = fc.oneof(
  { weight: 4, arbitrary: plainEmailArb },
  { weight: 1, arbitrary: fc.tuple(plainEmailArb, fc.constantFrom(...UNICODE_CASE_VARIANTS)).map(([e, f]) => f(e)) },
);

/** Cron expressions and time zones: valid ones that fire rarely (so a valid PUT starts nothing during a run) and ones Temporal reads otherwise. */
const RARE_CRONS = ['0 3 1 1 *', '30 2 1 7 *', '@yearly', '15 4 29 2 *', '0 5 1 */6 *', '45 23 31 12 *'];
const TIMEZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Adelaide', 'Asia/Kolkata'];

const CRON_MUTANTS: Mutant[] = [
  { value: '0 0 L * *', where: '', kind: 'cron:L', why: 'cron "L" (last day of month): cron-parser accepts it, Temporal schedules do not', refuse: 'must', expect: [400] },
  { value: '0 0 * * 1#2', where: '', kind: 'cron:hash', why: 'cron "1#2" (second Monday): Temporal reads "#" as the start of a comment (every Monday)', refuse: 'must', expect: [400] },
  { value: '0 0 LW * *', where: '', kind: 'cron:LW', why: 'cron "LW"', refuse: 'must', expect: [400] },
  { value: '0 0 15W * *', where: '', kind: 'cron:W', why: 'cron "15W" (nearest weekday)', refuse: 'must', expect: [400] },
  { value: '0 0 * * 5L', where: '', kind: 'cron:5L', why: 'cron "5L" (last Friday)', refuse: 'must', expect: [400] },
  { value: '@every 5m', where: '', kind: 'cron:@every', why: '"@every 5m" (Temporal: an interval; not a cron expression)', refuse: 'any' },
  { value: '0 0 ? * 1', where: '', kind: 'cron:question', why: 'cron "?"', refuse: 'any' },
  { value: '0 0 31 2 *', where: '', kind: 'cron:never', why: 'cron that never fires (31 February)', refuse: 'should', expect: [400] },
  { value: '60 0 * * *', where: '', kind: 'cron:minute_60', why: 'minute 60', refuse: 'must', expect: [400] },
  { value: '*/0 * * * *', where: '', kind: 'cron:step_0', why: 'step 0', refuse: 'must', expect: [400] },
  { value: '0 0 * * 8', where: '', kind: 'cron:dow_8', why: 'day of week 8', refuse: 'must', expect: [400] },
  { value: 'CRON_TZ=Asia/Tokyo 0 0 * * *', where: '', kind: 'cron:CRON_TZ', why: 'CRON_TZ prefix', refuse: 'should', expect: [400] },
  { value: '0 0 * * * 2020', where: '', kind: 'cron:year_field', why: 'six fields (Temporal: a year in the past; never fires)', refuse: 'must', expect: [400] },
  { value: '@daily # comment', where: '', kind: 'cron:comment', why: 'a macro with a Temporal comment', refuse: 'any' },
];
const TIMEZONE_MUTANTS: Mutant[] = [
  { value: 'utc', where: '', kind: 'tz:utc_lowercase', why: '"utc": Intl accepts any case, Temporal (Go time.LoadLocation) does not', refuse: 'must', expect: [400] },
  { value: 'europe/berlin', where: '', kind: 'tz:lowercase', why: '"europe/berlin": Intl accepts any case, Temporal does not', refuse: 'must', expect: [400] },
  { value: 'Etc/Unknown', where: '', kind: 'tz:unknown', why: 'not an IANA zone', refuse: 'must', expect: [400] },
  { value: 'Europe/Berlin ', where: '', kind: 'tz:trailing_space', why: 'trailing space (Temporal refuses it untrimmed)', refuse: 'any' },
  { value: 'Local', where: '', kind: 'tz:Local', why: '"Local": Temporal reads the server\'s own zone', refuse: 'must', expect: [400] },
  { value: 'EST', where: '', kind: 'tz:EST', why: 'a legacy abbreviation zone', refuse: 'any' },
  { value: '+05:30', where: '', kind: 'tz:offset', why: 'an offset, not a zone name (Intl accepts it, Temporal does not)', refuse: 'must', expect: [400] },
  { value: 'GMT+5', where: '', kind: 'tz:gmt_plus', why: '"GMT+5"', refuse: 'any' },
  { value: '../../../etc/passwd', where: '', kind: 'tz:path', why: 'a path', refuse: 'must', expect: [400] },
];

function arbitraryOptions(openapi: unknown, op: Operation, fixtures: Fixtures): ArbitraryOptions {
  const existing = (name: string) => fixtures.values[name] ?? [];
  return {
    root: openapi,
    hint(name) {
      if (/^(password|newPassword|confirmPassword)$/.test(name)) {
        const known = existing('password');
        return known.length > 0 && name === 'password' ? fc.oneof(fc.constantFrom(...known), passphraseArb) : passphraseArb;
      }
      if (name === 'cron') return fc.constantFrom(...RARE_CRONS);
      if (name === 'timezone') return fc.constantFrom(...TIMEZONES);
      if (name === 'cursor') {
        const c = fixtures.cursors[op.path] ?? [];
        return c.length > 0 ? fc.constantFrom(...c) : undefined;
      }
      if (name === 'email') {
        const e = existing('email');
        return e.length > 0 ? fc.oneof(fc.constantFrom(...e), emailArb) : emailArb;
      }
      if (name === 'tenant' || name === 'tenantId') {
        const t = existing('tenantId');
        return t.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...t) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/) }) : undefined;
      }
      if (name === 'token' || name === 'changeToken') {
        const t = existing(name);
        return t.length > 0 ? fc.oneof(fc.constantFrom(...t), tokenArb) : tokenArb;
      }
      if (name === 'userId' || name === 'rf_session') {
        const t = existing(name);
        return t.length > 0 ? fc.constantFrom(...t) : undefined;
      }
      return undefined;
    },
    extraMutants(name) {
      if (name === 'cron') return CRON_MUTANTS;
      if (name === 'timezone') return TIMEZONE_MUTANTS;
      return [];
    },
  };
}

/** encodeURIComponent, but lone surrogates become their WTF-8 bytes (%ED%A0%80) instead of a URIError. */
export function pct(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(s[i]!);
    }
  }
  return out;
}

/** A value as it travels in a query string, form field or path segment. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof RawJson) return v.text;
  if (v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return toJsonText(v);
}

interface Part<T> {
  value: T;
  mutation?: Mutation | undefined;
}

const valid = <T>(value: T): Part<T> => ({ value });
const mutated = <T>(value: T, mutation: Mutation): Part<T> => ({ value, mutation });

/** Node's HTTP parser refuses a request line and headers over 16 KiB before the app sees them: 431 (or 414) */
const OVER_HEAD_LIMIT = [414, 431];
const IN_HEAD: readonly Mutation['part'][] = ['path', 'query', 'header', 'cookie', 'auth'];

function fromMutant(part: Mutation['part'], where: string, m: Mutant): Mutation {
  const overHead = IN_HEAD.includes(part) && m.expect && m.kind === 'very_long';
  const expect = overHead ? [...m.expect!, ...OVER_HEAD_LIMIT] : m.expect;
  return { part, where: m.where ? `${where}.${m.where}` : where, kind: m.kind, why: m.why, refuse: m.refuse, expect };
}

// ---------------------------------------------------------------- path

const PATH_JUNK: { raw: string; kind: string }[] = [
  { raw: '%00', kind: 'pct:nul' },
  { raw: '%ff', kind: 'pct:ff' },
  { raw: '..%2f', kind: 'pct:dotdot_slash' },
  { raw: '%2e%2e', kind: 'pct:encoded_dotdot' },
  { raw: '..', kind: 'dotdot' },
  { raw: 'a%2fb', kind: 'pct:slash' },
  { raw: '%E0%A4%A', kind: 'pct:truncated' },
  { raw: '%', kind: 'pct:lone_percent' },
  { raw: '%zz', kind: 'pct:not_hex' },
  { raw: '%c0%ae%c0%ae', kind: 'pct:overlong_utf8' },
  { raw: '%u0041', kind: 'pct:iis_unicode' },
  { raw: '%20', kind: 'pct:space' },
  { raw: '%E2%80%AE', kind: 'pct:bidi' },
  { raw: '%ed%a0%80', kind: 'pct:surrogate_utf8' },
  { raw: 'x'.repeat(20_000), kind: 'very_long_segment' },
];

/**
 * The id left empty. When it is the path's last segment, `GET …/approvals/{approvalId}` becomes
 * `GET …/approvals/`: the collection, with a trailing slash (Express routes are not strict), which
 * may answer its list. Anywhere else an empty segment names nothing and must be refused.
 */
function emptySegment(op: Operation, p: Param): Part<string> {
  const last = op.path.endsWith(`{${p.name}}`);
  return last
    ? mutated('', { part: 'path', where: p.name, kind: 'empty', why: 'empty last segment (the collection)', refuse: 'any' })
    : mutated('', { part: 'path', where: p.name, kind: 'empty', why: 'empty segment', refuse: 'must', expect: [400, 404] });
}

function segmentArbitrary(op: Operation, p: Param, fixtures: Fixtures, opts: ArbitraryOptions): { ok: fc.Arbitrary<Part<string>>; bad: fc.Arbitrary<Part<string>> } {
  const existing = fixtures.values[p.name] ?? [];
  const ok = existing.length > 0 ? fc.constantFrom(...existing).map((v) => valid(pct(v))) : valueArbitrary(p.schema, opts).map((v) => valid(pct(asText(v))));
  // an enum (a template name, a language) has no value of the right shape that does not exist: nothing is unknown
  const isEnum = Array.isArray((p.schema as { enum?: unknown }).enum);
  const unknown = valueArbitrary(p.schema, { root: opts.root }).filter((v) => !existing.includes(asText(v))).map((v) =>
    mutated(pct(asText(v)), { part: 'path', where: p.name, kind: 'unknown_id', why: `a ${p.name} of the right shape that does not exist`, refuse: 'must', expect: [404], expectCode: 'not_found' }),
  );
  const shape = mutantArbitrary(p.schema, { ...opts, hint: undefined, extraMutants: undefined }, p.name)
    .filter((m) => typeof m.value === 'string' || typeof m.value === 'number' || m.value instanceof RawJson)
    .map((m) => {
      const text = asText(m.value);
      const stillValid = validate(p.schema, text, opts.root).length === 0;
      return mutated(pct(text), {
        ...fromMutant('path', p.name, m),
        where: p.name,
        ...(stillValid ? { refuse: 'any' as Refuse, expect: undefined } : { refuse: 'must' as Refuse, expect: text.length > 8000 ? [400, 404, 414, 431] : [400, 404] }),
      });
    });
  const junk = fc.constantFrom(...PATH_JUNK).map((j) =>
    mutated(j.raw, { part: 'path', where: p.name, kind: j.kind, why: `path segment ${j.raw.length > 40 ? `${j.raw.slice(0, 20)}… (${j.raw.length} chars)` : j.raw}`, refuse: 'must', expect: j.raw.length > 8000 ? [400, 404, 414, 431] : [400, 404] }),
  );
  const foreign = fixtures.values[`${p.name}@other`] ?? [];
  const crossTenant = foreign.length > 0
    ? [fc.constantFrom(...foreign).map((v) => mutated(pct(v), { part: 'path', where: p.name, kind: 'other_tenant_id', why: `a ${p.name} of another tenant`, refuse: 'must', expect: [404], expectCode: 'not_found' }))]
    : [];
  const wrapped = existing.length > 0
    ? fc.constantFrom(...existing).map((v) =>
        mutated(pct(v.toUpperCase()), { part: 'path', where: p.name, kind: 'uppercase', why: 'the existing id in upper case', refuse: 'any' }))
    : fc.constant(emptySegment(op, p));
  if (op.kind === 'static') {
    // a single-page app answers its page for any path under it: only crashes and writes count here
    return { ok: valueArbitrary(p.schema, opts).map((v) => valid(asText(v))), bad: junk.map((j) => ({ ...j, mutation: { ...j.mutation!, refuse: 'any' as Refuse, expect: undefined } })) };
  }
  return { ok, bad: fc.oneof(...(isEnum ? [] : [{ weight: 2, arbitrary: unknown }]), { weight: 3, arbitrary: shape }, { weight: 3, arbitrary: junk }, { weight: 1, arbitrary: wrapped }, ...crossTenant.map((arbitrary) => ({ weight: 1, arbitrary }))) };
}

// ---------------------------------------------------------------- query

const INTEGER_QUERY_TEXT: { text: string; refuse: Refuse }[] = [
  { text: 'abc', refuse: 'must' }, { text: '1.5', refuse: 'must' }, { text: '1e400', refuse: 'must' }, { text: 'Infinity', refuse: 'must' },
  { text: 'NaN', refuse: 'must' }, { text: '-1', refuse: 'must' }, { text: '0', refuse: 'must' }, { text: '99999999999999999999', refuse: 'must' },
  { text: '', refuse: 'should' }, { text: '0x10', refuse: 'should' }, { text: ' 5', refuse: 'any' }, { text: '1e1', refuse: 'any' },
  { text: '5.0', refuse: 'any' }, { text: '+5', refuse: 'any' }, { text: '1_0', refuse: 'must' }, { text: '%00', refuse: 'must' },
];

/** Mutated variants of a cursor the API returned: base64url JSON, or anything else. */
function cursorMutants(samples: string[]): Mutation[] {
  const out: Mutation[] = [];
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const add = (text: string, kind: string, why: string, refuse: Refuse) =>
    out.push({ part: 'query', where: 'cursor', kind, why, refuse, ...(refuse === 'any' ? {} : { expect: [400] }), ...(text === '' ? {} : {}), ...{ _text: text } } as Mutation & { _text: string });
  add('!!!!', 'cursor:not_base64', 'not base64', 'must');
  add('AAAA', 'cursor:base64_binary', 'base64 of binary bytes', 'must');
  add(b64('{"'), 'cursor:truncated_json', 'base64 of truncated JSON', 'must');
  add(b64('null'), 'cursor:null', 'base64 of null', 'must');
  add(b64('[]'), 'cursor:array', 'base64 of []', 'must');
  add(b64('"x"'), 'cursor:string', 'base64 of a string', 'must');
  add(b64('{}'), 'cursor:empty_object', 'base64 of {}', 'must');
  add(b64('{"__proto__":{"polluted":true}}'), 'cursor:proto', 'base64 of {"__proto__":…}', 'must');
  add('A'.repeat(501), 'cursor:too_long', '501 characters (maxLength 500)', 'must');
  add(b64('\u0000'), 'cursor:nul', 'base64 of NUL', 'must');
  for (const sample of samples.slice(0, 3)) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(sample, 'base64url').toString('utf8'));
    } catch {
      continue;
    }
    if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) continue;
    const o = decoded as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      const withV = (nv: unknown) => b64(toJsonText({ ...o, [k]: nv }));
      add(withV(typeof v === 'string' ? 12345 : 'x'), `cursor:${k}:wrong_type`, `${k} of the wrong type`, 'must');
      add(withV(null), `cursor:${k}:null`, `${k}: null`, 'must');
      add(b64(toJsonText({ ...o, [k]: new RawJson('1e400') })), `cursor:${k}:1e400`, `${k}: 1e400`, 'must');
      if (typeof v === 'number') {
        add(withV(-1), `cursor:${k}:negative`, `${k}: -1`, 'any');
        add(withV(1e20), `cursor:${k}:1e20`, `${k}: 1e20 (beyond bigint)`, 'should');
        add(withV(2 ** 63), `cursor:${k}:2^63`, `${k}: 2^63`, 'should');
        add(withV(1.5), `cursor:${k}:fraction`, `${k}: 1.5`, 'must');
        add(b64(toJsonText({ ...o, [k]: new RawJson('123456789012345678901234567890') })), `cursor:${k}:30_digits`, `${k}: 30-digit number`, 'should');
      }
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
        // a year PostgreSQL cannot store (once a 500): every cursor's instants are 1900–9999
        add(withV('0000-01-01T00:00:00.000Z'), `cursor:${k}:year_0`, `${k}: year 0`, 'must');
        add(withV('+010000-01-01T00:00:00.000Z'), `cursor:${k}:year_10000`, `${k}: year 10000`, 'must');
        for (const d of HOSTILE_DATES.filter((h) => h.refuse === 'must').slice(0, 8)) add(withV(d.value), `cursor:${k}:date:${d.label}`, `${k}: ${d.value}`, 'must');
      }
      if (typeof v === 'string') {
        add(withV(`${v}\u0000`), `cursor:${k}:nul`, `${k} with a NUL`, 'must');
        add(withV('x'.repeat(300)), `cursor:${k}:long`, `${k}: 300 characters`, 'should');
      }
      add(b64(toJsonText({ ...o, extra: 1 })), 'cursor:extra_field', 'an extra field', 'any');
    }
  }
  return out;
}

function queryArbitrary(op: Operation, fixtures: Fixtures, opts: ArbitraryOptions): { ok: fc.Arbitrary<Part<string[]>>; bad: fc.Arbitrary<Part<string[]>> } | undefined {
  const qs = op.params.filter((p) => p.in === 'query');
  if (qs.length === 0) return undefined;
  const enc = (k: string, v: string) => `${pct(k)}=${pct(v)}`;
  const validPairs = fc.tuple(
    ...qs.map((p) => {
      // a cursor is valid only as the API returned it
      if (p.name === 'cursor' && (fixtures.cursors[op.path] ?? []).length === 0) return fc.constant([] as string[]);
      const arb = valueArbitrary(p.schema, opts, p.name).map((v) => [enc(p.name, asText(v))]);
      return p.required ? arb : fc.option(arb, { nil: [] as string[], freq: 2 });
    }),
  ).map((lists) => lists.flat());
  const ok = validPairs.map((pairs) => valid(pairs));
  const bad: fc.Arbitrary<Part<string[]>>[] = [];
  for (const p of qs) {
    // per parameter: what its schema can get wrong weighs as much as the generic tricks together
    const own: fc.Arbitrary<Part<string[]>>[] = [];
    const tricks: fc.Arbitrary<Part<string[]>>[] = [];
    const others = validPairs.map((pairs) => pairs.filter((x) => !x.startsWith(`${pct(p.name)}=`)));
    const s = p.schema;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('integer') || types.includes('number')) {
      own.push(fc.tuple(others, fc.constantFrom(...INTEGER_QUERY_TEXT)).map(([rest, t]) => {
        const pair = t.text === '%00' ? `${p.name}=%00` : enc(p.name, t.text);
        return mutated([...rest, pair], { part: 'query', where: p.name, kind: `query_number:${t.text || 'empty'}`, why: `${p.name}=${JSON.stringify(t.text)}`, refuse: t.refuse, expect: t.refuse === 'any' ? undefined : [400] });
      }));
    } else if (p.name === 'cursor') {
      const list = cursorMutants(fixtures.cursors[op.path] ?? Object.values(fixtures.cursors).flat());
      own.push(fc.tuple(others, fc.constantFrom(...list)).map(([rest, m]) => {
        const { _text, ...mutation } = m as Mutation & { _text: string };
        return mutated([...rest, enc('cursor', _text)], mutation);
      }));
    } else {
      own.push(fc.tuple(others, mutantArbitrary(s, opts, p.name)).map(([rest, m]) => {
        const text = asText(m.value);
        const ok2 = validate(s, text, opts.root).length === 0;
        return mutated([...rest, enc(p.name, text)], { ...fromMutant('query', p.name, m), ...(ok2 ? { refuse: 'any' as Refuse, expect: undefined } : {}) });
      }));
    }
    // repeated and array-style parameters
    tricks.push(fc.tuple(others, valueArbitrary(s, opts, p.name), valueArbitrary(s, opts, p.name)).map(([rest, a, b]) =>
      mutated([...rest, enc(p.name, asText(a)), enc(p.name, asText(b))], { part: 'query', where: p.name, kind: 'repeated', why: `${p.name} twice`, refuse: 'should', expect: [400] })));
    tricks.push(fc.tuple(others, valueArbitrary(s, opts, p.name)).map(([rest, a]) =>
      mutated([...rest, `${pct(p.name)}[]=${pct(asText(a))}`], { part: 'query', where: p.name, kind: 'array_syntax', why: `${p.name}[]=…`, refuse: 'any' })));
    tricks.push(fc.tuple(others, valueArbitrary(s, opts, p.name)).map(([rest, a]) =>
      mutated([...rest, `${pct(p.name)}[a][b]=${pct(asText(a))}`], { part: 'query', where: p.name, kind: 'object_syntax', why: `${p.name}[a][b]=…`, refuse: 'any' })));
    tricks.push(others.map((rest) => mutated([...rest, `${pct(p.name)}=%ff%fe`], { part: 'query', where: p.name, kind: 'pct:invalid_utf8', why: `${p.name}=%ff%fe`, refuse: 'must', expect: [400] })));
    tricks.push(others.map((rest) => mutated([...rest, `${pct(p.name)}=%E0%A4%A`], { part: 'query', where: p.name, kind: 'pct:truncated', why: `${p.name}=%E0%A4%A`, refuse: 'should', expect: [400] })));
    tricks.push(others.map((rest) => mutated([...rest, `${pct(p.name)}=a%00b`], { part: 'query', where: p.name, kind: 'pct:nul', why: `${p.name}=a%00b`, refuse: 'must', expect: [400] })));
    bad.push(fc.oneof({ weight: tricks.length, arbitrary: fc.oneof(...own) }, ...tricks.map((arbitrary) => ({ weight: 1, arbitrary }))));
  }
  bad.push(validPairs.map((pairs) => mutated([...pairs, '__proto__[polluted]=1', 'constructor[prototype][polluted]=1'], { part: 'query', where: '__proto__', kind: 'query_proto', why: '__proto__[polluted]=1', refuse: 'any' })));
  bad.push(validPairs.map((pairs) => mutated([...pairs, 'fuzzUnknown=1'], { part: 'query', where: 'fuzzUnknown', kind: 'query_unknown', why: 'an unknown query parameter', refuse: 'any' })));
  return { ok, bad: fc.oneof(...bad) };
}

// ---------------------------------------------------------------- headers

function authArbitrary(op: Operation, fixtures: Fixtures): { ok: fc.Arbitrary<Part<string | undefined>>; first: fc.Arbitrary<Part<string | undefined>>; bad: fc.Arbitrary<Part<string | undefined>>; badList: Part<string | undefined>[] } | undefined {
  if (op.auth.length === 0) {
    const stray = ['Bearer garbage', `Bearer ${'a'.repeat(10_240)}`, 'Basic Zm9vOmJhcg==', 'Bearer \u0000'].map((h) =>
      mutated<string | undefined>(h, { part: 'auth', where: 'Authorization', kind: 'stray_auth', why: 'an Authorization header on a public route', refuse: 'any' }));
    // unauthenticated routes: a stray Authorization header changes nothing
    return {
      ok: fc.constant(valid(undefined)),
      first: fc.constant(valid(undefined)),
      bad: fc.constantFrom(...stray),
      badList: stray,
    };
  }
  const given = op.auth.flatMap((scheme) => fixtures.authorization?.[scheme] ?? []);
  const adminKeys = Object.entries(fixtures.bearer).filter(([s]) => s !== '@other').flatMap(([, v]) => v);
  if (given.length > 0) {
    // a scheme of its own (the mail webhook's HTTP Basic): everything else is a 401
    const m = (h: string | undefined, kind: string, why: string) =>
      mutated(h, { part: 'auth', where: 'Authorization', kind, why, refuse: 'must', expect: [401], expectCode: 'unauthenticated' });
    const badOwn: Part<string | undefined>[] = [
      m(undefined, 'missing', 'no Authorization header'),
      m('Basic Zm9vOmJhcg==', 'wrong_basic', 'HTTP Basic with other credentials'),
      m('Bearer garbage', 'garbage', 'a token that is no credential'),
      m(given[0]!.slice(0, -2), 'truncated', 'the credential minus its last characters'),
      ...adminKeys.slice(0, 1).map((k) => m(`Bearer ${k}`, 'other_scheme_credential', 'an admin key, a credential of another security scheme')),
    ];
    return { ok: fc.constantFrom(...given).map((h) => valid<string | undefined>(h)), first: fc.constant(valid<string | undefined>(given[0])), bad: fc.constantFrom(...badOwn), badList: badOwn };
  }
  const creds = op.auth.flatMap((scheme) => fixtures.bearer[scheme] ?? []);
  const others = Object.entries(fixtures.bearer).filter(([s]) => !op.auth.includes(s)).flatMap(([, v]) => v).filter((v) => !creds.includes(v));
  const first = creds[0] ?? 'none';
  const m = (h: string | undefined, kind: string, why: string, refuse: Refuse = 'must') =>
    mutated(h, { part: 'auth', where: 'Authorization', kind, why, refuse, ...(refuse === 'must' ? { expect: [401], expectCode: 'unauthenticated' } : {}) });
  const bad: Part<string | undefined>[] = [
    m(undefined, 'missing', 'no Authorization header'),
    m('Bearer', 'no_token', '"Bearer" and no token'),
    m('Bearer ', 'empty_token', '"Bearer " and no token'),
    m('Bearer garbage', 'garbage', 'a token that is no key'),
    m(`Bearer ${'a'.repeat(10_240)}`, 'long_token', 'a 10 KB token'),
    m('Basic Zm9vOmJhcg==', 'basic', 'HTTP Basic'),
    m(first, 'no_scheme', 'the key without "Bearer "'),
    m(`Bearer ${first} ${first}`, 'two_tokens', 'two tokens'),
    // a NUL in a header is not HTTP: the server's parser refuses the request (400 problem) before authentication
    mutated(`Bearer ${first}\u0000`, { part: 'auth', where: 'Authorization', kind: 'nul_in_token', why: 'the key followed by NUL', refuse: 'must', expect: [400, 401] }),
    m(`Bearer ${first.slice(0, -1)}`, 'truncated_key', 'the key minus its last character'),
    m(`bearer ${first}`, 'lowercase_scheme', '"bearer" in lower case (RFC 9110: case-insensitive)', 'any'),
    m(`Bearer  ${first}`, 'double_space', 'two spaces after Bearer', 'any'),
    m(`Bearer ${'é'.repeat(10)}`, 'non_ascii_token', 'a non-ASCII token'),
    ...others.filter((o) => !(fixtures.bearer['@other'] ?? []).includes(o)).slice(0, 2).map((o) => m(`Bearer ${o}`, 'other_scheme_credential', 'a credential of another security scheme')),
  ];
  if (op.path.includes('{tenantId}')) {
    for (const o of fixtures.bearer['@other'] ?? []) {
      bad.push(mutated(`Bearer ${o}`, { part: 'auth', where: 'Authorization', kind: 'other_tenant_key', why: "another tenant's key", refuse: 'must', expect: [403, 404] }));
    }
  }
  return {
    // valid requests use any credential; a request with something else wrong uses the first (the platform key), so the answer is about that
    ok: creds.length > 0 ? fc.constantFrom(...creds).map((c) => valid(`Bearer ${c}`)) : fc.constant(valid(undefined)),
    first: fc.constant(valid(creds.length > 0 ? `Bearer ${first}` : undefined)),
    bad: fc.constantFrom(...bad),
    badList: bad,
  };
}

const NON_JSON_TYPES: { type: string | undefined; refuse: Refuse; expect?: number[] }[] = [
  { type: 'text/plain', refuse: 'must', expect: [415] },
  { type: 'text/plain;charset=UTF-8', refuse: 'must', expect: [415] },
  { type: 'application/x-www-form-urlencoded', refuse: 'must', expect: [415] },
  { type: 'multipart/form-data; boundary=fuzz', refuse: 'must', expect: [415] },
  { type: 'multipart/form-data', refuse: 'must', expect: [415] },
  { type: 'application/xml', refuse: 'must', expect: [415] },
  { type: 'application/octet-stream', refuse: 'must', expect: [415] },
  { type: undefined, refuse: 'should', expect: [415, 400] },
  { type: 'application/json; charset=latin1', refuse: 'should', expect: [415, 400] },
  { type: 'application/json; charset=utf-16', refuse: 'should', expect: [415, 400] },
  { type: 'application/json, text/plain', refuse: 'should', expect: [415, 400] },
  { type: 'json', refuse: 'should', expect: [415, 400] },
  { type: 'APPLICATION/JSON', refuse: 'any' },
  { type: 'application/json;charset=UTF-8', refuse: 'any' },
  { type: 'application/merge-patch+json', refuse: 'any' },
];

const FORM_TYPES: { type: string | undefined; refuse: Refuse; expect?: number[] }[] = [
  { type: 'text/plain', refuse: 'should', expect: [400, 415] },
  { type: 'multipart/form-data; boundary=fuzz', refuse: 'should', expect: [400, 415] },
  { type: undefined, refuse: 'should', expect: [400, 415] },
  { type: 'application/x-www-form-urlencoded; charset=latin1', refuse: 'any' },
  { type: 'application/json', refuse: 'any' },
];

interface HeaderExtras {
  headers: [string, string][];
}

function extraHeaderArbitrary(op: Operation, fixtures: Fixtures): fc.Arbitrary<Part<HeaderExtras>> {
  return fc.constantFrom(...extraHeaderList(op, fixtures));
}

function extraHeaderList(op: Operation, fixtures: Fixtures): Part<HeaderExtras>[] {
  const mutating = op.method !== 'GET' && op.method !== 'HEAD';
  const h = (headers: [string, string][], part: Mutation['part'], where: string, kind: string, why: string, refuse: Refuse = 'any', expect?: number[]) =>
    mutated<HeaderExtras>({ headers }, { part, where, kind, why, refuse, expect });
  const idem = mutating ? 'should' : 'any';
  const sessions = fixtures.cookies['rf_session'] ?? [];
  const list: Part<HeaderExtras>[] = [
    h([['Idempotency-Key', '']], 'header', 'Idempotency-Key', 'idem:empty', 'an empty Idempotency-Key', idem, mutating ? [400] : undefined),
    h([['Idempotency-Key', 'k'.repeat(300)]], 'header', 'Idempotency-Key', 'idem:300', 'a 300-character Idempotency-Key', idem, mutating ? [400] : undefined),
    h([['Idempotency-Key', 'a\u0000b']], 'header', 'Idempotency-Key', 'idem:nul', 'an Idempotency-Key with NUL', idem, mutating ? [400] : undefined),
    h([['Idempotency-Key', 'ключ-é']], 'header', 'Idempotency-Key', 'idem:non_ascii', 'a non-ASCII Idempotency-Key', 'any'),
    h([['Cookie', 'rf_session=%E0%A4%A']], 'cookie', 'rf_session', 'cookie:malformed_pct', 'rf_session=%E0%A4%A'),
    h([['Cookie', `rf_session=${'a'.repeat(8192)}`]], 'cookie', 'rf_session', 'cookie:8kb', 'an 8 KB cookie'),
    h([['Cookie', `rf_session=a; rf_session=${sessions[0] ?? 'b'}`]], 'cookie', 'rf_session', 'cookie:duplicate', 'rf_session twice'),
    h([['Cookie', '=;;; ;=x; rf_session']], 'cookie', 'Cookie', 'cookie:garbage', 'a malformed Cookie header'),
    h([['Cookie', 'rf_session=%00']], 'cookie', 'rf_session', 'cookie:nul', 'rf_session=%00'),
    h([['Accept', 'text/csv']], 'header', 'Accept', 'accept:csv', 'Accept: text/csv'),
    h([['Accept', 'application/xml']], 'header', 'Accept', 'accept:xml', 'Accept: application/xml'),
    h([['X-HTTP-Method-Override', 'DELETE']], 'header', 'X-HTTP-Method-Override', 'method_override', 'X-HTTP-Method-Override: DELETE'),
    h([['X-Forwarded-For', '1.2.3.4, <script>']], 'header', 'X-Forwarded-For', 'xff', 'a forged X-Forwarded-For'),
    h([['Host', 'evil.example']], 'header', 'Host', 'host', 'a foreign Host header'),
    h([['Accept-Language', 'x'.repeat(4000)]], 'header', 'Accept-Language', 'long_header', 'a 4 KB header'),
  ];
  // every state-changing form (sign-in, password change, sign-out, reset) refuses posts from other sites and
  // from opaque origins (Origin: null: a sandboxed frame, a data: URL), issue 17
  if (op.kind === 'html' && op.method === 'POST' && /^\/(sign-|auth\/password-reset$)/.test(op.path)) {
    list.push(h([['Origin', 'https://evil.example'], ['Sec-Fetch-Site', 'cross-site']], 'header', 'Origin', 'cross_site', 'a form post from another site', 'must', [403]));
    list.push(h([['Sec-Fetch-Site', 'same-site']], 'header', 'Sec-Fetch-Site', 'same_site', 'Sec-Fetch-Site: same-site', 'must', [403]));
    list.push(h([['Origin', 'null']], 'header', 'Origin', 'origin_null', 'Origin: null', 'must', [403]));
  }
  return list;
}

// ---------------------------------------------------------------- bodies

interface BodyPart {
  bytes: Uint8Array | undefined;
  contentType: string | undefined;
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function firstStringField(schema: JsonSchema): string | undefined {
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    const t = Array.isArray(p.type) ? p.type : [p.type];
    if (t.includes('string')) return k;
  }
  return undefined;
}

function rawJsonMutants(op: Operation, validText: fc.Arbitrary<string>, schema: JsonSchema): fc.Arbitrary<Part<BodyPart>> {
  return validText.chain((text) => fc.constantFrom(...rawJsonMutantList(text, schema)));
}

/** Bodies that are not the JSON they claim to be, or JSON of the wrong shape, around a valid body `text`. */
export function rawJsonMutantList(text: string, schema: JsonSchema): Part<BodyPart>[] {
  const json = 'application/json';
  const m = (bytes: Uint8Array, kind: string, why: string, refuse: Refuse, expect?: number[], contentType: string | undefined = json) =>
    mutated<BodyPart>({ bytes, contentType }, { part: 'body', where: '(body)', kind, why, refuse, expect });
  const field = firstStringField(schema) ?? 'fuzz';
  const objectBody = (schema.type === 'object' || schema.properties) && validate(schema, [], {}).length > 0;
  const list: Part<BodyPart>[] = [
      m(utf8('null'), 'json:null', 'the body is null', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('[]'), 'json:array', 'the body is []', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('"fuzz"'), 'json:string', 'the body is a string', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('123'), 'json:number', 'the body is a number', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('1e400'), 'json:1e400', 'the body is 1e400', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('true'), 'json:true', 'the body is true', objectBody ? 'must' : 'any', objectBody ? [400] : undefined),
      m(utf8('['.repeat(10_000) + ']'.repeat(10_000)), 'json:deep_array', '10,000 nested arrays', 'must', [400, 413]),
      m(utf8('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)), 'json:deep_object', '5,000 nested objects', 'must', [400, 413]),
      m(utf8(`{${JSON.stringify(field)}:${JSON.stringify('x'.repeat(70_000))}}`), 'json:over_64k', 'a body over 64 KiB', 'must', [413]),
      m(utf8('{'), 'json:truncated', 'truncated JSON', 'must', [400]),
      m(utf8(`{${JSON.stringify(field)}:"a",}`), 'json:trailing_comma', 'a trailing comma', 'must', [400]),
      m(utf8(`{'${field}':'a'}`), 'json:single_quotes', 'single quotes', 'must', [400]),
      m(utf8(`{${JSON.stringify(field)}:NaN}`), 'json:nan', 'NaN', 'must', [400]),
      m(utf8(`/* c */{}`), 'json:comment', 'a comment', 'must', [400]),
      m(new Uint8Array(0), 'json:empty', 'an empty body with a JSON content type', 'any'),
      m(new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), 'json:utf16le_bom', 'UTF-16LE JSON with a BOM', 'must', [400, 415]),
  ];
  // the valid body with invalid UTF-8 in a string, with a BOM, or with a NUL byte outside any string
  {
    const at = text.indexOf('"', text.indexOf(`"${field}"`) + field.length + 2);
    const splice = (bytes: number[]) => {
      if (at < 0) return new Uint8Array([...Buffer.from(`{"${field}":"`), ...bytes, ...Buffer.from('"}')]);
      const b = Buffer.from(text, 'utf8');
      const cut = Buffer.byteLength(text.slice(0, at + 1));
      return new Uint8Array([...b.subarray(0, cut), ...bytes, ...b.subarray(cut)]);
    };
    list.push(
      m(splice([0xff]), 'utf8:ff', `invalid UTF-8 (0xff) in "${field}"`, 'must', [400]),
      m(splice([0xc3, 0x28]), 'utf8:bad_continuation', `invalid UTF-8 (c3 28) in "${field}"`, 'must', [400]),
      m(splice([0xed, 0xa0, 0x80]), 'utf8:surrogate', `a UTF-8-encoded surrogate (ed a0 80) in "${field}"`, 'must', [400]),
      m(splice([0xc0, 0xae]), 'utf8:overlong', `an overlong UTF-8 sequence (c0 ae) in "${field}"`, 'must', [400]),
      m(splice([0xf4, 0x90, 0x80, 0x80]), 'utf8:beyond_10ffff', `UTF-8 beyond U+10FFFF in "${field}"`, 'must', [400]),
      m(splice([0x00]), 'raw_nul_in_string', `a raw NUL byte in "${field}" (invalid JSON)`, 'must', [400]),
      m(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]), 'json:bom', 'the valid body after a UTF-8 BOM', 'any'),
      m(utf8(text.slice(0, Math.max(1, Math.floor(text.length / 2)))), 'json:cut', 'the valid body cut in half', text.length > 2 ? 'must' : 'any', text.length > 2 ? [400] : undefined),
      m(utf8(`${text}${text}`), 'json:twice', 'the valid body twice', 'must', [400]),
    );
  }
  return list;
}

function bodyArbitrary(op: Operation, opts: ArbitraryOptions): { ok: fc.Arbitrary<Part<BodyPart>>; bad: fc.Arbitrary<Part<BodyPart>>; badType: fc.Arbitrary<Part<BodyPart>> } | undefined {
  const mutating = op.method !== 'GET' && op.method !== 'HEAD';
  if (!op.body) {
    if (!mutating || op.kind !== 'json') return undefined;
    // no documented body: an empty one is valid; a non-JSON one is what 415 is for
    return {
      ok: fc.constant(valid<BodyPart>({ bytes: undefined, contentType: undefined })),
      bad: fc.constantFrom(
        mutated<BodyPart>({ bytes: utf8('{}'), contentType: 'application/json' }, { part: 'body', where: '(body)', kind: 'undocumented_json_body', why: '{} on a route without a body', refuse: 'any' }),
        mutated<BodyPart>({ bytes: utf8('{"fuzzUnknownField":1}'), contentType: 'application/json' }, { part: 'body', where: '(body)', kind: 'undocumented_json_field', why: 'a JSON field on a route without a body', refuse: 'should', expect: [400] }),
        mutated<BodyPart>({ bytes: utf8('{'), contentType: 'application/json' }, { part: 'body', where: '(body)', kind: 'json:truncated', why: 'truncated JSON on a route without a body', refuse: 'should', expect: [400] }),
      ),
      badType: fc.constantFrom(...NON_JSON_TYPES.filter((t) => t.refuse !== 'any')).map((t) =>
        mutated<BodyPart>({ bytes: utf8('hello=world'), contentType: t.type }, {
          part: 'content-type', where: 'Content-Type', kind: `content_type:${t.type ?? 'none'}`, why: `a ${t.type ?? 'type-less'} body on a JSON route`,
          refuse: t.refuse, expect: t.expect, expectCode: t.expect?.[0] === 415 ? 'unsupported_media_type' : undefined,
        })),
    };
  }
  const schema = op.body.schema;
  if (op.body.contentType === 'form') {
    const encode = (o: unknown) => {
      const p = new URLSearchParams();
      if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) p.append(k, asText(v));
      return p.toString();
    };
    const type = 'application/x-www-form-urlencoded';
    const ok = valueArbitrary(schema, opts).map((v) => valid<BodyPart>({ bytes: utf8(encode(v)), contentType: type }));
    const fields = Object.keys(schema.properties ?? {});
    const bad = fc.oneof(
      // a page answers a malformed field with a page: only crashes, writes and unescaped markup count
      { weight: 4, arbitrary: mutantArbitrary(schema, opts).filter((m) => !m.kind.startsWith('wrong_type') && m.kind !== 'duplicate_key').map((m) => mutated<BodyPart>({ bytes: utf8(encode(m.value)), contentType: type }, { ...fromMutant('body', '', m), where: m.where, expect: undefined, refuse: 'any' })) },
      { weight: 1, arbitrary: fc.tuple(valueArbitrary(schema, opts), fc.constantFrom(...(fields.length ? fields : ['x'])), fc.constantFrom('%E0%A4%A', '%ff', '%00', '%', '%zz')).map(([v, f, junk]) => {
          const text = `${encode(v)}&${pct(f)}=${junk}`;
          return mutated<BodyPart>({ bytes: utf8(text), contentType: type }, { part: 'body', where: f, kind: `form_pct:${junk}`, why: `${f}=${junk} in the form`, refuse: 'any', expect: undefined });
        }) },
      { weight: 1, arbitrary: valueArbitrary(schema, opts).map((v) => mutated<BodyPart>({ bytes: utf8(`${encode(v)}&${'a'.repeat(70_000)}=1`), contentType: type }, { part: 'body', where: '(body)', kind: 'form_over_64k', why: 'a form over 64 KiB', refuse: 'any', expect: [400, 413] })) },
    );
    const badType = fc.tuple(valueArbitrary(schema, opts), fc.constantFrom(...FORM_TYPES)).map(([v, t]) =>
      mutated<BodyPart>({ bytes: utf8(t.type === 'application/json' ? JSON.stringify(v) : encode(v)), contentType: t.type }, { part: 'content-type', where: 'Content-Type', kind: `content_type:${t.type ?? 'none'}`, why: `the form as ${t.type ?? 'no content type'}`, refuse: t.refuse, expect: t.expect }));
    return { ok, bad, badType };
  }
  const validValue = valueArbitrary(schema, opts);
  const validText = validValue.map((v) => toJsonText(v));
  const ok = fc.oneof(
    { weight: 6, arbitrary: validText.map((t) => valid<BodyPart>({ bytes: utf8(t), contentType: 'application/json' })) },
    { weight: 1, arbitrary: validText.map((t) => valid<BodyPart>({ bytes: utf8(t), contentType: 'application/json; charset=utf-8' })) },
  );
  const schemaMutants = mutantArbitrary(schema, { ...opts, hint: opts.hint }).map((mm) =>
    mutated<BodyPart>({ bytes: utf8(toJsonText(mm.value)), contentType: 'application/json' }, { ...fromMutant('body', '', mm), where: mm.where || '(body)' }));
  const bad = fc.oneof({ weight: 5, arbitrary: schemaMutants }, { weight: 2, arbitrary: rawJsonMutants(op, validText, schema) });
  void op;
  const types = op.formTwin ? NON_JSON_TYPES.filter((t) => !/x-www-form-urlencoded/.test(t.type ?? '')) : NON_JSON_TYPES;
  const badType = fc.tuple(validText, fc.constantFrom(...types)).map(([t, ct]) =>
    mutated<BodyPart>({ bytes: utf8(t), contentType: ct.type }, {
      part: 'content-type', where: 'Content-Type', kind: `content_type:${ct.type ?? 'none'}`, why: `the valid JSON body sent as ${ct.type ?? 'no content type'}`,
      refuse: ct.refuse, expect: ct.expect, expectCode: ct.expect?.[0] === 415 ? 'unsupported_media_type' : undefined,
    }));
  return { ok, bad, badType };
}

// ---------------------------------------------------------------- whole requests

type PartName = 'none' | 'auth' | 'path' | 'query' | 'content-type' | 'body' | 'header';

/**
 * An Arbitrary of whole requests for one operation: valid, or with one part changed.
 * `fixtures` makes valid ids exist; the harness seeds them through the API.
 */
export function requestArbitrary(openapi: unknown, op: Operation, fixtures: Fixtures): fc.Arbitrary<FuzzRequest> {
  const opts = arbitraryOptions(openapi, op, fixtures);
  const pathParams = op.params.filter((p) => p.in === 'path');
  const segments = pathParams.map((p) => ({ p, ...segmentArbitrary(op, p, fixtures, opts) }));
  const query = queryArbitrary(op, fixtures, opts);
  const auth = authArbitrary(op, fixtures);
  const body = bodyArbitrary(op, opts);
  const extras = extraHeaderArbitrary(op, fixtures);
  const cookieParams = op.params.filter((p) => p.in === 'cookie');
  const cookieOk = cookieParams.length > 0
    ? fc.option(fc.constantFrom(...cookieParams.flatMap((p) => (fixtures.cookies[p.name] ?? []).map((v) => `${p.name}=${v}`))), { nil: undefined })
    : fc.constant(undefined);

  const parts: { name: PartName; weight: number }[] = [
    { name: 'none', weight: 3 },
    ...(auth && op.auth.length > 0 ? [{ name: 'auth' as const, weight: 1 }] : auth ? [{ name: 'auth' as const, weight: 0.3 }] : []),
    ...(segments.length > 0 ? [{ name: 'path' as const, weight: 2 }] : []),
    ...(query ? [{ name: 'query' as const, weight: 2 }] : []),
    ...(body ? [{ name: 'content-type' as const, weight: 1.5 }, { name: 'body' as const, weight: op.body ? 5 : 1 }] : []),
    { name: 'header', weight: 1 },
  ];
  const choice = fc.oneof(...parts.filter((p) => p.weight > 0).map((p) => ({ weight: Math.round(p.weight * 10), arbitrary: fc.constant(p.name) })));

  return choice.chain((which) => {
    const seg = segments.length === 0
      ? fc.constant([] as Part<string>[])
      : which === 'path'
        ? fc.nat({ max: segments.length - 1 }).chain((i) => fc.tuple(...segments.map((s, j) => (j === i ? s.bad : s.ok))))
        : fc.tuple(...segments.map((s) => s.ok));
    return fc.record({
      which: fc.constant(which),
      segments: seg,
      query: query ? (which === 'query' ? query.bad : query.ok) : fc.constant(valid([] as string[])),
      auth: auth ? (which === 'auth' ? auth.bad : which === 'none' ? auth.ok : auth.first) : fc.constant(valid(undefined as string | undefined)),
      body: body ? (which === 'body' ? body.bad : which === 'content-type' ? body.badType : body.ok) : fc.constant(valid<BodyPart>({ bytes: undefined, contentType: undefined })),
      extras: which === 'header' ? extras : fc.constant(valid<HeaderExtras>({ headers: [] })),
      cookie: cookieOk,
    });
  }).map((r) => {
    let path = op.path;
    pathParams.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, r.segments[i]!.value);
    });
    const q = r.query.value;
    const headers: [string, string][] = [];
    if (r.auth.value !== undefined) headers.push(['Authorization', r.auth.value]);
    if (r.body.value.contentType !== undefined) headers.push(['Content-Type', r.body.value.contentType]);
    if (r.cookie && !r.extras.value.headers.some(([k]) => k.toLowerCase() === 'cookie')) headers.push(['Cookie', r.cookie]);
    headers.push(...r.extras.value.headers);
    let mutations = [...r.segments.map((s) => s.mutation), r.query.mutation, r.auth.mutation, r.body.mutation, r.extras.mutation].filter((m): m is Mutation => Boolean(m));
    // pages answer people: any 4xx page is a fine refusal of a malformed field
    if (op.kind !== 'json') mutations = mutations.map((m) => (['query', 'body', 'path', 'content-type'].includes(m.part) ? { ...m, expect: undefined, expectCode: undefined } : m));
    return {
      op: op.id,
      method: op.method,
      path: q.length > 0 ? `${path}?${q.join('&')}` : path,
      headers,
      ...(r.body.value.bytes !== undefined ? { body: r.body.value.bytes } : {}),
      mutations,
    };
  });
}

// ---------------------------------------------------------------- the systematic sweep

/** Valid bodies to try as the base of the sweep (the first one the service accepts is used). */
export function sweepBaseCandidates(openapi: unknown, op: Operation, fixtures: Fixtures, seed = 1, n = 6): unknown[] {
  if (!op.body) return [];
  return fc.sample(valueArbitrary(op.body.schema, arbitraryOptions(openapi, op, fixtures)), { numRuns: n, seed });
}

/**
 * Every single-part mutation of one valid request, once each: every mutant kind at every body field, every
 * query and path parameter, every content type, credential and header trick. The deterministic complement
 * of requestArbitrary (whose random runs reach deep fields rarely); each is minimal by construction.
 */
export function sweepRequests(openapi: unknown, op: Operation, fixtures: Fixtures, seed = 1, o: { baseValue?: unknown; validOnly?: boolean } = {}): FuzzRequest[] {
  const opts = arbitraryOptions(openapi, op, fixtures);
  const one = <T>(a: fc.Arbitrary<T>): T => fc.sample(a, { numRuns: 1, seed })[0]!;
  const pathParams = op.params.filter((p) => p.in === 'path');
  const segments = pathParams.map((p) => segmentArbitrary(op, p, fixtures, opts));
  const baseSegments = segments.map((seg) => one(seg.ok).value);
  const query = queryArbitrary(op, fixtures, opts);
  const baseQuery = query ? one(query.ok).value : [];
  const auth = authArbitrary(op, fixtures);
  const baseAuth = auth ? one(auth.first).value : undefined;
  const schema = op.body?.schema;
  const baseValue = schema ? ('baseValue' in o ? o.baseValue : one(valueArbitrary(schema, opts))) : undefined;
  const form = op.body?.contentType === 'form';
  const encodeForm = (o: unknown) => {
    const params = new URLSearchParams();
    if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) params.append(k, asText(v));
    return params.toString();
  };
  const baseBody: BodyPart = schema
    ? { bytes: utf8(form ? encodeForm(baseValue) : toJsonText(baseValue)), contentType: form ? 'application/x-www-form-urlencoded' : 'application/json' }
    : { bytes: undefined, contentType: undefined };
  const out: FuzzRequest[] = [];
  const build = (m: Mutation, o: { segments?: string[]; query?: string[]; auth?: string | undefined; body?: BodyPart; extra?: [string, string][] }): void => {
    let path = op.path;
    pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, (o.segments ?? baseSegments)[i]!)));
    const q = o.query ?? baseQuery;
    const a = 'auth' in o ? o.auth : baseAuth;
    const b = o.body ?? baseBody;
    const headers: [string, string][] = [];
    if (a !== undefined) headers.push(['Authorization', a]);
    if (b.contentType !== undefined) headers.push(['Content-Type', b.contentType]);
    headers.push(...(o.extra ?? []));
    const mutation = op.kind !== 'json' && ['query', 'body', 'path', 'content-type'].includes(m.part) ? { ...m, expect: undefined, expectCode: undefined } : m;
    out.push({ op: op.id, method: op.method, path: q.length > 0 ? `${path}?${q.join('&')}` : path, headers, ...(b.bytes ? { body: b.bytes } : {}), mutations: [mutation] });
  };

  if (o.validOnly) {
    build({ part: 'body', where: '', kind: 'none', why: 'nothing: the valid base request', refuse: 'any' }, {});
    return out.map((r) => ({ ...r, mutations: [] }));
  }

  // path parameters
  pathParams.forEach((p, i) => {
    const variants: Part<string>[] = [];
    const existing = fixtures.values[p.name] ?? [];
    if (op.kind !== 'static') {
      // not from `seed`: what the sweep of a create route made with the same seed exists by now
      const unknown = fc.sample(valueArbitrary(p.schema, { root: openapi }), { numRuns: 5, seed: (seed * 31 + 12345 + Date.now()) % 2 ** 31 }).map(asText).find((v) => !existing.includes(v));
      // an enum (a template name, a language) has no value of the right shape that does not exist
      if (unknown && !Array.isArray((p.schema as { enum?: unknown }).enum)) variants.push(mutated(pct(unknown), { part: 'path', where: p.name, kind: 'unknown_id', why: `a ${p.name} of the right shape that does not exist`, refuse: 'must', expect: [404], expectCode: 'not_found' }));
      for (const v of fixtures.values[`${p.name}@other`] ?? []) variants.push(mutated(pct(v), { part: 'path', where: p.name, kind: 'other_tenant_id', why: `a ${p.name} of another tenant`, refuse: 'must', expect: [404], expectCode: 'not_found' }));
      for (const m of enumerateMutants(p.schema, existing[0] ?? 'fuzz', { root: openapi }, p.name)) {
        if (!(typeof m.value === 'string' || typeof m.value === 'number' || m.value instanceof RawJson)) continue;
        const text = asText(m.value);
        const stillValid = validate(p.schema, text, openapi).length === 0;
        variants.push(mutated(pct(text), { ...fromMutant('path', p.name, m), where: p.name, ...(stillValid ? { refuse: 'any' as Refuse, expect: undefined } : { refuse: 'must' as Refuse, expect: text.length > 8000 ? [400, 404, 414, 431] : [400, 404] }) }));
      }
    }
    for (const j of PATH_JUNK) {
      variants.push(mutated(j.raw, { part: 'path', where: p.name, kind: j.kind, why: `path segment ${j.raw.length > 40 ? `${j.raw.slice(0, 20)}… (${j.raw.length} chars)` : j.raw}`, refuse: op.kind === 'static' ? 'any' : 'must', expect: op.kind === 'static' ? undefined : j.raw.length > 8000 ? [400, 404, 414, 431] : [400, 404] }));
    }
    for (const v of variants) build(v.mutation!, { segments: baseSegments.map((x, j) => (j === i ? v.value : x)) });
  });

  // query parameters
  const enc = (k: string, v: string) => `${pct(k)}=${pct(v)}`;
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const rest = baseQuery.filter((x) => !x.startsWith(`${pct(p.name)}=`));
    const add = (pairs: string[], m: Mutation) => build(m, { query: [...rest, ...pairs] });
    const t = Array.isArray(p.schema.type) ? p.schema.type : [p.schema.type];
    const value = asText(one(valueArbitrary(p.schema, opts, p.name)));
    if (t.includes('integer') || t.includes('number')) {
      for (const x of INTEGER_QUERY_TEXT) add([x.text === '%00' ? `${p.name}=%00` : enc(p.name, x.text)], { part: 'query', where: p.name, kind: `query_number:${x.text || 'empty'}`, why: `${p.name}=${JSON.stringify(x.text)}`, refuse: x.refuse, expect: x.refuse === 'any' ? undefined : [400] });
    } else if (p.name === 'cursor') {
      for (const m of cursorMutants(fixtures.cursors[op.path] ?? Object.values(fixtures.cursors).flat())) {
        const { _text, ...mutation } = m as Mutation & { _text: string };
        add([enc('cursor', _text)], mutation);
      }
    } else {
      for (const m of enumerateMutants(p.schema, value, opts, p.name)) {
        const text = asText(m.value);
        const stillValid = validate(p.schema, text, openapi).length === 0;
        add([enc(p.name, text)], { ...fromMutant('query', p.name, m), ...(stillValid ? { refuse: 'any' as Refuse, expect: undefined } : {}) });
      }
    }
    add([enc(p.name, value), enc(p.name, value)], { part: 'query', where: p.name, kind: 'repeated', why: `${p.name} twice`, refuse: 'should', expect: [400] });
    add([`${pct(p.name)}[]=${pct(value)}`], { part: 'query', where: p.name, kind: 'array_syntax', why: `${p.name}[]=…`, refuse: 'any' });
    add([`${pct(p.name)}=%ff%fe`], { part: 'query', where: p.name, kind: 'pct:invalid_utf8', why: `${p.name}=%ff%fe`, refuse: 'must', expect: [400] });
    add([`${pct(p.name)}=%E0%A4%A`], { part: 'query', where: p.name, kind: 'pct:truncated', why: `${p.name}=%E0%A4%A`, refuse: 'should', expect: [400] });
    add([`${pct(p.name)}=a%00b`], { part: 'query', where: p.name, kind: 'pct:nul', why: `${p.name}=a%00b`, refuse: 'must', expect: [400] });
  }

  // credentials and headers
  for (const b of auth?.badList ?? []) build(b.mutation!, { auth: b.value });
  for (const e of extraHeaderList(op, fixtures)) build(e.mutation!, { extra: e.value.headers });

  // content types and bodies
  const mutating = op.method !== 'GET' && op.method !== 'HEAD';
  if (!schema && mutating && op.kind === 'json') {
    for (const t of NON_JSON_TYPES.filter((x) => x.refuse !== 'any')) {
      build({ part: 'content-type', where: 'Content-Type', kind: `content_type:${t.type ?? 'none'}`, why: `a ${t.type ?? 'type-less'} body on a JSON route`, refuse: t.refuse, expect: t.expect, expectCode: t.expect?.[0] === 415 ? 'unsupported_media_type' : undefined }, { body: { bytes: utf8('hello=world'), contentType: t.type } });
    }
    build({ part: 'body', where: '(body)', kind: 'undocumented_json_field', why: 'a JSON field on a route without a body', refuse: 'should', expect: [400] }, { body: { bytes: utf8('{"fuzzUnknownField":1}'), contentType: 'application/json' } });
  }
  if (schema && baseBody.bytes) {
    const types = form ? FORM_TYPES : op.formTwin ? NON_JSON_TYPES.filter((t) => !/x-www-form-urlencoded/.test(t.type ?? '')) : NON_JSON_TYPES;
    for (const t of types) {
      build({ part: 'content-type', where: 'Content-Type', kind: `content_type:${t.type ?? 'none'}`, why: `the valid body sent as ${t.type ?? 'no content type'}`, refuse: t.refuse, expect: t.expect, expectCode: t.expect?.[0] === 415 ? 'unsupported_media_type' : undefined }, { body: { bytes: baseBody.bytes, contentType: t.type } });
    }
    // fields that must be unique (a tenant id, an email) get a fresh valid value in each request, or every
    // request after the first would only meet a 409
    const unique = Object.keys(schema.properties ?? {}).filter((k) => /^(id|email)$/.test(k));
    let n = 0;
    const fresh = (v: unknown, where: string): unknown => {
      if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonEntries || v instanceof RawJson) return v;
      let o = v as Record<string, unknown>;
      for (const k of unique) {
        if (where === k || where.startsWith(`${k}.`) || !(k in o)) continue;
        o = withKey(o, k, fc.sample(valueArbitrary(schema.properties![k]!, { root: opts.root }, k), { numRuns: 1, seed: seed + ++n })[0]);
      }
      return o;
    };
    for (const m0 of enumerateMutants(schema, baseValue, opts)) {
      const m = { ...m0, value: fresh(m0.value, m0.where) };
      if (form) {
        if (m.kind.startsWith('wrong_type') || m.kind === 'duplicate_key') continue;
        build({ ...fromMutant('body', '', m), where: m.where || '(body)', refuse: 'any', expect: undefined }, { body: { bytes: utf8(encodeForm(m.value)), contentType: baseBody.contentType } });
      } else {
        build({ ...fromMutant('body', '', m), where: m.where || '(body)' }, { body: { bytes: utf8(toJsonText(m.value)), contentType: 'application/json' } });
      }
    }
    if (!form) for (const r of rawJsonMutantList(toJsonText(baseValue), schema)) build(r.mutation!, { body: r.value });
  }
  return out;
}

// ---------------------------------------------------------------- printing

/** JSON.stringify escapes C0 controls and lone surrogates; this escapes what it leaves invisible (C1, bidi, zero-width). */
export function escapeInvisible(s: string): string {
  return s.replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body as a JSON-escaped string; bytes that are not UTF-8 as \xNN. */
export function bodyForDisplay(body: Uint8Array | undefined, max = 2000): string {
  if (!body) return '(none)';
  const buf = Buffer.from(body);
  const text = buf.toString('utf8');
  const faithful = Buffer.from(text, 'utf8').equals(buf);
  let shown = faithful ? escapeInvisible(JSON.stringify(text)) : `bytes:${JSON.stringify([...buf].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join(''))}`;
  if (shown.length > max) shown = `${shown.slice(0, max)}… (${buf.length} bytes)`;
  return shown;
}

export function describeRequest(r: FuzzRequest): string {
  const shortPath = r.path.length > 300 ? `${r.path.slice(0, 300)}… (${r.path.length} chars)` : r.path;
  const lines = [
    `${r.method} ${shortPath}`,
    ...r.headers.map(([k, v]) => `  ${k}: ${escapeInvisible(JSON.stringify(v.length > 200 ? `${v.slice(0, 120)}… (${v.length} chars)` : v))}`),
    `  body: ${bodyForDisplay(r.body)}`,
    `  changed: ${r.mutations.length === 0 ? '(nothing: a valid request)' : r.mutations.map((m) => `${m.part} ${m.where} ${m.kind} — ${m.why} [${m.refuse}${m.expect ? `, expect ${m.expect.join('/')}` : ''}]`).join('; ')}`,
  ];
  return lines.join('\n');
}
