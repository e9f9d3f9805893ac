// CloudFormation as a test double: the query API (2010-05-15) with AWS-shaped XML, the stack state
// machine (CREATE/UPDATE/DELETE, rollbacks) advanced one step per DescribeStacks call, change sets with
// their list of changes, and template checks (the strict validator + cfn-lint) on everything submitted.
// Every resource's properties are checked against its resource provider schema and the services' documented
// constraints (tests/cfn/provider_schema.mjs) twice, as CloudFormation does: the literal values when the
// change set is made, and the values Ref / Fn::GetAtt / Fn::Sub / Fn::Join resolve to when the resource is
// created or updated (a failure there is the resource's CREATE_FAILED / UPDATE_FAILED, and the stack rolls back).
import { randomUUID, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { validateTemplate, specHasPropertyPath } from '../../cfn/cfn_validator.mjs';
import { checkResourceProperties, UNKNOWN } from '../../cfn/provider_schema.mjs';

const require = createRequire(path.join(import.meta.dirname, '..', '..', 'package.json'));
const cfnLint = require('cfn-lint');

export const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const ACCOUNT = '123456789012';
const EVENTS_PAGE = 8; // small pages so clients must follow NextToken

export class ApiError extends Error {
  constructor(status, code, message, type = 'Sender') { super(message); this.status = status; this.code = code; this.type = type; }
}
const validation = (m) => new ApiError(400, 'ValidationError', m);

export function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
const el = (name, value) => (value === undefined || value === null ? '' : `<${name}>${esc(value)}</${name}>`);
const members = (name, items, render) => `<${name}>${items.map((i) => `<member>${render(i)}</member>`).join('')}</${name}>`;

// cfn-lint 1.9.7 bundles an old resource specification: "X is not a valid property of Y" is not an error
// where the current spec has X at exactly that place (the same rule as tests/cfn/templates.test.mjs).
function staleSpecFinding(f, template) {
  const m = /^(\S+) is not a valid property of (\S+)$/.exec(f.message || '');
  if (!m) return false;
  const seg = String(f.resource ?? '').split(' > ').map((x) => x.trim());
  if (seg[0] !== 'Resources' || seg[2] !== 'Properties' || seg[seg.length - 1] !== m[1]) return false;
  const type = template.Resources?.[seg[1]]?.Type;
  if (typeof type !== 'string' || !(m[2] === type || m[2].startsWith(`${type}.`))) return false;
  return specHasPropertyPath(type, seg.slice(3));
}

/** What CloudFormation would reject about a template body: [] or a list of messages. */
export function templateProblems(body) {
  let t;
  try { t = JSON.parse(body); } catch (e) { return [`Template format error: JSON not well-formed. (${e.message})`]; }
  const out = validateTemplate(t, { providerSchemas: 'require' }).map((f) => `Template format error: ${f.path}: ${f.message}`);
  const r = cfnLint.validateJsonObject(structuredClone(t), { guessParameters: undefined });
  for (const e of r.errors.crit) {
    if (staleSpecFinding(e, t)) continue;
    out.push(`Template format error: ${e.resource}: ${e.message}`);
  }
  return out;
}

const NEEDS_IAM = new Set(['AWS::IAM::Role', 'AWS::IAM::InstanceProfile', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group']);

function physicalId(stack, logical, type) {
  const hex = () => randomBytes(9).toString('hex').slice(0, 17);
  switch (type) {
    case 'AWS::EC2::Instance': return `i-${hex()}`;
    case 'AWS::EC2::SecurityGroup': return `sg-${hex()}`;
    case 'AWS::EC2::LaunchTemplate': return `lt-${hex()}`;
    case 'AWS::S3::Bucket': return `${stack.name}-${logical.toLowerCase()}-${randomBytes(6).toString('hex')}`.slice(0, 63);
    default: return `${stack.name}-${logical}-${randomBytes(6).toString('hex').toUpperCase()}`;
  }
}

function attribute(stack, logical, attr) {
  const r = stack.resources.get(logical);
  if (!r) throw validation(`Template error: instance of Fn::GetAtt references undefined resource ${logical}`);
  switch (attr) {
    case 'PrivateDnsName': return `ip-10-0-${r.n}-${10 + r.n}.${stack.region}.compute.internal`;
    case 'PrivateIp': return `10.0.${r.n}.${10 + r.n}`;
    case 'GroupId': return r.physicalId;
    case 'LatestVersionNumber': return '1';
    case 'Arn': return `arn:aws:${r.type.split('::')[1].toLowerCase()}::${ACCOUNT}:${r.physicalId}`;
    default: return `${r.physicalId}.${attr}`;
  }
}

function evaluate(stack, v) {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => evaluate(stack, x));
  if (v && typeof v === 'object') {
    if ('Ref' in v) {
      if (stack.params[v.Ref] !== undefined) return stack.params[v.Ref];
      if (v.Ref === 'AWS::StackName') return stack.name;
      if (v.Ref === 'AWS::Region') return stack.region;
      if (v.Ref === 'AWS::AccountId') return ACCOUNT;
      return stack.resources.get(v.Ref)?.physicalId ?? '';
    }
    if ('Fn::GetAtt' in v) {
      const [l, a] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : v['Fn::GetAtt'].split('.');
      return attribute(stack, l, a);
    }
    if ('Fn::Join' in v) return evaluate(stack, v['Fn::Join'][1]).join(v['Fn::Join'][0]);
    if ('Fn::Sub' in v) {
      const text = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub'];
      return text.replace(/\$\{([^}!]+)\}/g, (_, name) => (name.includes('.') ? attribute(stack, ...name.split('.')) : evaluate(stack, { Ref: name })));
    }
  }
  return '';
}

// What an intrinsic evaluates to in `stack` now, or UNKNOWN where the double cannot know (a resource not
// created yet, Fn::Base64 / Fn::Select / ... which CloudSketch does not use in checked properties).
function resolver(stack) {
  const resolve = (v) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) {
      const out = v.map(resolve);
      return out.includes(UNKNOWN) ? UNKNOWN : out;
    }
    if (!v || typeof v !== 'object') return UNKNOWN;
    const keys = Object.keys(v);
    if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = resolve(x);
        if (out[k] === UNKNOWN) return UNKNOWN;
      }
      return out;
    }
    try {
      if ('Ref' in v) {
        if (stack.params[v.Ref] !== undefined) return stack.params[v.Ref];
        const pseudo = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackId': stack.id, 'AWS::StackName': stack.name, 'AWS::Region': stack.region, 'AWS::AccountId': ACCOUNT };
        if (v.Ref.startsWith('AWS::')) return pseudo[v.Ref] ?? UNKNOWN;
        return stack.resources.get(v.Ref)?.physicalId ?? UNKNOWN;
      }
      if ('Fn::GetAtt' in v) {
        const [l] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : v['Fn::GetAtt'].split('.');
        return stack.resources.has(l) ? evaluate(stack, v) : UNKNOWN;
      }
      if ('Fn::Join' in v) {
        const parts = resolve(v['Fn::Join'][1]);
        return parts === UNKNOWN ? UNKNOWN : parts.join(v['Fn::Join'][0]);
      }
      if ('Fn::Sub' in v) {
        const [text, vars = {}] = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'] : [v['Fn::Sub'], {}];
        let unknown = false;
        const out = text.replace(/\$\{([^}]*)\}/g, (raw, name) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          const x = name in vars ? resolve(vars[name])
            : name.includes('.') && !name.startsWith('AWS::') ? resolve({ 'Fn::GetAtt': name.split('.') })
              : resolve({ Ref: name });
          if (x === UNKNOWN) unknown = true;
          return String(x);
        });
        return unknown ? UNKNOWN : out;
      }
    } catch {
      return UNKNOWN;
    }
    return UNKNOWN;
  };
  return resolve;
}

// CloudFormation's message for a resource whose properties its handler refuses.
function propertiesProblem(stack, logical, resource) {
  const findings = checkResourceProperties(resource.Type, resource.Properties, '#', { resolve: resolver(stack) });
  if (findings.length === 0) return null;
  const what = findings.map((f) => `${f.path}: failed validation constraint for keyword [${f.keyword}] (${f.message})`);
  return `Properties validation failed for resource ${logical} with message: [${what.join(', ')}]`;
}

export class CloudFormationDouble {
  constructor() {
    this.stacks = []; // newest last; deleted stacks stay (findable by id)
    this.changeSets = new Map(); // id -> change set
    this.failures = []; // [{logical_id, reason, on: 'create'|'update'|'delete'}]
    this.drifts = new Map();
    this.region = 'us-east-1';
    this.readTemplateUrl = () => { throw validation('TemplateURL must be a supported URL.'); };
    this.templateUrls = []; // every TemplateURL read, for tests
    this.outputOverrides = new Map(); // stack name -> {OutputKey: value} (tests point Outputs at local servers)
  }

  /** The stack's Outputs say `values` from now on (only for keys its template declares). */
  overrideOutputs(name, values) {
    this.outputOverrides.set(name, { ...(this.outputOverrides.get(name) ?? {}), ...values });
    const stack = this.findStack(name);
    if (stack) stack.outputs = this.withOverrides(stack, stack.outputs);
  }

  withOverrides(stack, outputs) {
    const values = this.outputOverrides.get(stack.name) ?? {};
    return outputs.map((o) => (o.key in values ? { ...o, value: String(values[o.key]) } : o));
  }

  findStack(nameOrId, { includeDeleted = false } = {}) {
    if (nameOrId?.startsWith('arn:')) return this.stacks.find((s) => s.id === nameOrId);
    return this.stacks.find((s) => s.name === nameOrId && (includeDeleted || s.status !== 'DELETE_COMPLETE'));
  }

  event(stack, logical, type, status, reason, physical) {
    stack.events.push({
      EventId: randomUUID(), StackId: stack.id, StackName: stack.name, LogicalResourceId: logical,
      PhysicalResourceId: physical ?? (logical === stack.name ? stack.id : stack.resources.get(logical)?.physicalId ?? ''),
      ResourceType: type, Timestamp: new Date().toISOString(), ResourceStatus: status, ResourceStatusReason: reason,
    });
  }

  setStatus(stack, status, reason) {
    stack.status = status;
    stack.reason = reason;
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', status, reason, stack.id);
  }

  takeFailure(logical, on) {
    const i = this.failures.findIndex((f) => f.logical_id === logical && (f.on ?? 'create') === on);
    if (i < 0) return null;
    return this.failures.splice(i, 1)[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Operations: each takes the decoded form (Map key -> value) and returns the XML result body.

  call(action, form, region) {
    this.region = region;
    const fn = this[`op${action}`];
    if (!fn) throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-15`);
    if (form.get('Version') !== '2010-05-15') throw new ApiError(400, 'InvalidParameterValue', 'Version must be 2010-05-15');
    const requestId = randomUUID();
    const result = fn.call(this, form, region);
    return `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  }

  required(form, ...names) {
    for (const n of names) {
      if (!form.get(n)) throw validation(`1 validation error detected: Value null at '${n[0].toLowerCase()}${n.slice(1)}' failed to satisfy constraint: Member must not be null`);
    }
  }

  parseTemplate(form) {
    let body = form.get('TemplateBody');
    const url = form.get('TemplateURL');
    if (body && url) throw validation('Specify exactly one of TemplateBody or TemplateUrl.');
    if (!body && !url) throw validation('Either Template URL or Template Body must be specified.');
    if (url) {
      // CloudFormation fetches the object with the caller's credentials (readTemplateUrl is set per request).
      body = this.readTemplateUrl(url);
      this.templateUrls.push(url);
      if (Buffer.byteLength(body) > 1000000) throw validation('Template may not exceed 1000000 bytes in size.');
    } else if (Buffer.byteLength(body) > 51200) {
      throw validation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200");
    }
    const problems = templateProblems(body);
    if (problems.length) throw validation(problems.slice(0, 3).join('; '));
    return JSON.parse(body);
  }

  opValidateTemplate(form) {
    const t = this.parseTemplate(form);
    const params = Object.entries(t.Parameters ?? {});
    const iam = Object.values(t.Resources).some((r) => NEEDS_IAM.has(r.Type));
    return members('Parameters', params, ([k, p]) => el('ParameterKey', k) + el('DefaultValue', p.Default) + el('NoEcho', p.NoEcho ? 'true' : 'false') + el('Description', p.Description))
      + el('Description', t.Description)
      + (iam ? `<Capabilities><member>CAPABILITY_IAM</member></Capabilities>${el('CapabilitiesReason', 'The following resource(s) require capabilities: [AWS::IAM::Role]')}` : '');
  }

  opCreateChangeSet(form, region) {
    this.required(form, 'StackName', 'ChangeSetName');
    const name = form.get('StackName');
    const csName = form.get('ChangeSetName');
    if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(csName)) throw validation(`1 validation error detected: Value '${csName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) throw validation(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    const type = form.get('ChangeSetType') ?? 'UPDATE';
    if (!['CREATE', 'UPDATE'].includes(type)) throw validation(`ChangeSetType ${type} is not supported by this test double`);
    const t = this.parseTemplate(form);
    const caps = [...form].filter(([k]) => /^Capabilities\.member\.\d+$/.test(k)).map(([, v]) => v);
    const iamTypes = [...new Set(Object.values(t.Resources).map((r) => r.Type).filter((x) => NEEDS_IAM.has(x)))];
    if (iamTypes.length && !caps.includes('CAPABILITY_IAM') && !caps.includes('CAPABILITY_NAMED_IAM')) {
      throw new ApiError(400, 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
    }
    const params = {};
    for (let i = 1; form.has(`Parameters.member.${i}.ParameterKey`); i++) {
      params[form.get(`Parameters.member.${i}.ParameterKey`)] = form.get(`Parameters.member.${i}.ParameterValue`);
    }
    const unknown = Object.keys(params).filter((k) => !(k in (t.Parameters ?? {})));
    if (unknown.length) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
    const missing = Object.entries(t.Parameters ?? {}).filter(([k, p]) => params[k] === undefined && p.Default === undefined).map(([k]) => k);
    if (missing.length) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
    for (const [k, p] of Object.entries(t.Parameters ?? {})) {
      const v = params[k] ?? p.Default;
      if (p.Type === 'AWS::EC2::VPC::Id' && !/^vpc-[0-9a-f]+$/.test(v)) throw validation(`Parameter validation failed: parameter value ${v} for parameter name ${k} does not exist.`);
      if (p.Type === 'AWS::EC2::Subnet::Id' && !/^subnet-[0-9a-f]+$/.test(v)) throw validation(`Parameter validation failed: parameter value ${v} for parameter name ${k} does not exist.`);
      params[k] = p.Type.startsWith('AWS::SSM::Parameter::Value') ? 'ami-0123456789abcdef0' : v;
    }
    let stack = this.findStack(name);
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw new ApiError(400, 'AlreadyExistsException', `Stack [${name}] already exists and cannot be created again with the changeSet [${csName}].`);
      if (!stack) {
        stack = {
          id: `arn:aws:cloudformation:${region}:${ACCOUNT}:stack/${name}/${randomUUID()}`, name, region, status: 'REVIEW_IN_PROGRESS',
          reason: 'User Initiated', template: null, params: {}, resources: new Map(), events: [], outputs: [], queue: [], n: 0,
          roleArn: form.get('RoleARN'), capabilities: caps, created: new Date().toISOString(),
        };
        this.stacks.push(stack);
        this.setStatus(stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
      }
    } else {
      if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw validation(`Stack [${name}] does not exist`);
      if (stack.status.endsWith('_IN_PROGRESS') || ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status)) {
        throw validation(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
      }
    }
    for (const cs of this.changeSets.values()) {
      if (cs.stackId === stack.id && cs.name === csName) throw new ApiError(400, 'AlreadyExistsException', `ChangeSet ${csName} already exists`);
    }
    const changes = this.diff(stack, t);
    const id = `arn:aws:cloudformation:${region}:${ACCOUNT}:changeSet/${csName}/${randomUUID()}`;
    this.changeSets.set(id, {
      id, name: csName, stackId: stack.id, stackName: name, type, template: t, params, changes, polls: 0,
      status: 'CREATE_IN_PROGRESS', executionStatus: 'UNAVAILABLE', reason: '', description: form.get('Description'),
    });
    return el('Id', id) + el('StackId', stack.id);
  }

  diff(stack, t) {
    const before = stack.template?.Resources ?? {};
    const changes = [];
    for (const [logical, r] of Object.entries(t.Resources)) {
      if (!(logical in before)) changes.push({ action: 'Add', logical, type: r.Type });
      else if (JSON.stringify(before[logical]) !== JSON.stringify(r)) {
        const replace = r.Type === 'AWS::EC2::Instance' && JSON.stringify(before[logical].Properties?.ImageId) !== JSON.stringify(r.Properties?.ImageId);
        changes.push({ action: 'Modify', logical, type: r.Type, replacement: replace ? 'True' : 'False' });
      }
    }
    for (const [logical, r] of Object.entries(before)) if (!(logical in t.Resources)) changes.push({ action: 'Remove', logical, type: r.Type });
    return changes;
  }

  findChangeSet(form) {
    const ref = form.get('ChangeSetName');
    let cs = this.changeSets.get(ref);
    if (!cs && !ref?.startsWith('arn:')) {
      const stack = this.findStack(form.get('StackName'));
      cs = [...this.changeSets.values()].find((c) => c.name === ref && stack && c.stackId === stack.id);
    }
    if (!cs) throw new ApiError(404, 'ChangeSetNotFound', `ChangeSet [${ref}] does not exist`);
    return cs;
  }

  opDescribeChangeSet(form) {
    this.required(form, 'ChangeSetName');
    const cs = this.findChangeSet(form);
    if (cs.status === 'CREATE_IN_PROGRESS' && ++cs.polls >= 2) {
      if (cs.changes.length === 0) {
        cs.status = 'FAILED';
        cs.reason = "The submitted information didn't contain changes. Submit different information to create a change set.";
      } else {
        cs.status = 'CREATE_COMPLETE';
        cs.executionStatus = 'AVAILABLE';
      }
    }
    const start = Number(form.get('NextToken') ?? 0);
    const page = cs.changes.slice(start, start + 5);
    const next = start + 5 < cs.changes.length ? String(start + 5) : undefined;
    return el('ChangeSetName', cs.name) + el('ChangeSetId', cs.id) + el('StackId', cs.stackId) + el('StackName', cs.stackName)
      + el('Description', cs.description) + el('ExecutionStatus', cs.executionStatus) + el('Status', cs.status) + el('StatusReason', cs.reason || undefined)
      + members('Parameters', Object.entries(cs.params), ([k, v]) => el('ParameterKey', k) + el('ParameterValue', v))
      + members('Changes', page, (c) => el('Type', 'Resource') + `<ResourceChange>${el('Action', c.action)}${el('LogicalResourceId', c.logical)}${el('ResourceType', c.type)}${el('Replacement', c.replacement)}</ResourceChange>`)
      + el('NextToken', next);
  }

  opExecuteChangeSet(form) {
    this.required(form, 'ChangeSetName');
    const cs = this.findChangeSet(form);
    if (cs.executionStatus !== 'AVAILABLE') throw new ApiError(400, 'InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.status}]`);
    const stack = this.stacks.find((s) => s.id === cs.stackId);
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.changeSet = cs;
    stack.previous = { template: stack.template, params: stack.params, outputs: stack.outputs };
    stack.template = cs.template;
    stack.params = cs.params;
    if (cs.type === 'CREATE') {
      this.setStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
      stack.queue = Object.entries(cs.template.Resources).map(([logical, r]) => ({ op: 'create', logical, type: r.Type }));
      stack.queue.push({ op: 'finish', status: 'CREATE_COMPLETE' });
    } else {
      this.setStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
      stack.queue = cs.changes.filter((c) => c.action !== 'Remove').map((c) => ({ op: c.action === 'Add' ? 'create' : 'update', logical: c.logical, type: c.type }));
      stack.queue.push({ op: 'status', status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' });
      for (const c of cs.changes.filter((x) => x.action === 'Remove')) stack.queue.push({ op: 'delete', logical: c.logical, type: c.type });
      stack.queue.push({ op: 'finish', status: 'UPDATE_COMPLETE' });
    }
    return '';
  }

  // One step of the stack's current operation (called on every DescribeStacks).
  tick(stack) {
    const step = stack.queue.shift();
    if (!step) return;
    const upd = stack.status.startsWith('UPDATE');
    if (step.op === 'create' || step.op === 'update') {
      const verb = step.op === 'create' ? 'CREATE' : 'UPDATE';
      if (step.op === 'create') stack.resources.set(step.logical, { type: step.type, physicalId: physicalId(stack, step.logical, step.type), n: ++stack.n, status: 'CREATE_IN_PROGRESS' });
      this.event(stack, step.logical, step.type, `${verb}_IN_PROGRESS`, step.op === 'create' ? undefined : 'Requested update');
      const problem = propertiesProblem(stack, step.logical, stack.template.Resources[step.logical]);
      const failure = problem ? { reason: problem } : this.takeFailure(step.logical, upd ? 'update' : 'create');
      if (failure) {
        this.event(stack, step.logical, step.type, `${verb}_FAILED`, failure.reason);
        stack.resources.get(step.logical).status = `${verb}_FAILED`;
        return this.rollback(stack, step.logical);
      }
      this.event(stack, step.logical, step.type, `${verb}_COMPLETE`);
      stack.resources.get(step.logical).status = `${verb}_COMPLETE`;
    } else if (step.op === 'delete') {
      const r = stack.resources.get(step.logical);
      const retain = stack.template?.Resources?.[step.logical]?.DeletionPolicy === 'Retain' || stack.previous?.template?.Resources?.[step.logical]?.DeletionPolicy === 'Retain';
      if (retain && step.final) {
        this.event(stack, step.logical, step.type, 'DELETE_SKIPPED');
      } else {
        this.event(stack, step.logical, step.type, 'DELETE_IN_PROGRESS');
        const failure = step.final ? this.takeFailure(step.logical, 'delete') : null;
        if (failure) {
          this.event(stack, step.logical, step.type, 'DELETE_FAILED', failure.reason);
          stack.queue = [];
          return this.setStatus(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${step.logical}]. `);
        }
        this.event(stack, step.logical, step.type, 'DELETE_COMPLETE');
      }
      if (r) stack.resources.delete(step.logical);
    } else if (step.op === 'status') {
      this.setStatus(stack, step.status);
    } else if (step.op === 'restore') {
      this.event(stack, step.logical, step.type, 'UPDATE_IN_PROGRESS');
      this.event(stack, step.logical, step.type, 'UPDATE_COMPLETE');
    } else if (step.op === 'finish') {
      if (step.status === 'CREATE_COMPLETE' || step.status === 'UPDATE_COMPLETE') {
        stack.outputs = this.withOverrides(stack, Object.entries(stack.template.Outputs ?? {}).map(([k, o]) => ({ key: k, value: evaluate(stack, o.Value), description: o.Description })));
        if (stack.changeSet) stack.changeSet.executionStatus = 'EXECUTE_COMPLETE';
      }
      if (step.restore) {
        stack.template = stack.previous.template;
        stack.params = stack.previous.params;
        stack.outputs = stack.previous.outputs;
      }
      if (step.status === 'ROLLBACK_COMPLETE' || step.status === 'UPDATE_ROLLBACK_COMPLETE') stack.changeSet.executionStatus = 'EXECUTE_FAILED';
      this.setStatus(stack, step.status);
    }
  }

  rollback(stack, failed) {
    const pending = stack.queue.filter((s) => s.op === 'create' || s.op === 'update');
    stack.queue = [];
    for (const p of pending) {
      if (p.op === 'create') this.event(stack, p.logical, p.type, 'CREATE_FAILED', 'Resource creation cancelled');
    }
    if (stack.status === 'CREATE_IN_PROGRESS') {
      this.setStatus(stack, 'ROLLBACK_IN_PROGRESS', `The following resource(s) failed to create: [${failed}]. Rollback requested by user.`);
      for (const logical of [...stack.resources.keys()].reverse()) stack.queue.push({ op: 'delete', logical, type: stack.resources.get(logical).type });
      stack.queue.push({ op: 'finish', status: 'ROLLBACK_COMPLETE' });
    } else {
      this.setStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to update: [${failed}]. `);
      const before = stack.previous.template.Resources;
      for (const c of stack.changeSet.changes) {
        if (c.action === 'Modify') stack.queue.push({ op: 'restore', logical: c.logical, type: c.type });
      }
      stack.queue.push({ op: 'status', status: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' });
      for (const c of stack.changeSet.changes) {
        if (c.action === 'Add' && stack.resources.has(c.logical) && !(c.logical in before)) stack.queue.push({ op: 'delete', logical: c.logical, type: c.type });
      }
      stack.queue.push({ op: 'finish', status: 'UPDATE_ROLLBACK_COMPLETE', restore: true });
    }
  }

  renderStack(s) {
    return el('StackId', s.id) + el('StackName', s.name) + el('ChangeSetId', s.changeSet?.id) + el('Description', s.template?.Description)
      + members('Parameters', Object.entries(s.params), ([k, v]) => el('ParameterKey', k) + el('ParameterValue', v))
      + el('CreationTime', s.created) + el('StackStatus', s.status) + el('StackStatusReason', s.reason)
      + '<DisableRollback>false</DisableRollback><NotificationARNs/>'
      + (s.capabilities.length ? members('Capabilities', s.capabilities, (c) => esc(c)) : '')
      + (s.outputs.length ? members('Outputs', s.outputs, (o) => el('OutputKey', o.key) + el('OutputValue', o.value) + el('Description', o.description)) : '')
      + el('RoleARN', s.roleArn) + '<Tags/><EnableTerminationProtection>false</EnableTerminationProtection>'
      + `<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>`;
  }

  opDescribeStacks(form) {
    const ref = form.get('StackName');
    let list;
    if (ref) {
      const s = this.findStack(ref);
      if (!s) throw validation(`Stack with id ${ref} does not exist`);
      list = [s];
    } else {
      list = this.stacks.filter((s) => s.status !== 'DELETE_COMPLETE');
    }
    for (const s of list) this.tick(s);
    return members('Stacks', list, (s) => this.renderStack(s));
  }

  opDescribeStackEvents(form) {
    this.required(form, 'StackName');
    const s = this.findStack(form.get('StackName'));
    if (!s) throw validation(`Stack [${form.get('StackName')}] does not exist`);
    const all = [...s.events].reverse();
    const start = Number(form.get('NextToken') ?? 0);
    const page = all.slice(start, start + EVENTS_PAGE);
    const next = start + EVENTS_PAGE < all.length ? String(start + EVENTS_PAGE) : undefined;
    return members('StackEvents', page, (e) => Object.entries(e).map(([k, v]) => el(k, v)).join('')) + el('NextToken', next);
  }

  opDeleteStack(form) {
    this.required(form, 'StackName');
    const s = this.findStack(form.get('StackName'));
    if (!s || s.status === 'DELETE_COMPLETE' || s.status === 'DELETE_IN_PROGRESS') return '';
    if (s.status.endsWith('_IN_PROGRESS') && s.status !== 'REVIEW_IN_PROGRESS') throw validation(`Stack [${s.name}] cannot be deleted while in status ${s.status}`);
    this.setStatus(s, 'DELETE_IN_PROGRESS', 'User Initiated');
    s.queue = [...s.resources.keys()].reverse().map((logical) => ({ op: 'delete', logical, type: s.resources.get(logical).type, final: true }));
    s.queue.push({ op: 'finish', status: 'DELETE_COMPLETE' });
    return '';
  }

  opDetectStackDrift(form) {
    this.required(form, 'StackName');
    const s = this.findStack(form.get('StackName'));
    if (!s) throw validation(`Stack [${form.get('StackName')}] does not exist`);
    const id = randomUUID();
    this.drifts.set(id, { stackId: s.id, polls: 0 });
    return el('StackDriftDetectionId', id);
  }

  opDescribeStackDriftDetectionStatus(form) {
    this.required(form, 'StackDriftDetectionId');
    const d = this.drifts.get(form.get('StackDriftDetectionId'));
    if (!d) throw validation(`Stack drift detection id [${form.get('StackDriftDetectionId')}] does not exist`);
    const done = ++d.polls >= 2;
    return el('StackId', d.stackId) + el('StackDriftDetectionId', form.get('StackDriftDetectionId'))
      + el('StackDriftStatus', done ? 'IN_SYNC' : undefined) + el('DetectionStatus', done ? 'DETECTION_COMPLETE' : 'DETECTION_IN_PROGRESS')
      + el('DriftedStackResourceCount', done ? 0 : undefined) + el('Timestamp', new Date().toISOString());
  }
}
