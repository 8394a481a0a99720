import { serveDist, launchBrowser, scrollTo } from './support/harness.mjs';
const server = await serveDist();
const browser = await launchBrowser();
const sizes = [[1280, 800], [1024, 768], [390, 844]];
for (const [w, h] of sizes) {
  const context = await browser.newContext({ viewport: { width: w, height: h } });
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('role-select').selectOption('auditor');
  await page.getByTestId('run-all').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shots/run-all-auditor-${w}.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  console.log(w, 'overflow after run-all', overflow);
  await scrollTo(page, 'chain');
  await page.getByTestId('attest').click();
  await page.waitForTimeout(300);
  await page.locator('[data-testid="chain-table"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/chain-attest-${w}.png` });
  await page.getByTestId('clock-step').selectOption('30');
  await page.getByTestId('clock-advance').click();
  await page.getByTestId('step-10').getByRole('button').click();
  await page.getByTestId('step-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/stale-${w}.png` });
  // blocked: waiting state
  await page.getByTestId('scenario-select').selectOption('blocked');
  await page.getByTestId('reset-confirm').click();
  await page.getByTestId('role-select').selectOption('release-manager');
  for (const s of [1, 2, 3]) { await page.getByTestId(`step-${s}`).getByRole('button').click(); await page.getByTestId(`step-${s}-run`).click(); }
  await page.getByTestId('step-4').getByRole('button').click();
  await page.getByTestId('step-4-run').click();
  await page.getByTestId('step-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/waiting-${w}.png` });
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  console.log(w, 'overflow waiting', overflow2);
  await context.close();
}
await browser.close();
await server.close();
