// Browser security: the release build's Content-Security-Policy, no request beyond the page's origin,
// and markup or script typed into any field or imported shown as text, never run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage } from './support/harness.mjs';

const env = sharedBrowser();

const PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"\'><svg onload="window.__xss=3">';

test('the policy allows only the origin and WebAssembly, and refuses any other request', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /'unsafe-eval'|'unsafe-inline'/);
  assert.match(policy, /connect-src 'self'/);
  await page.evaluate(() => fetch('http://203.0.113.9/x').catch(() => {}));
  await page.waitForTimeout(200);
  const seen = problems();
  assert.ok(seen.some((p) => p.includes('Content Security Policy')), seen.join('\n'));
  assert.ok(!seen.some((p) => p.startsWith('request to another origin')), 'the request never left the page');
  await context.close();
});

test('markup and script in every text field render as text: no dialog, no new element, nothing runs', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  page.on('dialog', (dialog) => {
    problems().push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  const elements = () => page.evaluate(() => document.querySelectorAll('img, script, svg, iframe, object').length);
  const baseline = await elements();
  const owners = { 7: 'platform-owner', 8: 'platform-owner', 9: 'platform-owner' };
  let fields = 0;
  for (let step = 1; step <= 10; step += 1) {
    await page.getByTestId(`step-${step}`).getByRole('button').click();
    await page.getByTestId('role-select').selectOption(owners[step] ?? 'release-manager');
    const inputs = page.locator('[data-testid="step-panel"] input[type="text"], [data-testid="step-panel"] textarea');
    const count = await inputs.count();
    for (let i = 0; i < count; i += 1) {
      const input = inputs.nth(i);
      const id = await input.getAttribute('id');
      // Dates and provider lists must stay valid for the flow to go on; they are covered below.
      if (/retention_until|providers/.test(id)) continue;
      await input.fill(PAYLOAD);
      await input.dispatchEvent('change');
      fields += 1;
    }
    await page.getByTestId(`step-${step}-run`).click();
  }
  // A date field with markup is refused, and the refusal shows the markup as text.
  await page.getByTestId('step-4').getByRole('button').click();
  await page.getByTestId('role-select').selectOption('release-manager');
  await page.locator('#input-4-retention_until').fill(PAYLOAD);
  await page.getByTestId('step-4-run').click();
  assert.match(await page.getByTestId('step-error').textContent(), /<img src=x onerror=/);
  for (const id of ['risk-owner', 'risk-reason', 'risk-external-ref', 'risk-control']) {
    await page.getByTestId(id).fill(PAYLOAD);
    fields += 1;
  }
  await page.getByTestId('risk-expires').fill('2026-06-30');
  await page.getByTestId('risk-save').click();
  await page.getByText('Tamper demonstration').click();
  await page.getByTestId('tamper-value').fill(PAYLOAD);
  await page.getByTestId('tamper-verify').click();
  fields += 1;
  // The markup is in the records, as text.
  await page.getByTestId('step-2').getByRole('button').click();
  assert.match(await page.getByTestId('step-panel').textContent(), /<img src=x onerror=/);
  assert.equal(await elements(), baseline, 'no element was created from user text');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  assert.deepEqual(problems(), []);
  // Decided by and Approved by are no inputs since actors are bound (D-12): 13 text fields remain.
  assert.ok(fields >= 13, `${fields} fields tried`);
  console.log(`# markup payload tried in ${fields} text fields: none rendered as HTML`);
  await context.close();
});
