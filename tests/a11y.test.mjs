// Accessibility: axe-core (from npm, injected into the page) on each main view finds no serious or
// critical violation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const require = createRequire(import.meta.url);
const env = sharedBrowser();
let axeSource;

before(async () => {
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
});

/** Runs axe on the page; returns the serious and critical violations, described. */
async function audit(page) {
  // evaluate() runs through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

const views = [
  ['first load', async () => {}],
  ['after running every step', async (page) => page.getByTestId('run-all').click()],
  ['a blocked step panel with an error', async (page) => {
    await page.getByTestId('scenario-select').selectOption('blocked');
    await page.getByTestId('run-all').click();
    await page.getByTestId('step-5').getByRole('button').click();
    await page.getByTestId('step-5-run').click();
  }],
  ['the tamper demonstration and an imported package', async (page) => {
    await page.getByTestId('run-all').click();
    await scrollTo(page, 'chain', 'files');
    await page.getByText('Tamper demonstration').click();
    await page.getByTestId('tamper-verify').click();
    const sample = await readFile(new URL('./fixtures/sample-evidence-package.json', import.meta.url));
    await page.getByTestId('import-file').setInputFiles({ name: 'sample.json', mimeType: 'application/json', buffer: sample });
    await page.getByTestId('imported-decision').waitFor();
  }],
  ['the reset confirmation', async (page) => {
    await page.getByTestId('run-all').click();
    await page.getByTestId('reset').click();
  }],
];

for (const [name, reach] of views) {
  test(`axe finds no serious or critical violation: ${name}`, async () => {
    const context = await env.browser.newContext();
    const { page, problems } = await watchedPage(context, env.server.origin);
    await page.goto(`${env.server.origin}/`);
    await page.getByTestId('step-10').waitFor();
    await reach(page);
    const violations = await audit(page);
    assert.deepEqual(violations, []);
    assert.deepEqual(problems(), []);
    await context.close();
  });
}

test('the audit itself catches a violation', async () => {
  const context = await env.browser.newContext();
  const { page } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.evaluate(() => {
    const button = document.createElement('button');
    document.body.append(button);
  });
  const violations = await audit(page);
  assert.ok(violations.some((v) => v.startsWith('button-name')), violations.join('\n'));
  await context.close();
});
