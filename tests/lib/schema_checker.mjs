// A JSON Schema checker for cloud resource schemas (CloudFormation provider schemas, Azure Resource Manager
// schemas, hand-written Google Cloud constraints): the draft-04..2020 keywords those schemas use, plus
// cfn-lint's requiredXor / requiredOr / dependentExcluded. A keyword it does not know throws, so a refreshed
// schema cannot carry a constraint that nobody checks. The caller says how deploy-time values look (values),
// how "no value" looks (absent) and whether scalars convert (coerce).
export const UNKNOWN = Symbol('unknown until deploy time');

/** The node at JSON pointer `pointer` in `doc`, or undefined. */
export function pointerGet(doc, pointer) {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

const ANNOTATIONS = new Set([
  'description', '$comment', 'examples', 'default', 'insertionOrder', 'arrayType', 'relationshipRef', 'title',
  'markdownDescription', 'deprecated', '$schema',
]);
const KEYWORDS = new Set([
  'type', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'items', 'properties',
  'additionalProperties', 'patternProperties', 'required', 'requiredXor', 'requiredOr', 'dependentRequired',
  'dependentExcluded', 'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', '$ref', 'format', 'propertyNames',
  'minProperties', 'maxProperties',
]);

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const at = (p, k) => `${p}/${esc(k)}`;
const show = (v) => {
  const s = typeof v === 'symbol' ? '(deploy-time value)' : JSON.stringify(v);
  return s && s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

const PATTERNS = new Map();
function compile(pattern) {
  let r = PATTERNS.get(pattern);
  if (!r) {
    try { r = new RegExp(pattern, 'u'); } catch { r = new RegExp(pattern); }
    PATTERNS.set(pattern, r);
  }
  return r;
}

function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

// The value when it is of JSON Schema `type` (an integer is a number too), else undefined.
function strict(v, type) {
  const t = jsonType(v);
  if (!['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'].includes(type)) {
    throw new Error(`schema_checker.mjs: unknown JSON type "${type}"`);
  }
  return t === type || (type === 'number' && t === 'integer') ? v : undefined;
}

// The value as `type` after CloudFormation's scalar conversions, or undefined when it does not convert.
function coerce(v, type) {
  const t = jsonType(v);
  switch (type) {
    case 'string':
      return t === 'string' ? v : (t === 'integer' || t === 'number' || t === 'boolean') ? String(v) : undefined;
    case 'integer':
      if (t === 'integer') return v;
      return t === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
    case 'number':
      if (t === 'integer' || t === 'number') return v;
      return t === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : undefined;
    case 'boolean':
      if (t === 'boolean') return v;
      return t === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : undefined;
    case 'object': return t === 'object' ? v : undefined;
    case 'array': return t === 'array' ? v : undefined;
    case 'null': return v === null ? v : undefined;
    default: throw new Error(`schema_checker.mjs: unknown JSON type "${type}"`);
  }
}

/**
 * Checks JSON values against one schema document (whose `definitions` its $refs point into).
 *   root       the schema document ($ref "#/..." resolves in it)
 *   label      names the schema in messages ("AWS::EC2::SecurityGroup provider schema")
 *   values(v)  the values `v` may take at deploy time: [v] for a literal, [UNKNOWN] when it cannot be known
 *              (skipped), several for a conditional; default [v]
 *   absent(v)  true when `v` means "no value" (the property or list item is left out); default never
 *   coerce     true: scalars convert as CloudFormation does ("5432" is an integer); false: JSON types only
 *   formats    {name: (value) => boolean}; a format not listed throws
 *   opaque(v)  true for list items uniqueItems must not compare (deploy-time values); default never
 * A finding is {path, keyword, message}; a node whose $comment is an https link (a service constraint) is
 * named by that link in the message instead of the label.
 */
export class SchemaChecker {
  constructor(root, { label, values = (v) => [v], absent = () => false, coerce = false, formats = {}, opaque = () => false }) {
    this.schema = root;
    this.label = label;
    this.valuesOf = values;
    this.absent = absent;
    this.coerce = coerce;
    this.formats = formats;
    this.opaque = opaque;
    this.findings = [];
  }

  fail(path, keyword, message, schema) {
    const source = schema?.$comment?.startsWith('https://') ? `service constraint, ${schema.$comment}` : this.label;
    this.findings.push({ path, keyword, message: `${message} (${source}, keyword ${keyword})` });
  }

  ref(pointer) {
    if (!pointer.startsWith('#/')) throw new Error(`schema_checker.mjs: only local $ref is supported, got ${pointer}`);
    const node = pointerGet(this.schema, pointer.slice(1));
    if (node === undefined) throw new Error(`schema_checker.mjs: ${this.label} has no ${pointer}`);
    return node;
  }

  hasFormat(format, v) {
    const f = this.formats[format];
    if (!f) throw new Error(`schema_checker.mjs: ${this.label} uses the format "${format}", which has no rule`);
    return f(v);
  }

  // Quietly: the findings `v` would get against `schema` (for anyOf / oneOf / not / if).
  trial(v, schema, path) {
    const saved = this.findings;
    this.findings = [];
    this.checkValue(v, schema, path);
    const got = this.findings;
    this.findings = saved;
    return got;
  }

  passes(v, schema, path) {
    return this.trial(v, schema, path).length === 0;
  }

  // No alternative fits: say why the closest one (fewest findings, a wrong type counting as worst) does not.
  noAlternative(v, alternatives, path, keyword, schema) {
    let best = null;
    for (const alt of alternatives) {
      const got = this.trial(v, alt, path);
      const score = got.some((f) => f.path === path && f.keyword === 'type') ? Infinity : got.length;
      if (!best || score < best.score) best = { score, got };
    }
    if (best && best.score !== Infinity) this.findings.push(...best.got);
    else this.fail(path, keyword, `${show(v)} matches none of the allowed shapes`, schema);
  }

  /** Checks `v` (and each value it may take at deploy time) against `schema`; findings collect in this.findings. */
  check(v, schema, path) {
    for (const x of this.valuesOf(v)) {
      if (x !== UNKNOWN) this.checkValue(x, schema, path);
    }
  }

  checkValue(v, schema, path) {
    if (schema === true || schema === undefined) return;
    if (schema === false) {
      this.fail(path, 'false', 'no value is allowed here', schema);
      return;
    }
    for (const k of Object.keys(schema)) {
      if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) {
        throw new Error(`schema_checker.mjs: ${this.label} uses the keyword "${k}" (at ${path}), which this checker does not know`);
      }
    }
    if (schema.$ref) this.checkValue(v, this.ref(schema.$ref), path);

    // Type, with CloudFormation's scalar conversions; constraints apply to the converted value.
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      let converted;
      for (const t of types) {
        converted = this.coerce ? coerce(v, t) : strict(v, t);
        if (converted !== undefined) break;
      }
      if (converted === undefined) {
        this.fail(path, 'type', `${show(v)} is not of type ${types.join(' or ')}`, schema);
        return;
      }
      v = converted;
    }
    const t = jsonType(v);

    if (schema.enum && !schema.enum.some((e) => e === v || String(e) === String(v))) {
      this.fail(path, 'enum', `${show(v)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`, schema);
    }
    if ('const' in schema && !(schema.const === v || String(schema.const) === String(v))) {
      this.fail(path, 'const', `${show(v)} must be ${JSON.stringify(schema.const)}`, schema);
    }
    if (schema.format !== undefined && !this.hasFormat(schema.format, v)) {
      this.fail(path, 'format', `${show(v)} is not a valid ${schema.format}`, schema);
    }

    if (t === 'string') {
      const n = [...v].length; // code points, as JSON Schema counts
      if (schema.minLength !== undefined && n < schema.minLength) this.fail(path, 'minLength', `${show(v)} is ${n} characters; at least ${schema.minLength} are required`, schema);
      if (schema.maxLength !== undefined && n > schema.maxLength) this.fail(path, 'maxLength', `${show(v)} is ${n} characters; at most ${schema.maxLength} are allowed`, schema);
      if (schema.pattern !== undefined && !compile(schema.pattern).test(v)) {
        this.fail(path, 'pattern', `${show(v)} does not match the pattern ${schema.pattern}`, schema);
      }
    }
    if (t === 'integer' || t === 'number') {
      if (schema.minimum !== undefined && v < schema.minimum) this.fail(path, 'minimum', `${v} is below the minimum ${schema.minimum}`, schema);
      if (schema.maximum !== undefined && v > schema.maximum) this.fail(path, 'maximum', `${v} is above the maximum ${schema.maximum}`, schema);
      if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) this.fail(path, 'exclusiveMinimum', `${v} must be above ${schema.exclusiveMinimum}`, schema);
      if (schema.exclusiveMaximum !== undefined && v >= schema.exclusiveMaximum) this.fail(path, 'exclusiveMaximum', `${v} must be below ${schema.exclusiveMaximum}`, schema);
      if (schema.multipleOf !== undefined && v % schema.multipleOf !== 0) this.fail(path, 'multipleOf', `${v} is not a multiple of ${schema.multipleOf}`, schema);
    }
    if (t === 'array') this.checkArray(v, schema, path);
    if (t === 'object') this.checkObject(v, schema, path);

    if (schema.allOf) schema.allOf.forEach((s) => this.checkValue(v, s, path));
    if (schema.anyOf && !schema.anyOf.some((s) => this.passes(v, s, path))) {
      this.noAlternative(v, schema.anyOf, path, 'anyOf', schema);
    }
    if (schema.oneOf) {
      const n = schema.oneOf.filter((s) => this.passes(v, s, path)).length;
      if (n === 0) this.noAlternative(v, schema.oneOf, path, 'oneOf', schema);
      else if (n > 1) this.fail(path, 'oneOf', `${show(v)} matches ${n} of the shapes where exactly one must match`, schema);
    }
    if (schema.not && this.passes(v, schema.not, path)) this.fail(path, 'not', `${show(v)} is not allowed here`, schema);
    if (schema.if !== undefined) {
      if (this.passes(v, schema.if, path)) { if (schema.then !== undefined) this.checkValue(v, schema.then, path); }
      else if (schema.else !== undefined) this.checkValue(v, schema.else, path);
    }
  }

  checkArray(v, schema, path) {
    const items = v.filter((x) => !this.absent(x));
    if (schema.minItems !== undefined && items.length < schema.minItems) this.fail(path, 'minItems', `the list has ${items.length} items; at least ${schema.minItems} are required`, schema);
    if (schema.maxItems !== undefined && items.length > schema.maxItems) this.fail(path, 'maxItems', `the list has ${items.length} items; at most ${schema.maxItems} are allowed`, schema);
    if (schema.uniqueItems === true) {
      const seen = new Set();
      for (const x of items) {
        if (this.opaque(x)) continue; // two deploy-time values may still differ
        const key = JSON.stringify(x);
        if (seen.has(key)) this.fail(path, 'uniqueItems', `${show(x)} appears more than once`, schema);
        seen.add(key);
      }
    }
    if (schema.items !== undefined) {
      v.forEach((x, i) => { if (!this.absent(x)) this.check(x, schema.items, at(path, i)); });
    }
  }

  checkObject(v, schema, path) {
    const present = Object.keys(v).filter((k) => !this.absent(v[k]));
    const has = (k) => present.includes(k);
    for (const k of schema.required ?? []) {
      if (!has(k)) this.fail(path, 'required', `the property ${k} is required`, schema);
    }
    if (schema.requiredXor) {
      const n = schema.requiredXor.filter(has).length;
      if (n !== 1) this.fail(path, 'requiredXor', `exactly one of ${schema.requiredXor.join(', ')} is required (found ${n})`, schema);
    }
    if (schema.requiredOr && !schema.requiredOr.some(has)) {
      this.fail(path, 'requiredOr', `at least one of ${schema.requiredOr.join(', ')} is required`, schema);
    }
    for (const [k, needs] of Object.entries(schema.dependentRequired ?? {})) {
      if (has(k)) for (const d of needs) if (!has(d)) this.fail(path, 'dependentRequired', `${k} requires ${d}`, schema);
    }
    for (const [k, excluded] of Object.entries(schema.dependentExcluded ?? {})) {
      if (has(k)) for (const d of excluded) if (has(d)) this.fail(path, 'dependentExcluded', `${k} and ${d} cannot be used together`, schema);
    }
    if (schema.minProperties !== undefined && present.length < schema.minProperties) this.fail(path, 'minProperties', `at least ${schema.minProperties} properties are required`, schema);
    if (schema.maxProperties !== undefined && present.length > schema.maxProperties) this.fail(path, 'maxProperties', `at most ${schema.maxProperties} properties are allowed`, schema);
    for (const k of present) {
      const p = at(path, k);
      if (schema.propertyNames !== undefined) this.checkValue(k, schema.propertyNames, p);
      let matched = false;
      if (schema.properties && k in schema.properties) {
        matched = true;
        this.check(v[k], schema.properties[k], p);
      }
      for (const [pattern, s] of Object.entries(schema.patternProperties ?? {})) {
        if (compile(pattern).test(k)) {
          matched = true;
          this.check(v[k], s, p);
        }
      }
      if (!matched && schema.additionalProperties !== undefined) {
        if (schema.additionalProperties === false) this.fail(p, 'additionalProperties', `${k} is not a property here`, schema);
        else this.check(v[k], schema.additionalProperties, p);
      }
    }
  }
}

