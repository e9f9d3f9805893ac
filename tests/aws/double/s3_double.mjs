// S3 as a test double: the REST calls the gateway makes to stage large CloudFormation templates
// (CreateBucket, PutBucketLifecycleConfiguration, PutObject, GetObject, DeleteObject), path-style
// (/<bucket>/<key>), with S3's own checks: bucket naming, the bucket's owner account
// (x-amz-expected-bucket-owner; a bucket name is global, so another account's bucket answers
// BucketAlreadyExists), LocationConstraint against the signing region, the body's SHA-256 against
// x-amz-content-sha256 (which S3 requires on every signed request), and for lifecycle rules the Content-MD5
// S3 requires and the rule document's required elements (parsed with a real XML parser).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApiError, esc } from './cloudformation_double.mjs';

const require = createRequire(path.join(import.meta.dirname, '..', '..', 'package.json'));
const { DOMParser } = require('@xmldom/xmldom');

// IAM names some S3 actions differently from the API operation.
const IAM_ACTION = { PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration' };
const malformed = () => new ApiError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

// Child elements of `node` (namespace-agnostic: S3 accepts the document with or without its xmlns).
const children = (node, name) => [...node.childNodes].filter((c) => c.nodeType === 1 && (!name || c.localName === name));
const one = (node, name) => {
  const found = children(node, name);
  if (found.length > 1) throw malformed();
  return found[0];
};
const text = (node) => (node ? node.textContent.trim() : undefined);
const positive = (v) => /^[1-9][0-9]{0,8}$/.test(v ?? '');

/**
 * A lifecycle configuration as PutBucketLifecycleConfiguration checks it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html): 1-1000 Rules,
 * each with Status Enabled|Disabled, a Filter (or the legacy Rule-level Prefix, not both), at least one
 * action, positive Days; unique IDs of at most 255 characters. Returns the rules in a summary form.
 */
export function parseLifecycle(body) {
  let doc;
  try {
    doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') throw new Error(msg); } }).parseFromString(body, 'text/xml');
  } catch { throw malformed(); }
  const root = doc.documentElement;
  if (!root || root.localName !== 'LifecycleConfiguration') throw malformed();
  const rules = children(root, 'Rule');
  if (rules.length === 0 || rules.length > 1000 || children(root).length !== rules.length) throw malformed();
  const ids = new Set();
  return rules.map((rule) => {
    const id = text(one(rule, 'ID')) ?? '';
    if (id.length > 255) throw new ApiError(400, 'InvalidArgument', 'ID length should not exceed allowed limit of 255');
    if (id && ids.has(id)) throw new ApiError(400, 'InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule');
    ids.add(id);
    const status = text(one(rule, 'Status'));
    if (status !== 'Enabled' && status !== 'Disabled') throw malformed();
    const filter = one(rule, 'Filter');
    const legacyPrefix = one(rule, 'Prefix');
    if (!filter === !legacyPrefix) throw malformed();
    let prefix = text(legacyPrefix);
    if (filter) {
      const parts = children(filter);
      if (parts.length > 1 || (parts[0] && !['Prefix', 'Tag', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'].includes(parts[0].localName))) throw malformed();
      prefix = parts[0]?.localName === 'Prefix' ? text(parts[0]) : parts.length ? null : '';
    }
    const actions = ['Expiration', 'Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];
    if (!children(rule).some((c) => actions.includes(c.localName))) throw new ApiError(400, 'InvalidRequest', 'At least one action needs to be specified in a rule');
    const expiration = one(rule, 'Expiration');
    let days;
    if (expiration) {
      const kinds = children(expiration).filter((c) => ['Days', 'Date', 'ExpiredObjectDeleteMarker'].includes(c.localName));
      if (kinds.length !== 1) throw malformed();
      days = text(one(expiration, 'Days'));
      if (days !== undefined && !positive(days)) throw new ApiError(400, 'InvalidArgument', "'Days' for Expiration action must be a positive integer");
    }
    const abort = one(rule, 'AbortIncompleteMultipartUpload');
    const abortDays = abort ? text(one(abort, 'DaysAfterInitiation')) : undefined;
    if (abort && !positive(abortDays)) throw new ApiError(400, 'InvalidArgument', "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    return { id, status, prefix, expiration_days: days === undefined ? null : Number(days), abort_days: abortDays === undefined ? null : Number(abortDays) };
  });
}

export class S3Double {
  constructor() {
    this.buckets = new Map(); // name -> {owner, region, objects: Map key -> {body, contentType}}
  }

  /** S3's error document. */
  static errorXml(e, requestId) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(e.code)}</Code><Message>${esc(e.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
  }

  /** The operation a path-style request names: [action, bucket, key]. */
  static route(method, url) {
    const u = new URL(url, 'http://placeholder');
    const p = u.pathname;
    const slash = p.indexOf('/', 1);
    const bucket = decodeURIComponent(slash < 0 ? p.slice(1) : p.slice(1, slash));
    const key = slash < 0 ? '' : decodeURIComponent(p.slice(slash + 1));
    const verb = { PUT: 'Put', GET: 'Get', DELETE: 'Delete', HEAD: 'Head' }[method] ?? method;
    if (!key && u.searchParams.has('lifecycle')) return [`${verb}BucketLifecycleConfiguration`, bucket, key];
    if (!key) return [verb === 'Put' ? 'CreateBucket' : `${verb}Bucket`, bucket, key];
    return [`${verb}Object`, bucket, key];
  }

  /** What IAM must allow for an operation of route(). */
  static iamAction(action) { return `s3:${IAM_ACTION[action] ?? action}`; }

  bucket(name, expectedOwner) {
    const b = this.buckets.get(name);
    if (!b) throw new ApiError(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (expectedOwner && expectedOwner !== b.owner) throw new ApiError(403, 'AccessDenied', 'Access Denied');
    return b;
  }

  /**
   * One request. account: the caller's account id; region: the signing region.
   * Returns {status, type, body}.
   */
  call({ method, url, headers, body }, account, region) {
    const [action, name, key] = S3Double.route(method, url);
    const sha = headers['x-amz-content-sha256'];
    if (!sha) throw new ApiError(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (sha !== 'UNSIGNED-PAYLOAD' && sha !== createHash('sha256').update(body).digest('hex')) {
      throw new ApiError(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const expected = headers['x-amz-expected-bucket-owner'];
    if (action === 'CreateBucket') {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw new ApiError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
      const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(body)?.[1];
      if ((constraint ?? 'us-east-1') !== region) {
        throw new ApiError(400, 'IllegalLocationConstraintException', `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);
      }
      const b = this.buckets.get(name);
      if (b) {
        if (b.owner === account) throw new ApiError(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
        throw new ApiError(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.');
      }
      this.buckets.set(name, { owner: account, region, objects: new Map(), lifecycle: null });
      return { status: 200, type: 'application/xml', body: '' };
    }
    if (action === 'PutBucketLifecycleConfiguration') {
      const b = this.bucket(name, expected);
      if (b.owner !== account) throw new ApiError(403, 'AccessDenied', 'Access Denied');
      const md5 = headers['content-md5'];
      if (!md5) throw new ApiError(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
      if (Buffer.from(md5, 'base64').length !== 16) throw new ApiError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      if (md5 !== createHash('md5').update(body).digest('base64')) throw new ApiError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
      b.lifecycle = parseLifecycle(body);
      return { status: 200, type: 'application/xml', body: '' };
    }
    if (action === 'PutObject') {
      const b = this.bucket(name, expected);
      if (b.owner !== account) throw new ApiError(403, 'AccessDenied', 'Access Denied');
      b.objects.set(key, { body, contentType: headers['content-type'] ?? 'binary/octet-stream', etag: createHash('md5').update(body).digest('hex') });
      return { status: 200, type: 'application/xml', body: '', headers: { ETag: `"${b.objects.get(key).etag}"` } };
    }
    if (action === 'GetObject') {
      const b = this.bucket(name, expected);
      if (b.owner !== account) throw new ApiError(403, 'AccessDenied', 'Access Denied');
      const o = b.objects.get(key);
      if (!o) throw new ApiError(404, 'NoSuchKey', 'The specified key does not exist.');
      return { status: 200, type: o.contentType, body: o.body };
    }
    if (action === 'DeleteObject') {
      const b = this.bucket(name, expected);
      if (b.owner !== account) throw new ApiError(403, 'AccessDenied', 'Access Denied');
      b.objects.delete(key);
      return { status: 204, type: 'application/xml', body: '' };
    }
    throw new ApiError(405, 'MethodNotAllowed', `${action} is not played by this test double`);
  }

  /**
   * What CloudFormation does with a TemplateURL: fetch the object with the caller's credentials.
   * ownHost: this double's host:port (a TemplateURL elsewhere is not an S3 URL CloudFormation supports here).
   */
  readTemplate(templateUrl, account, ownHost) {
    let u;
    try { u = new URL(templateUrl); } catch { throw new ApiError(400, 'ValidationError', 'TemplateURL must be a supported URL.'); }
    if (u.host !== ownHost) throw new ApiError(400, 'ValidationError', 'TemplateURL must be a supported URL.');
    const [, name, key] = S3Double.route('GET', u.pathname);
    const o = this.buckets.get(name)?.objects.get(key);
    if (!o || this.buckets.get(name).owner !== account) {
      throw new ApiError(400, 'ValidationError', 'S3 error: Access Denied For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html');
    }
    return o.body;
  }

  /** For /__double/state. */
  summary() {
    return Object.fromEntries([...this.buckets].map(([n, b]) => [n, { owner: b.owner, region: b.region, objects: [...b.objects.keys()], lifecycle: b.lifecycle }]));
  }
}
