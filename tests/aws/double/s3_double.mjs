// S3 as a test double: the REST calls the gateway makes to stage large CloudFormation templates
// (CreateBucket, PutObject, GetObject, DeleteObject), path-style (/<bucket>/<key>), with S3's own checks:
// bucket naming, the bucket's owner account (x-amz-expected-bucket-owner; a bucket name is global, so
// another account's bucket answers BucketAlreadyExists), LocationConstraint against the signing region,
// and the body's SHA-256 against x-amz-content-sha256 (which S3 requires on every signed request).
import { createHash } from 'node:crypto';
import { ApiError, esc } from './cloudformation_double.mjs';

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
    const path = new URL(url, 'http://placeholder').pathname;
    const slash = path.indexOf('/', 1);
    const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
    const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
    const verb = { PUT: 'Put', GET: 'Get', DELETE: 'Delete', HEAD: 'Head' }[method] ?? method;
    if (!key) return [verb === 'Put' ? 'CreateBucket' : `${verb}Bucket`, bucket, key];
    return [`${verb}Object`, bucket, key];
  }

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
      this.buckets.set(name, { owner: account, region, objects: new Map() });
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
    return Object.fromEntries([...this.buckets].map(([n, b]) => [n, { owner: b.owner, region: b.region, objects: [...b.objects.keys()] }]));
  }
}
