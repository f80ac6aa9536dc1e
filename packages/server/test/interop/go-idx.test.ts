// Okta's IDX SDK for Go (okta-idx-golang) signs in against a real `gatehouse serve`: interop/go, run with go test.
// Password sign-in to tokens and userinfo on both sign-in policies, the seed's widget callback redeemed with
// RedeemInteractionCode, a wrong password as the SDK's error with Okta's message, and password recovery as far as
// v0.2.2 goes (InitPasswordReset to the email choice; its VerifyEmail cannot continue from identify-recovery:
// interop/go/recovery_test.go). Needs Go (skipped without it, failed under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createInteropFixtures, onPath, repoRoot, run, startServeProcess } from '../support/serve-process.js';
import { startSmtp } from '../support/smtp.js';

const moduleDir = join(repoRoot, 'interop', 'go');
const haveGo = onPath('go');

test('okta-idx-golang drives Gatehouse: password sign-in to tokens and userinfo on both policies; a wrong password is Okta\'s error; InitPasswordReset',
  { timeout: 10 * 60_000, skip: !haveGo && !process.env.CI ? 'go not on PATH' : false }, async (t) => {
    assert.ok(haveGo, 'Go is needed for the Go interop test');
    // Mail on (a real SMTP server), so the identify page offers password recovery to the SDK.
    const smtp = await startSmtp();
    const gh = await startServeProcess({ GATEHOUSE_SMTP_URL: smtp.url });
    try {
      const env = { ...process.env, ...createInteropFixtures(gh) };
      // -count=1: always run (the server is new each time); modules and builds stay cached between runs.
      const r = await run('go', ['test', '-count=1', '-v', './...'], { cwd: moduleDir, env });
      assert.equal(r.code, 0, `go test failed:\n${r.out}\n--- gatehouse ---\n${gh.output()}`);
      const passed = r.out.match(/^\s*--- PASS: /gm)?.length ?? 0;
      assert.equal(passed, 10, `every Go test and subtest ran and passed:\n${r.out}`);
      assert.doesNotMatch(r.out, /--- (SKIP|FAIL):/);
      t.diagnostic(`okta-idx-golang v0.2.2 (go test): ${passed} passed`);
    } finally {
      await gh.stop();
      await smtp.close();
    }
  });
