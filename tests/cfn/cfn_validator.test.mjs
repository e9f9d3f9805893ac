// Unit tests of the CloudFormation validator: each check is shown to pass a good template and to fail a
// bad one.   cd tests && node --test cfn/cfn_validator.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { validateTemplate, loadSpec, specHasPropertyPath } from './cfn_validator.mjs';

before(() => loadSpec());

const clone = (x) => structuredClone(x);

// A small valid template using the three properties cfn-lint 1.9.7's old spec rejects.
const GOOD = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'good',
  Parameters: {
    VpcId: { Type: 'AWS::EC2::VPC::Id' },
    ImageId: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' },
    Env: { Type: 'String', Default: 'prod', AllowedValues: ['prod', 'dev'] },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
  },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Mappings: { Sizes: { prod: { Type: 't3.large' }, dev: { Type: 't3.micro' } } },
  Resources: {
    Bucket: {
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: 'true', IgnorePublicAcls: true, RestrictPublicBuckets: true },
        Tags: [{ Key: 'Name', Value: 'b' }],
      },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } }] } }],
        Tags: [{ Key: 'Name', Value: 'r' }],
      },
    },
    Group: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'g',
        VpcId: { Ref: 'VpcId' },
        SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: '5432', ToPort: 5432, CidrIp: '10.0.0.0/16' }],
      },
    },
    Template: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
          UserData: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\necho ${AWS::StackName} ${Bucket} ${!NotAVar}\n' } },
        },
      },
    },
    Server: {
      Type: 'AWS::EC2::Instance',
      CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT30M' } },
      DependsOn: 'Bucket',
      Properties: {
        ImageId: { Ref: 'ImageId' },
        InstanceType: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Type'] },
        SubnetId: { 'Fn::Select': [0, { Ref: 'Subnets' }] },
        SecurityGroupIds: [{ 'Fn::GetAtt': ['Group', 'GroupId'] }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' }, Version: { 'Fn::GetAtt': 'Template.LatestVersionNumber' } },
        Monitoring: { 'Fn::If': ['IsProd', true, { Ref: 'AWS::NoValue' }] },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, Encrypted: true, VolumeType: 'gp3' } }],
        UserData: { 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\n', { Ref: 'AWS::Region' }]] } },
        Tags: [{ Key: 'Name', Value: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'db']] } }],
      },
    },
  },
  Outputs: {
    Host: { Value: { 'Fn::GetAtt': ['Server', 'PrivateDnsName'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-host' } } },
    Port: { Value: '5432' },
  },
};

// Apply `mutate` to a copy of GOOD and return the findings.
function findings(mutate) {
  const t = clone(GOOD);
  mutate(t);
  return validateTemplate(t);
}

// Assert exactly that some finding has this path and a message matching `re`.
function assertFinding(list, path, re) {
  assert.ok(list.some((f) => f.path === path && re.test(f.message)),
    `expected a finding at ${path} matching ${re}; got ${JSON.stringify(list, null, 1)}`);
}

test('the good template is valid, including OwnershipControls, IAM Role Tags and LaunchTemplate MetadataOptions', () => {
  assert.deepEqual(validateTemplate(clone(GOOD)), []);
  assert.ok(specHasPropertyPath('AWS::S3::Bucket', ['OwnershipControls']));
  assert.ok(specHasPropertyPath('AWS::IAM::Role', ['Tags']));
  assert.ok(specHasPropertyPath('AWS::EC2::LaunchTemplate', ['LaunchTemplateData', 'MetadataOptions']));
  assert.ok(specHasPropertyPath('AWS::EC2::SecurityGroup', ['SecurityGroupIngress', '0', 'CidrIp']));
  assert.ok(!specHasPropertyPath('AWS::EC2::LaunchTemplate', ['LaunchTemplateData', 'MetadataOptionz']));
  assert.ok(!specHasPropertyPath('AWS::S3::Bucket', ['OwnershipControls', 'Rules', '0', 'Nope']));
});

test('each of the three properties is checked inside, not waved through', () => {
  assertFinding(findings((t) => { t.Resources.Bucket.Properties.OwnershipControls.Rules[0].ObjectOwnership = 'Anyone'; }),
    '/Resources/Bucket/Properties/OwnershipControls/Rules/0/ObjectOwnership', /not an allowed value/);
  assertFinding(findings((t) => { t.Resources.Role.Properties.Tags = [{ Key: 'a' }]; }),
    '/Resources/Role/Properties/Tags/0', /requires the property "Value"/);
  assertFinding(findings((t) => { t.Resources.Template.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit = 'one'; }),
    '/Resources/Template/Properties/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', /Expected an integer/);
});

test('top-level sections, version, description, empty resources', () => {
  assertFinding(findings((t) => { t.Foo = {}; }), '/Foo', /Unknown top-level section/);
  assertFinding(findings((t) => { t.AWSTemplateFormatVersion = '2010-09-10'; }), '/AWSTemplateFormatVersion', /2010-09-09/);
  assertFinding(findings((t) => { t.Description = 'x'.repeat(1025); }), '/Description', /1025 bytes/);
  assert.deepEqual(findings((t) => { t.Description = 'é'.repeat(512); }), []);
  assertFinding(findings((t) => { t.Description = 'é'.repeat(513); }), '/Description', /1026 bytes/);
  assertFinding(findings((t) => { t.Resources = {}; }), '/Resources', /at least one/);
  assertFinding(validateTemplate({ Description: 'x' }), '/Resources', /required/);
  assertFinding(findings((t) => { t.Outputs = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`O${i}`, { Value: 'v' }])); }),
    '/Outputs', /201 entries; the limit is 200/);
});

test('logical ids are alphanumeric and at most 255 characters', () => {
  assertFinding(findings((t) => { t.Resources['My-Bucket'] = t.Resources.Bucket; }), '/Resources/My-Bucket', /alphanumeric/);
  assertFinding(findings((t) => { t.Resources['B'.repeat(256)] = t.Resources.Bucket; }), `/Resources/${'B'.repeat(256)}`, /256 characters/);
  assert.deepEqual(findings((t) => { t.Resources['B'.repeat(255)] = t.Resources.Bucket; }), []);
  assertFinding(findings((t) => { t.Resources.Env = t.Resources.Bucket; }), '/Resources/Env', /both a parameter and a resource/);
});

test('resource attributes and policies', () => {
  assertFinding(findings((t) => { t.Resources.Bucket.Propertiez = {}; }), '/Resources/Bucket/Propertiez', /Unknown resource attribute/);
  assertFinding(findings((t) => { t.Resources.Bucket.DeletionPolicy = 'Snapshot'; }), '/Resources/Bucket/DeletionPolicy', /does not support DeletionPolicy Snapshot/);
  assertFinding(findings((t) => { t.Resources.Bucket.DeletionPolicy = 'Keep'; }), '/Resources/Bucket/DeletionPolicy', /must be one of/);
  assertFinding(findings((t) => { t.Resources.Bucket.UpdateReplacePolicy = 'RetainExceptOnCreate'; }), '/Resources/Bucket/UpdateReplacePolicy', /must be one of/);
  assert.deepEqual(findings((t) => { t.Resources.Vol = { Type: 'AWS::EC2::Volume', DeletionPolicy: 'Snapshot', Properties: { AvailabilityZone: 'eu-west-1a', Size: 10, Encrypted: true } }; }), []);
  assertFinding(findings((t) => { t.Resources.Server.CreationPolicy.ResourceSignal.Timeout = '30 minutes'; }), '/Resources/Server/CreationPolicy/ResourceSignal/Timeout', /ISO 8601/);
  assertFinding(findings((t) => { t.Resources.Server.CreationPolicy.ResourceSignal.Timeout = 'PT13H'; }), '/Resources/Server/CreationPolicy/ResourceSignal/Timeout', /12 hours/);
  assertFinding(findings((t) => { t.Resources.Bucket.CreationPolicy = { ResourceSignal: { Count: 1 } }; }), '/Resources/Bucket/CreationPolicy', /not supported on AWS::S3::Bucket/);
  assertFinding(findings((t) => { t.Resources.Bucket.Condition = 'Nope'; }), '/Resources/Bucket/Condition', /not declared/);
  assertFinding(findings((t) => { t.Resources.Server.DependsOn = ['Bucket', 'Ghost']; }), '/Resources/Server/DependsOn/1', /"Ghost" is not a resource/);
});

test('unknown resource type', () => {
  assertFinding(findings((t) => { t.Resources.Bucket.Type = 'AWS::S3::Buckett'; }), '/Resources/Bucket/Type', /Unknown resource type "AWS::S3::Buckett"/);
  // SAM types exist only behind their transform
  assertFinding(findings((t) => { t.Resources.Fn = { Type: 'AWS::Serverless::Function', Properties: {} }; }), '/Resources/Fn/Type', /Unknown resource type/);
  // custom resources are free-form but need a ServiceToken
  assert.deepEqual(findings((t) => { t.Resources.C = { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:f', Anything: [1] } }; }), []);
  assertFinding(findings((t) => { t.Resources.C = { Type: 'Custom::Thing', Properties: { Anything: 1 } }; }), '/Resources/C/Properties', /ServiceToken/);
});

test('unknown property, at the top and nested in lists and maps of property types', () => {
  assertFinding(findings((t) => { t.Resources.Bucket.Properties.BucketNam = 'x'; }), '/Resources/Bucket/Properties/BucketNam', /"BucketNam" is not a property of AWS::S3::Bucket/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.SecurityGroupIngress[0].CidrIP = '10.0.0.0/8'; }),
    '/Resources/Group/Properties/SecurityGroupIngress/0/CidrIP', /not a property of Ingress/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.BlockDeviceMappings[0].Ebs.Encrypt = true; }),
    '/Resources/Server/Properties/BlockDeviceMappings/0/Ebs/Encrypt', /not a property of Ebs/);
  assertFinding(findings((t) => { t.Resources.Bucket.Properties.Tags[0].Owner = 'me'; }), '/Resources/Bucket/Properties/Tags/0/Owner', /not a property of Tag/);
  // a map of property types: AWS::ApiGateway::Method RequestParameters is map<bool|string>
  assertFinding(findings((t) => {
    t.Resources.P = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v', Tags: { a: 'b', c: { x: 1 } } } };
  }), '/Resources/P/Properties/Tags/c', /Expected a string/);
});

test('required properties', () => {
  assertFinding(findings((t) => { delete t.Resources.Group.Properties.GroupDescription; }), '/Resources/Group/Properties', /requires the property "GroupDescription"/);
  assertFinding(findings((t) => { delete t.Resources.Group.Properties; }), '/Resources/Group/Properties', /requires the property "GroupDescription"/);
  assertFinding(findings((t) => { delete t.Resources.Group.Properties.SecurityGroupIngress[0].IpProtocol; }), '/Resources/Group/Properties/SecurityGroupIngress/0', /requires the property "IpProtocol"/);
});

test('primitive types, with CloudFormation leniency and strictness', () => {
  // lenient, as CloudFormation is: numeric strings for integers, numbers for strings, "true" for booleans
  assert.deepEqual(findings((t) => {
    const ing = t.Resources.Group.Properties.SecurityGroupIngress[0];
    ing.FromPort = '5432';
    ing.Description = 12;
    t.Resources.Bucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcls = 'false';
  }), []);
  assertFinding(findings((t) => { t.Resources.Group.Properties.SecurityGroupIngress[0].FromPort = 'ssh'; }), '/Resources/Group/Properties/SecurityGroupIngress/0/FromPort', /Expected an integer/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.SecurityGroupIngress[0].FromPort = 22.5; }), '/Resources/Group/Properties/SecurityGroupIngress/0/FromPort', /Expected an integer/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.BlockDeviceMappings[0].Ebs.Encrypted = 'yes'; }), '/Resources/Server/Properties/BlockDeviceMappings/0/Ebs/Encrypted', /Expected a boolean/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.BlockDeviceMappings[0].Ebs.Encrypted = 1; }), '/Resources/Server/Properties/BlockDeviceMappings/0/Ebs/Encrypted', /Expected a boolean/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = ['a']; }), '/Resources/Group/Properties/GroupDescription', /Expected a string/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.SecurityGroupIds = 'sg-123'; }), '/Resources/Server/Properties/SecurityGroupIds', /Expected a list/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.LaunchTemplate = 'lt-1'; }), '/Resources/Server/Properties/LaunchTemplate', /Expected an object/);
  assertFinding(findings((t) => { t.Resources.Role.Properties.AssumeRolePolicyDocument = [{ Statement: [] }]; }), '/Resources/Role/Properties/AssumeRolePolicyDocument', /Expected json or string/);
  assertFinding(findings((t) => { t.Resources.Role.Properties.Policies[0].PolicyDocument = ['x']; }), '/Resources/Role/Properties/Policies/0/PolicyDocument', /Expected string or json/);
  // what an intrinsic returns must fit: a list where a single value goes, and the reverse
  assertFinding(findings((t) => { t.Resources.Server.Properties.SubnetId = { Ref: 'Subnets' }; }), '/Resources/Server/Properties/SubnetId', /returns a list/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.SecurityGroupIds = { 'Fn::GetAtt': ['Group', 'GroupId'] }; }), '/Resources/Server/Properties/SecurityGroupIds', /returns a single value/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.LaunchTemplate = { 'Fn::Sub': 'x' }; }), '/Resources/Server/Properties/LaunchTemplate', /Expected an object/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.Monitoring = { 'Fn::If': ['IsProd', 'maybe', true] }; }), '/Resources/Server/Properties/Monitoring/Fn::If/1', /Expected a boolean/);
});

test('Ref targets', () => {
  assertFinding(findings((t) => { t.Resources.Group.Properties.VpcId = { Ref: 'Vpc' }; }), '/Resources/Group/Properties/VpcId/Ref', /"Vpc", which is not a parameter, resource or pseudo parameter/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.VpcId = { Ref: 'AWS::VpcId' }; }), '/Resources/Group/Properties/VpcId/Ref', /not a parameter/);
  for (const p of ['AWS::StackName', 'AWS::StackId', 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix']) {
    assert.deepEqual(findings((t) => { t.Resources.Group.Properties.GroupDescription = { Ref: p }; }), [], p);
  }
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { Ref: 'Bucket', Extra: 1 }; }), '/Resources/Group/Properties/GroupDescription', /Expected a string/);
  assertFinding(findings((t) => { t.Conditions.HasBucket = { 'Fn::Equals': [{ Ref: 'Bucket' }, 'x'] }; }), '/Conditions/HasBucket/Fn::Equals/0/Ref', /only refer to parameters/);
});

test('Fn::GetAtt targets and attributes', () => {
  assertFinding(findings((t) => { t.Outputs.Host.Value = { 'Fn::GetAtt': ['Server', 'PrivateDNSName'] }; }), '/Outputs/Host/Value/Fn::GetAtt', /AWS::EC2::Instance has no attribute "PrivateDNSName"/);
  assertFinding(findings((t) => { t.Outputs.Host.Value = { 'Fn::GetAtt': 'Server.Endpoint' }; }), '/Outputs/Host/Value/Fn::GetAtt', /no attribute "Endpoint"/);
  assertFinding(findings((t) => { t.Outputs.Host.Value = { 'Fn::GetAtt': ['Serverr', 'PrivateDnsName'] }; }), '/Outputs/Host/Value/Fn::GetAtt', /"Serverr", which is not a resource/);
  assertFinding(findings((t) => { t.Outputs.Host.Value = { 'Fn::GetAtt': ['VpcId', 'Id'] }; }), '/Outputs/Host/Value/Fn::GetAtt', /not a resource/);
  assert.deepEqual(findings((t) => { t.Outputs.Host.Value = { 'Fn::GetAtt': ['Server', 'PublicIp'] }; }), []);
});

test('Fn::Sub references', () => {
  const ud = '/Resources/Template/Properties/LaunchTemplateData/UserData/Fn::Base64/Fn::Sub';
  const sub = (s) => (t) => { t.Resources.Template.Properties.LaunchTemplateData.UserData = { 'Fn::Base64': { 'Fn::Sub': s } }; };
  assertFinding(findings(sub('echo ${Nothing}')), ud, /\$\{Nothing\}, which is not a parameter, resource, pseudo parameter or variable/);
  assertFinding(findings(sub('echo ${Bucket.Nope}')), ud, /AWS::S3::Bucket has no attribute "Nope"/);
  assertFinding(findings(sub('echo ${Ghost.Arn}')), ud, /"Ghost" is not a resource/);
  assertFinding(findings(sub('echo ${AWS::Zone}')), ud, /not a pseudo parameter/);
  assertFinding(findings(sub('echo ${Subnets}')), ud, /the parameter is a list/);
  assert.deepEqual(findings(sub('echo ${!Nothing} ${Env} ${Bucket.Arn} ${AWS::AccountId} ${AWS::URLSuffix}')), []);
  assert.deepEqual(findings((t) => {
    t.Resources.Template.Properties.LaunchTemplateData.UserData = { 'Fn::Base64': { 'Fn::Sub': ['echo ${Mine}', { Mine: { Ref: 'Env' } }] } };
  }), []);
  assertFinding(findings((t) => {
    t.Resources.Template.Properties.LaunchTemplateData.UserData = { 'Fn::Base64': { 'Fn::Sub': ['echo ${Mine}', { Mine: { Ref: 'Nope' } }] } };
  }), `${ud}/1/Mine/Ref`, /"Nope"/);
});

test('other intrinsic functions', () => {
  assertFinding(findings((t) => { t.Resources.Server.Properties.InstanceType = { 'Fn::FindInMap': ['Sized', 'prod', 'Type'] }; }), '/Resources/Server/Properties/InstanceType/Fn::FindInMap/0', /Mapping "Sized" is not declared/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.InstanceType = { 'Fn::FindInMap': ['Sizes', 'test', 'Type'] }; }), '/Resources/Server/Properties/InstanceType/Fn::FindInMap/1', /no top-level key "test"/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.Monitoring = { 'Fn::If': ['IsTest', true, false] }; }), '/Resources/Server/Properties/Monitoring/Fn::If/0', /"IsTest" is not declared/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { 'Fn::Join': [',', { Ref: 'Env' }] }; }), '/Resources/Group/Properties/GroupDescription/Fn::Join/1', /Expected a list here/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { 'Fn::Equals': ['a', 'a'] }; }), '/Resources/Group/Properties/GroupDescription', /only be used in the Conditions/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { 'Fn::Length': [1, 2] }; }), '/Resources/Group/Properties/GroupDescription', /LanguageExtensions/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { 'Fn::Select': [2, ['a', 'b']] }; }), '/Resources/Group/Properties/GroupDescription/Fn::Select/0', /past the end/);
  assert.deepEqual(findings((t) => {
    t.Resources.Group.Properties.GroupDescription = { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::ImportValue': 'other-stack-names' }] }] };
    t.Resources.Server.Properties.AvailabilityZone = { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] };
  }), []);
  // intrinsics inside JSON-typed properties (policy documents) are checked too
  assertFinding(findings((t) => { t.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Resource = { 'Fn::GetAtt': ['Bucket', 'Arnn'] }; }),
    '/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Resource/Fn::GetAtt', /no attribute "Arnn"/);
});

test('dependency cycles through Ref, Fn::GetAtt, Fn::Sub and DependsOn', () => {
  assertFinding(findings((t) => { t.Resources.Bucket.DependsOn = 'Server'; }), '/Resources/Bucket', /Circular dependency between resources: Bucket -> Server -> Bucket/);
  assertFinding(findings((t) => { t.Resources.Group.Properties.GroupDescription = { 'Fn::GetAtt': ['Server', 'PrivateIp'] }; }), '/Resources/Group', /Circular dependency.*Group -> Server -> Group|Server -> Group -> Server/);
  assertFinding(findings((t) => { t.Resources.Bucket.Properties.Tags[0].Value = { 'Fn::Sub': '${Role.Arn}' }; }), '/Resources/Bucket', /Circular dependency/);
  assertFinding(findings((t) => { t.Resources.Bucket.Properties.Tags[0].Value = { Ref: 'Bucket' }; }), '/Resources/Bucket', /Circular dependency between resources: Bucket -> Bucket/);
  // a chain without a loop is fine
  assert.deepEqual(findings((t) => { t.Resources.Group.DependsOn = ['Bucket', 'Role']; }), []);
});

test('parameters', () => {
  assertFinding(findings((t) => { t.Parameters.VpcId.Type = 'AWS::EC2::Vpc::Id'; }), '/Parameters/VpcId/Type', /not a valid CloudFormation parameter type/);
  assertFinding(findings((t) => { t.Parameters.VpcId.Type = 'Integer'; }), '/Parameters/VpcId/Type', /not a valid/);
  assertFinding(findings((t) => { delete t.Parameters.VpcId.Type; }), '/Parameters/VpcId', /needs a Type/);
  assertFinding(findings((t) => { t.Parameters.Env.Default = 'test'; }), '/Parameters/Env/Default', /not one of AllowedValues/);
  assertFinding(findings((t) => { t.Parameters.Name = { Type: 'String', Default: 'Ab', AllowedPattern: '[a-z]+' }; }), '/Parameters/Name/Default', /does not match AllowedPattern/);
  assert.deepEqual(findings((t) => { t.Parameters.Name = { Type: 'String', Default: 'ab', AllowedPattern: '[a-z]+' }; }), []);
  assertFinding(findings((t) => { t.Parameters.N = { Type: 'Number', Default: 'ten' }; }), '/Parameters/N/Default', /not a number/);
  assertFinding(findings((t) => { t.Parameters.N = { Type: 'Number', Default: 5, Typo: 1 }; }), '/Parameters/N/Typo', /Unknown parameter attribute/);
  for (const ty of ['Number', 'List<Number>', 'CommaDelimitedList', 'AWS::EC2::Subnet::Id', 'List<AWS::EC2::SecurityGroup::Id>', 'AWS::SSM::Parameter::Name',
    'AWS::SSM::Parameter::Value<String>', 'AWS::SSM::Parameter::Value<List<String>>', 'AWS::EC2::KeyPair::KeyName']) {
    assert.deepEqual(findings((t) => { t.Parameters.X = { Type: ty }; }), [], ty);
  }
});

test('outputs: Value required, export names unique, no list values', () => {
  assertFinding(findings((t) => { t.Outputs.Port = { Description: 'p' }; }), '/Outputs/Port', /needs a Value/);
  assertFinding(findings((t) => { t.Outputs.Port.Export = { Name: { 'Fn::Sub': '${AWS::StackName}-host' } }; }), '/Outputs/Port/Export/Name', /also exported by output Host/);
  assertFinding(findings((t) => { t.Outputs.Port.Value = { Ref: 'Subnets' }; }), '/Outputs/Port/Value', /must be a string/);
  assertFinding(findings((t) => { t.Outputs.Port.Value = ['a']; }), '/Outputs/Port/Value', /must be a string/);
});

test('template body size', () => {
  assertFinding(findings((t) => { t.Metadata = { Padding: 'x'.repeat(1024 * 1024) }; }), '/', /Template body is \d+ bytes; the limit is 1048576/);
  assertFinding(validateTemplate(clone(GOOD), { maxBodyBytes: 51200, body: 'y'.repeat(51201) }), '/', /51201 bytes; the limit is 51200/);
});

test('oversize user data (estimated from the Fn::Sub text once decoded)', () => {
  const path = '/Resources/Server/Properties/UserData';
  const script = (n) => `#!/bin/bash\n${'#'.repeat(n - 12)}`; // n bytes exactly
  assert.deepEqual(findings((t) => { t.Resources.Server.Properties.UserData = { 'Fn::Base64': script(16384) }; }), []);
  assertFinding(findings((t) => { t.Resources.Server.Properties.UserData = { 'Fn::Base64': script(16385) }; }), path, /about 16385 bytes once decoded; EC2 allows 16384/);
  // placeholders count with their estimated value: the stack name may be 128 characters
  const body = `${script(16300)}\${AWS::StackName}`;
  assertFinding(findings((t) => { t.Resources.Server.Properties.UserData = { 'Fn::Base64': { 'Fn::Sub': body } }; }), path, /about 16428 bytes/);
  // launch templates too; and a literal base64 string is measured decoded
  assertFinding(findings((t) => { t.Resources.Template.Properties.LaunchTemplateData.UserData = Buffer.from(script(17000)).toString('base64'); }),
    '/Resources/Template/Properties/LaunchTemplateData/UserData', /about 17000 bytes/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.UserData = { 'Fn::Sub': '#!/bin/bash\n' }; }), path, /must be base64-encoded/);
  assertFinding(findings((t) => { t.Resources.Server.Properties.UserData = '#!/bin/bash\necho hi'; }), path, /must be base64-encoded/);
});
