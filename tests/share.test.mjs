// Share links: opened in a fresh browser context they replay the session to the same records and
// digests; a newer or damaged link is refused clearly; a session with progress is replaced only on
// confirmation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const env = sharedBrowser();

async function open(context, path = '/') {
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}${path}`);
  await page.getByTestId('step-10').waitFor();
  return { page, problems };
}

const headDigest = (page) => page.locator('tr[data-testid^="entry-"]').last().locator('code').last().getAttribute('title');

test('a share link opened in a fresh browser gives the same decision and digests', async () => {
  const first = await env.browser.newContext();
  const a = await open(first);
  await a.page.getByTestId('step-1-run').click();
  await a.page.getByTestId('step-2').getByRole('button').click();
  await a.page.locator('#input-2-signature_key_id').fill('shared-kms-key');
  await a.page.getByTestId('step-2-run').click();
  await a.page.getByTestId('clock-advance').click();
  await a.page.getByTestId('run-all').click();
  await scrollTo(a.page, 'chain', 'files');
  await a.page.getByTestId('share-create').click();
  const link = await a.page.getByTestId('share-link').inputValue();
  assert.match(link, /#share=2\.[A-Za-z0-9_-]+$/);
  const decision = await a.page.getByTestId('decision').textContent();
  const head = await headDigest(a.page);
  assert.match(head, /^[0-9a-f]{64}$/);

  const second = await env.browser.newContext();
  const b = await open(second, new URL(link).hash ? `/${new URL(link).hash}` : '/');
  assert.match(await b.page.getByTestId('notice').textContent(), /Opened a shared accepted-risk session/);
  assert.equal(await b.page.getByTestId('decision').textContent(), decision);
  await scrollTo(b.page, 'chain');
  assert.equal(await headDigest(b.page), head);
  assert.equal(await b.page.getByTestId('clock-now').textContent(), await a.page.getByTestId('clock-now').textContent());
  assert.equal(new URL(b.page.url()).hash, '', 'the link is removed from the address once opened');
  assert.deepEqual(a.problems(), []);
  assert.deepEqual(b.problems(), []);
  await first.close();
  await second.close();
});

test('a link from a newer version, or a damaged one, is refused and changes nothing', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await open(context, '/#share=9.AAAA');
  assert.match(await page.getByTestId('notice').textContent(), /newer version of the sandbox/);
  assert.deepEqual(
    await page.$$eval('li[data-testid^="step-"]', (items) => items.map((i) => i.getAttribute('data-state'))),
    Array(10).fill('pending'),
  );
  await page.goto(`${env.server.origin}/#share=1.bm90LWRlZmxhdGU`);
  await page.getByTestId('step-10').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /damaged/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('a shared session replaces one with progress only after confirmation', async () => {
  const source = await env.browser.newContext();
  const a = await open(source);
  await a.page.getByTestId('scenario-select').selectOption('ready');
  await a.page.getByTestId('run-all').click();
  await scrollTo(a.page, 'files');
  await a.page.getByTestId('share-create').click();
  const link = new URL(await a.page.getByTestId('share-link').inputValue());

  const target = await env.browser.newContext();
  const b = await open(target);
  await b.page.getByTestId('step-1-run').click();
  await b.page.evaluate((hash) => { window.location.hash = hash; }, link.hash);
  await b.page.getByTestId('share-cancel').click();
  assert.equal(await b.page.getByTestId('scenario-select').inputValue(), 'accepted-risk');
  await b.page.evaluate((hash) => { window.location.hash = hash; }, link.hash);
  await b.page.getByTestId('share-confirm').click();
  assert.equal(await b.page.getByTestId('scenario-select').inputValue(), 'ready');
  assert.match(await b.page.getByTestId('decision').textContent(), /ready_for_release/);
  assert.deepEqual(b.problems(), []);
  await source.close();
  await target.close();
});
