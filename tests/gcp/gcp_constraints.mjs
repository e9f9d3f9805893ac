// Terraform JSON for Google Cloud against Google's documented API constraints for the resource types
// CloudSketch emits: resource name patterns (RFC 1035 labels), service account ids, bucket names, label
// rules, firewall fields, metadata limits. Google publishes no machine-readable schema with these rules (the
// Terraform provider schema has types only), so each rule below is written from the API reference linked
// beside it, as a JSON Schema checked by tests/lib/schema_checker.mjs.
//
//   import { checkTerraformGcp } from './gcp_constraints.mjs';
//   checkTerraformGcp(doc, { variables: { project: 'my-project-123' } })  ->  [{path, keyword, message}]
//
// Interpolations ("${var.project}-cs-pg-backups", "${upper(var.region)}") are evaluated from the variables
// (their defaults, or `variables`); references to other resources ("${google_service_account.x.email}") are
// deploy-time values and skipped. A resource type without rules here is a finding.
import { SchemaChecker, UNKNOWN } from '../lib/schema_checker.mjs';

export { UNKNOWN };

const DOCS = {
  naming: 'https://cloud.google.com/compute/docs/naming-resources#resource-name-format',
  labels: 'https://cloud.google.com/compute/docs/labeling-resources#requirements',
  serviceAccount: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create',
  bucket: 'https://cloud.google.com/storage/docs/buckets#naming',
  firewall: 'https://cloud.google.com/compute/docs/reference/rest/v1/firewalls',
  disk: 'https://cloud.google.com/compute/docs/reference/rest/v1/disks',
  metadata: 'https://cloud.google.com/compute/docs/metadata/setting-custom-metadata#limitations',
  iam: 'https://cloud.google.com/iam/docs/reference/rest/v1/Policy#binding',
  project: 'https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin',
};
const doc = (name, schema) => ({ ...schema, $comment: DOCS[name] });

// Compute Engine resource names: RFC 1035 labels of 1-63 characters.
const RFC1035 = doc('naming', { type: 'string', pattern: '^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$' });
// Labels: at most 64; keys 1-63 lowercase letters (any script), digits, _ and -, starting with a letter;
// values 0-63 of the same characters.
const LABELS = doc('labels', {
  type: 'object', maxProperties: 64,
  propertyNames: { pattern: '^[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}$' },
  additionalProperties: { type: 'string', pattern: '^[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}$' },
});
const block = (schema) => ({ type: 'array', minItems: 1, maxItems: 1, items: schema });
const MEMBER = doc('iam', { type: 'string', pattern: '^(user|serviceAccount|group|domain|principal|principalSet):.+$' });
const ROLE = doc('iam', { type: 'string', pattern: '^(roles|projects/[^/]+/roles|organizations/[^/]+/roles)/[A-Za-z0-9_.]+$' });

/** The rules for each resource type (a JSON Schema for its block in "resource"). */
export const RESOURCE_RULES = {
  google_service_account: {
    type: 'object', required: ['account_id'],
    properties: {
      // 6-30 characters: a lowercase letter, then lowercase letters, digits and hyphens, not ending with a hyphen.
      account_id: doc('serviceAccount', { type: 'string', pattern: '^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$' }),
      display_name: doc('serviceAccount', { type: 'string', maxLength: 100 }),
      description: doc('serviceAccount', { type: 'string', maxLength: 256 }),
    },
  },
  google_compute_firewall: {
    type: 'object', required: ['name', 'network'],
    properties: {
      name: RFC1035,
      description: doc('firewall', { type: 'string', maxLength: 2048 }),
      direction: doc('firewall', { enum: ['INGRESS', 'EGRESS'] }),
      priority: doc('firewall', { type: 'integer', minimum: 0, maximum: 65535 }),
      allow: { type: 'array', items: { type: 'object', required: ['protocol'], properties: {
        protocol: doc('firewall', { type: 'string', pattern: '^(tcp|udp|icmp|esp|ah|sctp|ipip|all|[0-9]{1,3})$' }),
        ports: { type: 'array', items: doc('firewall', { type: 'string', pattern: '^[0-9]{1,5}(-[0-9]{1,5})?$' }) },
      } } },
      source_ranges: { type: 'array', maxItems: 5000, items: doc('firewall', { type: 'string', format: 'cidr' }) },
      target_service_accounts: doc('firewall', { type: 'array', maxItems: 10 }),
      source_service_accounts: doc('firewall', { type: 'array', maxItems: 10 }),
    },
  },
  google_storage_bucket: {
    type: 'object', required: ['name', 'location'],
    properties: {
      // 3-63 characters (no dots here): lowercase letters, digits, _ and -, starting and ending with a letter or
      // digit; not starting with "goog", not containing "google".
      name: doc('bucket', { type: 'string', pattern: '^(?!goog)(?!.*google)[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$' }),
      storage_class: doc('bucket', { enum: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'] }),
      labels: LABELS,
      lifecycle_rule: { type: 'array', items: { type: 'object', properties: {
        condition: block({ type: 'object', properties: { age: { type: 'integer', minimum: 0 } } }),
      } } },
    },
  },
  google_storage_bucket_iam_member: { type: 'object', required: ['bucket', 'role', 'member'], properties: { role: ROLE, member: MEMBER } },
  google_secret_manager_secret_iam_member: { type: 'object', required: ['secret_id', 'role', 'member'], properties: { role: ROLE, member: MEMBER } },
  google_compute_disk: {
    type: 'object', required: ['name'],
    properties: {
      name: RFC1035,
      size: doc('disk', { type: 'integer', minimum: 1, maximum: 65536 }),
      type: doc('disk', { type: 'string', pattern: '^(pd-(standard|balanced|ssd|extreme)|hyperdisk-[a-z-]+)$' }),
      labels: LABELS,
    },
  },
  google_compute_instance: {
    type: 'object', required: ['name', 'machine_type'],
    properties: {
      name: RFC1035,
      labels: LABELS,
      // Custom metadata: keys of at most 128 characters of [a-zA-Z0-9-_], each value at most 256 KB.
      metadata: doc('metadata', {
        type: 'object',
        propertyNames: { pattern: '^[a-zA-Z0-9_-]{1,128}$' },
        additionalProperties: { type: 'string', maxLength: 262144 },
      }),
      attached_disk: { type: 'array', items: { type: 'object', properties: { device_name: RFC1035 } } },
    },
  },
};

// Terraform variables of the documents: the project id is 6-30 characters.
const VARIABLE_RULES = {
  project: doc('project', { type: 'string', pattern: '^[a-z][a-z0-9-]{4,28}[a-z0-9]$' }),
};

// Total custom metadata of an instance: at most 512 KB.
const METADATA_TOTAL = 512 * 1024;

function isCidr(s) {
  const [ip, bits, extra] = String(s).split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (ip.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:]+$/.test(ip);
  const parts = ip.split('.');
  return Number(bits) <= 32 && parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

// "${...}" interpolations: var.x, upper()/lower() of one, anything else is a deploy-time value.
function interpolate(text, variables) {
  let unknown = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_, expr) => {
    const e = expr.trim();
    let m = /^var\.([A-Za-z0-9_]+)$/.exec(e);
    if (m && m[1] in variables) return variables[m[1]];
    m = /^(upper|lower)\(var\.([A-Za-z0-9_]+)\)$/.exec(e);
    if (m && m[2] in variables) return m[1] === 'upper' ? variables[m[2]].toUpperCase() : variables[m[2]].toLowerCase();
    unknown = true;
    return '';
  });
  return unknown ? UNKNOWN : out;
}

/**
 * Findings for every resource of a Terraform JSON document for Google Cloud: [{path, keyword, message}].
 * `variables` gives values for variables without a default (those with one use it).
 */
export function checkTerraformGcp(doc, { variables = {} } = {}) {
  const findings = [];
  const vars = {};
  for (const [name, v] of Object.entries(doc.variable ?? {})) {
    if (name in variables) vars[name] = variables[name];
    else if ('default' in v) vars[name] = v.default;
  }
  const values = (v) => [typeof v === 'string' && v.includes('${') ? interpolate(v, vars) : v];
  for (const [name, rule] of Object.entries(VARIABLE_RULES)) {
    if (!(name in vars)) continue;
    const c = new SchemaChecker({}, { label: 'Google Cloud' });
    c.check(vars[name], rule, `/variable/${name}`);
    findings.push(...c.findings);
  }
  for (const [type, blocks] of Object.entries(doc.resource ?? {})) {
    // Names are unique per type in a project (a second one fails the apply with "already exists").
    const seen = new Map();
    for (const [name, body] of Object.entries(blocks)) {
      const id = values(body.account_id ?? body.name)[0];
      if (typeof id !== 'string') continue;
      if (seen.has(id)) findings.push({ path: `/resource/${type}/${name}`, keyword: 'unique', message: `${type} ${JSON.stringify(id)} is also the name of ${seen.get(id)}` });
      seen.set(id, name);
    }
    const rule = RESOURCE_RULES[type];
    for (const [name, body] of Object.entries(blocks)) {
      const path = `/resource/${type}/${name}`;
      if (!rule) {
        findings.push({ path, keyword: 'schema', message: `no Google Cloud rules for ${type} in tests/gcp/gcp_constraints.mjs: add them (with the API doc) so it is checked` });
        continue;
      }
      const c = new SchemaChecker({}, { label: `${type} (Google Cloud)`, values, formats: { cidr: isCidr } });
      c.check(body, rule, path);
      findings.push(...c.findings);
      if (type === 'google_compute_instance' && body.metadata) {
        const total = Object.entries(body.metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
        if (total > METADATA_TOTAL) {
          findings.push({ path: `${path}/metadata`, keyword: 'maxBytes', message: `metadata is ${total} bytes; Compute Engine allows ${METADATA_TOTAL} in all (service constraint, ${DOCS.metadata})` });
        }
      }
    }
  }
  return findings;
}
