// One way for every node test and benchmark to sign up through the real path (docs/accounts.md): the
// first account of a gateway without a mail server is made at once (201); any other sign-up is answered
// 202 and its link mailed, into the gateway's outbox (<data dir>/mail/outbox) or to a test SMTP server.
// The link is followed with POST /v1/auth/verify, as the web app does, and the session comes back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The texts of the .eml files in the outbox of the gateway with data dir `dataDir` addressed to `email`,
// oldest first (names start with the UTC time).
export function outboxMailsTo(dataDir, email) {
  const outbox = path.join(dataDir, 'mail', 'outbox');
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox).filter((name) => name.endsWith('.eml')).sort()
    .map((name) => readFileSync(path.join(outbox, name), 'utf8'))
    .filter((text) => text.includes(`\r\nTo: <${email}>\r\n`));
}

// The "<public URL>/#verify/<token>" link in a mail, or null.
export function signupLink(mail) {
  const match = /(\S+\/#verify\/[A-Za-z0-9_-]+)/.exec(mail ?? '');
  return match ? match[1] : null;
}

// The link's one-time token, or null.
export function signupToken(mail) {
  const link = signupLink(mail);
  return link ? link.slice(link.indexOf('#verify/') + 8) : null;
}

// Resolves to the newest of `mails()` once there are more than `before` (mail is sent from a queue);
// rejects after `ms`.
export async function waitForMail(mails, before, ms = 10000, what = 'a mail') {
  const end = Date.now() + ms;
  for (;;) {
    const now = mails();
    if (now.length > before) return now[now.length - 1];
    if (Date.now() > end) throw new Error(`no new mail (${what}) within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Signs `email` up and resolves to the session {token, expires_at, user, device_token}.
//  post(path, body): one POST as JSON, resolving to {status, body (parsed JSON), text}.
//  dataDir: the gateway's data dir (its outbox); or mailbox(email): the mails an SMTP server received.
export async function signUp({ post, dataDir, mailbox }, email, password) {
  const mails = mailbox ? () => mailbox(email) : () => outboxMailsTo(dataDir, email);
  const before = mails().length;
  const answer = await post('/v1/auth/signup', { email, password });
  if (answer.status === 201) return answer.body;
  if (answer.status !== 202) throw new Error(`sign-up of ${email}: ${answer.status} ${answer.text}`);
  const token = signupToken(await waitForMail(mails, before, 10000, `the sign-up link for ${email}`));
  if (!token) throw new Error(`the mail to ${email} holds no sign-up link`);
  const verified = await post('/v1/auth/verify', { token });
  if (verified.status !== 201) throw new Error(`following the link of ${email}: ${verified.status} ${verified.text}`);
  return verified.body;
}
