// provider_schema.mjs: each kind of constraint in the resource provider schemas refuses what it should, with
// the JSON pointer of the value, and lets through what AWS accepts (coerced scalars, deploy-time values).
//
//   cd tests && node --test cfn/provider_schema.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkResourceProperties, providerSchema, SERVICE_CONSTRAINTS, UNKNOWN } from './provider_schema.mjs';

const P = '/Resources/X/Properties';
const check = (type, props, options) => checkResourceProperties(type, props, P, options);
// "path keyword" of each finding, for compact assertions.
const found = (type, props, options) => check(type, props, options).map((f) => `${f.path.slice(P.length)} ${f.keyword}`);

const sg = (extra = {}) => ({ GroupDescription: 'CloudSketch pg-main: PostgreSQL from allowed ranges', ...extra });

test('a valid security group has no findings', () => {
  assert.deepEqual(check('AWS::EC2::SecurityGroup', sg({
    VpcId: 'vpc-0defa17c0ffee0001',
    SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: '5432', CidrIp: '10.0.0.0/16', Description: 'PostgreSQL from 10.0.0.0/16' }],
    Tags: [{ Key: 'Name', Value: "Bob's db (any Unicode: 日本語)" }],
  })), []);
});

test('GroupDescription: EC2 refuses an apostrophe (the bug that failed every real deployment)', () => {
  const findings = check('AWS::EC2::SecurityGroup', sg({ GroupDescription: "PostgreSQL for the plan's ranges" }));
  assert.ok(findings.length >= 1);
  for (const f of findings) {
    assert.equal(f.path, `${P}/GroupDescription`);
    assert.equal(f.keyword, 'pattern');
  }
  // The service's own constraint names its doc.
  assert.ok(findings.some((f) => f.message.includes('API_CreateSecurityGroup.html')), JSON.stringify(findings));
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: 'x'.repeat(256) })), ['/GroupDescription maxLength', '/GroupDescription maxLength']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: 'x'.repeat(255) })), []);
});

test('rule descriptions: the EC2 character set, inline and as AWS::EC2::SecurityGroupIngress', () => {
  const rule = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/16' };
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ ...rule, Description: "this database's servers" }] })),
    ['/SecurityGroupIngress/0/Description pattern']);
  assert.deepEqual(found('AWS::EC2::SecurityGroupIngress', { ...rule, GroupId: 'sg-0123456789abcdef0', Description: 'caf\u00e9' }),
    ['/Description pattern']);
});

test('required, requiredXor, additionalProperties and type, in nested definitions', () => {
  assert.deepEqual(found('AWS::EC2::SecurityGroup', {}), [' required']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ IpProtocol: 'tcp' }] })),
    ['/SecurityGroupIngress/0 requiredXor']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIp: '10.0.0.0/8', CidrIpv6: '::/0' }] })),
    ['/SecurityGroupIngress/0 requiredXor']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIp: '10.0.0.0/8', Port: 1 }] })),
    ['/SecurityGroupIngress/0/Port additionalProperties']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIp: '10.0.0.0/8', FromPort: 'five' }] })),
    ['/SecurityGroupIngress/0/FromPort type']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ Nickname: 'x' })), ['/Nickname additionalProperties']);
});

test('minimum, maximum, enum and formats', () => {
  const rule = { IpProtocol: 'tcp', CidrIp: '10.0.0.0/8' };
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ ...rule, FromPort: -2 }] })),
    ['/SecurityGroupIngress/0/FromPort minimum']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ ...rule, CidrIp: '10.0.0.256/8' }] })),
    ['/SecurityGroupIngress/0/CidrIp format']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIpv6: '2001:db8::/129' }] })),
    ['/SecurityGroupIngress/0/CidrIpv6 format']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ VpcId: 'vpc-123' })), ['/VpcId format']);
  const lt = (options) => ({ LaunchTemplateData: { MetadataOptions: options } });
  assert.deepEqual(found('AWS::EC2::LaunchTemplate', lt({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 })), []);
  assert.deepEqual(found('AWS::EC2::LaunchTemplate', lt({ HttpTokens: 'mandatory' })), ['/LaunchTemplateData/MetadataOptions/HttpTokens enum']);
  assert.deepEqual(found('AWS::EC2::Instance', { MetadataOptions: { HttpPutResponseHopLimit: 65 } }), ['/MetadataOptions/HttpPutResponseHopLimit maximum']);
});

test('patterns with Unicode classes (IAM tags), minLength and maxLength', () => {
  const role = (tags) => ({ AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, Tags: tags });
  assert.deepEqual(found('AWS::IAM::Role', role([{ Key: 'Name', Value: 'Caf\u00e9 db 日本語 _.:/=+-@' }])), []);
  assert.deepEqual(found('AWS::IAM::Role', role([{ Key: 'Name', Value: "Bob's db" }])), ['/Tags/0/Value pattern']);
  assert.deepEqual(found('AWS::IAM::Role', role([{ Key: '', Value: 'x' }])), ['/Tags/0/Key minLength', '/Tags/0/Key pattern']);
  assert.deepEqual(found('AWS::IAM::Role', role([{ Key: 'k', Value: 'v'.repeat(257) }])), ['/Tags/0/Value maxLength']);
  assert.deepEqual(found('AWS::IAM::Role', { ...role([]), RoleName: 'has space' }), ['/RoleName pattern']);
});

test('lists: minItems, uniqueItems; S3 and EC2 tag limits', () => {
  assert.deepEqual(found('AWS::IAM::InstanceProfile', { Roles: [] }), ['/Roles minItems']);
  assert.deepEqual(found('AWS::IAM::InstanceProfile', { Roles: [{ Ref: 'Role' }] }), []);
  assert.deepEqual(found('AWS::IAM::Role', { AssumeRolePolicyDocument: {}, ManagedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/A'] }),
    ['/ManagedPolicyArns uniqueItems']);
  assert.deepEqual(found('AWS::S3::Bucket', { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }), ['/Tags/0/Key maxLength']);
  assert.deepEqual(found('AWS::EC2::Instance', { Tags: [{ Key: 'aws:mine', Value: 'v' }] }), ['/Tags/0/Key not']);
  assert.deepEqual(found('AWS::EC2::Instance', { Tags: [{ Key: 'k'.repeat(128), Value: 'v' }] }), ['/Tags/0/Key maxLength']);
});

test('read-only properties are refused', () => {
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupId: 'sg-0123456789abcdef0' })), ['/GroupId readOnlyProperties']);
});

test('deploy-time values: unknown values pass, resolved values are checked, AWS::NoValue removes, Fn::If checks both', () => {
  const desc = { 'Fn::Sub': 'db ${Label}' };
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: desc })), []);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: desc }), { resolve: () => "it's" }).length, 2);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: desc }), { resolve: () => UNKNOWN }), []);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', { GroupDescription: { Ref: 'AWS::NoValue' } }), [' required']);
  const ifBad = { 'Fn::If': ['Cond', 'fine', "not fine's"] };
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: ifBad })), ['/GroupDescription pattern', '/GroupDescription pattern']);
  assert.deepEqual(found('AWS::EC2::SecurityGroup', sg({ GroupDescription: { 'Fn::If': ['Cond', 'fine', { Ref: 'AWS::NoValue' }] } })), []);
});

test('a resource type without a committed schema is a finding', () => {
  assert.deepEqual(found('AWS::SQS::Queue', {}), [' schema']);
  assert.equal(providerSchema('AWS::SQS::Queue'), null);
});

test('every committed schema loads, names its type, and uses only keywords the checker knows', () => {
  const dir = path.join(import.meta.dirname, 'schemas');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 8, files.join(' '));
  for (const f of files) {
    const type = JSON.parse(readFileSync(path.join(dir, f), 'utf8')).typeName;
    assert.ok(providerSchema(type), f);
    // An empty object walks every root keyword (unknown keywords throw).
    checkResourceProperties(type, {}, P);
  }
  for (const type of Object.keys(SERVICE_CONSTRAINTS)) assert.ok(providerSchema(type), `service constraints for ${type} without its schema`);
});

test('S3 tags: the S3 API character set (letters, digits, spaces, _.:/=+-@)', () => {
  assert.deepEqual(found('AWS::S3::Bucket', { Tags: [{ Key: 'Name', Value: 'Caf\u00e9 backups 1' }] }), []);
  const bad = check('AWS::S3::Bucket', { Tags: [{ Key: 'Name', Value: "Bob's backups" }] });
  assert.deepEqual(bad.map((f) => `${f.path.slice(P.length)} ${f.keyword}`), ['/Tags/0/Value pattern']);
  assert.match(bad[0].message, /API_control_S3Tag\.html/);
});
