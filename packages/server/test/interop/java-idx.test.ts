// Okta's IDX SDK for Java (okta-idx-java-api, IDXAuthenticationWrapper: the Java twin of the seed's .NET IdxClient)
// signs in against a real `gatehouse serve`: interop/java, run with Maven Surefire. Password sign-in to tokens and
// userinfo on both sign-in policies, the seed's widget callback redeeming the interaction code, a wrong password
// as the SDK's error with Okta's message, and password recovery on both policies: recoverPassword → email → the
// code read from the mail a real SMTP server received → new password → tokens (the node side serves each address's
// next mailed code on loopback, GATEHOUSE_INTEROP_MAIL_CODE_URL). Needs Java and Maven (skipped without them,
// failed under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInteropFixtures, onPath, repoRoot, run, startServeProcess } from '../support/serve-process.js';
import { startSmtp } from '../support/smtp.js';
import { startMailCodeEndpoint } from '../support/mail-codes.js';

const moduleDir = join(repoRoot, 'interop', 'java');
const missing = ['java', 'mvn'].filter((c) => !onPath(c));

test('okta-idx-java drives Gatehouse: password sign-in to tokens and userinfo on both policies; a wrong password is Okta\'s error; password recovery with the mailed code to tokens',
  { timeout: 10 * 60_000, skip: missing.length > 0 && !process.env.CI ? `${missing.join(', ')} not on PATH` : false }, async (t) => {
    assert.deepEqual(missing, [], 'Java and Maven are needed for the Java interop test');
    // Password recovery mails its code: a real SMTP server for the server, and the mailed codes for the SDK tests.
    const smtp = await startSmtp();
    const codes = await startMailCodeEndpoint(smtp);
    const gh = await startServeProcess({ GATEHOUSE_SMTP_URL: smtp.url });
    try {
      const env = { ...process.env, ...createInteropFixtures(gh), GATEHOUSE_INTEROP_MAIL_CODE_URL: codes.url };
      const reports = join(moduleDir, 'target', 'surefire-reports');
      rmSync(reports, { recursive: true, force: true });
      // -B: no colours or progress; -q: only failures. Dependencies stay in ~/.m2 between runs.
      const r = await run('mvn', ['-B', '-q', 'test'], { cwd: moduleDir, env });
      assert.equal(r.code, 0, `mvn test failed:\n${r.out}\n--- gatehouse ---\n${gh.output()}`);
      const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
      for (const f of readdirSync(reports).filter((n) => n.startsWith('TEST-') && n.endsWith('.xml'))) {
        const suite = /<testsuite\b[^>]*>/.exec(readFileSync(join(reports, f), 'utf8'))![0];
        for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += Number(new RegExp(`\\b${k}="(\\d+)"`).exec(suite)![1]);
      }
      assert.deepEqual(counts, { tests: 7, failures: 0, errors: 0, skipped: 0 }, 'every Java test ran and passed');
      t.diagnostic(`okta-idx-java-api 2.0.0 (Surefire): ${counts.tests} passed`);
    } finally {
      await gh.stop();
      await codes.close();
      await smtp.close();
    }
  });
