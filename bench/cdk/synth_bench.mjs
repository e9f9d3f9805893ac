// The AWS CDK (aws-cdk-lib) synthesising the stack CloudSketch renders for its one-VM plan: a security
// group opening the database port to the plan's range, a private encrypted backup bucket with a TLS-only
// policy and a lifecycle rule, a least-privilege instance role, and an IMDSv2 instance with an encrypted
// root and gp3 data volume and the same first-boot script as user data. Times app.synth() the way
// wasm_bench.cpp times Transform, and prints lines in the same shape:
//   <name> median_ns=<median ns per synth> iterations=<per sample> samples=<count>
//
//   cd bench/cdk && npm install && node synth_bench.mjs [--template path/to/one-vm.cloudformation.json]
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const t0 = performance.now();
const cdk = await import('aws-cdk-lib');
const { aws_ec2: ec2, aws_s3: s3, aws_iam: iam } = cdk;
const loadMs = performance.now() - t0;

const repo = path.resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const templateArg = args.includes('--template') ? args[args.indexOf('--template') + 1] : null;
// The same user data CloudSketch ships (its Fn::Sub text), so both sides carry the same bytes.
const userDataText = (() => {
  const file = templateArg ?? path.join(repo, 'tests/data/golden/corpus/al2023-pg17.cloudformation.json');
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const inst = Object.values(t.Resources).find((r) => r.Type === 'AWS::EC2::Instance');
  return inst.Properties.UserData['Fn::Base64']['Fn::Sub'];
})();

const outRoot = mkdtempSync(path.join(os.tmpdir(), 'cs-cdk-bench-'));
process.on('exit', () => rmSync(outRoot, { recursive: true, force: true }));
let appCount = 0;

// One stack with `databases` copies of the one-VM stack's resources. `rules`: aws-cdk-lib's default
// validation of the synthesised template (on by default in current releases, as Transform validates too).
function synth(databases = 1, rules = true) {
  const context = rules ? {} : { '@aws-cdk/core:validateAgainstDefaultRules': false };
  const app = new cdk.App({ outdir: path.join(outRoot, String(appCount++)), context });
  const stack = new cdk.Stack(app, 'cloudsketch-bench', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], publicSubnetIds: ['subnet-0123456789abcdef0'],
  });
  for (let i = 0; i < databases; i++) {
    const id = databases === 1 ? 'Pg1' : `Pg${i}`;
    const sg = new ec2.SecurityGroup(stack, `${id}SecurityGroup`, { vpc, description: 'PostgreSQL', allowAllOutbound: true });
    sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(5432), 'PostgreSQL clients');
    const bucket = new s3.Bucket(stack, `${id}BackupBucket`, {
      encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: cdk.Duration.days(7) }],
    });
    const role = new iam.Role(stack, `${id}InstanceRole`, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    bucket.grantReadWrite(role);
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [`arn:aws:ssm:us-east-1:123456789012:parameter/cloudsketch/unsaved/development/${id}/*`],
    }));
    const userData = ec2.UserData.custom(userDataText);
    new ec2.Instance(stack, `${id}Primary`, {
      vpc, securityGroup: sg, role, userData, requireImdsv2: true,
      instanceType: new ec2.InstanceType('t3.medium'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      blockDevices: [
        { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) },
        { deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) },
      ],
    });
  }
  // The validation report is printed on every synth; keep this script's output to its figures.
  const saved = [console.log, console.warn, console.error];
  console.log = console.warn = console.error = () => {};
  try {
    const assembly = app.synth();
    return assembly.getStackByName(stack.stackName).template;
  } finally {
    [console.log, console.warn, console.error] = saved;
  }
}

// Median over `samples` of the mean time of one synth, each sample at least `minMs` long.
function measure(fn, { samples = 11, minMs = 200 } = {}) {
  for (let i = 0; i < 2; i++) fn();
  let iterations = 1;
  for (;;) {
    const s = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    if (performance.now() - s >= minMs || iterations >= 1 << 16) break;
    iterations *= 2;
  }
  const ns = [];
  for (let k = 0; k < samples; k++) {
    const s = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    ns.push(((performance.now() - s) * 1e6) / iterations);
  }
  ns.sort((a, b) => a - b);
  return { median: ns[ns.length >> 1], iterations, samples };
}

function report(name, r) {
  console.log(`${name} median_ns=${Math.round(r.median)} iterations=${r.iterations} samples=${r.samples}`);
}

const first = performance.now();
const template = synth(1);
const firstMs = performance.now() - first;
console.log(`CdkLoadAwsCdkLib ms=${loadMs.toFixed(0)}`);
console.log(`CdkFirstSynthOneVm ms=${firstMs.toFixed(0)} resources=${Object.keys(template.Resources).length}`);
report('CdkSynthOneVm', measure(() => synth(1)));
report('CdkSynthOneVmWithoutDefaultRules', measure(() => synth(1, false)));
if (!args.includes('--one-vm-only')) {
  // 250 databases: the 500-component plan (250 VMs, each hosting one PostgreSQL) as one CDK stack.
  // CloudFormation allows 500 resources per stack; the CDK refuses the 2000 this needs at synth (CloudSketch's
  // Transform refuses it too). Timed up to that refusal, which comes after the whole construct tree.
  const refusedAt = () => {
    try {
      synth(250);
      return 'synthesised';
    } catch (e) {
      if (!/TooManyResourcesInStack|greater than allowed maximum of 500/.test(String(e.message ?? e))) throw e;
      return 'refused: more than 500 resources in one stack';
    }
  };
  // 60 databases: the largest plan CloudSketch puts in one stack (420 resources; the CDK's version has 480).
  report('CdkSynthLargeAwsStack', measure(() => synth(60), { samples: 3, minMs: 0 }));
  const outcome = refusedAt();
  report('CdkSynth500Components', measure(refusedAt, { samples: 3, minMs: 0 }));
  console.log(`CdkSynth500Components outcome=${JSON.stringify(outcome)}`);
}
