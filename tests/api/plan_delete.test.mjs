// DELETE /v1/plan/{id}?revision=N against the built cs-gateway (CS_GATEWAY_BIN): a plan changed after the
// client read it is not deleted (409 plan.revision_conflict with the current revision), the revision the
// server has deletes it, a bad revision is a 422 that says how to fix it, another user's plan stays a 404
// with or without a revision, and DELETE without a revision still deletes (API clients, docs/api.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway } from '../lib/gateway.mjs';

let gateway;
before(async () => { gateway = await startGateway({ siteDir: '' }); });
after(async () => { if (gateway) await gateway.stop(); });

async function signup(email) {
  return (await gateway.signUp(email, 'delete-at-revision-7')).token;
}

async function createPlan(token, name) {
  const created = await gateway.api('POST', '/v1/plan/', token, { name });
  assert.equal(created.status, 201, created.text);
  return created.body;
}

test('DELETE with ?revision deletes only the revision the client read', async () => {
  const token = await signup('reviser@example.com');
  const plan = await createPlan(token, 'Read at revision 1');
  assert.equal(plan.revision, 1);

  // Someone else saves a change after this client read revision 1.
  const put = await gateway.api('PUT', `/v1/plan/${plan.id}`, token,
                                { revision: 1, plan: { ...plan.plan, name: 'Changed to revision 2' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.revision, 2);

  const stale = await gateway.api('DELETE', `/v1/plan/${plan.id}?revision=1`, token);
  assert.equal(stale.status, 409, stale.text);
  assert.equal(stale.body.error.code, 'plan.revision_conflict');
  assert.match(stale.body.error.message, /revision 2, not 1.*not deleted/);
  assert.equal(stale.body.error.details[0].current_revision, 2);
  const still = await gateway.api('GET', `/v1/plan/${plan.id}`, token);
  assert.equal(still.status, 200, 'a refused delete leaves the plan in place');
  assert.equal(still.body.plan.name, 'Changed to revision 2');

  // A revision ahead of the server's is as stale as one behind.
  const ahead = await gateway.api('DELETE', `/v1/plan/${plan.id}?revision=3`, token);
  assert.equal(ahead.status, 409, ahead.text);
  assert.equal(ahead.body.error.details[0].current_revision, 2);

  const current = await gateway.api('DELETE', `/v1/plan/${plan.id}?revision=2`, token);
  assert.equal(current.status, 204, current.text);
  assert.equal((await gateway.api('GET', `/v1/plan/${plan.id}`, token)).status, 404);
  const again = await gateway.api('DELETE', `/v1/plan/${plan.id}?revision=2`, token);
  assert.equal(again.status, 404, 'deleting a deleted plan is a 404, not a conflict');
});

test('a bad revision is a 422 naming the fix; no revision deletes any; another user gets 404', async () => {
  const token = await signup('owner@example.com');
  const other = await signup('stranger@example.com');
  const plan = await createPlan(token, 'Mine only');

  for (const bad of ['0', '-1', 'abc', '1.5', '', '99999999999999999999']) {
    const answer = await gateway.api('DELETE', `/v1/plan/${plan.id}?revision=${bad}`, token);
    assert.equal(answer.status, 422, `revision=${bad}: ${answer.text}`);
    assert.equal(answer.body.error.code, 'request.invalid');
    assert.equal(answer.body.error.details[0].code, 'query.revision_invalid');
    assert.match(answer.body.error.message, /positive whole number.*or left out/);
  }

  // Another user's plan is a 404 whatever revision they give (the right one included): never a 409 that
  // would tell them the plan exists and at which revision.
  for (const query of ['', '?revision=1', '?revision=2']) {
    const answer = await gateway.api('DELETE', `/v1/plan/${plan.id}${query}`, other);
    assert.equal(answer.status, 404, `stranger ${query || '(no revision)'}: ${answer.text}`);
    assert.doesNotMatch(answer.text, /revision/);
  }
  assert.equal((await gateway.api('GET', `/v1/plan/${plan.id}`, token)).status, 200, 'untouched by the stranger');

  const put = await gateway.api('PUT', `/v1/plan/${plan.id}`, token,
                                { revision: 1, plan: { ...plan.plan, name: 'Mine, revision 2' } });
  assert.equal(put.status, 200, put.text);
  const any = await gateway.api('DELETE', `/v1/plan/${plan.id}`, token);
  assert.equal(any.status, 204, `without ?revision any revision is deleted: ${any.text}`);
  assert.equal((await gateway.api('GET', `/v1/plan/${plan.id}`, token)).status, 404);
});
