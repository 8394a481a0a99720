// Presenter mode: every preset sets up its story, the timer runs against the 30-minute plan, and
// "next prospect" leaves no trace in storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage } from './support/harness.mjs';

const env = sharedBrowser();

test('a demo run through every preset, the timer, and next prospect leaving storage empty', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.getByText('Presenter mode').click();
  await page.getByTestId('demo-timer-toggle').click();

  const expectations = [
    ['ready', /Fresh ready scenario/, null],
    ['accepted-risk', /Fresh accepted-risk scenario/, null],
    ['blocked', /Fresh blocked scenario/, null],
    ['retention-expiry', /retention expired/, /retention_expired/],
    ['alert-failed', /alert could not be delivered/, /alert_not_delivered/],
    ['live-before-dry-run', /Live retry refused: .*dry run/, null],
  ];
  for (const [id, notice, decision] of expectations) {
    await page.getByTestId(`preset-${id}`).click();
    assert.match(await page.getByTestId('notice').textContent(), notice, id);
    if (decision) assert.match(await page.getByTestId('decision').textContent(), decision, id);
    if (['ready', 'accepted-risk', 'blocked'].includes(id)) {
      assert.equal(await page.getByTestId('scenario-select').inputValue(), id);
    }
  }
  assert.equal(await page.getByTestId('step-9').getAttribute('data-state'), 'pending', 'the refused live run changed nothing');
  assert.match(await page.getByTestId('talk-track').textContent(), /Talk track: step 9.*Ask/s);
  await page.getByTestId('run-all').click();
  await page.waitForFunction(() => localStorage.length > 0);

  await page.waitForFunction(() => document.querySelector('[data-testid="demo-elapsed"]').textContent !== '00:00 / 30:00');
  assert.match(await page.getByTestId('demo-pace').textContent(), /On time/);
  await page.getByTestId('demo-next-section').click();
  assert.match(await page.getByTestId('demo-pace').textContent(), /Closing and delivering/);

  await page.getByTestId('next-prospect').click();
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'storage is empty');
  assert.deepEqual(
    await page.$$eval('li[data-testid^="step-"]', (items) => items.map((i) => i.getAttribute('data-state'))),
    Array(10).fill('pending'),
  );
  assert.equal(await page.getByTestId('demo-elapsed').textContent(), '00:00 / 30:00');
  await page.reload();
  await page.getByTestId('step-10').waitFor();
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'still empty after a reload');
  assert.deepEqual(problems(), []);
  await context.close();
});
