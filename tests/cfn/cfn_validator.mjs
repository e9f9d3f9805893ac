// Strict, offline validator for AWS CloudFormation templates (JSON), on the current CloudFormation
// resource specification shipped as data by @aws-cdk/aws-service-spec (pinned in tests/package.json).
//
//   import { validateTemplate } from './cfn_validator.mjs';
//   validateTemplate(templateObject)  ->  [{path, message}]   (empty = valid)
//
// It checks what CloudFormation checks before it creates anything: the template's sections and limits,
// logical ids, resource attributes, resource types, property names (recursively), required properties,
// value types (with CloudFormation's own leniency: "5432" where an integer goes, 5 where a string goes),
// allowed values, intrinsic functions and what they refer to (Ref, Fn::GetAtt, Fn::Sub, Fn::If,
// Fn::FindInMap, ...), DependsOn targets, dependency cycles, parameters, outputs and exports, the
// template body size and the EC2 user-data size (16 KB once decoded).
//
// Then every resource's properties against its CloudFormation resource provider schema and the services'
// documented constraints (provider_schema.mjs: patterns, lengths, ranges, enums, required, nesting).
// options.providerSchemas: 'available' (default: types with a schema in tests/cfn/schemas), 'require' (a type
// without one is a finding: for CloudSketch's own templates) or false.
//
// `path` is a JSON pointer into the template (e.g. /Resources/Bucket/Properties/Tags/0/Key).
// The spec is loaded once per process (about 3 s) on first use; loadSpec() may be called up front.

import { createRequire } from 'node:module';
import { checkResourceProperties, providerSchema } from './provider_schema.mjs';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------------
// The specification

let SPEC = null;

/** Load the current CloudFormation spec once; returns {db, resources: Map(type -> Resource)}. */
export function loadSpec() {
  if (SPEC) return SPEC;
  const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec');
  const db = loadAwsServiceSpecSync();
  const resources = new Map();
  for (const r of db.all('resource')) resources.set(r.cloudFormationType, r);
  SPEC = { db, resources, typeCache: new Map() };
  return SPEC;
}

function typeDefinition(ref) {
  const spec = loadSpec();
  const id = ref.$ref;
  let t = spec.typeCache.get(id);
  if (!t) {
    t = spec.db.get('typeDefinition', id);
    spec.typeCache.set(id, t);
  }
  return t;
}

/** The spec's Resource entity for a CloudFormation type name, or undefined. */
export function specResource(type) {
  return loadSpec().resources.get(type);
}

/**
 * Whether `segments` (property names, with list indexes / map keys in between as they appear in a
 * template) name a property that exists under `resourceType` in the current spec. The last segment is
 * the property asked about. Used to confirm cfn-lint's stale "X is not a valid property of Y" findings.
 */
export function specHasPropertyPath(resourceType, segments) {
  const res = specResource(resourceType);
  if (!res) return false;
  let props = res.properties;
  let i = 0;
  while (i < segments.length) {
    const p = props[segments[i]];
    if (!p) return false;
    if (i === segments.length - 1) return true;
    i += 1;
    // Step into the property's type, skipping list indexes and map keys.
    let t = p.type;
    for (;;) {
      if (t.type === 'array' || t.type === 'map') {
        t = t.element;
        i += 1; // the index / key segment
        continue;
      }
      if (t.type === 'union') {
        t = t.types.find((x) => x.type === 'ref' || x.type === 'array' || x.type === 'map') || t.types[0];
        continue;
      }
      break;
    }
    if (t.type !== 'ref') return false;
    props = typeDefinition(t.reference).properties;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Constants: what CloudFormation allows

const SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions',
  'Transform', 'Rules', 'Resources', 'Outputs',
]);
const RESOURCE_ATTRIBUTES = new Set([
  'Type', 'Properties', 'DependsOn', 'CreationPolicy', 'DeletionPolicy', 'UpdateReplacePolicy',
  'UpdatePolicy', 'Condition', 'Metadata',
]);
// DeletionPolicy / UpdateReplacePolicy "Snapshot" is only supported by these types (CloudFormation docs).
const SNAPSHOT_TYPES = new Set([
  'AWS::EC2::Volume', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache', 'AWS::Neptune::DBCluster', 'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance', 'AWS::Redshift::Cluster', 'AWS::DocDB::DBCluster',
]);
const CREATION_POLICY_TYPES = new Set([
  'AWS::AutoScaling::AutoScalingGroup', 'AWS::EC2::Instance', 'AWS::CloudFormation::WaitCondition',
  'AWS::AppStream::Fleet',
]);
const UPDATE_POLICY_KEYS = new Set([
  'AutoScalingReplacingUpdate', 'AutoScalingRollingUpdate', 'AutoScalingScheduledAction',
  'CodeDeployLambdaAliasUpdate', 'EnableVersionUpgrade', 'UseOnlineResharding',
]);
const PSEUDO = new Map([
  // name -> estimated length of its value (for the user-data size estimate); NotificationARNs is a list
  ['AWS::AccountId', 12], ['AWS::NotificationARNs', 0], ['AWS::NoValue', 0], ['AWS::Partition', 10],
  ['AWS::Region', 14], ['AWS::StackId', 128], ['AWS::StackName', 128], ['AWS::URLSuffix', 16],
]);
const LIST_PSEUDO = new Set(['AWS::NotificationARNs']);
const AWS_PARAM_TYPES = [
  'AWS::EC2::AvailabilityZone::Name', 'AWS::EC2::Image::Id', 'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName', 'AWS::EC2::SecurityGroup::GroupName', 'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id', 'AWS::EC2::Volume::Id', 'AWS::EC2::VPC::Id', 'AWS::Route53::HostedZone::Id',
];
const PARAM_TYPES = new Set([
  'String', 'Number', 'List<Number>', 'CommaDelimitedList', 'AWS::SSM::Parameter::Name',
  ...AWS_PARAM_TYPES,
  ...AWS_PARAM_TYPES.filter((t) => t !== 'AWS::EC2::KeyPair::KeyName').map((t) => `List<${t}>`),
  'AWS::SSM::Parameter::Value<String>', 'AWS::SSM::Parameter::Value<List<String>>',
  'AWS::SSM::Parameter::Value<CommaDelimitedList>',
  ...AWS_PARAM_TYPES.map((t) => `AWS::SSM::Parameter::Value<${t}>`),
  ...AWS_PARAM_TYPES.map((t) => `AWS::SSM::Parameter::Value<List<${t}>>`),
]);
const PARAM_KEYS = new Set([
  'Type', 'Default', 'Description', 'AllowedValues', 'AllowedPattern', 'ConstraintDescription',
  'MaxLength', 'MinLength', 'MaxValue', 'MinValue', 'NoEcho',
]);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);
const CONDITION_FNS = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition']);
const VALUE_FNS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Base64', 'Fn::Select', 'Fn::Split', 'Fn::If',
  'Fn::GetAZs', 'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Cidr', 'Fn::Transform',
  'Fn::Length', 'Fn::ToJsonString', // AWS::LanguageExtensions
]);
const LANGUAGE_EXTENSION_FNS = new Set(['Fn::Length', 'Fn::ToJsonString']);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const CUSTOM_TYPE = /^Custom::[A-Za-z0-9_@-]{1,60}$/;
const LIMITS = {
  body: 1024 * 1024, description: 1024, resources: 500, parameters: 200, mappings: 200, outputs: 200,
  userData: 16 * 1024, logicalId: 255,
};

// ---------------------------------------------------------------------------------------------------
// Helpers

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const bytes = (s) => Buffer.byteLength(s, 'utf8');
const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const at = (path, k) => `${path}/${esc(k)}`;
const show = (v) => {
  const s = JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** The intrinsic function name if `v` is {"Fn::X": ...} / {"Ref": ...} / {"Condition": ...}. */
function fnName(v) {
  if (!isObj(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const k = keys[0];
  if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return k;
  return null;
}

// Fn::Sub placeholders: ${Name}, ${Res.Attr}, ${AWS::Region}; ${!Literal} is an escape.
function subPlaceholders(text) {
  const out = [];
  const re = /\$\{([^}]*)\}/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m[1].startsWith('!')) continue;
    out.push({ raw: m[0], name: m[1].trim(), index: m.index });
  }
  return out;
}

// ISO 8601 duration as used by CreationPolicy timeouts (PT#H#M#S); returns seconds or null.
function isoSeconds(s) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(s);
  if (!m || s === 'PT') return null;
  return (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
}

function paramIsList(type) {
  return typeof type === 'string' && (type.startsWith('List<') || type === 'CommaDelimitedList'
    || type === 'AWS::SSM::Parameter::Value<CommaDelimitedList>'
    || type.startsWith('AWS::SSM::Parameter::Value<List<'));
}

function typeLabel(t) {
  switch (t.type) {
    case 'array': return `list of ${typeLabel(t.element)}`;
    case 'map': return `map of ${typeLabel(t.element)}`;
    case 'ref': return typeDefinition(t.reference).name;
    case 'union': return t.types.map(typeLabel).join(' or ');
    case 'tag': return 'Tag {Key, Value}';
    default: return t.type;
  }
}

// ---------------------------------------------------------------------------------------------------
// The validator

export function validateTemplate(template, options = {}) {
  const v = new Validator(template, options);
  v.run();
  return v.findings;
}

/** The estimated decoded user-data size of each EC2 instance / launch template: [{path, bytes}]. */
export function userDataEstimates(template, options = {}) {
  const v = new Validator(template, options);
  v.run();
  return v.userData;
}

class Validator {
  constructor(template, options) {
    this.t = template;
    this.options = options;
    this.findings = [];
    this.params = new Map();
    this.resources = new Map();
    this.conditions = new Set();
    this.mappings = new Map();
    this.languageExtensions = false;
    this.serverless = false;
    this.deps = new Map(); // resource -> Set(resource) it depends on
    this.userData = []; // [{path, bytes}] estimated decoded user-data sizes
  }

  err(path, message) {
    this.findings.push({ path: path || '/', message });
  }

  run() {
    const t = this.t;
    if (!isObj(t)) {
      this.err('/', 'Template must be a JSON object');
      return;
    }
    this.checkSize();
    for (const k of Object.keys(t)) {
      if (!SECTIONS.has(k)) this.err(at('', k), `Unknown top-level section "${k}"`);
    }
    if ('AWSTemplateFormatVersion' in t && t.AWSTemplateFormatVersion !== '2010-09-09') {
      this.err('/AWSTemplateFormatVersion', `AWSTemplateFormatVersion must be "2010-09-09", got ${show(t.AWSTemplateFormatVersion)}`);
    }
    if ('Description' in t) {
      if (typeof t.Description !== 'string') this.err('/Description', 'Description must be a string');
      else if (bytes(t.Description) > LIMITS.description) {
        this.err('/Description', `Description is ${bytes(t.Description)} bytes; the limit is ${LIMITS.description}`);
      }
    }
    if ('Metadata' in t && !isObj(t.Metadata)) this.err('/Metadata', 'Metadata must be an object');
    if ('Rules' in t && !isObj(t.Rules)) this.err('/Rules', 'Rules must be an object');
    this.checkTransform();

    // Collect names first: references may point forward.
    this.collect('Parameters', LIMITS.parameters, (id, p) => this.params.set(id, p));
    this.collect('Mappings', LIMITS.mappings, (id, m) => this.mappings.set(id, m));
    this.collect('Conditions', Infinity, (id) => this.conditions.add(id));
    if (!('Resources' in t)) this.err('/Resources', 'Resources section is required');
    else if (isObj(t.Resources) && Object.keys(t.Resources).length === 0) {
      this.err('/Resources', 'Resources must declare at least one resource');
    }
    this.collect('Resources', LIMITS.resources, (id, r) => this.resources.set(id, r));
    if ('Outputs' in t) this.collect('Outputs', LIMITS.outputs, () => {});
    for (const id of this.params.keys()) {
      if (this.resources.has(id)) this.err(at('/Resources', id), `Logical id "${id}" is used by both a parameter and a resource`);
    }

    for (const [id, p] of this.params) this.checkParameter(id, p, at('/Parameters', id));
    for (const [id, m] of this.mappings) this.checkMapping(m, at('/Mappings', id));
    for (const id of this.conditions) this.checkCondition(t.Conditions[id], at('/Conditions', id), true);
    for (const [id, r] of this.resources) this.checkResource(id, r, at('/Resources', id));
    if (isObj(t.Outputs)) this.checkOutputs(t.Outputs);
    this.checkCycles();
  }

  checkSize() {
    const body = this.options.body ?? JSON.stringify(this.t);
    const n = bytes(body);
    const limit = this.options.maxBodyBytes ?? LIMITS.body;
    if (n > limit) this.err('/', `Template body is ${n} bytes; the limit is ${limit}`);
  }

  checkTransform() {
    const tr = this.t.Transform;
    if (tr === undefined) return;
    const list = Array.isArray(tr) ? tr : [tr];
    for (const [i, x] of list.entries()) {
      const p = Array.isArray(tr) ? at('/Transform', i) : '/Transform';
      if (typeof x === 'string') {
        if (x === 'AWS::LanguageExtensions') this.languageExtensions = true;
        if (x.startsWith('AWS::Serverless-')) this.serverless = true;
      } else if (!(isObj(x) && typeof x.Name === 'string')) {
        this.err(p, 'Transform must be a macro name or {"Name": ..., "Parameters": ...}');
      }
    }
  }

  collect(section, limit, fn) {
    const s = this.t[section];
    if (s === undefined) return;
    const path = `/${section}`;
    if (!isObj(s)) {
      this.err(path, `${section} must be an object`);
      return;
    }
    const ids = Object.keys(s);
    if (ids.length > limit) this.err(path, `${section} has ${ids.length} entries; the limit is ${limit}`);
    for (const id of ids) {
      if (!LOGICAL_ID.test(id)) this.err(at(path, id), `Logical id "${id}" must be alphanumeric (A-Za-z0-9)`);
      if (id.length > LIMITS.logicalId) this.err(at(path, id), `Logical id is ${id.length} characters; the limit is ${LIMITS.logicalId}`);
      fn(id, s[id]);
    }
  }

  // ---- Parameters ----------------------------------------------------------------------------------

  checkParameter(id, p, path) {
    if (!isObj(p)) {
      this.err(path, 'A parameter must be an object');
      return;
    }
    for (const k of Object.keys(p)) {
      if (!PARAM_KEYS.has(k)) this.err(at(path, k), `Unknown parameter attribute "${k}"`);
    }
    const type = p.Type;
    if (type === undefined) this.err(path, 'Parameter needs a Type');
    else if (typeof type !== 'string' || !PARAM_TYPES.has(type)) {
      this.err(at(path, 'Type'), `${show(type)} is not a valid CloudFormation parameter type`);
    }
    for (const k of ['MinLength', 'MaxLength']) {
      if (k in p && !/^\d+$/.test(String(p[k]))) this.err(at(path, k), `${k} must be a non-negative integer`);
    }
    for (const k of ['MinValue', 'MaxValue']) {
      if (k in p && !Number.isFinite(Number(p[k]))) this.err(at(path, k), `${k} must be a number`);
    }
    if ('NoEcho' in p && !['true', 'false'].includes(String(p.NoEcho).toLowerCase())) {
      this.err(at(path, 'NoEcho'), 'NoEcho must be true or false');
    }
    if ('AllowedValues' in p && !Array.isArray(p.AllowedValues)) this.err(at(path, 'AllowedValues'), 'AllowedValues must be a list');
    let pattern = null;
    if ('AllowedPattern' in p) {
      if (typeof p.AllowedPattern !== 'string') this.err(at(path, 'AllowedPattern'), 'AllowedPattern must be a string');
      else {
        try { pattern = new RegExp(`^(?:${p.AllowedPattern})$`, 'u'); } catch (e) {
          this.err(at(path, 'AllowedPattern'), `AllowedPattern is not a valid regular expression: ${e.message}`);
        }
      }
    }
    if (!('Default' in p)) return;
    const d = p.Default;
    const dp = at(path, 'Default');
    if (typeof d !== 'string' && typeof d !== 'number') {
      this.err(dp, 'Default must be a string or a number');
      return;
    }
    const text = String(d);
    const list = paramIsList(type);
    const values = list ? text.split(',').map((s) => s.trim()) : [text];
    if (type === 'Number' || type === 'List<Number>') {
      for (const x of values) if (x === '' || !Number.isFinite(Number(x))) this.err(dp, `Default ${show(d)} is not a number`);
    }
    if (Array.isArray(p.AllowedValues)) {
      const allowed = p.AllowedValues.map(String);
      for (const x of values) {
        if (!allowed.includes(x)) this.err(dp, `Default ${show(x)} is not one of AllowedValues ${show(p.AllowedValues)}`);
      }
    }
    if (pattern) {
      for (const x of values) {
        if (!pattern.test(x)) this.err(dp, `Default ${show(x)} does not match AllowedPattern ${show(p.AllowedPattern)}`);
      }
    }
    if ('MinLength' in p && text.length < Number(p.MinLength)) this.err(dp, `Default is shorter than MinLength ${p.MinLength}`);
    if ('MaxLength' in p && text.length > Number(p.MaxLength)) this.err(dp, `Default is longer than MaxLength ${p.MaxLength}`);
    if ('MinValue' in p && Number(d) < Number(p.MinValue)) this.err(dp, `Default is below MinValue ${p.MinValue}`);
    if ('MaxValue' in p && Number(d) > Number(p.MaxValue)) this.err(dp, `Default is above MaxValue ${p.MaxValue}`);
  }

  checkMapping(m, path) {
    if (!isObj(m)) {
      this.err(path, 'A mapping must be an object of top-level keys');
      return;
    }
    for (const [k1, inner] of Object.entries(m)) {
      if (!isObj(inner)) {
        this.err(at(path, k1), 'A mapping key must hold an object of second-level keys');
        continue;
      }
      for (const [k2, val] of Object.entries(inner)) {
        const ok = typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean'
          || (Array.isArray(val) && val.every((x) => typeof x === 'string' || typeof x === 'number'));
        if (!ok) this.err(at(at(path, k1), k2), 'Mapping values must be strings, numbers or lists of them');
      }
    }
  }

  // ---- Conditions ----------------------------------------------------------------------------------

  checkCondition(c, path, top = false) {
    const fn = fnName(c);
    if (top && !fn) {
      this.err(path, 'A condition must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)');
      return;
    }
    if (fn === 'Condition') {
      if (typeof c.Condition !== 'string' || !this.conditions.has(c.Condition)) {
        this.err(at(path, 'Condition'), `Condition ${show(c.Condition)} is not declared in Conditions`);
      }
      return;
    }
    if (fn === 'Fn::Equals') {
      const a = c[fn];
      if (!Array.isArray(a) || a.length !== 2) this.err(at(path, fn), 'Fn::Equals takes a list of two values');
      else a.forEach((x, i) => this.checkValueRefs(x, at(at(path, fn), i), { inCondition: true }));
      return;
    }
    if (fn === 'Fn::And' || fn === 'Fn::Or') {
      const a = c[fn];
      if (!Array.isArray(a) || a.length < 2 || a.length > 10) this.err(at(path, fn), `${fn} takes a list of 2 to 10 conditions`);
      else a.forEach((x, i) => this.checkCondition(x, at(at(path, fn), i), true));
      return;
    }
    if (fn === 'Fn::Not') {
      const a = c[fn];
      if (!Array.isArray(a) || a.length !== 1) this.err(at(path, fn), 'Fn::Not takes a list of one condition');
      else this.checkCondition(a[0], at(at(path, fn), 0), true);
      return;
    }
    if (top) this.err(path, `${fn} is not a condition function`);
  }

  // ---- Resources -----------------------------------------------------------------------------------

  checkResource(id, r, path) {
    this.deps.set(id, new Set());
    if (!isObj(r)) {
      this.err(path, 'A resource must be an object');
      return;
    }
    for (const k of Object.keys(r)) {
      if (!RESOURCE_ATTRIBUTES.has(k)) this.err(at(path, k), `Unknown resource attribute "${k}"`);
    }
    const type = r.Type;
    const ctx = { resource: id };
    if (typeof type !== 'string') {
      this.err(at(path, 'Type'), 'Resource needs a Type (string)');
      return;
    }
    if ('Condition' in r && (typeof r.Condition !== 'string' || !this.conditions.has(r.Condition))) {
      this.err(at(path, 'Condition'), `Condition ${show(r.Condition)} is not declared in Conditions`);
    }
    this.checkDependsOn(id, r.DependsOn, at(path, 'DependsOn'));
    this.checkPolicyAttr(type, r, 'DeletionPolicy', path);
    this.checkPolicyAttr(type, r, 'UpdateReplacePolicy', path);
    if ('CreationPolicy' in r) this.checkCreationPolicy(type, r.CreationPolicy, at(path, 'CreationPolicy'), ctx);
    if ('UpdatePolicy' in r) this.checkUpdatePolicy(r.UpdatePolicy, at(path, 'UpdatePolicy'), ctx);
    if ('Metadata' in r) {
      if (!isObj(r.Metadata)) this.err(at(path, 'Metadata'), 'Metadata must be an object');
      else this.checkValueRefs(r.Metadata, at(path, 'Metadata'), ctx);
    }

    const props = r.Properties;
    const pp = at(path, 'Properties');
    if (props !== undefined && !isObj(props)) {
      this.err(pp, 'Properties must be an object');
      return;
    }
    if (CUSTOM_TYPE.test(type) || type === 'AWS::CloudFormation::CustomResource') {
      if (!props || !('ServiceToken' in props)) this.err(pp, `${type} requires the ServiceToken property`);
      if (props) this.checkValueRefs(props, pp, ctx);
      return;
    }
    const spec = specResource(type);
    if (!spec || (spec.cloudFormationTransform && !this.serverless)) {
      this.err(at(path, 'Type'), `Unknown resource type "${type}"`);
      if (props) this.checkValueRefs(props, pp, ctx);
      return;
    }
    this.checkObject(props || {}, spec.properties, pp, ctx, type);
    this.checkUserData(type, props || {}, pp);
    const schemas = this.options.providerSchemas ?? 'available';
    if (schemas === 'require' || (schemas === 'available' && providerSchema(type))) {
      for (const f of checkResourceProperties(type, props || {}, pp)) this.err(f.path, f.message);
    }
  }

  checkDependsOn(id, d, path) {
    if (d === undefined) return;
    const list = Array.isArray(d) ? d : [d];
    list.forEach((x, i) => {
      const p = Array.isArray(d) ? at(path, i) : path;
      if (typeof x !== 'string') this.err(p, 'DependsOn must name resources (strings)');
      else if (x === id) this.err(p, `Resource ${id} depends on itself`);
      else if (!this.resources.has(x)) this.err(p, `DependsOn target "${x}" is not a resource in this template`);
      else this.deps.get(id).add(x);
    });
  }

  checkPolicyAttr(type, r, key, path) {
    if (!(key in r)) return;
    const v = r[key];
    const p = at(path, key);
    if (fnName(v)) {
      this.checkValueRefs(v, p, { resource: null });
      return;
    }
    const allowed = key === 'DeletionPolicy' ? ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'] : ['Delete', 'Retain', 'Snapshot'];
    if (!allowed.includes(v)) this.err(p, `${key} must be one of ${allowed.join(', ')}; got ${show(v)}`);
    else if (v === 'Snapshot' && !SNAPSHOT_TYPES.has(type)) this.err(p, `${type} does not support ${key} Snapshot`);
  }

  checkCreationPolicy(type, cp, path, ctx) {
    if (!isObj(cp)) {
      this.err(path, 'CreationPolicy must be an object');
      return;
    }
    if (!CREATION_POLICY_TYPES.has(type)) this.err(path, `CreationPolicy is not supported on ${type}`);
    for (const [k, v] of Object.entries(cp)) {
      const p = at(path, k);
      if (k === 'ResourceSignal') {
        if (!isObj(v)) {
          this.err(p, 'ResourceSignal must be an object');
          continue;
        }
        for (const [k2, v2] of Object.entries(v)) {
          const p2 = at(p, k2);
          if (k2 === 'Count') {
            if (!fnName(v2) && !(/^\d+$/.test(String(v2)) && Number(v2) >= 1)) this.err(p2, 'Count must be an integer >= 1');
          } else if (k2 === 'Timeout') {
            if (fnName(v2)) continue;
            const s = typeof v2 === 'string' ? isoSeconds(v2) : null;
            if (s === null) this.err(p2, `Timeout must be an ISO 8601 duration like PT15M; got ${show(v2)}`);
            else if (s > 43200) this.err(p2, 'Timeout may be at most 12 hours (PT12H)');
          } else this.err(p2, `Unknown ResourceSignal attribute "${k2}"`);
        }
      } else if (k === 'AutoScalingCreationPolicy' || k === 'StartFleet') {
        this.checkValueRefs(v, p, ctx);
      } else this.err(p, `Unknown CreationPolicy attribute "${k}"`);
    }
  }

  checkUpdatePolicy(up, path, ctx) {
    if (!isObj(up)) {
      this.err(path, 'UpdatePolicy must be an object');
      return;
    }
    for (const k of Object.keys(up)) {
      if (!UPDATE_POLICY_KEYS.has(k)) this.err(at(path, k), `Unknown UpdatePolicy attribute "${k}"`);
    }
    this.checkValueRefs(up, path, ctx);
  }

  // ---- Properties against the spec -----------------------------------------------------------------

  checkObject(obj, props, path, ctx, owner) {
    for (const [k, v] of Object.entries(obj)) {
      const p = at(path, k);
      const prop = props[k];
      if (!prop) {
        this.err(p, `"${k}" is not a property of ${owner}`);
        this.checkValueRefs(v, p, ctx);
        continue;
      }
      this.checkValue(v, prop.type, p, ctx);
    }
    for (const [k, prop] of Object.entries(props)) {
      if (prop.required && !(k in obj)) this.err(path, `${owner} requires the property "${k}"`);
    }
  }

  // Check a value against a spec type; intrinsic functions are checked for what they return.
  checkValue(v, type, path, ctx) {
    const fn = fnName(v);
    if (fn === 'Fn::If') {
      // Each branch must fit the property on its own ({"Ref": "AWS::NoValue"} removes it).
      const a = v[fn];
      const p = at(path, fn);
      if (!Array.isArray(a) || a.length !== 3 || typeof a[0] !== 'string') {
        this.err(p, 'Fn::If takes [condition name, value if true, value if false]');
        return;
      }
      if (!this.conditions.has(a[0])) this.err(at(p, 0), `Condition "${a[0]}" is not declared in Conditions`);
      for (const i of [1, 2]) {
        if (fnName(a[i]) === 'Ref' && a[i].Ref === 'AWS::NoValue') continue;
        this.checkValue(a[i], type, at(p, i), ctx);
      }
      return;
    }
    if (fn) {
      const kind = this.checkIntrinsic(v, path, ctx);
      this.checkIntrinsicKind(fn, kind, type, path);
      return;
    }
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') this.checkAllowed(v, type, path);
        else this.err(path, `Expected a string, got ${show(v)}`);
        return;
      case 'integer':
        if (!((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^[+-]?\d+$/.test(v)))) {
          this.err(path, `Expected an integer, got ${show(v)}`);
        } else this.checkAllowed(v, type, path);
        return;
      case 'number':
        if (!((typeof v === 'number' && Number.isFinite(v))
          || (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)))) {
          this.err(path, `Expected a number, got ${show(v)}`);
        } else this.checkAllowed(v, type, path);
        return;
      case 'boolean':
        if (!(typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v)))) {
          this.err(path, `Expected a boolean, got ${show(v)}`);
        }
        return;
      case 'json':
        if (!isObj(v) && typeof v !== 'string') this.err(path, `Expected a JSON object, got ${show(v)}`);
        else this.checkValueRefs(v, path, ctx);
        return;
      case 'null':
        return;
      case 'tag':
        this.checkTag(v, path, ctx);
        return;
      case 'array':
        if (!Array.isArray(v)) {
          this.err(path, `Expected a list (${typeLabel(type)}), got ${show(v)}`);
          return;
        }
        v.forEach((x, i) => {
          if (fnName(x) === 'Ref' && x.Ref === 'AWS::NoValue') return;
          this.checkValue(x, type.element, at(path, i), ctx);
        });
        return;
      case 'map':
        if (!isObj(v)) {
          this.err(path, `Expected an object (${typeLabel(type)}), got ${show(v)}`);
          return;
        }
        for (const [k, x] of Object.entries(v)) this.checkValue(x, type.element, at(path, k), ctx);
        return;
      case 'ref': {
        const def = typeDefinition(type.reference);
        if (!isObj(v)) {
          this.err(path, `Expected an object (${def.name}), got ${show(v)}`);
          return;
        }
        this.checkObject(v, def.properties, path, ctx, def.name);
        return;
      }
      case 'union': {
        // The value must match one of the alternatives whose shape it has (object, list or scalar);
        // among several (two object types, say) report the closest one's findings.
        const fitting = type.types.filter((alt) => shapeFits(v, alt));
        if (fitting.length === 0) {
          this.err(path, `Expected ${typeLabel(type)}, got ${show(v)}`);
          return;
        }
        let best = null;
        for (const alt of fitting) {
          const saved = this.findings;
          this.findings = [];
          this.checkValue(v, alt, path, ctx);
          const got = this.findings;
          this.findings = saved;
          if (got.length === 0) return;
          if (!best || got.length < best.length) best = got;
        }
        this.findings.push(...best);
        return;
      }
      default:
        this.err(path, `Internal: unknown spec type ${show(type)}`);
    }
  }

  checkAllowed(v, type, path) {
    if (type.allowedValues && type.allowedValues.length && !type.allowedValues.includes(String(v))) {
      this.err(path, `${show(v)} is not an allowed value (${type.allowedValues.join(', ')})`);
    }
  }

  checkTag(v, path, ctx) {
    if (!isObj(v)) {
      this.err(path, `Expected a tag {Key, Value}, got ${show(v)}`);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k !== 'Key' && k !== 'Value') this.err(at(path, k), `"${k}" is not a property of Tag`);
      else this.checkValue(x, { type: 'string' }, at(path, k), ctx);
    }
    if (!('Key' in v)) this.err(path, 'Tag requires the property "Key"');
    if (!('Value' in v)) this.err(path, 'Tag requires the property "Value"');
  }

  // What an intrinsic returns must fit where it is used: a list, a scalar or an object.

  checkIntrinsicKind(fn, kind, type, path) {
    if (kind !== 'scalar' && kind !== 'list' && kind !== 'object') return;
    const want = this.expects(type);
    if (want === 'any') return;
    if (want === 'list' && kind !== 'list') this.err(path, `Expected a list (${typeLabel(type)}), but ${fn} returns a single value`);
    else if (want === 'scalar' && kind === 'list') this.err(path, `Expected ${typeLabel(type)}, but ${fn} returns a list`);
    else if (want === 'object' && kind !== 'object') this.err(path, `Expected an object (${typeLabel(type)}), but ${fn} returns a ${kind === 'list' ? 'list' : 'single value'}`);
  }

  expects(type) {
    switch (type.type) {
      case 'array': return 'list';
      case 'map': case 'ref': case 'tag': return 'object';
      case 'json': case 'null': return 'any';
      case 'union': {
        const kinds = new Set(type.types.map((t) => this.expects(t)));
        return kinds.size === 1 ? [...kinds][0] : 'any';
      }
      default: return 'scalar';
    }
  }

  // ---- Intrinsic functions -------------------------------------------------------------------------

  // Walk any value (json-typed properties, Metadata, outputs...) checking every intrinsic inside.
  checkValueRefs(v, path, ctx) {
    if (Array.isArray(v)) {
      v.forEach((x, i) => this.checkValueRefs(x, at(path, i), ctx));
    } else if (isObj(v)) {
      if (fnName(v)) this.checkIntrinsic(v, path, ctx);
      else {
        const bad = Object.keys(v).find((k) => k === 'Ref' || (k.startsWith('Fn::') && VALUE_FNS.has(k)));
        if (bad) this.err(at(path, bad), `${bad} must be the only key of its object`);
        for (const [k, x] of Object.entries(v)) this.checkValueRefs(x, at(path, k), ctx);
      }
    }
  }

  addDep(ctx, target) {
    if (ctx && ctx.resource && this.deps.has(ctx.resource)) this.deps.get(ctx.resource).add(target);
    else if (ctx && ctx.resource) {
      this.deps.set(ctx.resource, new Set([target]));
    }
  }

  // Returns the kind of value the function yields: 'scalar', 'list', 'object', 'any', 'novalue', 'invalid'.
  checkIntrinsic(v, path, ctx) {
    const fn = fnName(v);
    const a = v[fn];
    const p = at(path, fn);
    if (CONDITION_FNS.has(fn)) {
      this.err(path, `${fn} can only be used in the Conditions section`);
      return 'invalid';
    }
    if (!VALUE_FNS.has(fn)) {
      this.err(path, `Unknown intrinsic function "${fn}"`);
      return 'invalid';
    }
    if (LANGUAGE_EXTENSION_FNS.has(fn) && !this.languageExtensions) {
      this.err(path, `${fn} needs "Transform": "AWS::LanguageExtensions"`);
      return 'invalid';
    }
    switch (fn) {
      case 'Ref': return this.checkRef(a, p, ctx);
      case 'Fn::GetAtt': return this.checkGetAtt(a, p, ctx);
      case 'Fn::Sub': this.checkSub(a, p, ctx); return 'scalar';
      case 'Fn::Base64':
        this.checkScalarArg(a, p, ctx);
        return 'scalar';
      case 'Fn::ImportValue':
        this.checkScalarArg(a, p, ctx);
        return 'any';
      case 'Fn::Join': {
        if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string') {
          this.err(p, 'Fn::Join takes [delimiter string, list of values]');
          return 'scalar';
        }
        this.checkListArg(a[1], at(p, 1), ctx);
        return 'scalar';
      }
      case 'Fn::Select': {
        if (!Array.isArray(a) || a.length !== 2) {
          this.err(p, 'Fn::Select takes [index, list]');
          return 'any';
        }
        if (fnName(a[0])) this.checkIntrinsic(a[0], at(p, 0), ctx);
        else if (!/^\d+$/.test(String(a[0]))) this.err(at(p, 0), 'Fn::Select index must be a non-negative integer');
        else if (Array.isArray(a[1]) && Number(a[0]) >= a[1].length) this.err(at(p, 0), `Fn::Select index ${a[0]} is past the end of a ${a[1].length}-element list`);
        this.checkListArg(a[1], at(p, 1), ctx);
        return 'any';
      }
      case 'Fn::Split': {
        if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string') {
          this.err(p, 'Fn::Split takes [delimiter string, string]');
          return 'list';
        }
        this.checkScalarArg(a[1], at(p, 1), ctx);
        return 'list';
      }
      case 'Fn::GetAZs':
        if (a !== '' && typeof a !== 'string' && !(fnName(a) === 'Ref' && a.Ref === 'AWS::Region')) {
          this.err(p, 'Fn::GetAZs takes a region name, "" or {"Ref": "AWS::Region"}');
        }
        return 'list';
      case 'Fn::Cidr':
        if (!Array.isArray(a) || a.length !== 3) this.err(p, 'Fn::Cidr takes [ipBlock, count, cidrBits]');
        else a.forEach((x, i) => this.checkScalarArg(x, at(p, i), ctx));
        return 'list';
      case 'Fn::If': {
        if (!Array.isArray(a) || a.length !== 3 || typeof a[0] !== 'string') {
          this.err(p, 'Fn::If takes [condition name, value if true, value if false]');
          return 'invalid';
        }
        if (!this.conditions.has(a[0])) this.err(at(p, 0), `Condition "${a[0]}" is not declared in Conditions`);
        const k1 = fnName(a[1]) ? this.checkIntrinsic(a[1], at(p, 1), ctx) : (this.checkValueRefs(a[1], at(p, 1), ctx), kindOfLiteral(a[1]));
        const k2 = fnName(a[2]) ? this.checkIntrinsic(a[2], at(p, 2), ctx) : (this.checkValueRefs(a[2], at(p, 2), ctx), kindOfLiteral(a[2]));
        // The caller re-checks both branches against the expected type.
        return k1 === k2 ? k1 : 'mixed';
      }
      case 'Fn::FindInMap': return this.checkFindInMap(a, p, ctx);
      case 'Fn::Transform':
        if (!isObj(a) || typeof a.Name !== 'string') this.err(p, 'Fn::Transform takes {"Name": ..., "Parameters": ...}');
        return 'any';
      case 'Fn::Length':
        this.checkListArg(a, p, ctx);
        return 'scalar';
      case 'Fn::ToJsonString':
        this.checkValueRefs(a, p, ctx);
        return 'scalar';
      default:
        return 'any';
    }
  }

  checkScalarArg(a, p, ctx) {
    if (fnName(a)) {
      const k = this.checkIntrinsic(a, p, ctx);
      if (k === 'list') this.err(p, 'Expected a single value here, but the function returns a list');
    } else if (!(typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean')) {
      this.err(p, `Expected a string, got ${show(a)}`);
    }
  }

  checkListArg(a, p, ctx) {
    if (Array.isArray(a)) {
      a.forEach((x, i) => this.checkScalarArg(x, at(p, i), ctx));
    } else if (fnName(a)) {
      const k = this.checkIntrinsic(a, p, ctx);
      if (k === 'scalar' || k === 'object') this.err(p, 'Expected a list here, but the function returns a single value');
    } else this.err(p, `Expected a list, got ${show(a)}`);
  }

  checkRef(name, p, ctx) {
    if (typeof name !== 'string') {
      this.err(p, 'Ref takes the name of a parameter, resource or pseudo parameter');
      return 'invalid';
    }
    if (PSEUDO.has(name)) {
      if (name === 'AWS::NoValue') return 'novalue';
      return LIST_PSEUDO.has(name) ? 'list' : 'scalar';
    }
    if (this.params.has(name)) {
      const pt = isObj(this.params.get(name)) ? this.params.get(name).Type : undefined;
      return paramIsList(pt) ? 'list' : 'scalar';
    }
    if (this.resources.has(name)) {
      if (ctx && ctx.inCondition) {
        this.err(p, `Conditions can only refer to parameters and pseudo parameters, not the resource "${name}"`);
        return 'invalid';
      }
      this.addDep(ctx, name);
      return 'scalar';
    }
    this.err(p, `Ref to "${name}", which is not a parameter, resource or pseudo parameter`);
    return 'invalid';
  }

  // Returns the kind of the attribute's value ('list', 'scalar', 'any').
  attributeKind(resName, attr, p) {
    const r = this.resources.get(resName);
    const type = isObj(r) ? r.Type : undefined;
    if (typeof type !== 'string') return 'any';
    if (CUSTOM_TYPE.test(type) || type === 'AWS::CloudFormation::CustomResource') return 'any';
    if (type === 'AWS::CloudFormation::Stack' && typeof attr === 'string' && attr.startsWith('Outputs.')) return 'any';
    const spec = specResource(type);
    if (!spec) return 'any'; // unknown type is reported on the resource itself
    if (typeof attr !== 'string') return 'any'; // attribute chosen by a parameter at deploy time
    const a = spec.attributes[attr];
    if (!a) {
      const names = Object.keys(spec.attributes);
      this.err(p, `${type} has no attribute "${attr}" (it has: ${names.length ? names.join(', ') : 'none'})`);
      return 'invalid';
    }
    const t = a.type.type;
    if (t === 'array') return 'list';
    if (t === 'json' || t === 'ref' || t === 'map' || t === 'union') return 'any';
    return 'scalar';
  }

  checkGetAtt(a, p, ctx) {
    let res;
    let attr;
    if (typeof a === 'string') {
      const i = a.indexOf('.');
      if (i <= 0) {
        this.err(p, 'Fn::GetAtt takes [resource, attribute] or "resource.attribute"');
        return 'invalid';
      }
      res = a.slice(0, i);
      attr = a.slice(i + 1);
    } else if (Array.isArray(a) && a.length === 2 && typeof a[0] === 'string') {
      [res, attr] = a;
      if (fnName(attr)) {
        if (fnName(attr) !== 'Ref') this.err(at(p, 1), 'Fn::GetAtt attribute name may only be a string or a Ref to a parameter');
        else this.checkRef(attr.Ref, at(at(p, 1), 'Ref'), { inCondition: false, resource: null });
      } else if (typeof attr !== 'string') {
        this.err(at(p, 1), 'Fn::GetAtt attribute name must be a string');
        return 'invalid';
      }
    } else {
      this.err(p, 'Fn::GetAtt takes [resource, attribute] or "resource.attribute"');
      return 'invalid';
    }
    if (!this.resources.has(res)) {
      this.err(p, `Fn::GetAtt refers to "${res}", which is not a resource in this template`);
      return 'invalid';
    }
    if (ctx && ctx.inCondition) {
      this.err(p, 'Fn::GetAtt cannot be used in Conditions');
      return 'invalid';
    }
    this.addDep(ctx, res);
    return this.attributeKind(res, attr, p);
  }

  checkSub(a, p, ctx) {
    let text;
    let vars = {};
    if (typeof a === 'string') text = a;
    else if (Array.isArray(a) && a.length === 2 && typeof a[0] === 'string' && isObj(a[1])) {
      [text, vars] = a;
      for (const [k, x] of Object.entries(vars)) {
        const vp = at(at(p, 1), k);
        if (fnName(x)) this.checkScalarArg(x, vp, ctx);
        else if (!(typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) this.err(vp, `Fn::Sub variable ${k} must be a string or a function returning one`);
      }
    } else {
      this.err(p, 'Fn::Sub takes a string or [string, {variables}]');
      return;
    }
    const tp = Array.isArray(a) ? at(p, 0) : p;
    for (const ph of subPlaceholders(text)) {
      const name = ph.name;
      if (name in vars) continue;
      if (PSEUDO.has(name)) {
        if (name === 'AWS::NoValue' || LIST_PSEUDO.has(name)) this.err(tp, `Fn::Sub cannot substitute ${ph.raw} (not a string)`);
        continue;
      }
      if (name.startsWith('AWS::')) {
        this.err(tp, `Fn::Sub refers to ${ph.raw}, which is not a pseudo parameter`);
        continue;
      }
      const dot = name.indexOf('.');
      if (dot > 0) {
        const res = name.slice(0, dot);
        const attr = name.slice(dot + 1);
        if (!this.resources.has(res)) {
          this.err(tp, `Fn::Sub refers to ${ph.raw}, but "${res}" is not a resource in this template`);
          continue;
        }
        this.addDep(ctx, res);
        const k = this.attributeKind(res, attr, tp);
        if (k === 'list') this.err(tp, `Fn::Sub cannot substitute ${ph.raw}: the attribute is a list`);
        continue;
      }
      if (this.params.has(name)) {
        if (paramIsList(this.params.get(name).Type)) this.err(tp, `Fn::Sub cannot substitute ${ph.raw}: the parameter is a list`);
        continue;
      }
      if (this.resources.has(name)) {
        this.addDep(ctx, name);
        continue;
      }
      this.err(tp, `Fn::Sub refers to ${ph.raw}, which is not a parameter, resource, pseudo parameter or variable`);
    }
  }

  checkFindInMap(a, p, ctx) {
    if (!Array.isArray(a) || (a.length !== 3 && !(a.length === 4 && this.languageExtensions))) {
      this.err(p, 'Fn::FindInMap takes [map name, top-level key, second-level key]');
      return 'any';
    }
    a.slice(0, 3).forEach((x, i) => { if (fnName(x)) this.checkScalarArg(x, at(p, i), ctx); });
    const [m, k1, k2] = a;
    if (typeof m !== 'string') return 'any';
    if (!this.mappings.has(m)) {
      this.err(at(p, 0), `Mapping "${m}" is not declared in Mappings`);
      return 'invalid';
    }
    const map = this.mappings.get(m);
    if (a.length === 4 || !isObj(map)) return 'any';
    if (typeof k1 === 'string' && !(k1 in map)) {
      this.err(at(p, 1), `Mapping "${m}" has no top-level key "${k1}"`);
      return 'invalid';
    }
    if (typeof k1 === 'string' && typeof k2 === 'string' && isObj(map[k1])) {
      if (!(k2 in map[k1])) {
        this.err(at(p, 2), `Mapping "${m}" has no key "${k2}" under "${k1}"`);
        return 'invalid';
      }
      return Array.isArray(map[k1][k2]) ? 'list' : 'scalar';
    }
    return 'any';
  }

  // ---- Outputs -------------------------------------------------------------------------------------

  checkOutputs(outputs) {
    const exports = new Map();
    for (const [id, o] of Object.entries(outputs)) {
      const path = at('/Outputs', id);
      if (!isObj(o)) {
        this.err(path, 'An output must be an object');
        continue;
      }
      for (const k of Object.keys(o)) if (!OUTPUT_KEYS.has(k)) this.err(at(path, k), `Unknown output attribute "${k}"`);
      const ctx = { resource: null };
      if (!('Value' in o)) this.err(path, 'Output needs a Value');
      else if (fnName(o.Value)) {
        const k = this.checkIntrinsic(o.Value, at(path, 'Value'), ctx);
        if (k === 'list') this.err(at(path, 'Value'), 'An output Value must be a string; join lists with Fn::Join');
      } else if (!(typeof o.Value === 'string' || typeof o.Value === 'number' || typeof o.Value === 'boolean')) {
        this.err(at(path, 'Value'), 'An output Value must be a string (or a function returning one)');
      }
      if ('Description' in o) {
        if (typeof o.Description !== 'string') this.err(at(path, 'Description'), 'Description must be a string');
        else if (bytes(o.Description) > LIMITS.description) this.err(at(path, 'Description'), `Description is longer than ${LIMITS.description} bytes`);
      }
      if ('Condition' in o && !this.conditions.has(o.Condition)) this.err(at(path, 'Condition'), `Condition ${show(o.Condition)} is not declared in Conditions`);
      if ('Export' in o) {
        const e = o.Export;
        if (!isObj(e) || !('Name' in e)) this.err(at(path, 'Export'), 'Export needs a Name');
        else {
          for (const k of Object.keys(e)) if (k !== 'Name') this.err(at(at(path, 'Export'), k), `Unknown Export attribute "${k}"`);
          const name = e.Name;
          if (fnName(name)) this.checkScalarArg(name, at(at(path, 'Export'), 'Name'), ctx);
          const key = typeof name === 'string' ? name : JSON.stringify(name);
          if (exports.has(key)) this.err(at(at(path, 'Export'), 'Name'), `Export name ${show(name)} is also exported by output ${exports.get(key)}`);
          else exports.set(key, id);
        }
      }
    }
  }

  // ---- Dependency cycles ---------------------------------------------------------------------------

  checkCycles() {
    const WHITE = 0;
    const GREY = 1;
    const BLACK = 2;
    const colour = new Map([...this.deps.keys()].map((k) => [k, WHITE]));
    const stack = [];
    const reported = new Set();
    const visit = (n) => {
      colour.set(n, GREY);
      stack.push(n);
      for (const m of this.deps.get(n) || []) {
        if (!colour.has(m)) continue;
        if (colour.get(m) === GREY) {
          const cycle = stack.slice(stack.indexOf(m));
          const key = [...cycle].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            this.err(at('/Resources', m), `Circular dependency between resources: ${[...cycle, m].join(' -> ')}`);
          }
        } else if (colour.get(m) === WHITE) visit(m);
      }
      stack.pop();
      colour.set(n, BLACK);
    };
    for (const n of this.deps.keys()) if (colour.get(n) === WHITE) visit(n);
  }

  // ---- EC2 user data -------------------------------------------------------------------------------

  checkUserData(type, props, pp) {
    let ud;
    let path;
    if (type === 'AWS::EC2::Instance' || type === 'AWS::AutoScaling::LaunchConfiguration') {
      ud = props.UserData;
      path = at(pp, 'UserData');
    } else if (type === 'AWS::EC2::LaunchTemplate' && isObj(props.LaunchTemplateData)) {
      ud = props.LaunchTemplateData.UserData;
      path = at(at(pp, 'LaunchTemplateData'), 'UserData');
    }
    if (ud === undefined) return;
    const fn = fnName(ud);
    let size;
    if (fn === 'Fn::Base64') size = this.estimate(ud['Fn::Base64']);
    else if (typeof ud === 'string') {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ud) || ud.length % 4 !== 0) {
        this.err(path, 'UserData must be base64-encoded (wrap the script in Fn::Base64)');
        return;
      }
      size = Buffer.from(ud, 'base64').length;
    } else if (fn === 'Fn::Sub' || fn === 'Fn::Join') {
      this.err(path, `UserData must be base64-encoded: wrap ${fn} in Fn::Base64`);
      return;
    } else return; // a Ref / Fn::If / ... chosen at deploy time
    this.userData.push({ path, bytes: size });
    if (size > LIMITS.userData) {
      this.err(path, `UserData is about ${size} bytes once decoded; EC2 allows ${LIMITS.userData}`);
    }
  }

  // Estimated length in bytes of what a value becomes at deploy time.
  estimate(v) {
    if (typeof v === 'string') return bytes(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v).length;
    const fn = fnName(v);
    if (!fn) return 0;
    const a = v[fn];
    switch (fn) {
      case 'Ref': return this.estimateRef(a);
      case 'Fn::GetAtt': return 128;
      case 'Fn::Base64': return Math.ceil(this.estimate(a) / 3) * 4;
      case 'Fn::Join':
        if (Array.isArray(a) && Array.isArray(a[1])) {
          return a[1].reduce((n, x) => n + this.estimate(x), 0) + bytes(String(a[0])) * Math.max(0, a[1].length - 1);
        }
        return 64;
      case 'Fn::If':
        return Array.isArray(a) ? Math.max(this.estimate(a[1]), this.estimate(a[2])) : 0;
      case 'Fn::Sub': {
        const text = typeof a === 'string' ? a : (Array.isArray(a) ? a[0] : '');
        const vars = Array.isArray(a) && isObj(a[1]) ? a[1] : {};
        if (typeof text !== 'string') return 0;
        let n = bytes(text);
        for (const ph of subPlaceholders(text)) {
          n -= bytes(ph.raw);
          if (ph.name in vars) n += this.estimate(vars[ph.name]);
          else if (ph.name.includes('.') && !ph.name.startsWith('AWS::')) n += 128;
          else n += this.estimateRef(ph.name);
        }
        // ${!X} is emitted as ${X}: one byte shorter than written
        n -= (text.match(/\$\{!/g) || []).length;
        return n;
      }
      case 'Fn::FindInMap': {
        const m = Array.isArray(a) ? this.mappings.get(a[0]) : undefined;
        if (isObj(m) && typeof a[1] === 'string' && isObj(m[a[1]]) && typeof a[2] === 'string') return this.estimate(m[a[1]][a[2]] ?? '');
        return 64;
      }
      default: return 64;
    }
  }

  estimateRef(name) {
    if (PSEUDO.has(name)) return PSEUDO.get(name);
    if (this.params.has(name)) {
      const p = this.params.get(name);
      if (isObj(p) && 'Default' in p) return String(p.Default).length;
      if (isObj(p) && 'MaxLength' in p) return Number(p.MaxLength) || 64;
      return 64;
    }
    return 64;
  }
}

// Whether a literal value has the shape of a spec type (used to pick a union's alternative).
function shapeFits(v, t) {
  if (Array.isArray(v)) return t.type === 'array';
  if (isObj(v)) return ['json', 'ref', 'map', 'tag'].includes(t.type);
  return ['string', 'date-time', 'integer', 'number', 'boolean', 'json', 'null'].includes(t.type);
}

function kindOfLiteral(v) {
  if (Array.isArray(v)) return 'list';
  if (isObj(v)) return 'object';
  return 'scalar';
}
