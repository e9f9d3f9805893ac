#!/usr/bin/env node
// AWS test double: one local HTTP endpoint that answers CloudFormation (query API, XML), SSM (JSON 1.1),
// EC2 (DescribeInstanceStatus, DescribeVpcs, DescribeSubnets; XML), STS (AssumeRole) and S3 (path-style
// CreateBucket/PutBucketLifecycleConfiguration/PutObject/GetObject/DeleteObject; CloudFormation reads TemplateURLs from it) the way AWS does,
// for tests that cannot reach AWS. It is not AWS, and says so in every response's Server header.
//
// What it checks, as AWS would: every request's Signature V4 (with the independent @smithy/signature-v4;
// wrong -> SignatureDoesNotMatch), credentials it knows (static keys given at start, temporary keys it
// issued through AssumeRole with their session token), required parameters per the API shapes, and every
// submitted template (strict validator + cfn-lint, tests/cfn). It plays CloudFormation's state machine one
// step per DescribeStacks call (see cloudformation_double.mjs).
//
//   node aws_test_double.mjs [--port N] [--key AKID:SECRET]...   prints {"port": N} once it listens
//
// Control endpoints (unsigned, for tests only) under /__double/:
//   POST fault        {"action": "DescribeStacks", "kind": "throttle"|"http500", "count": 2}, or
//                     {"action": "ValidateTemplate", "kind": "error", "status": 400, "code": "ValidationError", "message": "..."}
//   POST fail         {"logical_id": "PgMainPrimary", "reason": "...", "on": "create"|"update"|"delete"}
//   POST role         {"arn": "arn:aws:iam::123456789012:role/x", "external_id": "..."}
//   POST instance     {"system": "impaired"}   status checks of every instance from now on
//   POST outputs      {"stack": "cloudsketch-...", "values": {"Pg1Endpoint": "127.0.0.1"}} the stack's Outputs
//                     say these values (now and after later updates), e.g. to point at a local PostgreSQL
//   POST ssm          {"managed": false} instances are not SSM-managed; {"fail": "stderr"} the script fails
//   GET  log          [{service, action, iam_action, access_key_id, status}]
//   GET  state        {stacks: [...], parameters: {name: {type, version, value}}, buckets: {...}, template_urls: [...]}
import http from 'node:http';
import { randomUUID, randomBytes } from 'node:crypto';
import { verifySignature, parseAuthorization } from './sigv4_check.mjs';
import { CloudFormationDouble, ApiError, esc, templateProblems } from './cloudformation_double.mjs';
import { S3Double } from './s3_double.mjs';

const SERVER = 'AWSTestDouble/1.0 (a test double, not AWS)';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const keys = new Map();
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--key') { const [id, secret] = args[i + 1].split(':'); keys.set(id, { secretAccessKey: secret }); }
}

const cfn = new CloudFormationDouble();
const s3 = new S3Double();
const ACCOUNT = '123456789012';
// The account a key acts in: an assumed role's (from its ARN), else the double's one account.
const accountOf = (accessKeyId) => keys.get(accessKeyId)?.role?.split(':')[4] ?? ACCOUNT;
const parameters = new Map(); // name -> {type, value, version}
const roles = new Map(); // arn -> {external_id}
const faults = []; // {action, kind, count}
const log = [];
const runCommand = { managed: true, fail: '' }; // SSM Run Command: are instances managed, does the script fail
const commandsRun = new Map(); // CommandId -> {instances, commands, polls, fail}
let instanceHealth = { system: 'ok', instance: 'ok' };

function xmlError(service, e, requestId) {
  if (service === 'ec2') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(e.code)}</Code><Message>${esc(e.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  const ns = service === 'sts' ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
  return `<ErrorResponse xmlns="${ns}"><Error><Type>${e.type ?? 'Sender'}</Type><Code>${esc(e.code)}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

// ---------------------------------------------------------------------------------------------------
// SSM (JSON 1.1)

function ssm(action, body) {
  const need = (n) => { if (body[n] === undefined || body[n] === null || body[n] === '') throw new ApiError(400, 'ValidationException', `1 validation error detected: Value null at '${n[0].toLowerCase()}${n.slice(1)}' failed to satisfy constraint: Member must not be null`); };
  if (action === 'PutParameter') {
    need('Name'); need('Value');
    const name = body.Name;
    if (!/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(name) || (name.includes('/') && !name.startsWith('/'))) throw new ApiError(400, 'ValidationException', `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`);
    if (name.split('/').length - 1 > 15) throw new ApiError(400, 'HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels.');
    const type = body.Type ?? parameters.get(name)?.type;
    if (!['String', 'StringList', 'SecureString'].includes(type)) throw new ApiError(400, 'ValidationException', 'Type must be one of String, StringList, SecureString');
    if (Buffer.byteLength(body.Value) > 4096) throw new ApiError(400, 'ValidationException', 'Standard tier parameters support a maximum parameter value of 4096 characters.');
    const existing = parameters.get(name);
    if (existing && !body.Overwrite) throw new ApiError(400, 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    const version = (existing?.version ?? 0) + 1;
    parameters.set(name, { type, value: body.Value, version, description: body.Description });
    return { Version: version, Tier: 'Standard' };
  }
  if (action === 'DeleteParameter') {
    need('Name');
    if (!parameters.delete(body.Name)) throw new ApiError(400, 'ParameterNotFound', '');
    return {};
  }
  if (action === 'SendCommand') {
    need('DocumentName');
    if (!Array.isArray(body.InstanceIds) || body.InstanceIds.length === 0) throw new ApiError(400, 'ValidationException', "1 validation error detected: Value null at 'instanceIds' failed to satisfy constraint: Member must not be null");
    if (body.DocumentName !== 'AWS-RunShellScript') throw new ApiError(400, 'InvalidDocument', `Document ${body.DocumentName} does not exist in your account`);
    const commands = body.Parameters?.commands;
    if (!Array.isArray(commands) || commands.length === 0 || !commands.every((c) => typeof c === 'string')) throw new ApiError(400, 'InvalidParameters', 'Parameters doesn\'t match the document: commands is required');
    const known = [];
    for (const st of cfn.stacks) for (const r of st.resources.values()) if (r.type === 'AWS::EC2::Instance' && st.status !== 'DELETE_COMPLETE') known.push(r.physicalId);
    const bad = body.InstanceIds.filter((id) => !known.includes(id) || !runCommand.managed);
    if (bad.length) throw new ApiError(400, 'InvalidInstanceId', `Instances [[${bad.join(', ')}]] not in a valid state for account 123456789012`);
    const id = randomUUID();
    commandsRun.set(id, { instances: body.InstanceIds, commands, polls: 0, fail: runCommand.fail });
    return { Command: { CommandId: id, DocumentName: body.DocumentName, InstanceIds: body.InstanceIds, Status: 'Pending', Comment: body.Comment } };
  }
  if (action === 'GetCommandInvocation') {
    need('CommandId'); need('InstanceId');
    const c = commandsRun.get(body.CommandId);
    if (!c || !c.instances.includes(body.InstanceId)) throw new ApiError(400, 'InvocationDoesNotExist', '');
    c.polls += 1;
    const base = { CommandId: body.CommandId, InstanceId: body.InstanceId, DocumentName: 'AWS-RunShellScript' };
    if (c.polls < 2) return { ...base, Status: 'InProgress', StatusDetails: 'InProgress', ResponseCode: -1 };
    if (c.fail) return { ...base, Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1, StandardOutputContent: '', StandardErrorContent: c.fail };
    return { ...base, Status: 'Success', StatusDetails: 'Success', ResponseCode: 0, StandardOutputContent: `ran: ${c.commands.join('; ')}`, StandardErrorContent: '' };
  }
  if (action === 'GetParameter') {
    need('Name');
    const p = parameters.get(body.Name);
    if (!p) throw new ApiError(400, 'ParameterNotFound', '');
    const show = p.type !== 'SecureString' || body.WithDecryption;
    return { Parameter: { Name: body.Name, Type: p.type, Value: show ? p.value : 'AQICAH...encrypted', Version: p.version } };
  }
  throw new ApiError(400, 'UnknownOperationException', '');
}

// ---------------------------------------------------------------------------------------------------
// EC2 (query protocol, EC2 flavour of XML)

function ec2(action, form, region) {
  if (form.get('Version') !== '2016-11-15') throw new ApiError(400, 'InvalidParameterValue', 'Version must be 2016-11-15');
  const ns = 'http://ec2.amazonaws.com/doc/2016-11-15/';
  const wrap = (inner) => `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`;
  const filters = new Map();
  for (let i = 1; form.has(`Filter.${i}.Name`); i++) filters.set(form.get(`Filter.${i}.Name`), form.get(`Filter.${i}.Value.1`));
  if (action === 'DescribeVpcs') {
    const def = filters.get('is-default');
    const vpcs = def === 'false' ? [] : [{ id: 'vpc-0defa17c0ffee0001', cidr: '172.31.0.0/16' }];
    return wrap(`<vpcSet>${vpcs.map((v) => `<item><vpcId>${v.id}</vpcId><state>available</state><cidrBlock>${v.cidr}</cidrBlock><isDefault>true</isDefault></item>`).join('')}</vpcSet>`);
  }
  if (action === 'DescribeSubnets') {
    const subnets = ['b', 'a', 'c'].map((z, i) => ({ id: `subnet-0defa17${i}00000000${i}`, az: `${region}${z}` }))
      .filter(() => !filters.has('vpc-id') || filters.get('vpc-id') === 'vpc-0defa17c0ffee0001');
    return wrap(`<subnetSet>${subnets.map((s) => `<item><subnetId>${s.id}</subnetId><state>available</state><vpcId>vpc-0defa17c0ffee0001</vpcId><availabilityZone>${s.az}</availabilityZone><defaultForAz>true</defaultForAz></item>`).join('')}</subnetSet>`);
  }
  if (action === 'DescribeInstanceStatus') {
    const ids = [...form].filter(([k]) => /^InstanceId\.\d+$/.test(k)).map(([, v]) => v);
    for (const id of ids) if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw new ApiError(400, 'InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const known = [];
    for (const s of cfn.stacks) for (const r of s.resources.values()) if (r.type === 'AWS::EC2::Instance') known.push({ id: r.physicalId, az: `${s.region}a` });
    const missing = ids.filter((id) => !known.some((k) => k.id === id));
    if (missing.length) throw new ApiError(400, 'InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    const list = known.filter((k) => ids.length === 0 || ids.includes(k.id));
    const item = (k) => `<item><instanceId>${k.id}</instanceId><availabilityZone>${k.az}</availabilityZone><instanceState><code>16</code><name>running</name></instanceState>`
      + `<systemStatus><status>${instanceHealth.system}</status><details><item><name>reachability</name><status>passed</status></item></details></systemStatus>`
      + `<instanceStatus><status>${instanceHealth.instance}</status><details><item><name>reachability</name><status>passed</status></item></details></instanceStatus></item>`;
    return wrap(`<instanceStatusSet>${list.map(item).join('')}</instanceStatusSet>`);
  }
  throw new ApiError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
}

// ---------------------------------------------------------------------------------------------------
// STS AssumeRole

function sts(action, form, callerKey) {
  if (action !== 'AssumeRole') throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  if (form.get('Version') !== '2011-06-15') throw new ApiError(400, 'InvalidParameterValue', 'Version must be 2011-06-15');
  for (const n of ['RoleArn', 'RoleSessionName']) if (!form.get(n)) throw new ApiError(400, 'ValidationError', `1 validation error detected: Value null at '${n[0].toLowerCase()}${n.slice(1)}' failed to satisfy constraint: Member must not be null`);
  const arn = form.get('RoleArn');
  const role = roles.get(arn);
  if (!role || (role.external_id && role.external_id !== form.get('ExternalId'))) {
    throw new ApiError(403, 'AccessDenied', `User: arn:aws:iam::123456789012:user/${callerKey} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  }
  const id = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = randomBytes(30).toString('base64');
  const token = `FwoGZXIvYXdzETestDouble${randomBytes(24).toString('base64')}`;
  const expires = new Date(Date.now() + Number(form.get('DurationSeconds') ?? 3600) * 1000);
  keys.set(id, { secretAccessKey: secret, sessionToken: token, expires, role: arn });
  const session = form.get('RoleSessionName');
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROA3XFRBF535PLBIFPI4:${esc(session)}</AssumedRoleId><Arn>${esc(arn.replace(':role/', ':assumed-role/'))}/${esc(session)}</Arn></AssumedRoleUser><Credentials><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>${esc(secret)}</SecretAccessKey><SessionToken>${esc(token)}</SessionToken><Expiration>${expires.toISOString()}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

// ---------------------------------------------------------------------------------------------------
// HTTP

function send(res, status, type, body, requestId) {
  res.writeHead(status, { 'Content-Type': type, 'Server': SERVER, 'x-amzn-RequestId': requestId, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function control(req, res, body) {
  const json = (status, v) => send(res, status, 'application/json', JSON.stringify(v), randomUUID());
  const what = req.url.slice('/__double/'.length);
  const input = body ? JSON.parse(body) : {};
  if (req.method === 'POST' && what === 'fault') { faults.push({ ...input, count: input.count ?? 1 }); return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'fail') { cfn.failures.push(input); return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'role') { roles.set(input.arn, { external_id: input.external_id }); return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'outputs') { cfn.overrideOutputs(input.stack, input.values ?? {}); return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'instance') { instanceHealth = { ...instanceHealth, ...input }; return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'ssm') { Object.assign(runCommand, input); return json(200, { ok: true }); }
  if (req.method === 'POST' && what === 'validate') { return json(200, { problems: templateProblems(body) }); }
  if (req.method === 'GET' && what === 'log') return json(200, log);
  if (req.method === 'GET' && what === 'state') {
    return json(200, {
      stacks: cfn.stacks.map((s) => ({ id: s.id, name: s.name, status: s.status, outputs: s.outputs, resources: [...s.resources.keys()], events: s.events.length, params: s.params, roleArn: s.roleArn })),
      parameters: Object.fromEntries([...parameters].map(([k, v]) => [k, v])),
      buckets: s3.summary(),
      template_urls: cfn.templateUrls,
      commands: Object.fromEntries([...commandsRun].map(([k, v]) => [k, { instances: v.instances, commands: v.commands }])),
    });
  }
  return json(404, { error: 'unknown control endpoint' });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url.startsWith('/__double/')) return control(req, res, body);
    const requestId = randomUUID();
    const began = process.hrtime.bigint();
    const auth = parseAuthorization(req.headers.authorization);
    const service = auth?.service ?? 'unknown';
    const target = req.headers['x-amz-target'];
    let action;
    let form = null;
    if (target) action = target.split('.').pop();
    else if (service === 's3') action = S3Double.route(req.method, req.url)[0];
    else {
      form = new URLSearchParams(req.method === 'GET' ? req.url.split('?')[1] ?? '' : body);
      action = form.get('Action');
    }
    const entry = { service, action, iam_action: service === 's3' ? S3Double.iamAction(action) : `${service}:${action}`, access_key_id: auth?.accessKeyId, status: 0 };
    res.on('finish', () => { entry.ms = Number(process.hrtime.bigint() - began) / 1e6; });  // time the double spent
    log.push(entry);
    const fail = (e) => {
      entry.status = e.status;
      entry.error = e.code;
      if (service === 'ssm') return send(res, e.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: e.code, message: e.message }), requestId);
      if (service === 's3') return send(res, e.status, 'application/xml', S3Double.errorXml(e, requestId), requestId);
      return send(res, e.status, 'text/xml', xmlError(service, e, requestId), requestId);
    };
    try {
      const bad = await verifySignature({ method: req.method, url: req.url, headers: req.headers, body }, keys);
      if (bad) {
        if (service === 'ssm' && bad.code === 'SignatureDoesNotMatch') bad.code = 'InvalidSignatureException';
        return fail(new ApiError(bad.status, bad.code, bad.message));
      }
      const fault = faults.find((f) => f.count > 0 && (!f.action || f.action === action));
      if (fault) {
        fault.count -= 1;
        if (fault.kind === 'error') return fail(new ApiError(fault.status ?? 400, fault.code ?? 'ValidationError', fault.message ?? ''));
        if (fault.kind === 'throttle') return fail(new ApiError(400, service === 'ssm' ? 'ThrottlingException' : service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling', 'Rate exceeded'));
        return fail(new ApiError(500, service === 'ssm' ? 'InternalServerError' : 'InternalFailure', 'We encountered an internal error. Please try again.', 'Receiver'));
      }
      let out;
      if (service === 's3') {
        const r = s3.call({ method: req.method, url: req.url, headers: req.headers, body }, accountOf(auth.accessKeyId), auth.region);
        entry.status = r.status;
        res.writeHead(r.status, { 'Content-Type': r.type, 'Server': SERVER, 'x-amz-request-id': requestId, 'Content-Length': Buffer.byteLength(r.body), ...(r.headers ?? {}) });
        return res.end(r.body);
      }
      cfn.readTemplateUrl = (url) => s3.readTemplate(url, accountOf(auth.accessKeyId), req.headers.host);
      if (service === 'cloudformation') out = ['text/xml', cfn.call(action, form, auth.region)];
      else if (service === 'ec2') out = ['text/xml;charset=UTF-8', ec2(action, form, auth.region)];
      else if (service === 'sts') out = ['text/xml', sts(action, form, auth.accessKeyId)];
      else if (service === 'ssm') {
        if (!/^AmazonSSM\.\w+$/.test(target ?? '')) throw new ApiError(400, 'UnknownOperationException', '');
        if (!(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new ApiError(400, 'SerializationException', 'Content-Type must be application/x-amz-json-1.1');
        out = ['application/x-amz-json-1.1', JSON.stringify(ssm(action, JSON.parse(body || '{}')))];
      } else throw new ApiError(400, 'UnknownService', `service ${service} is not played by this test double`);
      entry.status = 200;
      send(res, 200, out[0], out[1], requestId);
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      console.error(e);
      fail(new ApiError(500, 'InternalFailure', String(e.message), 'Receiver'));
    }
  });
});

server.listen(Number(opt('--port', 0)), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
