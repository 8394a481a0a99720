// The whole flow with the keyboard alone: reach every control with Tab, act with Enter, Space and the
// arrow keys, run all ten steps one by one as their owners, and see the decision. Focus stays visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage, tabTo } from './support/harness.mjs';

const env = sharedBrowser();

test('all ten steps, one by one, as their owners, with the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  const platform = new Set([7, 8, 9]);
  let role = 'release-manager';
  for (let step = 1; step <= 10; step += 1) {
    const wanted = platform.has(step) ? 'platform-owner' : 'release-manager';
    if (wanted !== role) {
      await tabTo(page, '[data-testid="role-select"]', true);
      await page.keyboard.press(wanted === 'platform-owner' ? 'ArrowDown' : 'ArrowUp');
      assert.equal(await page.getByTestId('role-select').inputValue(), wanted);
      role = wanted;
    }
    await tabTo(page, `li[data-testid="step-${step}"] button`);
    await page.keyboard.press('Enter');
    await tabTo(page, `[data-testid="step-${step}-run"]`);
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId(`step-${step}`).getAttribute('data-state'), 'done', `step ${step}`);
  }
  assert.match(await page.getByTestId('decision').textContent(), /ready_with_accepted_risk/);
  await tabTo(page, '[data-testid="verify-chain"]');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  assert.deepEqual(problems(), []);
  await context.close();
});
