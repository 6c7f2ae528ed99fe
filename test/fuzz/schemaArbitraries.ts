import fc from 'fast-check';

/**
 * fast-check arbitraries from OpenAPI 3.1 JSON Schemas: VALID values, and
 * MUTANTS (invalid or hostile variants, each saying what it changed and
 * whether a correct server must refuse it).
 *
 * Depends on nothing of the service: only on the schema text of /openapi.json.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  default?: unknown;
  description?: string;
}

// ------------------------------------------------------------------ JSON text with what JSON.stringify cannot write

/** A piece of JSON text written verbatim: `1e400`, `-0`, a 10,000-level array. */
export class RawJson {
  constructor(readonly text: string, readonly label: string = text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text) {}
  toJSON(): string {
    return `<raw ${this.label}>`;
  }
}

/** An object written with these entries in this order, duplicates included: `{"a":1,"a":2}`. */
export class JsonEntries {
  constructor(readonly entries: [string, unknown][]) {}
  toJSON(): unknown {
    return { '<entries>': this.entries };
  }
}

/** JSON text of a value that may hold RawJson and JsonEntries (and own `__proto__` keys, which JSON.stringify keeps). */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonEntries) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${toJsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/** A copy of `o` with own property `k` (safe for `__proto__`, unlike assignment or Object.assign). */
export function withKey(o: unknown, k: string, v: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const key of Object.keys(o)) Object.defineProperty(copy, key, { value: (o as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  return copy;
}

export function withoutKey(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(o)) if (key !== k) Object.defineProperty(copy, key, { value: o[key], enumerable: true, writable: true, configurable: true });
  return copy;
}

// ------------------------------------------------------------------ schema helpers

export function resolve(schema: JsonSchema, root: unknown): JsonSchema {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) {
    const parts = s.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let cur: unknown = root;
    for (const p of parts) cur = (cur as Record<string, unknown> | undefined)?.[p];
    if (!cur) throw new Error(`unresolved $ref ${s.$ref}`);
    s = { ...(cur as JsonSchema), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  }
  if (s.allOf) {
    const merged: JsonSchema = { ...s, allOf: undefined };
    for (const part of s.allOf.map((p) => resolve(p, root))) {
      Object.assign(merged, { ...part, properties: { ...merged.properties, ...part.properties }, required: [...(merged.required ?? []), ...(part.required ?? [])] });
    }
    delete merged.allOf;
    return merged;
  }
  return s;
}

function typesOf(s: JsonSchema): string[] {
  const t = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const types = t.length > 0 ? [...t] : s.properties ? ['object'] : s.items ? ['array'] : [];
  if (s.nullable && !types.includes('null')) types.push('null');
  return types;
}

const codePoints = (s: string) => [...s].length;

/** The problems of `value` against `schema` (empty when it is valid): enough of JSON Schema for OpenAPI documents. */
export function validate(schema: JsonSchema, value: unknown, root: unknown = {}, path = ''): string[] {
  const s = resolve(schema, root);
  const at = path || '(root)';
  if (value instanceof RawJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.text);
    } catch {
      return [`${at}: not JSON`];
    }
    if (typeof parsed === 'number' && !Number.isFinite(parsed)) return [`${at}: ${value.label} is not a finite number`];
    return validate(s, parsed, root, path);
  }
  if (value instanceof JsonEntries) {
    const keys = value.entries.map(([k]) => k);
    if (new Set(keys).size !== keys.length) return [`${at}: duplicated keys`];
    return validate(s, Object.fromEntries(value.entries), root, path);
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) return [`${at}: not ${JSON.stringify(s.const)}`];
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return [`${at}: not one of ${JSON.stringify(s.enum)}`];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const results = alternatives.map((a) => validate(a, value, root, path));
    const ok = results.filter((r) => r.length === 0).length;
    if (s.oneOf ? ok !== 1 : ok === 0) return [`${at}: matches ${ok} of the ${s.oneOf ? 'oneOf' : 'anyOf'} alternatives`];
  }
  const types = typesOf(s);
  if (types.length > 0) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && typeof value === 'number' && Number.isInteger(value)) || (t === 'number' && typeof value === 'number'));
    if (!ok) return [`${at}: ${actual} is not ${types.join('|')}`];
  }
  const problems: string[] = [];
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${at}: not finite`);
    if (types.includes('integer') && !types.includes('number') && !Number.isInteger(value)) problems.push(`${at}: not an integer`);
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${at}: above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) problems.push(`${at}: not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) problems.push(`${at}: not below ${s.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && codePoints(value) < s.minLength) problems.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && codePoints(value) > s.maxLength) problems.push(`${at}: longer than ${s.maxLength}`);
    if (s.pattern !== undefined && !safeRegExp(s.pattern).test(value)) problems.push(`${at}: does not match ${s.pattern}`);
    if (s.format && FORMAT_CHECKS[s.format] && !FORMAT_CHECKS[s.format]!(value)) problems.push(`${at}: not a ${s.format}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${at}: more than ${s.maxItems} items`);
    if (s.items) value.forEach((v, i) => problems.push(...validate(s.items!, v, root, `${path}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (!Object.prototype.hasOwnProperty.call(o, r)) problems.push(`${path ? `${path}.` : ''}${r}: missing`);
    for (const k of Object.keys(o)) {
      const p = s.properties?.[k];
      if (p) problems.push(...validate(p, o[k], root, path ? `${path}.${k}` : k));
      else if (s.additionalProperties === false) problems.push(`${path ? `${path}.` : ''}${k}: unknown field`);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') problems.push(...validate(s.additionalProperties, o[k], root, path ? `${path}.${k}` : k));
    }
  }
  return problems;
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMAT_CHECKS: Record<string, (s: string) => boolean> = {
  uuid: (s) => UUID.test(s),
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  'date-time': (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(s)),
  uri: (s) => {
    try {
      return Boolean(new URL(s).protocol);
    } catch {
      return false;
    }
  },
};

// ------------------------------------------------------------------ options

export interface ArbitraryOptions {
  /** the whole document, to resolve `$ref` */
  root?: unknown;
  /**
   * Values the schema cannot express, by property (or parameter) name: ids that exist, passwords that pass a
   * policy, cron expressions. Return undefined to generate from the schema.
   */
  hint?: (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;
  /** hostile values the schema cannot express, by name (cron expressions Temporal refuses, say) */
  extraMutants?: (name: string, schema: JsonSchema) => Mutant[];
  /** property names whose text is shown to people (bidi and control characters must be refused there) */
  isDisplayedName?: (name: string) => boolean;
}

export const defaultIsDisplayedName = (name: string) => /(^|[a-z])(name|title|label)$/i.test(name) || /^(name|displayName)$/.test(name);

// ------------------------------------------------------------------ valid values

/** Letters, digits, punctuation and a few non-ASCII letters: text any correct server stores as given. */
const SAFE_CHARS = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '-', '_', '.', ',', "'", '&', '(', ')', '/', '+', '!', '?', '#', '@', ':') },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ü', 'ß', 'ø', 'ñ', 'Ł', 'ж', 'λ', '漢', '字', 'ی', 'ก', '😀') },
);
const EDGE_CHAR = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));

/** Above this many characters a string is a short random unit repeated: fast-check overflows its stack on an array of tens of thousands of arbitraries (a template's htmlBody, maxLength 48000). */
const LONG = 64;

/** `unit` repeated to exactly `n` code points, ending on its first (never blank) character. */
function repeatTo(unit: string, n: number): string {
  const cps = Array.from(unit);
  const out = Array.from({ length: n }, (_, i) => cps[i % cps.length]!);
  out[n - 1] = cps[0]!;
  return out.join('');
}

function safeString(min: number, max: number): fc.Arbitrary<string> {
  const lo = Math.max(0, min);
  const hi = Math.max(lo, max);
  if (hi === 0) return fc.constant('');
  if (lo > LONG) return fc.tuple(fc.integer({ min: lo, max: Math.min(hi, lo + 30) }), safeString(LONG, LONG)).map(([n, unit]) => repeatTo(unit, n));
  // the first and last characters are not blank: servers may trim, and "  " is not the text the client meant
  return fc
    .tuple(EDGE_CHAR, fc.array(SAFE_CHARS, { minLength: Math.max(0, lo - 2), maxLength: Math.max(0, Math.min(hi - 2, lo + 30)) }), EDGE_CHAR)
    .map(([a, mid, b]) => (hi === 1 ? a : a + mid.join('') + b))
    .filter((s) => codePoints(s) >= lo && codePoints(s) <= hi);
}

const emailArb = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/), fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/), { nil: undefined }), fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), fc.constantFrom('com', 'org', 'example', 'net'))
  .map(([a, b, d, tld]) => `${a}${b ? `.${b}` : ''}@${d}.${tld}`);

const dateTimeArb = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d{3}Z$/, 'Z'), d.toISOString().replace('Z', '+00:00')));

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 40);
  const fits = (v: string) => codePoints(v) >= min && codePoints(v) <= max;
  switch (s.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return emailArb.filter(fits);
    case 'date-time':
      return dateTimeArb;
    case 'date':
      return dateTimeArb.map((d) => d.slice(0, 10));
    case 'uri':
    case 'url':
      return fc.webUrl().filter(fits);
    default:
      break;
  }
  if (s.pattern) return fc.stringMatching(safeRegExp(s.pattern)).filter(fits);
  const cappedMax = Math.min(max, min + 40);
  const normal = safeString(min, cappedMax);
  // the boundaries themselves are valid
  const edges = [safeString(min, min), ...(s.maxLength !== undefined ? [safeString(max, max)] : [])].filter((a) => a !== undefined);
  return fc.oneof({ weight: 8, arbitrary: normal }, ...edges.map((arbitrary) => ({ weight: 1, arbitrary })));
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  let min = s.minimum ?? (typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -1_000_000);
  let max = s.maximum ?? (typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : 1_000_000);
  if (min > max) [min, max] = [max, min];
  if (integer) {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.constantFrom(lo, hi) });
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

/** An Arbitrary of values that `schema` accepts (and, with `hint`, that mean something to the server). */
export function valueArbitrary(schema: JsonSchema, options: ArbitraryOptions = {}, name = ''): fc.Arbitrary<unknown> {
  const hinted = name ? options.hint?.(name, schema) : undefined;
  if (hinted) return hinted;
  const s = resolve(schema, options.root);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    const arbs = alternatives.map((a) => valueArbitrary({ ...rest, ...resolve(a, options.root) }, options, name));
    const base = fc.oneof(...arbs);
    return s.oneOf ? base.filter((v) => alternatives.filter((a) => validate(a, v, options.root).length === 0).length === 1) : base;
  }
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => valueArbitrary({ ...s, type: t, nullable: false }, options, name)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'string':
      return stringArbitrary(s);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? min + 3, min + 3);
      return fc.array(valueArbitrary(s.items ?? {}, options, name), { minLength: min, maxLength: max });
    }
    case 'object':
      return objectArbitrary(s, options);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(s: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const entries = Object.entries(props).map(([k, p]) => {
    const ps = resolve(p, options.root);
    let arb = valueArbitrary(p, options, k);
    // a default may be sent as is
    if (ps.default !== undefined && !options.hint?.(k, ps)) arb = fc.oneof({ weight: 1, arbitrary: fc.constant(ps.default) }, { weight: 3, arbitrary: arb });
    return [k, required.has(k) ? arb.map((v) => ({ v })) : fc.option(arb.map((v) => ({ v })), { nil: undefined, freq: 2 })] as const;
  });
  const free =
    s.additionalProperties === undefined || s.additionalProperties === true
      ? Object.keys(props).length === 0
        ? fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
        : fc.constant({})
      : typeof s.additionalProperties === 'object'
        ? fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), valueArbitrary(s.additionalProperties, options), { maxKeys: 3 })
        : fc.constant({});
  return fc.tuple(fc.tuple(...entries.map(([, a]) => a)), free).map(([values, extra]) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) if (!(k in props)) o[k] = v;
    entries.forEach(([k], i) => {
      const slot = values[i] as { v: unknown } | undefined;
      if (slot) Object.defineProperty(o, k, { value: slot.v, enumerable: true, writable: true, configurable: true });
    });
    return o;
  });
}

// ------------------------------------------------------------------ mutants

export type Refuse = 'must' | 'should' | 'any';

/** One invalid or hostile variant of a value. */
export interface Mutant {
  value: unknown;
  /** where in the value: `settings.passwordPolicy.minLength`, or '' for the value itself */
  where: string;
  /** a stable name of the mutation: `nul`, `bidi`, `too_long`, `wrong_type:array`, `date:year_0`, … */
  kind: string;
  why: string;
  /** must: the spec or the schema says refuse; should: a correct server would; any: hostile, only checked for 5xx and writes */
  refuse: Refuse;
  /** statuses a correct server answers with when this is the only thing wrong */
  expect?: number[];
}

const C0 = [...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)), '\u007f'];
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i));
const BIDI = ['\u202e', '\u202d', '\u202a', '\u202b', '\u202c', '\u2066', '\u2067', '\u2068', '\u2069'];
const LONE_SURROGATES = ['\ud800', '\udfff', '\udc00', '\udbff'];

/** Dates that a regex accepts but PostgreSQL, JS or Temporal cannot hold. */
export const HOSTILE_DATES: { value: string; label: string; refuse: Refuse }[] = [
  { value: '0000-01-01T00:00:00Z', label: 'year_0', refuse: 'must' },
  { value: '-000001-01-01T00:00:00Z', label: 'negative_year', refuse: 'must' },
  { value: '+275760-09-13T00:00:00Z', label: 'js_max_date', refuse: 'must' },
  { value: '+275760-09-13T00:00:00.001Z', label: 'beyond_js_max_date', refuse: 'must' },
  { value: '9999-12-31T23:59:59.999999999Z', label: 'nanoseconds_9999', refuse: 'any' },
  { value: '2016-12-31T23:59:60Z', label: 'leap_second', refuse: 'must' },
  { value: '2023-02-30T00:00:00Z', label: 'feb_30', refuse: 'must' },
  { value: '2024-13-01T00:00:00Z', label: 'month_13', refuse: 'must' },
  { value: '2024-01-01T24:00:00Z', label: 'hour_24', refuse: 'must' },
  { value: '2024-01-01T00:00:00+25:00', label: 'offset_25h', refuse: 'must' },
  { value: '2024-01-01', label: 'date_only', refuse: 'any' },
  { value: 'yesterday', label: 'words', refuse: 'must' },
  { value: '1e12', label: 'number_text', refuse: 'must' },
];

const BAD_UUIDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-4000-8000-000000000000}', '00000000000040008000000000000000', '00000000-0000-4000-8000-0000000000001'];
const BAD_EMAILS = ['a@', '@example.com', 'a b@example.com', 'a@b@example.com', 'a@example..com', 'plain'];

function insertAt(base: string, piece: string, at: number): string {
  const chars = [...base];
  const i = chars.length === 0 ? 0 : at % (chars.length + 1);
  return [...chars.slice(0, i), piece, ...chars.slice(i)].join('');
}

const WRONG_TYPES: { type: string; value: unknown }[] = [
  { type: 'string', value: 'fuzz' },
  { type: 'number', value: 42 },
  { type: 'boolean', value: true },
  { type: 'null', value: null },
  { type: 'array', value: ['fuzz'] },
  { type: 'object', value: { fuzz: 1 } },
];

function wrongTypeMutants(s: JsonSchema, root: unknown): Mutant[] {
  const own = typesOf(s);
  return WRONG_TYPES.filter((w) => !own.includes(w.type) && !(w.type === 'number' && own.includes('integer')) && validate(s, w.value, root).length > 0).map((w) => ({
    value: w.value, where: '', kind: `wrong_type:${w.type}`, why: `a ${w.type} where the schema wants ${typesOf(s).join('|') || 'something else'}`, refuse: 'must' as Refuse, expect: [400],
  }));
}

/** Downgrade a "must" that the schema itself accepts (the schema is the contract of structure). */
function checked(m: Mutant, s: JsonSchema, root: unknown, semantic: boolean): Mutant {
  if (!semantic && m.refuse === 'must' && validate(s, m.value, root).length === 0) return { ...m, refuse: 'any', expect: undefined };
  return m;
}

function stringMutants(s: JsonSchema, base: string, at: number, name: string, options: ArbitraryOptions): Mutant[] {
  const root = options.root;
  const displayed = (options.isDisplayedName ?? defaultIsDisplayedName)(name);
  const out: Mutant[] = [];
  const add = (value: unknown, kind: string, why: string, refuse: Refuse, expect: number[] | undefined, semantic: boolean) =>
    out.push(checked({ value, where: '', kind, why, refuse, ...(expect ? { expect } : {}) }, s, root, semantic));
  const fitted = (piece: string) => {
    const max = s.maxLength ?? Infinity;
    let b = base;
    while (b.length > 0 && codePoints(b) + codePoints(piece) > max) b = [...b].slice(0, -1).join('');
    return insertAt(b, piece, at);
  };
  add(fitted('\u0000'), 'nul', 'a NUL character (PostgreSQL text cannot hold it)', 'must', [400], true);
  const c0 = C0[at % C0.length]!;
  add(fitted(c0), 'c0_control', `C0 control U+${c0.charCodeAt(0).toString(16).padStart(4, '0')}${displayed ? ' in a name shown to people' : ''}`, displayed ? 'must' : 'any', displayed ? [400] : undefined, true);
  const c1 = C1[at % C1.length]!;
  add(fitted(c1), 'c1_control', `C1 control U+${c1.charCodeAt(0).toString(16).padStart(4, '0')}${displayed ? ' in a name shown to people' : ''}`, displayed ? 'must' : 'any', displayed ? [400] : undefined, true);
  const bidi = BIDI[at % BIDI.length]!;
  add(fitted(bidi), 'bidi', `bidi control U+${bidi.charCodeAt(0).toString(16)}${displayed ? ' in a name shown to people' : ''}`, displayed ? 'must' : 'any', displayed ? [400] : undefined, true);
  const sur = LONE_SURROGATES[at % LONE_SURROGATES.length]!;
  add(fitted(sur), 'lone_surrogate', `lone surrogate \\u${sur.charCodeAt(0).toString(16)} (not Unicode text; stored as U+FFFD)`, 'should', [400], true);
  if (s.maxLength !== undefined) {
    add(base + 'x'.repeat(Math.max(1, s.maxLength + 1 - codePoints(base))), 'too_long', `longer than maxLength ${s.maxLength}`, 'must', [400], false);
    add('x'.repeat(Math.max(s.maxLength * 4, 20_000)), 'very_long', `${Math.max(s.maxLength * 4, 20_000)} characters (maxLength ${s.maxLength})`, 'must', [400, 413], false);
  } else {
    add('x'.repeat(20_000), 'very_long', '20,000 characters (no maxLength documented)', 'any', undefined, false);
  }
  if ((s.minLength ?? 0) >= 1) {
    add('', 'empty', `empty (minLength ${s.minLength})`, 'must', [400], false);
    add('   ', 'blank', 'only spaces', /password/i.test(name) ? 'any' : 'should', [400, 422], true);
  }
  if (s.pattern) {
    for (const c of ['A', 'x', '-abc', 'abc_def', ' abc', 'abc\n', 'ABC', 'a'.repeat(64), '..', 'é']) {
      if (!safeRegExp(s.pattern).test(c)) {
        add(c, 'pattern', `does not match ${s.pattern}: ${JSON.stringify(c)}`, 'must', [400], false);
      }
    }
  }
  if (s.format === 'uuid') for (const u of BAD_UUIDS) add(u, 'format:uuid', `not a UUID: ${u}`, 'must', [400], false);
  if (s.format === 'email') for (const e of BAD_EMAILS) add(e, 'format:email', `not an email address: ${e}`, 'must', [400], false);
  if (s.format === 'date-time') {
    for (const d of HOSTILE_DATES) add(d.value, `date:${d.label}`, `date-time ${d.value}`, d.refuse, d.refuse === 'must' ? [400] : undefined, true);
  }
  if (displayed) {
    add(`<script>fz${at}</script>`, 'markup', 'HTML markup (must be escaped wherever it is shown)', 'any', undefined, true);
    add(`\u202e${base}`, 'bidi_prefix', 'starts with RIGHT-TO-LEFT OVERRIDE', 'must', [400], true);
    add(`${base}\u200b`, 'zero_width', 'ends with a ZERO WIDTH SPACE', 'should', [400], true);
  }
  add(`' OR 1=1 --%_\\`, 'sql_like', 'SQL and LIKE metacharacters', 'any', undefined, true);
  if (s.enum) add(`${String(s.enum[0])}x`, 'enum', 'not one of the enum values', 'must', [400], false);
  return out;
}

function numberMutants(s: JsonSchema): Mutant[] {
  const integer = typesOf(s).includes('integer') && !typesOf(s).includes('number');
  const out: Mutant[] = [];
  const add = (value: unknown, kind: string, why: string, refuse: Refuse, expect?: number[]) => out.push({ value, where: '', kind, why, refuse, ...(expect ? { expect } : {}) });
  if (s.minimum !== undefined) add(s.minimum - (integer ? 1 : 0.5), 'below_minimum', `below minimum ${s.minimum}`, 'must', [400]);
  if (s.maximum !== undefined) add(s.maximum + (integer ? 1 : 0.5), 'above_maximum', `above maximum ${s.maximum}`, 'must', [400]);
  if (integer) add((s.minimum ?? 0) + 0.5, 'not_integer', 'not an integer', 'must', [400]);
  add(new RawJson('1e309'), 'huge:1e309', '1e309 (Infinity once parsed)', 'must', [400]);
  add(new RawJson('1e400'), 'huge:1e400', '1e400 (Infinity once parsed)', 'must', [400]);
  add(new RawJson('-1e400'), 'huge:-1e400', '-1e400 (-Infinity once parsed)', 'must', [400]);
  add(new RawJson('-0'), 'negative_zero', '-0', 'any');
  add(2 ** 53 + 1, 'unsafe_integer', '2^53 + 1', s.maximum !== undefined ? 'must' : 'any', s.maximum !== undefined ? [400] : undefined);
  add(new RawJson('123456789012345678901234567890'), 'bigint_text', 'a 30-digit integer', s.maximum !== undefined ? 'must' : 'any', s.maximum !== undefined ? [400] : undefined);
  add(String(s.minimum ?? 1), 'numeric_string', 'a number as a string', 'must', [400]);
  add(new RawJson('1.0'), 'one_point_zero', '1.0 (an integer written as a decimal)', 'any');
  return out.map((m) => checked(m, s, {}, m.kind.startsWith('huge') || m.kind === 'bigint_text'));
}

/**
 * An Arbitrary of mutants of a value of `schema`: each differs from a valid value in one place (recursively,
 * one property of one object), so the server's answer can be held against what was changed.
 */
export function mutantArbitrary(schema: JsonSchema, options: ArbitraryOptions = {}, name = ''): fc.Arbitrary<Mutant> {
  const s = resolve(schema, options.root);
  const root = options.root;
  const types = typesOf(s);
  const choices: fc.Arbitrary<Mutant>[] = [];
  const wrong = wrongTypeMutants(s, root);
  if (wrong.length > 0) choices.push(fc.constantFrom(...wrong));
  const extra = name ? (options.extraMutants?.(name, s) ?? []) : [];
  // what only this field can get wrong (cron syntax, time zones) weighs most
  if (extra.length > 0) choices.push(fc.constantFrom(...extra), fc.constantFrom(...extra), fc.constantFrom(...extra));
  if (s.enum || s.const !== undefined) {
    const bad = [...(s.enum ?? [s.const]).flatMap((e): unknown[] => (typeof e === 'string' ? [e.toUpperCase(), `${e} `, `${e}x`] : typeof e === 'boolean' ? [!e] : [])), 'fuzz']
      .filter((v) => validate(s, v, root).length > 0);
    if (bad.length > 0) choices.push(fc.constantFrom(...bad).map((value) => ({ value, where: '', kind: 'enum', why: `not one of ${JSON.stringify(s.enum ?? [s.const])}`, refuse: 'must' as Refuse, expect: [400] })));
  }
  if (types.includes('string')) {
    const base = valueArbitrary({ ...s, type: 'string', nullable: false }, options, name).map((v) => (typeof v === 'string' ? v : 'fuzz'));
    choices.push(
      fc.tuple(base, fc.nat({ max: 1000 })).chain(([b, at]) => {
        const list = stringMutants({ ...s, type: 'string' }, b, at, name, options);
        // format-specific mutants (dates, UUIDs, patterns) as often as all the generic ones together
        const specific = list.filter((m) => /^(date:|format:|pattern|enum)/.test(m.kind));
        return specific.length > 0 ? fc.oneof(fc.constantFrom(...list), fc.constantFrom(...specific)) : fc.constantFrom(...list);
      }),
    );
  }
  if (types.includes('integer') || types.includes('number')) choices.push(fc.constantFrom(...numberMutants(s)));
  if (types.includes('boolean')) {
    choices.push(fc.constantFrom<Mutant>(
      { value: 'true', where: '', kind: 'boolean_string', why: '"true" as a string', refuse: 'must', expect: [400] },
      { value: 1, where: '', kind: 'boolean_number', why: '1 for true', refuse: 'must', expect: [400] },
    ));
  }
  if (types.includes('array')) {
    const items = s.items ?? {};
    const valid = valueArbitrary(s, options, name) as fc.Arbitrary<unknown[]>;
    if (s.minItems !== undefined && s.minItems > 0) {
      choices.push(fc.constant<Mutant>({ value: [], where: '', kind: 'too_few_items', why: `fewer than minItems ${s.minItems}`, refuse: 'must', expect: [400] }));
    }
    if (s.maxItems !== undefined) {
      choices.push(fc.array(valueArbitrary(items, options, name), { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 })
        .map((value) => ({ value, where: '', kind: 'too_many_items', why: `more than maxItems ${s.maxItems}`, refuse: 'must' as Refuse, expect: [400] })));
    }
    choices.push(fc.constant<Mutant>({ value: new RawJson('['.repeat(10_000) + ']'.repeat(10_000), '[[[…]]] 10,000 levels'), where: '', kind: 'deep_nesting', why: '10,000 nested arrays', refuse: 'must', expect: [400, 413] }));
    choices.push(
      fc.tuple(valid, mutantArbitrary(items, options, name), fc.nat()).map(([arr, m, i]) => {
        const copy = arr.length === 0 ? [undefined] : [...arr];
        const idx = i % copy.length;
        copy[idx] = m.value;
        return { ...m, value: copy, where: `[${idx}]${m.where ? `.${m.where}` : ''}` };
      }),
    );
  }
  if (types.includes('object') || s.properties) {
    const valid = objectArbitrary({ ...s, type: 'object' }, options);
    const props = s.properties ?? {};
    const closed = s.additionalProperties === false;
    const unknownRefuse: Refuse = closed ? 'must' : 'any';
    choices.push(
      fc.tuple(valid, fc.constantFrom<[string, unknown, string]>(
        ['fuzzUnknownField', 1, 'unknown_field'],
        ['__proto__', { polluted: true }, 'proto:__proto__'],
        ['constructor', { prototype: { polluted: true } }, 'proto:constructor'],
        ['prototype', { polluted: true }, 'proto:prototype'],
        ['toString', 'x', 'proto:toString'],
        ['hasOwnProperty', 1, 'proto:hasOwnProperty'],
      )).map(([o, [k, v, kind]]) => ({
        value: withKey(o, k, v), where: k, kind, why: `unknown field ${JSON.stringify(k)}${closed ? ' (additionalProperties: false)' : ''}`, refuse: unknownRefuse, ...(closed ? { expect: [400] } : {}),
      })),
    );
    for (const r of s.required ?? []) {
      choices.push(valid.map((o) => ({ value: withoutKey(o, r), where: r, kind: 'missing_required', why: `required field "${r}" missing`, refuse: 'must' as Refuse, expect: [400] })));
    }
    const keys = Object.keys(props);
    if (keys.length > 0) {
      choices.push(
        valid.map((o) => {
          const k = keys.find((key) => key in o) ?? keys[0]!;
          const v = o[k] ?? 'x';
          return { value: new JsonEntries([...Object.entries(o), [k, v]]), where: k, kind: 'duplicate_key', why: `"${k}" twice (I-JSON forbids duplicated names)`, refuse: 'should' as Refuse, expect: [400] };
        }),
      );
      const required = new Set(s.required ?? []);
      const perProperty = keys.map((k) =>
        // on a full valid object, or on the required fields alone (objects whose fields exclude each other,
        // "exactly one of a or b", are valid bare more often than full)
        fc.tuple(valid, mutantArbitrary(props[k]!, options, k), fc.boolean()).map(([o, m, bare]) => {
          const base = bare ? Object.fromEntries(Object.entries(o).filter(([key]) => required.has(key))) : o;
          return { ...m, value: withKey(base, k, m.value), where: m.where ? `${k}.${m.where}` : k };
        }),
      );
      choices.push(...perProperty, ...perProperty); // the properties get most of the attention
    }
  }
  if (choices.length === 0) choices.push(fc.constant<Mutant>({ value: new RawJson('1e400'), where: '', kind: 'huge:1e400', why: '1e400', refuse: 'any' }));
  return fc.oneof(...choices);
}

// ------------------------------------------------------------------ systematic sweep

/**
 * Every mutant kind at every place of `base` (a valid value of `schema`), once: the deterministic complement of
 * mutantArbitrary, which samples the same space at random. `at` picks where strings get their hostile character.
 */
export function enumerateMutants(schema: JsonSchema, base: unknown, options: ArbitraryOptions = {}, name = '', at = 3, depth = 0): Mutant[] {
  const s = resolve(schema, options.root);
  const root = options.root;
  const types = typesOf(s);
  const out: Mutant[] = [...wrongTypeMutants(s, root), ...(name ? (options.extraMutants?.(name, s) ?? []) : [])];
  if (s.enum || s.const !== undefined) {
    const bad = [...(s.enum ?? [s.const]).flatMap((e): unknown[] => (typeof e === 'string' ? [e.toUpperCase(), `${e} `, `${e}x`] : typeof e === 'boolean' ? [!e] : [])), 'fuzz']
      .filter((v) => validate(s, v, root).length > 0);
    out.push(...bad.map((value) => ({ value, where: '', kind: 'enum', why: `not one of ${JSON.stringify(s.enum ?? [s.const])}`, refuse: 'must' as Refuse, expect: [400] })));
  }
  if (types.includes('string')) out.push(...stringMutants({ ...s, type: 'string' }, typeof base === 'string' ? base : 'fuzz', at, name, options));
  if (types.includes('integer') || types.includes('number')) out.push(...numberMutants(s));
  if (types.includes('boolean')) {
    out.push(
      { value: 'true', where: '', kind: 'boolean_string', why: '"true" as a string', refuse: 'must', expect: [400] },
      { value: 1, where: '', kind: 'boolean_number', why: '1 for true', refuse: 'must', expect: [400] },
    );
  }
  if (types.includes('array')) {
    const arr = Array.isArray(base) ? base : [];
    if (s.minItems !== undefined && s.minItems > 0) out.push({ value: [], where: '', kind: 'too_few_items', why: `fewer than minItems ${s.minItems}`, refuse: 'must', expect: [400] });
    if (s.maxItems !== undefined && arr.length > 0) out.push({ value: Array.from({ length: s.maxItems + 1 }, (_, i) => arr[i % arr.length]), where: '', kind: 'too_many_items', why: `more than maxItems ${s.maxItems}`, refuse: 'must', expect: [400] });
    out.push({ value: new RawJson('['.repeat(10_000) + ']'.repeat(10_000), '[[[…]]] 10,000 levels'), where: '', kind: 'deep_nesting', why: '10,000 nested arrays', refuse: 'must', expect: [400, 413] });
    const element = arr[0] ?? fc.sample(valueArbitrary(s.items ?? {}, options, name), { numRuns: 1, seed: 1 })[0];
    if (depth < 6) {
      for (const m of enumerateMutants(s.items ?? {}, element, options, name, at, depth + 1)) {
        out.push({ ...m, value: [m.value, ...arr.slice(1)], where: `[0]${m.where ? `.${m.where}` : ''}` });
      }
    }
  }
  if ((types.includes('object') || s.properties) && base && typeof base === 'object' && !Array.isArray(base)) {
    const o = base as Record<string, unknown>;
    const props = s.properties ?? {};
    const closed = s.additionalProperties === false;
    for (const [k, v, kind] of [['fuzzUnknownField', 1, 'unknown_field'], ['__proto__', { polluted: true }, 'proto:__proto__'], ['constructor', { prototype: { polluted: true } }, 'proto:constructor'], ['prototype', { polluted: true }, 'proto:prototype']] as [string, unknown, string][]) {
      out.push({ value: withKey(o, k, v), where: k, kind, why: `unknown field ${JSON.stringify(k)}${closed ? ' (additionalProperties: false)' : ''}`, refuse: closed ? 'must' : 'any', ...(closed ? { expect: [400] } : {}) });
    }
    for (const r of s.required ?? []) out.push({ value: withoutKey(o, r), where: r, kind: 'missing_required', why: `required field "${r}" missing`, refuse: 'must', expect: [400] });
    const required = new Set(s.required ?? []);
    const bare = Object.fromEntries(Object.entries(o).filter(([k]) => required.has(k)));
    for (const [k, p] of Object.entries(props)) {
      if (k in o) out.push({ value: new JsonEntries([...Object.entries(o), [k, o[k]]]), where: k, kind: 'duplicate_key', why: `"${k}" twice (I-JSON forbids duplicated names)`, refuse: 'should', expect: [400] });
      if (depth >= 6) continue;
      const value = k in o ? o[k] : fc.sample(valueArbitrary(p, options, k), { numRuns: 1, seed: 1 })[0];
      for (const m of enumerateMutants(p, value, options, k, at, depth + 1)) {
        // alone with the required fields when the field is optional (objects whose fields exclude each other)
        out.push({ ...m, value: withKey(required.has(k) ? o : bare, k, m.value), where: m.where ? `${k}.${m.where}` : k });
      }
    }
  }
  return out;
}
