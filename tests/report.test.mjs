// The auditor's report as print: rendered to PDF by Chromium, alone on the page, the decision on page 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { sharedBrowser, watchedPage } from './support/harness.mjs';

const env = sharedBrowser();
// A4 at 96 dpi is 1123 px tall; 14 mm margins leave about 1017 px of page 1.
const FIRST_PAGE_PX = 1017;

test('the printed report holds the decision on its first page and nothing but the report', async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('run-all').click();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('step-list').isVisible(), false, 'the flow is not printed');
  assert.equal(await page.getByTestId('print-report').isVisible(), false, 'the print button is not printed');
  const box = await page.getByTestId('report-decision').boundingBox();
  assert.ok(box && box.y + box.height < FIRST_PAGE_PX, `the decision ends at ${box?.y + box?.height}px, past page 1`);
  assert.match(await page.getByTestId('report-decision').textContent(), /ready_with_accepted_risk/);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 2 && pages <= 12, `${pages} pages`);
  if (process.env.CLOSEOUT_REPORT_PDF) await writeFile(process.env.CLOSEOUT_REPORT_PDF, pdf);
  console.log(`# auditor's report: ${pages} A4 pages, decision on page 1`);
  assert.deepEqual(problems(), []);
  await context.close();
});
