// The product shell: the served release build shows the ten steps, and does nothing it should not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage } from './support/harness.mjs';

const env = sharedBrowser();

test('the page lists the ten closeout steps in order, with no console error and no off-origin request', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor({ state: 'visible', timeout: 30_000 });

  await assert.doesNotReject(page.getByRole('heading', { name: 'Closeout Sandbox' }).waitFor());
  const names = await page.locator('[data-testid^="step-"] .step-name').allTextContents();
  assert.equal(names.length, 10);
  assert.equal(names[0], 'Final readiness bundle');
  assert.equal(names[9], 'Final decision, linked');
  for (let n = 1; n <= 10; n += 1) {
    assert.equal(await page.getByTestId(`step-${n}`).getAttribute('data-state'), 'pending');
  }
  const footer = await page.getByTestId('edition-boundary').textContent();
  assert.match(footer, /Community records evidence only/);
  assert.match(footer, /Nothing leaves your browser/);

  assert.deepEqual(problems(), []);
  await context.close();
});

test('the harness itself catches an off-origin request and a console error', async () => {
  // Proves the guard can fail: a page that does both must be reported. The page's CSP would refuse the
  // request before it is made, so this context bypasses it to reach the harness's own check.
  const context = await env.browser.newContext({ bypassCSP: true });
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.route('http://203.0.113.9/**', (route) => route.abort());
  await page.goto(`${env.server.origin}/`);
  await page.evaluate(() => {
    console.error('deliberate');
    fetch('http://203.0.113.9/x').catch(() => {});
  });
  await page.waitForTimeout(200);
  const found = problems();
  assert.ok(found.some((p) => p.includes('console error: deliberate')), found.join('\n'));
  assert.ok(found.some((p) => p.includes('request to another origin: http://203.0.113.9/x')), found.join('\n'));
  await context.close();
});
