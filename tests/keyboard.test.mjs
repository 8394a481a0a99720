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
  // The roles in the picker's order; moving between two is that many arrow presses.
  const roles = ['release-manager', 'platform-owner', 'security-architect'];
  let role = 'release-manager';
  const actAs = async (wanted) => {
    if (wanted === role) return;
    await tabTo(page, '[data-testid="role-select"]', true);
    const moves = roles.indexOf(wanted) - roles.indexOf(role);
    for (let i = 0; i < Math.abs(moves); i += 1) await page.keyboard.press(moves > 0 ? 'ArrowDown' : 'ArrowUp');
    assert.equal(await page.getByTestId('role-select').inputValue(), wanted);
    role = wanted;
  };
  // Step 4 is the release manager's request, then the security architect's decision.
  const acts = [[1, 'release-manager'], [2, 'release-manager'], [3, 'release-manager'], [4, 'release-manager'],
    [4, 'security-architect'], [5, 'release-manager'], [6, 'release-manager'], [7, 'platform-owner'],
    [8, 'platform-owner'], [9, 'platform-owner'], [10, 'release-manager']];
  for (const [step, who] of acts) {
    await actAs(who);
    await tabTo(page, `li[data-testid="step-${step}"] button`);
    await page.keyboard.press('Enter');
    await tabTo(page, `[data-testid="step-${step}-run"]`);
    await page.keyboard.press('Enter');
    const expected = step === 4 && who === 'release-manager' ? 'waiting' : 'done';
    assert.equal(await page.getByTestId(`step-${step}`).getAttribute('data-state'), expected, `step ${step} as ${who}`);
  }
  assert.match(await page.getByTestId('decision').textContent(), /ready_with_accepted_risk/);
  await tabTo(page, '[data-testid="verify-chain"]');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  assert.deepEqual(problems(), []);
  await context.close();
});
