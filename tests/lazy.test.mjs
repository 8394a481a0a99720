// The parts of the page that load on demand (app/src/lazy.rs): the first load fetches none of them; each
// comes when its section nears the screen or its panel opens; one that cannot be fetched says so, the
// rest of the page keeps working, and "Try again" brings it once the network is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, watchedPage, scrollTo, tabTo } from './support/harness.mjs';

const env = sharedBrowser();

/** A fresh context with the page loaded, recording problems and the deferred parts requested. */
async function open() {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  const parts = partsRequested(page);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  return { context, page, problems, parts };
}

/** The deferred-part files the page has requested so far. */
function partsRequested(page) {
  const parts = [];
  page.on('request', (request) => {
    const file = new URL(request.url()).pathname.slice(1);
    if (file.startsWith('lazy-')) parts.push(file);
  });
  return () => parts.filter((f) => f.startsWith('lazy-split_')).map((f) => f.replace(/^lazy-split_(\w+)-.*/, '$1'));
}

test('the first load fetches no deferred part; each comes when it is reached or opened', async () => {
  const { context, page, problems, parts } = await open();
  await page.getByTestId('run-all').click();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(parts(), [], 'nothing deferred is fetched before it is needed');
  assert.match(await page.getByTestId('decision').textContent(), /ready_with_accepted_risk/);

  await page.getByTestId('walkthrough').locator('summary').click();
  await page.getByTestId('lesson').waitFor();
  await page.getByTestId('demo-mode').locator('summary').click();
  await page.getByTestId('talk-track').waitFor();
  await scrollTo(page, 'decision', 'chain', 'files');
  assert.deepEqual(parts().sort(), ['chain', 'demo', 'files', 'oversight', 'walkthrough']);
  await page.getByTestId('verify-chain').click();
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('a part that cannot be fetched says so, the page keeps working, and it comes on a retry', async () => {
  const { context, page, problems } = await open();
  await page.route('**/lazy-*', (route) => route.abort('internetdisconnected'));
  await page.locator('#chain').scrollIntoViewIfNeeded();
  const alert = page.locator('#chain [data-testid="part-unavailable"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /The evidence chain could not be loaded\. Check your connection/);
  await page.getByTestId('step-1-run').click();
  assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'done', 'the flow still runs');

  await page.unroute('**/lazy-*');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByTestId('verify-chain').click();
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  // The failed fetches are logged by the browser and by the loader; nothing else went wrong.
  const unexpected = problems().filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|TypeError/.test(p));
  assert.deepEqual(unexpected, []);
  await context.close();
});

test('tabbing down the page finds the parts below in place: focus reaches the chain and the files', async () => {
  const { context, page, problems, parts } = await open();
  await tabTo(page, 'li[data-testid="step-1"] button');
  await page.getByTestId('import-file').waitFor({ state: 'attached' });
  assert.deepEqual(parts().sort(), ['chain', 'files', 'oversight'], 'keyboard focus in the flow brings the parts below');
  await tabTo(page, '[data-testid="verify-chain"]');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('a record\'s link to its chain entry brings the chain in and shows the entry', async () => {
  const { context, page, problems, parts } = await open();
  await page.getByTestId('step-1-run').click();
  assert.ok(!parts().includes('chain'), 'the chain is not in yet');
  await page.getByTestId('step-panel').getByRole('link', { name: /^entry \d+$/ }).first().click();
  const id = new URL(page.url()).hash.slice(1);
  assert.match(id, /^entry-\d+$/);
  const entry = page.locator(`[id="${id}"]`);
  await entry.waitFor();
  await page.waitForFunction((i) => {
    const box = document.getElementById(i)?.getBoundingClientRect();
    return box && box.bottom > 0 && box.top < window.innerHeight;
  }, id, { timeout: 5_000 });
  assert.ok(parts().includes('chain'));
  assert.deepEqual(problems(), []);
  await context.close();
});
