// The CloudFormation test double refuses what AWS would refuse about resource properties, at both moments
// AWS does: literal values when the change set is made (ValidationError), and values known only at deploy
// time (parameters, Fn::Sub) when the resource is created (CREATE_FAILED, then the stack rolls back). The
// templates CloudSketch generates (the goldens) must get through both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationDouble, templateProblems } from './cloudformation_double.mjs';

const golden = path.join(import.meta.dirname, '..', '..', 'data', 'golden');
const PARAMS = { VpcId: 'vpc-0defa17c0ffee0001', SubnetId: 'subnet-0defa171000000001' };

function form(action, fields) {
  return new Map([['Action', action], ['Version', '2010-05-15'], ...Object.entries(fields)]);
}

// Makes, waits for and runs a CREATE change set; returns the stack's final status and its events.
function deploy(cf, name, template, params = {}) {
  const fields = { StackName: name, ChangeSetName: 'cs1', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template), 'Capabilities.member.1': 'CAPABILITY_IAM' };
  Object.entries(params).forEach(([k, v], i) => {
    fields[`Parameters.member.${i + 1}.ParameterKey`] = k;
    fields[`Parameters.member.${i + 1}.ParameterValue`] = v;
  });
  cf.call('CreateChangeSet', form('CreateChangeSet', fields), 'us-east-1');
  for (let i = 0; i < 3; i++) cf.call('DescribeChangeSet', form('DescribeChangeSet', { StackName: name, ChangeSetName: 'cs1' }), 'us-east-1');
  cf.call('ExecuteChangeSet', form('ExecuteChangeSet', { StackName: name, ChangeSetName: 'cs1' }), 'us-east-1');
  const stack = cf.findStack(name);
  for (let i = 0; i < 200 && stack.status.endsWith('_IN_PROGRESS'); i++) cf.call('DescribeStacks', form('DescribeStacks', { StackName: name }), 'us-east-1');
  return stack;
}

const sgTemplate = (description) => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' }, Label: { Type: 'String' } },
  Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: description, VpcId: { Ref: 'VpcId' } } } },
});

test('a literal GroupDescription EC2 refuses is refused when the change set is made', () => {
  const cf = new CloudFormationDouble();
  assert.throws(() => deploy(cf, 'literal', sgTemplate("the plan's ranges"), { VpcId: PARAMS.VpcId, Label: 'x' }),
    (e) => e.code === 'ValidationError' && /\/Resources\/Sg\/Properties\/GroupDescription/.test(e.message) && /pattern/.test(e.message));
});

test('a GroupDescription that becomes invalid at deploy time fails the resource and rolls the stack back', () => {
  const cf = new CloudFormationDouble();
  const bad = deploy(cf, 'subbed', sgTemplate({ 'Fn::Sub': 'db ${Label}' }), { VpcId: PARAMS.VpcId, Label: "Bob's" });
  assert.equal(bad.status, 'ROLLBACK_COMPLETE');
  const failed = bad.events.find((e) => e.LogicalResourceId === 'Sg' && e.ResourceStatus === 'CREATE_FAILED');
  assert.ok(failed, JSON.stringify(bad.events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)));
  assert.match(failed.ResourceStatusReason, /^Properties validation failed for resource Sg with message: \[#\/GroupDescription: failed validation constraint for keyword \[pattern\]/);

  const good = deploy(new CloudFormationDouble(), 'subbed', sgTemplate({ 'Fn::Sub': 'db ${Label}' }), { VpcId: PARAMS.VpcId, Label: 'Bobs' });
  assert.equal(good.status, 'CREATE_COMPLETE');
});

test('a parameter that is not a VPC id fails the security group at deploy time (format)', () => {
  const cf = new CloudFormationDouble();
  const t = sgTemplate('fine');
  t.Parameters.VpcId.Type = 'String';
  const stack = deploy(cf, 'vpc', t, { VpcId: 'vpc-123', Label: 'x' });
  assert.equal(stack.status, 'ROLLBACK_COMPLETE');
  assert.match(stack.events.find((e) => e.ResourceStatus === 'CREATE_FAILED').ResourceStatusReason, /#\/VpcId: failed validation constraint for keyword \[format\]/);
});

test('every generated CloudFormation golden passes the change set checks and deploys', () => {
  const files = ['full_example.cloudformation.json', 'short_body.cloudformation.json'];
  for (const f of files) {
    const body = readFileSync(path.join(golden, f), 'utf8');
    assert.deepEqual(templateProblems(body), [], f);
    const stack = deploy(new CloudFormationDouble(), 'golden', JSON.parse(body), PARAMS);
    const failed = stack.events.filter((e) => e.ResourceStatus.endsWith('_FAILED'));
    assert.equal(stack.status, 'CREATE_COMPLETE', `${f}: ${failed.map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`).join('\n')}`);
  }
});
