// Storage faults in a real browser: corrupted JSON, a wrong digest, a newer format version, a full
// localStorage, localStorage that throws, and two tabs writing in turn. The saved data is never
// overwritten until the user chooses, and no step the user ran is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const KEY = 'closeout-sandbox.session.v1';
const env = sharedBrowser();

async function open(context) {
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  return { page, problems };
}

const states = (page) => page.$$eval('li[data-testid^="step-"]', (items) => items.map((i) => i.getAttribute('data-state')));
const stored = (page) => page.evaluate((key) => localStorage.getItem(key), KEY);
const savedWith = (page, text) => page.waitForFunction(([key, t]) => (localStorage.getItem(key) ?? '').includes(t), [KEY, text]);

for (const [name, spoil, problem] of [
  ['corrupted JSON', () => '{"format": "closeout-sandbox.session", "payl', /corrupted/],
  ['a wrong digest', (saved) => saved.replace('"approval_state":"approved"', '"approval_state":"denied"'), /does not match its digest/],
  ['a newer format version', (saved) => saved.replace('"version":2', '"version":7'), /newer version of the sandbox/],
]) {
  test(`saved data with ${name} is kept, reported and downloadable; nothing is overwritten until the user chooses`, async () => {
    const context = await env.browser.newContext({ acceptDownloads: true });
    const { page, problems } = await open(context);
    await page.getByTestId('run-all').click();
    await savedWith(page, '"final_decision"');
    const spoiled = spoil(await stored(page));
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, spoiled]);
    await page.reload();
    await page.getByTestId('step-10').waitFor();
    assert.match(await page.getByTestId('storage-banner').textContent(), problem);
    await page.getByTestId('step-1-run').click();
    assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'done', 'the sandbox still works');
    assert.equal(await stored(page), spoiled, 'the unreadable data is untouched');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('storage-download-raw').click()]);
    assert.equal(await readFile(await download.path(), 'utf8'), spoiled);
    await page.getByTestId('storage-discard').click();
    await savedWith(page, '"status":"done"');
    assert.equal(await page.getByTestId('storage-banner').count(), 0);
    assert.deepEqual(problems(), []);
    await context.close();
  });
}

test('a full localStorage: a clear message, the session kept in memory, saved again once there is room', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await open(context);
  await page.getByTestId('step-1-run').click();
  await savedWith(page, '"status":"done"');
  const filled = await page.evaluate(() => {
    let n = 0;
    for (const size of [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1]) {
      for (;;) {
        try {
          localStorage.setItem(`filler-${n}`, 'x'.repeat(size));
          n += 1;
        } catch {
          break;
        }
      }
    }
    return n;
  });
  assert.ok(filled > 0);
  await page.getByTestId('run-all').click();
  assert.match(await page.getByTestId('storage-banner').textContent(), /Storage is full/);
  assert.deepEqual(await states(page), Array(10).fill('done'), 'every step is kept in memory');
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('filler-')) localStorage.removeItem(key);
  });
  await page.getByTestId('role-select').selectOption('auditor');
  await savedWith(page, '"role":"auditor"');
  assert.equal(await page.getByTestId('storage-banner').count(), 0);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('localStorage that throws on access: the sandbox works in memory and says so', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  const { page, problems } = await open(context);
  assert.match(await page.getByTestId('storage-banner').textContent(), /Working in memory only/);
  await page.getByTestId('run-all').click();
  assert.deepEqual(await states(page), Array(10).fill('done'));
  assert.deepEqual(problems(), []);
  await context.close();
});

test('two tabs writing in turn: each sees the other, and no step is lost', async () => {
  const context = await env.browser.newContext();
  const a = await open(context);
  const b = await open(context);
  await a.page.getByTestId('step-1-run').click();
  await b.page.locator('li[data-testid="step-1"][data-state="done"]').waitFor({ timeout: 5_000 });
  await b.page.getByTestId('step-2').getByRole('button').click();
  await b.page.getByTestId('step-2-run').click();
  await a.page.locator('li[data-testid="step-2"][data-state="done"]').waitFor({ timeout: 5_000 });
  await a.page.getByTestId('step-3').getByRole('button').click();
  await a.page.getByTestId('step-3-run').click();
  await b.page.locator('li[data-testid="step-3"][data-state="done"]').waitFor({ timeout: 5_000 });
  await b.page.reload();
  await b.page.getByTestId('step-10').waitFor();
  assert.deepEqual((await states(b.page)).slice(0, 3), ['done', 'done', 'done']);
  await scrollTo(b.page, 'chain');
  await b.page.getByTestId('verify-chain').click();
  assert.match(await b.page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  assert.deepEqual(a.problems(), []);
  assert.deepEqual(b.problems(), []);
  await context.close();
});
