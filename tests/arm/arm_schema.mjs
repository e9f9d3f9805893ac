// Azure Resource Manager templates against the ARM template schemas of the resource types CloudSketch emits
// (tests/arm/schemas, extracted from Azure/azure-resource-manager-schemas by extract.mjs there) and, where
// those schemas are looser, Azure's documented naming rules and property limits (SERVICE_CONSTRAINTS and
// NAME_RULES below, each with its doc link).
//
//   import { checkArmTemplate } from './arm_schema.mjs';
//   checkArmTemplate(template, { parameters: { subnetId: '...' } })  ->  [{path, keyword, message}]
//
// Template expressions ("[concat(...)]") are evaluated where they only use what a deployment knows up front
// (parameters, variables, concat, format, toLower, uniqueString, resourceGroup().id, resourceId, guid, ...), so
// generated names are checked with the values they will have; anything else (reference(), ...) is a
// deploy-time value and skipped. A resource type or API version without a committed schema is a finding.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { SchemaChecker, UNKNOWN, pointerGet } from '../lib/schema_checker.mjs';

export { UNKNOWN };

// ---------------------------------------------------------------------------------------------------
// Azure's documented rules where the ARM schemas say only "string" / "integer".

const NAMING = 'https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules';
const SECURITY_RULE = 'https://learn.microsoft.com/en-us/rest/api/virtualnetwork/network-security-groups/create-or-update#securityrule';
const TAGS = 'https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations';

// Microsoft.Network names: 1-80 characters, alphanumerics, underscores, periods and hyphens; start with an
// alphanumeric, end with an alphanumeric or an underscore.
const NETWORK_NAME = { pattern: '^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$' };
// Linux VM names: 1-64 characters, none of \/"[]:|<>+=;,?*@& or whitespace, not starting with _, not ending
// with . or -.
const LINUX_VM_NAME = { pattern: '^(?!_)[^\\\\/"\\[\\]:|<>+=;,?*@&\\s]{1,64}(?<![.-])$' };
// Blob containers: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit.
const CONTAINER_NAME = { pattern: '^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$' };
const GUID = { pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' };

/** Rules for each segment of a resource's name ("account/default/backups"), by type; [rule, doc] each. */
export const NAME_RULES = {
  'Microsoft.Network/applicationSecurityGroups': [[NETWORK_NAME, NAMING]],
  'Microsoft.Network/networkSecurityGroups': [[NETWORK_NAME, NAMING]],
  'Microsoft.Network/networkInterfaces': [[NETWORK_NAME, NAMING]],
  'Microsoft.Network/publicIPAddresses': [[NETWORK_NAME, NAMING]],
  'Microsoft.Compute/virtualMachines': [[LINUX_VM_NAME, NAMING]],
  'Microsoft.Storage/storageAccounts': [[{ pattern: '^[a-z0-9]{3,24}$' }, NAMING]],
  'Microsoft.Storage/storageAccounts/blobServices/containers': [[{ pattern: '^[a-z0-9]{3,24}$' }, NAMING], [{ const: 'default' }, NAMING], [CONTAINER_NAME, NAMING]],
  'Microsoft.Storage/storageAccounts/managementPolicies': [[{ pattern: '^[a-z0-9]{3,24}$' }, NAMING], [{ const: 'default' }, NAMING]],
  'Microsoft.Authorization/roleAssignments': [[GUID, NAMING]],
};

// Added (allOf) to the schema node at `at` in the file of `type`.
const tagLimits = { at: '/resource/properties/tags/oneOf/0', add: { maxProperties: 50, propertyNames: { maxLength: 512, pattern: '^[^<>%&\\\\?/]*$' }, additionalProperties: { maxLength: 256 } }, doc: TAGS };
export const SERVICE_CONSTRAINTS = {
  'Microsoft.Network/networkSecurityGroups': [
    // Security rules: priority 100-4096, description at most 140 characters, names like other network names.
    { at: '/definitions/SecurityRulePropertiesFormat/properties/priority/oneOf/0', add: { minimum: 100, maximum: 4096 }, doc: SECURITY_RULE },
    { at: '/definitions/SecurityRulePropertiesFormat/properties/description', add: { maxLength: 140 }, doc: SECURITY_RULE },
    { at: '/definitions/SecurityRule/properties/name', add: NETWORK_NAME, doc: NAMING },
    tagLimits,
  ],
  'Microsoft.Network/applicationSecurityGroups': [tagLimits],
  'Microsoft.Network/networkInterfaces': [tagLimits],
  'Microsoft.Network/publicIPAddresses': [tagLimits],
  'Microsoft.Compute/virtualMachines': [
    // The host name: like the VM name, 1-64 characters on Linux.
    { at: '/definitions/OSProfile/properties/computerName', add: LINUX_VM_NAME, doc: NAMING },
    tagLimits,
  ],
  // Storage accounts take 128-character tag names.
  'Microsoft.Storage/storageAccounts': [{ ...tagLimits, add: { ...tagLimits.add, propertyNames: { maxLength: 128, pattern: '^[^<>%&\\\\?/]*$' } } }],
};

// Where a schema is stricter than Azure: the node at `at` is replaced. The ARM schemas turn the REST API's
// extensible enums into closed lists of the sizes known when they were generated.
const HARDWARE_PROFILE = 'https://learn.microsoft.com/en-us/rest/api/compute/virtual-machines/create-or-update#hardwareprofile';
export const SCHEMA_CORRECTIONS = {
  'Microsoft.Compute/virtualMachines': [
    // "The enum data type is currently deprecated": any size the region offers (Standard_D4s_v5, ...).
    { at: '/definitions/HardwareProfile/properties/vmSize/oneOf/0', replace: { type: 'string', pattern: '^(Basic|Standard)_[A-Za-z0-9_-]+$' }, doc: HARDWARE_PROFILE },
  ],
};

// Keys a template may put on any resource besides the type's own (the deployment template schema's
// resourceBase: https://learn.microsoft.com/en-us/azure/azure-resource-manager/templates/resource-declaration).
const TEMPLATE_KEYS = new Set(['condition', 'dependsOn', 'copy', 'comments', 'scope', 'metadata', 'existing']);

// ---------------------------------------------------------------------------------------------------
// Schemas

const SCHEMA_DIR = path.join(import.meta.dirname, 'schemas');
const SCHEMAS = new Map();

/** The committed schema of `type` at `apiVersion` ({resource, definitions}) with SERVICE_CONSTRAINTS, or null. */
export function armSchema(type, apiVersion) {
  const key = `${type}@${apiVersion}`;
  if (SCHEMAS.has(key)) return SCHEMAS.get(key);
  const file = path.join(SCHEMA_DIR, `${type.replace(/\//g, '.')}@${apiVersion}.json`);
  let schema = null;
  if (existsSync(file)) {
    schema = JSON.parse(readFileSync(file, 'utf8'));
    for (const c of SCHEMA_CORRECTIONS[type] ?? []) {
      const parent = pointerGet(schema, c.at.slice(0, c.at.lastIndexOf('/')));
      const key = c.at.slice(c.at.lastIndexOf('/') + 1);
      if (!parent || !(key in parent)) throw new Error(`arm_schema.mjs: ${type}@${apiVersion} has no ${c.at} to correct (${c.doc})`);
      parent[key] = { ...c.replace, $comment: c.doc };
    }
    for (const c of SERVICE_CONSTRAINTS[type] ?? []) {
      const node = pointerGet(schema, c.at);
      if (!node) throw new Error(`arm_schema.mjs: ${key} has no ${c.at} for the constraint from ${c.doc}`);
      node.allOf = [...(node.allOf ?? []), { ...c.add, $comment: c.doc }];
    }
  }
  SCHEMAS.set(key, schema);
  return schema;
}

// ---------------------------------------------------------------------------------------------------
// Template expressions: https://learn.microsoft.com/en-us/azure/azure-resource-manager/templates/template-expressions

const isExpression = (v) => typeof v === 'string' && /^\[([^[].*)?\]$/s.test(v);

// Tokens of an expression body: strings ('it''s'), numbers, names, ( ) , . [ ]
function tokenize(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === "'") {
      let s = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in [${text}]`);
        if (text[i] === "'" && text[i + 1] === "'") { s += "'"; i += 2; continue; }
        if (text[i] === "'") { i += 1; break; }
        s += text[i++];
      }
      out.push({ t: 'str', v: s });
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?\d+/.exec(text.slice(i));
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
    } else if ('(),.[]'.includes(c)) {
      out.push({ t: c });
      i += 1;
    } else throw new Error(`unexpected "${c}" in [${text}]`);
  }
  return out;
}

// uniqueString: 13 characters of base-32 from a hash of its arguments (a stand-in with the real shape).
function uniqueString(...args) {
  const digest = createHash('sha256').update(args.join('|')).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let s = '';
  for (let i = 0; i < 13; i++) s += alphabet[digest[i] % 32];
  return s;
}

function guid(...args) {
  const h = createHash('sha256').update(args.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const RESOURCE_GROUP = 'cloudsketch-test-rg';

class Evaluator {
  constructor(template, parameters) {
    this.template = template;
    this.parameters = parameters;
  }

  /** The value of a template value: literals as they are, expressions evaluated or UNKNOWN. */
  value(v) {
    if (!isExpression(v)) return v;
    try {
      const tokens = tokenize(v.slice(1, -1));
      const [value, rest] = this.expr(tokens, 0);
      if (rest !== tokens.length) return UNKNOWN;
      return value;
    } catch {
      return UNKNOWN;
    }
  }

  expr(tokens, i) {
    const tok = tokens[i];
    let value;
    if (tok.t === 'str' || tok.t === 'num') {
      value = tok.v;
      i += 1;
    } else if (tok.t === 'name') {
      if (tokens[i + 1]?.t !== '(') throw new Error(`bare name ${tok.v}`);
      const args = [];
      i += 2;
      while (tokens[i]?.t !== ')') {
        const [a, next] = this.expr(tokens, i);
        args.push(a);
        i = next;
        if (tokens[i]?.t === ',') i += 1;
      }
      i += 1;
      value = this.call(tok.v, args);
    } else throw new Error(`unexpected ${tok.t}`);
    // Property access and indexing: .id, ['x']
    while (tokens[i]?.t === '.' || tokens[i]?.t === '[') {
      if (tokens[i].t === '.') {
        const name = tokens[i + 1].v;
        value = value === UNKNOWN || value === null || typeof value !== 'object' ? UNKNOWN : value[name] ?? UNKNOWN;
        i += 2;
      } else {
        const [key, next] = this.expr(tokens, i + 1);
        value = value === UNKNOWN || key === UNKNOWN || value === null || typeof value !== 'object' ? UNKNOWN : value[key] ?? UNKNOWN;
        i = next + 1;
      }
    }
    return [value, i];
  }

  call(name, args) {
    const known = args.every((a) => a !== UNKNOWN);
    switch (name.toLowerCase()) {
      case 'parameters': {
        const p = this.template.parameters?.[args[0]];
        if (!p) throw new Error(`no parameter ${args[0]}`);
        if (args[0] in this.parameters) return this.parameters[args[0]];
        return 'defaultValue' in p ? this.value(p.defaultValue) : UNKNOWN;
      }
      case 'variables': {
        const v = this.template.variables?.[args[0]];
        if (v === undefined) throw new Error(`no variable ${args[0]}`);
        return this.value(v);
      }
      case 'concat': return known ? args.join('') : UNKNOWN;
      case 'format': return known ? String(args[0]).replace(/\{(\d+)\}/g, (_, n) => String(args[Number(n) + 1])) : UNKNOWN;
      case 'tolower': return known ? String(args[0]).toLowerCase() : UNKNOWN;
      case 'toupper': return known ? String(args[0]).toUpperCase() : UNKNOWN;
      case 'substring': return known ? String(args[0]).substr(args[1], args[2]) : UNKNOWN;
      case 'take': return known ? String(args[0]).slice(0, args[1]) : UNKNOWN;
      case 'uniquestring': return known ? uniqueString(...args) : UNKNOWN;
      case 'guid': return known ? guid(...args) : UNKNOWN;
      case 'resourcegroup': return { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`, name: RESOURCE_GROUP, location: 'westeurope' };
      case 'subscription': return { id: `/subscriptions/${SUBSCRIPTION}`, subscriptionId: SUBSCRIPTION };
      case 'resourceid': return known ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/${args[0]}/${args.slice(1).join('/')}` : UNKNOWN;
      case 'subscriptionresourceid': return known ? `/subscriptions/${SUBSCRIPTION}/providers/${args[0]}/${args.slice(1).join('/')}` : UNKNOWN;
      default: return UNKNOWN; // reference(), listKeys(), ... : known only during the deployment
    }
  }

  /** `v` with every expression inside it evaluated (UNKNOWN where it cannot be). */
  deep(v) {
    if (Array.isArray(v)) return v.map((x) => this.deep(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.deep(x)]));
    return this.value(v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Checking

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Findings for every resource of an ARM template: [{path, keyword, message}], [] when it fits. `parameters`
 * gives values for parameters without a default (others use their default; a missing one is UNKNOWN).
 */
export function checkArmTemplate(template, { parameters = {} } = {}) {
  const findings = [];
  const evaluator = new Evaluator(template, parameters);
  const resources = Array.isArray(template.resources) ? template.resources : [];
  if (!Array.isArray(template.resources)) findings.push({ path: '/resources', keyword: 'type', message: 'resources must be a list' });
  // Names are unique per type in a resource group (a second one would update the first).
  const seen = new Map();
  resources.forEach((r, i) => {
    const key = `${evaluator.value(r.type)} ${String(evaluator.value(r.name))}`;
    if (typeof evaluator.value(r.name) !== 'string') return;
    if (seen.has(key)) findings.push({ path: `/resources/${i}/name`, keyword: 'unique', message: `${key} is also resource ${seen.get(key)}` });
    seen.set(key, i);
  });
  resources.forEach((r, i) => {
    const p = `/resources/${i}`;
    const type = evaluator.value(r.type);
    const apiVersion = evaluator.value(r.apiVersion);
    const schema = armSchema(type, apiVersion);
    if (!schema) {
      findings.push({ path: p, keyword: 'schema', message: `no ARM schema for ${type}@${apiVersion} in tests/arm/schemas: add it (extract.mjs) so it is checked` });
      return;
    }
    const label = `${type}@${apiVersion} ARM schema`;
    for (const k of Object.keys(r)) {
      if (!(k in schema.resource.properties) && !TEMPLATE_KEYS.has(k)) {
        findings.push({ path: `${p}/${esc(k)}`, keyword: 'additionalProperties', message: `${k} is not a property of ${type} (${label})` });
      }
    }
    const body = Object.fromEntries(Object.entries(r).filter(([k]) => !TEMPLATE_KEYS.has(k)));
    const checker = new SchemaChecker(schema, {
      label,
      values: (v) => [evaluator.value(v)],
      formats: {},
    });
    checker.check(body, schema.resource, p);
    findings.push(...checker.findings);

    // The name, segment by segment, against Azure's naming rules.
    const name = evaluator.value(r.name);
    const rules = NAME_RULES[type];
    if (!rules) {
      findings.push({ path: `${p}/name`, keyword: 'schema', message: `no naming rule for ${type} in arm_schema.mjs NAME_RULES` });
    } else if (typeof name === 'string') {
      const segments = name.split('/');
      if (segments.length !== rules.length) {
        findings.push({ path: `${p}/name`, keyword: 'segments', message: `${JSON.stringify(name)} has ${segments.length} segments; ${type} takes ${rules.length} (${NAMING})` });
      } else {
        segments.forEach((s, k) => {
          const [rule, doc] = rules[k];
          const c = new SchemaChecker({}, { label: label });
          c.check(s, { type: 'string', ...rule, $comment: doc }, `${p}/name`);
          findings.push(...c.findings);
        });
      }
    }
  });
  return findings;
}

/** The value `v` of `template` takes in a deployment (expressions evaluated; UNKNOWN where they cannot be). */
export function evaluateArm(template, v, parameters = {}) {
  return new Evaluator(template, parameters).deep(v);
}
