// Resource properties against the CloudFormation resource provider schemas: every property of every resource,
// with every constraint the schema states (type, pattern, enum, const, minLength/maxLength, minimum/maximum,
// minItems/maxItems, uniqueItems, required, additionalProperties, nested definitions through $ref,
// anyOf/oneOf/allOf, cfn-lint's requiredXor/dependentExcluded/dependentRequired and formats), plus the service
// constraints AWS documents where the schema is looser (SERVICE_CONSTRAINTS below, each with its doc link).
//
//   import { checkResourceProperties, UNKNOWN } from './provider_schema.mjs';
//   checkResourceProperties(type, properties, '/Resources/X/Properties', { resolve })  ->  [{path, keyword, message}]
//
// The schemas are tests/cfn/schemas/<type>.json, one per resource type CloudSketch generates (README.md there
// says where they come from). A type without one is a finding, not a pass: a new resource type in a template
// must bring its schema. A keyword the checker does not know throws, so a refreshed schema cannot silently
// carry a constraint nobody checks.
//
// Values that are intrinsic functions are only known at deploy time: `resolve(value)` returns what it
// evaluates to, or UNKNOWN (the default for every function; the CloudFormation test double resolves
// Ref / Fn::GetAtt / Fn::Sub / Fn::Join against a stack). {"Ref": "AWS::NoValue"} removes the property; both
// branches of Fn::If must fit. Scalars are coerced as CloudFormation does ("5432" where an integer goes).
import { readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { SchemaChecker, UNKNOWN, pointerGet } from '../lib/schema_checker.mjs';

export { UNKNOWN };

const SCHEMA_DIR = path.join(import.meta.dirname, 'schemas');

// ---------------------------------------------------------------------------------------------------
// Service constraints stricter than the provider schemas: each is added (allOf) to the schema node at `at`,
// never replacing what the schema says. Source: the service's API reference, linked on each entry.

// EC2's character set for security group descriptions and rule descriptions.
const EC2_SG_TEXT = '^[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]*$';
const EC2_CREATE_SG = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html';
const EC2_IP_RANGE = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html';
const EC2_TAG = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html';
const ec2RuleDescription = { maxLength: 255, pattern: EC2_SG_TEXT };
// EC2 tags: keys up to 127 characters, not starting with "aws:"; values up to 256.
const ec2Tag = [
  { at: '/definitions/Tag/properties/Key', add: { maxLength: 127, not: { pattern: '^aws:' } }, doc: EC2_TAG },
  { at: '/definitions/Tag/properties/Value', add: { maxLength: 256 }, doc: EC2_TAG },
];

const S3_TAG = 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3Tag.html';
const S3_TAG_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

export const SERVICE_CONSTRAINTS = {
  'AWS::EC2::SecurityGroup': [
    // CreateSecurityGroup GroupDescription: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*
    // (the provider schema says only "string"; an apostrophe here failed every real deployment).
    { at: '/properties/GroupDescription', add: { maxLength: 255, pattern: EC2_SG_TEXT }, doc: EC2_CREATE_SG },
    { at: '/definitions/Ingress/properties/Description', add: ec2RuleDescription, doc: EC2_IP_RANGE },
    { at: '/definitions/Egress/properties/Description', add: ec2RuleDescription, doc: EC2_IP_RANGE },
    ...ec2Tag,
  ],
  'AWS::EC2::SecurityGroupIngress': [
    { at: '/properties/Description', add: ec2RuleDescription, doc: EC2_IP_RANGE },
  ],
  'AWS::EC2::Instance': [...ec2Tag],
  // S3 tags: letters, digits, spaces and _.:/=+-@ only, as IAM's (the provider schema gives only lengths).
  'AWS::S3::Bucket': [
    { at: '/definitions/Tag/properties/Key', add: { pattern: S3_TAG_TEXT }, doc: S3_TAG },
    { at: '/definitions/Tag/properties/Value', add: { pattern: S3_TAG_TEXT }, doc: S3_TAG },
  ],
};

// ---------------------------------------------------------------------------------------------------
// Formats (cfn-lint's format keyword: https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/format_keyword.md)

const ARN_PREFIX = '^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:';
const re = (s) => new RegExp(s);
const FORMAT_PATTERNS = {
  'AWS::EC2::Image.Id': re('^ami-([0-9a-z]{8}|[0-9a-z]{17})$'),
  'AWS::EC2::SecurityGroup.Id': re('^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$'),
  'AWS::EC2::SecurityGroup.Name': re('^[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]+$'),
  'AWS::EC2::Subnet.Id': re('^subnet-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$'),
  'AWS::EC2::VPC.Id': re('^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$'),
  'AWS::IAM::Role.Arn': re(`${ARN_PREFIX}iam::\\d{12}:role/.+$`),
  'AWS::KMS::Alias.AliasName': re('^alias/[a-zA-Z0-9:/_-]+$'),
  'AWS::KMS::Key.Arn': re(`${ARN_PREFIX}kms:[a-z0-9-]+:\\d{12}:(key|alias)/.+$`),
  'AWS::KMS::Key.Id': re('^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$'),
  'AWS::S3::Bucket.Name': re('^(?![.-])(?!.*\\.\\.)(?!.*-\\.)(?!.*\\.-)[a-z0-9.-]{3,63}(?<![.-])$'),
};

function isIpv4(s) {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

// true when `v` has the format (formats only constrain strings, or lists for the ".Ids"/".Names" ones).
function hasFormat(format, v) {
  if (format === 'AWS::EC2::SecurityGroup.Ids' || format === 'AWS::EC2::SecurityGroup.Names') {
    if (!Array.isArray(v)) return true;
    const one = format.slice(0, -1);
    return v.every((x) => typeof x !== 'string' || hasFormat(one, x));
  }
  if (typeof v !== 'string') return true;
  switch (format) {
    case 'ipv4-network': {
      const [ip, bits, extra] = v.split('/');
      return extra === undefined && isIpv4(ip) && /^(\d|[12]\d|3[0-2])$/.test(bits ?? '');
    }
    case 'ipv6-network': {
      const [ip, bits, extra] = v.split('/');
      return extra === undefined && net.isIPv6(ip) && /^(\d|[1-9]\d|1[01]\d|12[0-8])$/.test(bits ?? '');
    }
    case 'uri':
      try { new URL(v); return true; } catch { return false; }
    default: {
      const pattern = FORMAT_PATTERNS[format];
      if (!pattern) throw new Error(`provider_schema.mjs: unknown format "${format}": add its rule to FORMAT_PATTERNS`);
      return pattern.test(v);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Loading

const SCHEMAS = new Map();

function fileFor(type) {
  return path.join(SCHEMA_DIR, `${type.toLowerCase().replace(/::/g, '-')}.json`);
}

/** The provider schema of `type` with SERVICE_CONSTRAINTS applied, or null when none is committed. */
export function providerSchema(type) {
  if (SCHEMAS.has(type)) return SCHEMAS.get(type);
  const file = fileFor(type);
  let schema = null;
  if (existsSync(file)) {
    schema = JSON.parse(readFileSync(file, 'utf8'));
    if (schema.typeName !== type) throw new Error(`${file} holds ${schema.typeName}, not ${type}`);
    for (const c of SERVICE_CONSTRAINTS[type] ?? []) {
      const node = pointerGet(schema, c.at);
      if (!node) throw new Error(`provider_schema.mjs: ${type} has no ${c.at} for the service constraint from ${c.doc}`);
      node.allOf = [...(node.allOf ?? []), { ...c.add, $comment: c.doc }];
    }
  }
  SCHEMAS.set(type, schema);
  return schema;
}

// ---------------------------------------------------------------------------------------------------
// Checking

// Keys of a schema's root that describe the resource rather than constrain its properties.
const ROOT_ONLY = new Set([
  'definitions', 'typeName', 'sourceUrl', 'documentationUrl', 'primaryIdentifier', 'additionalIdentifiers',
  'createOnlyProperties', 'readOnlyProperties', 'writeOnlyProperties', 'conditionalCreateOnlyProperties',
  'deprecatedProperties', 'nonPublicProperties', 'nonPublicDefinitions', 'propertyTransform', 'tagging', 'taggable',
  'handlers', 'replacementStrategy', 'resourceLink',
]);

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function fnName(v) {
  if (!isObj(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  return keys[0] === 'Ref' || keys[0].startsWith('Fn::') ? keys[0] : null;
}
const isNoValue = (v) => fnName(v) === 'Ref' && v.Ref === 'AWS::NoValue';

// The values a template value may take at deploy time: itself, both branches of Fn::If, or what `resolve`
// makes of another intrinsic (UNKNOWN when it cannot tell).
function deployValues(resolve) {
  const values = (v) => {
    const fn = fnName(v);
    if (!fn) return [v];
    if (fn === 'Fn::If' && Array.isArray(v[fn]) && v[fn].length === 3) {
      return [v[fn][1], v[fn][2]].filter((x) => !isNoValue(x)).flatMap(values);
    }
    return [resolve(v)];
  };
  return values;
}

const FORMATS = Object.fromEntries([
  'ipv4-network', 'ipv6-network', 'uri', ...Object.keys(FORMAT_PATTERNS),
  'AWS::EC2::SecurityGroup.Ids', 'AWS::EC2::SecurityGroup.Names',
].map((f) => [f, (v) => hasFormat(f, v)]));

/**
 * Findings for the properties of one resource: [{path, keyword, message}], [] when they fit. `path` is the
 * JSON pointer of the properties object; `resolve(intrinsic)` gives a deploy-time value or UNKNOWN.
 */
export function checkResourceProperties(type, properties, path, { resolve = () => UNKNOWN } = {}) {
  const schema = providerSchema(type);
  if (!schema) {
    return [{
      path, keyword: 'schema',
      message: `no resource provider schema for ${type} in tests/cfn/schemas: add it (see README.md there) so its properties are checked`,
    }];
  }
  const c = new SchemaChecker(schema, {
    label: `${type} provider schema`, values: deployValues(resolve), absent: isNoValue, coerce: true,
    formats: FORMATS, opaque: (x) => fnName(x) !== null,
  });
  const root = Object.fromEntries(Object.entries(schema).filter(([k]) => !ROOT_ONLY.has(k)));
  c.check(properties ?? {}, { type: 'object', ...root }, path);
  // Read-only properties are AWS's to set (GroupId, Arn, ...): a template that sets one is refused.
  for (const pointer of schema.readOnlyProperties ?? []) {
    const inTemplate = pointerGet({ properties: properties ?? {} }, pointer);
    if (inTemplate !== undefined) {
      c.fail(`${path}${pointer.slice('/properties'.length)}`, 'readOnlyProperties', `${pointer.slice('/properties/'.length)} is read-only: AWS sets it`);
    }
  }
  return c.findings;
}
