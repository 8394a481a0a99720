// The trial walkthrough: a trainee does every task, in order, as the right roles; the checklist ticks
// from what they did and opened; progress survives a reload; the summary downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const env = sharedBrowser();
const done = (page, testid) => page.getByTestId(testid).getAttribute('data-done');

test('a full walkthrough to a complete checklist, kept across a reload, with a downloadable summary', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('walkthrough').locator('summary').first().click();
  assert.match(await page.getByTestId('lesson').textContent(), /Lesson 1.*Your task: Run step 1/s);
  for (let step = 1; step <= 10; step += 1) {
    assert.equal(await done(page, `task-${step}`), 'false', `task ${step} is not done before its step runs`);
    await page.getByTestId(`step-${step}`).getByRole('button').click();
    await page.getByTestId('role-select').selectOption([7, 8, 9].includes(step) ? 'platform-owner' : 'release-manager');
    await page.getByTestId(`step-${step}-run`).click();
    if (step === 4) {
      // Step 4 takes two roles: the release manager's request waits for the security architect.
      assert.equal(await done(page, 'task-4'), 'false', 'a request alone is not the review');
      await page.getByTestId('role-select').selectOption('security-architect');
      await page.getByTestId('step-4-run').click();
    }
    assert.equal(await done(page, `task-${step}`), 'true', `task ${step} is checked from the session`);
  }
  assert.match(await page.getByTestId('lesson').textContent(), /Every task is done/);
  for (const id of ['evidence', 'enterprise', 'health-retry']) assert.equal(await done(page, `check-${id}`), 'true', `check ${id}`);
  for (const id of ['public-safe', 'mapped', 'not-included']) assert.equal(await done(page, `check-${id}`), 'false', id);

  await scrollTo(page, 'files');
  await Promise.all([page.waitForEvent('download'), page.getByTestId('download-bundle').click()]);
  assert.equal(await done(page, 'check-public-safe'), 'true');
  await page.getByTestId('walkthrough-mapping').fill('xoxb-1234567890-abcdefghijkl');
  await page.getByTestId('walkthrough-mapping').dispatchEvent('change');
  assert.equal(await done(page, 'check-mapped'), 'false', 'a secret is refused');
  await page.getByTestId('walkthrough-mapping').fill('The bundle goes to our CAB ticket; the decision to the SOX audit folder.');
  await page.getByTestId('walkthrough-mapping').dispatchEvent('change');
  assert.equal(await done(page, 'check-mapped'), 'true');
  await page.getByTestId('not-included').locator('summary').click();
  assert.equal(await done(page, 'check-not-included'), 'true');

  await page.getByTestId('walkthrough-finished').waitFor();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('walkthrough-summary').click()]);
  const summary = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(summary.decision, 'ready_with_accepted_risk');
  assert.ok(summary.tasks.every((t) => t.done) && summary.checklist.every((c) => c.done));

  await page.reload();
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('walkthrough').locator('summary').first().click();
  await page.getByTestId('walkthrough-finished').waitFor();
  assert.equal(await page.getByTestId('walkthrough-mapping').inputValue(), 'The bundle goes to our CAB ticket; the decision to the SOX audit folder.');
  assert.deepEqual(problems(), []);
  await context.close();
});
