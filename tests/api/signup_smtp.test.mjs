// Sign-up through a real SMTP server (npm smtp-server on 127.0.0.1): the gateway, given --smtp-url and the
// SMTP login in its environment, mails the link; the test reads it as the person would, follows it, and
// logs in. An address that has an account gets a note instead, and the answers cannot be told apart.
// Processes are stopped by PID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startGateway } from '../lib/gateway.mjs';
import { signupLink, waitForMail } from '../lib/signup.mjs';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('../node_modules/smtp-server');

const SMTP_USER = 'cs-mailer';
const SMTP_PASSWORD = 'smtp-Secret-4711';
const received = [];  // {from, to: [addresses], text, user}
let smtp;
let gateway;

before(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],  // plain SMTP on loopback, as a local relay would be
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => { text += chunk; });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          text,
          user: session.user,
        });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', resolve);
  });
  const port = smtp.server.address().port;
  gateway = await startGateway({
    siteDir: '',
    args: ['--smtp-url', `smtp://127.0.0.1:${port}`],
    env: {
      CS_SMTP_USERNAME: SMTP_USER,
      CS_SMTP_PASSWORD: SMTP_PASSWORD,
      CS_MAIL_FROM: 'CloudSketch <no-reply@cloudsketch.test>',
    },
    mailbox: (email) => received.filter((m) => m.to.includes(email)).map((m) => m.text),
  });
});

after(async () => {
  if (gateway) await gateway.stop();
  if (smtp) await new Promise((resolve) => smtp.close(resolve));
});

test('the link arrives by SMTP, opens the account, and the password logs in', async () => {
  const email = 'mira@example.com';
  // With a mail server even the gateway's first account is verified.
  const first = await gateway.api('POST', '/v1/auth/signup', null, { email, password: 'smtp-path-1234' });
  assert.equal(first.status, 202, first.text);
  assert.equal(first.body.mail, 'smtp');
  assert.match(first.body.message, /Check your email/);

  const mail = await waitForMail(() => received.filter((m) => m.to.includes(email)), 0, 15000, 'the sign-up link');
  assert.equal(mail.from, 'no-reply@cloudsketch.test', 'the envelope sender is mail_from');
  assert.equal(mail.user, SMTP_USER, 'the gateway logged in to the SMTP server with CS_SMTP_USERNAME');
  assert.match(mail.text, /^Subject: Finish creating your CloudSketch account\r$/m);
  assert.match(mail.text, /^From: CloudSketch <no-reply@cloudsketch\.test>\r$/m);
  const link = signupLink(mail.text);
  assert.ok(link && link.startsWith(`${gateway.url}/#verify/`), `a link to this gateway: ${link}`);

  const token = link.slice(link.indexOf('#verify/') + 8);
  const verified = await gateway.api('POST', '/v1/auth/verify', null, { token });
  assert.equal(verified.status, 201, verified.text);
  assert.equal(verified.body.user.email, email);
  assert.equal((await gateway.api('GET', '/v1/me', verified.body.token)).status, 200);
  const login = await gateway.api('POST', '/v1/auth/login', null, { email, password: 'smtp-path-1234' });
  assert.equal(login.status, 200, login.text);

  // The SMTP password never reaches the log.
  assert.ok(!gateway.log().includes(SMTP_PASSWORD));
});

test('the helper every test uses signs up through SMTP too, and a taken address gets a note, not a link', async () => {
  const session = await gateway.signUp('noor@example.com', 'helper-path-1234');
  assert.equal(session.user.email, 'noor@example.com');

  const before = received.filter((m) => m.to.includes('noor@example.com')).length;
  const again = await gateway.api('POST', '/v1/auth/signup', null, { email: 'noor@example.com', password: 'someone-else-99' });
  const fresh = await gateway.api('POST', '/v1/auth/signup', null, { email: 'nova@example.com', password: 'someone-else-99' });
  assert.equal(again.status, 202);
  const anonymous = (answer, email) => answer.text.replaceAll(email, '<email>');
  assert.equal(anonymous(again, 'noor@example.com'), anonymous(fresh, 'nova@example.com'), 'the same answer for taken and new');
  const note = await waitForMail(() => received.filter((m) => m.to.includes('noor@example.com')), before, 15000, 'the note');
  assert.match(note.text, /^Subject: Someone tried to create a CloudSketch account with your address\r$/m);
  assert.equal(signupLink(note.text), null, 'no link that could change the account');
  const login = await gateway.api('POST', '/v1/auth/login', null, { email: 'noor@example.com', password: 'helper-path-1234' });
  assert.equal(login.status, 200, 'the account is as it was');
});
