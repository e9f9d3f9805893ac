// The S3 test double's lifecycle checks are what make the gateway's PutBucketLifecycleConfiguration test mean
// something: a document S3 would refuse must be refused here too (required elements, positive days, one
// action at least), and the Content-MD5 S3 insists on must be present and right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { S3Double, parseLifecycle } from './s3_double.mjs';

const GOOD = '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>expire</ID>'
  + '<Filter><Prefix>templates/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>'
  + '</Rule></LifecycleConfiguration>';

test('a rule with a Filter, a Status and an expiration is accepted and read back', () => {
  assert.deepEqual(parseLifecycle(GOOD), [{ id: 'expire', status: 'Enabled', prefix: 'templates/', expiration_days: 1, abort_days: null }]);
});

test('documents S3 refuses are refused with S3 error codes', () => {
  const cases = [
    ['no Status', GOOD.replace('<Status>Enabled</Status>', ''), 'MalformedXML'],
    ['a Status S3 does not know', GOOD.replace('Enabled', 'On'), 'MalformedXML'],
    ['neither Filter nor Prefix', GOOD.replace(/<Filter>.*<\/Filter>/, ''), 'MalformedXML'],
    ['both Filter and the legacy Prefix', GOOD.replace('<Status>', '<Prefix>x/</Prefix><Status>'), 'MalformedXML'],
    ['no action', GOOD.replace(/<Expiration>.*<\/Expiration>/, ''), 'InvalidRequest'],
    ['zero days', GOOD.replace('<Days>1</Days>', '<Days>0</Days>'), 'InvalidArgument'],
    ['not XML', GOOD.slice(0, 40), 'MalformedXML'],
    ['another root', GOOD.replace(/LifecycleConfiguration/g, 'Lifecycle'), 'MalformedXML'],
    ['no Rule', '<LifecycleConfiguration/>', 'MalformedXML'],
  ];
  for (const [what, body, code] of cases) {
    assert.throws(() => parseLifecycle(body), (e) => e.code === code, `${what}: expected ${code}`);
  }
});

test('PutBucketLifecycleConfiguration needs the bucket owner and a matching Content-MD5', () => {
  const s3 = new S3Double();
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  const put = (headers, body = GOOD, account = '111111111111') => s3.call({ method: 'PUT', url: '/cloudsketch-b1?lifecycle=', headers: { 'x-amz-content-sha256': sha(body), ...headers }, body }, account, 'eu-west-1');
  s3.call({ method: 'PUT', url: '/cloudsketch-b1', headers: { 'x-amz-content-sha256': sha('') }, body: '' }, '111111111111', 'us-east-1');
  assert.equal(S3Double.route('PUT', '/cloudsketch-b1?lifecycle=')[0], 'PutBucketLifecycleConfiguration');
  assert.equal(S3Double.iamAction('PutBucketLifecycleConfiguration'), 's3:PutLifecycleConfiguration');
  assert.throws(() => put({}), (e) => e.code === 'InvalidRequest' && /Content-MD5/.test(e.message));
  assert.throws(() => put({ 'content-md5': createHash('md5').update('other').digest('base64') }), (e) => e.code === 'BadDigest');
  const md5 = createHash('md5').update(GOOD).digest('base64');
  assert.throws(() => put({ 'content-md5': md5 }, GOOD, '222222222222'), (e) => e.code === 'AccessDenied');
  assert.equal(put({ 'content-md5': md5 }).status, 200);
  assert.equal(s3.summary()['cloudsketch-b1'].lifecycle[0].expiration_days, 1);
});
