// Checks a request's Signature V4 the way AWS does, with an independent signer (@smithy/signature-v4, the
// AWS SDK for JavaScript's own): rebuild the request from the wire with exactly the headers the client
// said it signed, sign it with the secret we know for that access key at the client's X-Amz-Date, and
// compare. Returns null when the signature is right, else {status, code, message} as AWS would answer.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** The parts of the Authorization header, or null when it is not a SigV4 header. */
export function parseAuthorization(value) {
  const m = AUTH.exec(value ?? '');
  if (!m) return null;
  return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] };
}

function amzDateToDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/**
 * req: {method, url (path?query as on the wire), headers (lower-case names -> value), body (string)}
 * keys: Map accessKeyId -> {secretAccessKey, sessionToken?, expires?}
 */
export async function verifySignature(req, keys, now = new Date()) {
  const auth = parseAuthorization(req.headers['authorization']);
  if (!auth) {
    return { status: 403, code: 'MissingAuthenticationToken', message: 'Missing Authentication Token' };
  }
  const key = keys.get(auth.accessKeyId);
  if (!key) {
    return { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  }
  if (key.expires && key.expires < now) {
    return { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' };
  }
  if (key.sessionToken && req.headers['x-amz-security-token'] !== key.sessionToken) {
    return { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  }
  const date = amzDateToDate(req.headers['x-amz-date']);
  if (!date) return { status: 400, code: 'IncompleteSignature', message: 'X-Amz-Date is missing or malformed' };
  if (Math.abs(date - now) > 15 * 60 * 1000) {
    return { status: 403, code: 'RequestTimeTooSkewed', message: 'Signature expired: the request time is more than 15 minutes from the server time.' };
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!auth.signedHeaders.includes(required)) {
      return { status: 403, code: 'SignatureDoesNotMatch', message: `'${required}' must be a signed header` };
    }
  }
  const url = new URL(req.url, 'http://placeholder');
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;
  const headers = {};
  for (const h of auth.signedHeaders) {
    if (req.headers[h] === undefined) {
      return { status: 403, code: 'SignatureDoesNotMatch', message: `signed header '${h}' is not in the request` };
    }
    headers[h] = req.headers[h];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken },
    // S3 signs its path as sent (no second encoding); every other service encodes it again.
    region: auth.region, service: auth.service, sha256: Sha256, uriEscapePath: auth.service !== 's3', applyChecksum: false,
  });
  const [host, port] = headers.host.split(':');
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: host, port: port ? Number(port) : undefined, path: url.pathname, query, headers, body: req.body },
    { signingDate: date, signingRegion: auth.region, signingService: auth.service,
      // smithy adds headers it would sign itself; sign exactly the client's set
      signableHeaders: new Set(auth.signedHeaders), unsignableHeaders: new Set(Object.keys(headers).filter((h) => !auth.signedHeaders.includes(h))) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)?.[1];
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(signed.headers.authorization)?.[1];
  if (expected !== auth.signature || expectedHeaders !== auth.signedHeaders.join(';')) {
    return {
      status: 403, code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return null;
}
