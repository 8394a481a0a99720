// The hostile input suite through the app's import: every case the native suite generates
// (core/tests/hostile.rs writes them to target/tmp/hostile-cases/) is refused in the page with the
// same clear error, and the session and its storage stay exactly as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const DIR = process.env.CLOSEOUT_HOSTILE_DIR ?? new URL('../target/tmp/hostile-cases', import.meta.url).pathname;
const env = sharedBrowser();

test('every hostile package is refused by the app import and changes nothing', async () => {
  const manifest = JSON.parse(
    await readFile(join(DIR, 'manifest.json'), 'utf8').catch(() => {
      throw new Error(`no hostile cases in ${DIR}: run the native tests first (cargo xtask test does)`);
    }),
  );
  assert.ok(manifest.length >= 150, `${manifest.length} cases`);
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  page.on('dialog', (dialog) => {
    problems().push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('run-all').click();
  await page.waitForFunction(() => (localStorage.getItem('closeout-sandbox.session.v1') ?? '').includes('"final_decision"'));
  const storedBefore = await page.evaluate(() => JSON.stringify(localStorage));
  const decisionBefore = await page.getByTestId('decision').textContent();
  await scrollTo(page, 'files');
  const input = page.getByTestId('import-file');
  let refused = 0;
  for (const entry of manifest) {
    const buffer = await readFile(join(DIR, entry.file));
    await input.setInputFiles({ name: entry.file, mimeType: 'application/json', buffer });
    const error = page.locator('[data-testid="import-error"]', { hasText: `${entry.file} was not imported` });
    await error.waitFor({ timeout: 10_000 });
    const text = await error.textContent();
    assert.ok(text.includes(entry.expect), `${entry.name}: expected ${JSON.stringify(entry.expect)} in ${JSON.stringify(text)}`);
    assert.equal(await page.getByTestId('imported-decision').count(), 0, `${entry.name}: nothing was imported`);
    refused += 1;
  }
  assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), storedBefore);
  assert.equal(await page.getByTestId('decision').textContent(), decisionBefore);
  assert.deepEqual(problems(), []);
  console.log(`# hostile input suite in the browser: ${refused} of ${manifest.length} cases refused, session unchanged`);
  await context.close();
});
