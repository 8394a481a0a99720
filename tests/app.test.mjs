// The sandbox as a person uses it, in Debian's Chromium: every scenario end to end, persistence,
// reset, files in and out, refusals, role gating, time travel and the tamper demonstration. Every
// test also fails on a console error or a request to another origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedBrowser, watchedPage, scrollTo } from './support/harness.mjs';

const env = sharedBrowser();
const SAMPLE = new URL('./fixtures/sample-evidence-package.json', import.meta.url);

/** A fresh browser context (empty storage) with the page loaded and checked on close. */
async function open() {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await watchedPage(context, env.server.origin);
  page.on('dialog', (dialog) => {
    problems().push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor({ timeout: 30_000 });
  return {
    page,
    context,
    async close() {
      assert.deepEqual(problems(), []);
      await context.close();
    },
  };
}

const stepStates = (page) =>
  page.$$eval('li[data-testid^="step-"]', (items) => items.map((item) => item.getAttribute('data-state')));

/** Waits until the element shows text matching `pattern` (results of file reads arrive later), then returns it. */
async function shows(page, testid, pattern) {
  const locator = page.locator(`[data-testid="${testid}"]`, { hasText: pattern });
  await locator.waitFor({ timeout: 10_000 });
  return locator.textContent();
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('first load: accepted-risk at its generated_at, ten pending steps, step 1 explained', async () => {
  const { page, close } = await open();
  assert.equal(await page.getByTestId('scenario-select').inputValue(), 'accepted-risk');
  assert.equal(await page.getByTestId('clock-now').textContent(), '2026-05-31T08:30:00+00:00');
  assert.deepEqual(await stepStates(page), Array(10).fill('pending'));
  const panel = page.getByTestId('step-panel');
  assert.match(await panel.textContent(), /This step is run by the release manager/);
  await page.getByTestId('step-3').getByRole('button').click();
  assert.match(await page.getByTestId('edition-note').textContent(), /Enterprise/);
  await close();
});

for (const [scenario, state, expected] of [
  ['ready', 'ready_for_release', Array(10).fill('done')],
  ['accepted-risk', 'ready_with_accepted_risk', Array(10).fill('done')],
  ['blocked', 'blocked', ['done', 'done', 'done', 'blocked', 'blocked', 'blocked', 'blocked', 'done', 'done', 'done']],
]) {
  test(`the ${scenario} scenario runs to ${state}`, async () => {
    const { page, close } = await open();
    if (scenario !== 'accepted-risk') await page.getByTestId('scenario-select').selectOption(scenario);
    await page.getByTestId('run-all').click();
    await page.locator(`[data-testid="decision"][data-state="${state}"]`).waitFor();
    assert.match(await page.getByTestId('decision').textContent(), new RegExp(state));
    assert.deepEqual(await stepStates(page), expected);
    await scrollTo(page, 'chain');
    await page.getByTestId('verify-chain').click();
    assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
    await close();
  });
}

test('running a step shows its record with id and digest; the session survives a reload', async () => {
  const { page, close } = await open();
  await page.getByTestId('step-1-run').click();
  assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'done');
  assert.match(await page.getByTestId('record-id').first().textContent(), /^gordackfinalbundle-[0-9a-f]{16}$/);
  assert.match(await page.getByTestId('record-digest').first().textContent(), /^[0-9a-f]{64}$/);
  await page.getByTestId('run-all').click();
  const decision = await page.getByTestId('decision').textContent();
  await scrollTo(page, 'chain');
  const head = await page.locator('[data-testid="entry-20"]').textContent();
  await page.reload();
  await page.getByTestId('step-10').waitFor();
  await scrollTo(page, 'chain');
  assert.deepEqual(await stepStates(page), Array(10).fill('done'));
  assert.equal(await page.getByTestId('decision').textContent(), decision);
  assert.equal(await page.locator('[data-testid="entry-20"]').textContent(), head);
  await close();
});

test('reset and switching scenario ask first, then start fresh', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-cancel').click();
  assert.deepEqual(await stepStates(page), Array(10).fill('done'));
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').click();
  assert.deepEqual(await stepStates(page), Array(10).fill('pending'));
  await page.getByTestId('run-all').click();
  await page.getByTestId('scenario-select').selectOption('ready');
  assert.deepEqual(await stepStates(page), Array(10).fill('done'), 'nothing changes before confirming');
  await page.getByTestId('reset-confirm').click();
  assert.equal(await page.getByTestId('scenario-select').inputValue(), 'ready');
  assert.deepEqual(await stepStates(page), Array(10).fill('pending'));
  await close();
});

test('a role that does not own a step cannot run it, and the button says who can', async () => {
  const { page, close } = await open();
  await page.getByTestId('role-select').selectOption('auditor');
  const run = page.getByTestId('step-1-run');
  assert.equal(await run.isDisabled(), true);
  assert.match(await run.textContent(), /The auditor does nothing here: this step is run by the release manager/);
  await page.getByTestId('role-select').selectOption('platform-owner');
  await page.getByTestId('step-7').getByRole('button').click();
  assert.equal(await page.getByTestId('step-7-run').isDisabled(), false);
  await page.getByTestId('step-7-run').click();
  assert.match(await page.getByTestId('step-error').textContent(), /needs a retention health report/);
  assert.equal(await page.getByTestId('step-7').getAttribute('data-state'), 'pending');
  await close();
});

test('the clock stops at the last day a timestamp can hold: a move past it is refused, the clock kept, and a reload keeps it', async () => {
  const { page, close } = await open();
  const clock = () => page.getByTestId('clock-now').textContent();
  const refusal = /The sandbox clock can't go past 31 December 9999 \(23:59:59 UTC\), the last moment a record's timestamp can hold\. Choose an earlier date\./;
  const goTo = async (date) => {
    await page.getByTestId('clock-date').fill(date);
    await page.getByTestId('clock-set').click();
  };
  const stepBy = async (days) => {
    await page.getByTestId('clock-step').selectOption(days);
    await page.getByTestId('clock-advance').click();
  };
  await goTo('9999-12-31');
  assert.equal(await clock(), '9999-12-31T00:00:00+00:00');
  for (const [what, move] of [
    ['the date 10000-01-01', () => goTo('10000-01-01')],
    ['a step of 1 day', () => stepBy('1')],
    ['a step of 30 days', () => stepBy('30')],
    ['a step of 1 year', () => stepBy('365')],
  ]) {
    // A move back first, so that each refusal below is a fresh notice.
    await goTo('2030-01-01');
    assert.match(
      await shows(page, 'notice', /only moves forward/),
      /The clock only moves forward; it is already 9999-12-31T00:00:00\+00:00\./,
    );
    await move();
    assert.match(await shows(page, 'notice', refusal), refusal, `${what} is refused`);
    assert.equal(await clock(), '9999-12-31T00:00:00+00:00', `${what} leaves the clock`);
  }
  await page.waitForFunction(() => (localStorage.getItem('closeout-sandbox.session.v1') ?? '').includes('"clock":"9999-12-31T00:00:00+00:00"'));
  await page.reload();
  await page.getByTestId('step-10').waitFor({ timeout: 30_000 });
  assert.equal(await clock(), '9999-12-31T00:00:00+00:00', 'a reload keeps the clock');
  assert.equal(await page.getByTestId('storage-banner').count(), 0, 'the saved session opens');
  await page.getByTestId('run-all').click();
  await page.locator('[data-testid="step-10"]:not([data-state="pending"])').waitFor();
  assert.ok(!(await stepStates(page)).includes('pending'), 'the flow runs at the last day');
  assert.equal(await clock(), '9999-12-31T00:00:00+00:00');
  await close();
});

test('time travel: a year on, retention has expired and the release is blocked', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await page.getByTestId('clock-step').selectOption('365');
  await page.getByTestId('clock-advance').click();
  assert.equal(await page.getByTestId('clock-now').textContent(), '2027-05-31T08:30:00+00:00');
  const decision = page.getByTestId('decision');
  assert.match(await decision.textContent(), /retention_expired/);
  assert.match(await decision.textContent(), /blocked/);
  await page.getByTestId('step-6').getByRole('button').click();
  await page.getByTestId('step-6-run').click();
  assert.match(await page.getByTestId('step-panel').textContent(), /"category": "retention_expired"/);
  await close();
});

test('export the trial package, then import it: the same decision', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await scrollTo(page, 'files');
  const exported = await download(page, 'export-package');
  assert.equal(exported.name, 'trial-package.json');
  assert.equal(JSON.parse(exported.bytes).schema_version, 'cavra.final_closeout_trial.v1');
  await page.getByTestId('import-file').setInputFiles({ name: 'trial-package.json', mimeType: 'application/json', buffer: exported.bytes });
  await shows(page, 'imported-decision', /trial-package\.json.*ready_with_accepted_risk/);
  await page.getByTestId('import-file').setInputFiles(SAMPLE.pathname);
  await shows(page, 'imported-decision', /sample-evidence-package\.json.*ready_with_accepted_risk/);
  await close();
});

test('a package that leaves out a step section is decided, naming what it leaves out (D-16)', async () => {
  const { page, close } = await open();
  const sample = JSON.parse(await readFile(SAMPLE, 'utf8'));
  delete sample.retry_worker_run;
  await scrollTo(page, 'files');
  await page.getByTestId('import-file').setInputFiles({ name: 'no-worker.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sample)) });
  await shows(page, 'imported-decision', /no-worker\.json.*blocked.*retry_worker_missing/s);
  const absent = await shows(page, 'imported-absent', /retry_worker_run/);
  assert.match(absent, /did not run/);
  assert.equal(await page.getByTestId('import-error').count(), 0);
  await close();
});

test('refused imports name the problem and leave the session and storage as they were', async () => {
  const { page, close } = await open();
  await page.getByTestId('step-1-run').click();
  await page.waitForFunction(() => (localStorage.getItem('closeout-sandbox.session.v1') ?? '').includes('"status":"done"'));
  const storedBefore = await page.evaluate(() => JSON.stringify(localStorage));
  const statesBefore = await stepStates(page);
  await scrollTo(page, 'files');
  const sample = await readFile(SAMPLE, 'utf8');
  const secret = sample.replace('Synthetic retention approval for final closeout trial walkthrough.', 'xoxb-1234567890-abcdefghijkl');
  await page.getByTestId('import-file').setInputFiles({ name: 'secret.json', mimeType: 'application/json', buffer: Buffer.from(secret) });
  const error = await shows(page, 'import-error', /\$\.retention_review\.notes/);
  assert.doesNotMatch(error, /xoxb-/);
  await page.getByTestId('import-file').setInputFiles({ name: 'truncated.json', mimeType: 'application/json', buffer: Buffer.from(sample.slice(0, 700)) });
  await shows(page, 'import-error', /truncated\.json was not imported: not valid JSON/);
  assert.deepEqual(await stepStates(page), statesBefore);
  assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), storedBefore);
  await close();
});

test('markup in an imported text field is shown as text, never as HTML', async () => {
  const { page, close } = await open();
  const sample = JSON.parse(await readFile(SAMPLE, 'utf8'));
  sample.scenario.name = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
  await scrollTo(page, 'files');
  await page.getByTestId('import-file').setInputFiles({ name: 'markup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sample)) });
  await shows(page, 'imported-decision', /<img src=x onerror=/);
  const imported = page.getByTestId('imported-decision');
  assert.equal(await imported.locator('img, script').count(), 0);
  assert.notEqual(await page.title(), 'pwned');
  await close();
});

test('the tamper demonstration fails verification at the edited entry; downloads verify in the page', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await scrollTo(page, 'chain', 'files');
  await page.getByText('Tamper demonstration').click();
  await page.getByTestId('tamper-entry').selectOption('12');
  await page.getByTestId('tamper-field').selectOption('decision_state');
  await page.getByTestId('tamper-value').fill('denied');
  await page.getByTestId('tamper-verify').click();
  assert.match(await page.getByTestId('tamper-result').textContent(), /tampered: entry 12 \(retention_decision\)/);
  await page.getByTestId('verify-chain').click();
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/, 'the session itself is untouched');

  const chain = await download(page, 'download-chain');
  await page.getByTestId('verify-file').setInputFiles({ name: chain.name, mimeType: 'application/json', buffer: chain.bytes });
  await shows(page, 'verify-result', /evidence-chain\.json: intact evidence chain of 22 entries/);
  const zip = await download(page, 'download-bundle');
  assert.equal(zip.name, 'closeout-artifact-bundle.zip');
  await page.getByTestId('verify-file').setInputFiles({ name: zip.name, mimeType: 'application/zip', buffer: zip.bytes });
  await shows(page, 'verify-result', /closeout-artifact-bundle\.zip: intact artifact bundle/);
  const flipped = Buffer.from(zip.bytes);
  flipped[40] ^= 0xff;
  await page.getByTestId('verify-file').setInputFiles({ name: 'flipped.zip', mimeType: 'application/zip', buffer: flipped });
  await shows(page, 'verify-result', /flipped\.zip: (tampered|not a readable)/);
  const edited = chain.bytes.toString().replace('"approved"', '"denied"');
  await page.getByTestId('verify-file').setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(edited) });
  await shows(page, 'verify-result', /edited\.json: tampered: entry/);
  await close();
});

test('a chain cut short verifies, says it has no final decision and where this session\'s chain was cut; the report prints the head to pin', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await scrollTo(page, 'files');
  const chain = await download(page, 'download-chain');
  const full = JSON.parse(chain.bytes.toString());
  const total = full.entries.length;
  await page.getByTestId('verify-file').setInputFiles({ name: chain.name, mimeType: 'application/json', buffer: chain.bytes });
  await shows(page, 'verify-comparison', /^It is the same as this session's chain\.$/);
  assert.equal(await page.getByTestId('verify-warning').count(), 0, 'a chain ending with its final decision needs no warning');

  // The cut: the first 15 entries, with entry_count and head_digest mended so that it verifies.
  const entries = full.entries.slice(0, 15);
  const cut = { ...full, entry_count: 15, head_digest: entries[14].entry_digest, entries };
  await page.getByTestId('verify-file').setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(cut, null, 2)) });
  await shows(page, 'verify-result', /^cut\.json: intact evidence chain of 15 entries, head [0-9a-f]{64}\.$/);
  assert.equal(await page.getByTestId('verify-result').getAttribute('data-intact'), 'true');
  const warning = await shows(page, 'verify-warning', /no final decision/);
  assert.match(warning, /A chain can't show it was cut short/);
  assert.match(warning, /compare its head with the one the auditor's report printed, or verify with --head/);
  await shows(page, 'verify-comparison', new RegExp(`this session's chain cut short at entry 15 \\(this session has ${total} entries\\)`));

  await page.locator('#report').scrollIntoViewIfNeeded();
  const head = await page.getByTestId('report-head').textContent();
  assert.equal(
    head,
    `Head to pin: ${full.head_digest} after ${total} entries. To check a copy later: closeout verify evidence-chain.json --head ${full.head_digest}`,
  );
  await close();
});

test('the accepted-risk form is validated, and the decision follows it', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await page.getByTestId('risk-expires').fill('soon');
  await page.getByTestId('risk-save').click();
  assert.match(await page.getByTestId('risk-error').textContent(), /expires_at/);
  await page.getByTestId('risk-remove').click();
  assert.match(await page.getByTestId('decision').textContent(), /undocumented_risk/);
  await page.getByTestId('risk-owner').fill('release-risk-owner');
  await page.getByTestId('risk-reason').fill('Retry plan and dry run reviewed.');
  await page.getByTestId('risk-expires').fill('2026-06-30');
  await page.getByTestId('risk-save').click();
  await page.locator('[data-testid="decision"][data-state="ready_with_accepted_risk"]').waitFor();
  await close();
});

test('a second tab notices changes made in the first', async () => {
  const { page, context, close } = await open();
  const second = await context.newPage();
  await second.goto(`${env.server.origin}/`);
  await second.getByTestId('step-10').waitFor();
  await page.getByTestId('run-all').click();
  await second.locator('li[data-testid="step-10"][data-state="done"]').waitFor({ timeout: 5_000 });
  assert.match(await second.getByTestId('notice').textContent(), /another tab/);
  await second.close();
  await close();
});

test('phone width: nothing overflows sideways; the flow works from the keyboard alone', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page, problems } = await watchedPage(context, env.server.origin);
  await page.goto(`${env.server.origin}/`);
  await page.getByTestId('step-10').waitFor();
  // Keyboard only: reach "Run remaining steps" with Tab and press Enter.
  let focused = '';
  for (let i = 0; i < 40 && focused !== 'run-all'; i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  }
  assert.equal(focused, 'run-all', 'Run remaining steps is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="decision"][data-state="ready_with_accepted_risk"]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('escalations name whom to tell and why; counters count as the dashboard does', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  await scrollTo(page, 'decision');
  const counters = await page.getByTestId('counters').textContent();
  assert.match(counters, /Failed deliveries1/);
  assert.match(counters, /Executions failed0/);
  assert.match(counters, /Dry-run executions \(not failures\)1/);
  assert.match(await page.getByTestId('escalations').textContent(), /Nothing to escalate/);
  await page.getByTestId('clock-step').selectOption('365');
  await page.getByTestId('clock-advance').click();
  assert.match(await page.getByTestId('escalation-retention_expired').textContent(), /To the Security architect/);
  await page.getByTestId('reset').click();
  await page.getByTestId('scenario-select').selectOption('blocked');
  await page.getByTestId('reset-confirm').click();
  await page.getByTestId('run-all').click();
  assert.match(await page.getByTestId('escalation-retention_not_approved').textContent(), /To the Release manager/);
  assert.match(await page.getByTestId('escalation-legal_hold_off_for_regulated_evidence').textContent(), /To the Security architect/);
  await close();
});

test('the flow diagram shows live states and opens a step by mouse or keyboard', async () => {
  const { page, close } = await open();
  await page.getByTestId('step-1-run').click();
  assert.equal(await page.getByTestId('diagram-step-1').getAttribute('data-state'), 'done');
  assert.equal(await page.getByTestId('diagram-step-2').getAttribute('data-state'), 'pending');
  await page.getByTestId('diagram-step-6').click();
  assert.match(await page.getByTestId('step-panel').textContent(), /Step 6: Retention health/);
  await page.getByTestId('diagram-step-9').focus();
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('step-panel').textContent(), /Step 9: Retry worker/);
  await page.getByTestId('scenario-select').selectOption('blocked');
  await page.getByTestId('reset-confirm').click();
  await page.getByTestId('run-all').click();
  assert.equal(await page.getByTestId('diagram-step-5').getAttribute('data-state'), 'blocked');
  await close();
});

test('step 3: pick Splunk and read the exact body Splunk would receive, as the chain holds it', async () => {
  const { page, close } = await open();
  await page.getByTestId('step-1-run').click();
  await page.getByTestId('step-2').getByRole('button').click();
  await page.getByTestId('step-2-run').click();
  await page.getByTestId('step-3').getByRole('button').click();
  await page.locator('#input-3-providers').fill('splunk');
  await page.getByTestId('step-3-run').click();
  assert.equal(await page.getByTestId('step-3').getAttribute('data-state'), 'done');
  const bodies = page.getByTestId('provider-bodies');
  await bodies.locator('summary').click();
  const splunk = bodies.getByTestId('provider-splunk');
  await splunk.waitFor({ timeout: 10_000 });
  assert.equal(await bodies.getByTestId('provider-webhook').count(), 0, 'only the chosen provider was called');
  const body = JSON.parse(await splunk.getByTestId('provider-body').textContent());
  assert.equal(body.sourcetype, 'cavra:go:rollback_drill:closeout');
  assert.equal(body.event.closeout_state, 'closed');
  assert.match(body.event.summary_id, /^gordackfinalcloseout-[0-9a-f]{16}$/);
  assert.deepEqual(Object.keys(body.event).sort(), [
    'alert_level', 'archive_object_count', 'bundle_id', 'closeout_state', 'evidence_count', 'executive_summary',
    'manifest_id', 'public_evidence_refs', 'release_record_ref', 'signature_state', 'summary_hash', 'summary_id',
  ]);
  const text = await splunk.textContent();
  assert.match(text, /Authorization: REDACTED/);
  assert.match(await splunk.getByTestId('provider-boundary').textContent(), /HTTP Event Collector token.*Enterprise/);
  // The delivery record shown beside it (the chain's entry) holds the event, and Splunk's body in it.
  const records = await page.getByTestId('record').allTextContents();
  const delivery = records.map((r) => r.slice(r.indexOf('{'))).map((json) => JSON.parse(json)).find((r) => r.delivery_id);
  assert.deepEqual(delivery.event.provider_payloads.splunk, body);
  assert.equal(delivery.event.event_type, 'cavra.go_backend.rollback_drill.final_reporting.release_closeout');
  await close();
});

test('records say truly who acted: step 4 takes two roles, a typed decided_by changes nothing, the accepted risk is a record, step 10 goes stale', async () => {
  const { page, close } = await open();
  // "Run remaining steps" as the auditor says who ran what.
  await page.getByTestId('role-select').selectOption('auditor');
  assert.match(await page.getByTestId('role-duties').textContent(), /verifies the chain/);
  await page.getByTestId('run-all').click();
  const notice = await page.locator('[role="status"]', { hasText: 'ran as the platform owner' }).first().textContent();
  assert.match(notice, /Steps 1-6 and 10 ran as the release manager; steps 7-9 ran as the platform owner; the security architect decided the retention review/);
  // The chain view names who appended each record, the accepted risk among them.
  await scrollTo(page, 'chain');
  const kinds = await page.$$eval('[data-testid="chain-table"] tbody tr', (rows) =>
    rows.map((row) => [row.children[1].textContent, row.children[2].textContent]));
  assert.ok(kinds.some(([kind, by]) => kind === 'retention_decision' && by === 'Security architect'), JSON.stringify(kinds));
  assert.ok(kinds.some(([kind, by]) => kind === 'accepted_risk' && by === 'Release manager'), JSON.stringify(kinds));
  // The auditor attests the chain: an attestation record, by the auditor.
  await page.getByTestId('attest').click();
  await page.locator('[data-testid="chain-table"] tbody tr', { hasText: 'attestation' }).waitFor();
  // In blocked, the release manager requests, cannot decide, and a typed decided_by has no effect.
  await page.getByTestId('scenario-select').selectOption('blocked');
  await page.getByTestId('reset-confirm').click();
  await page.getByTestId('role-select').selectOption('release-manager');
  for (const step of [1, 2, 3]) {
    await page.getByTestId(`step-${step}`).getByRole('button').click();
    await page.getByTestId(`step-${step}-run`).click();
  }
  await page.getByTestId('step-4').getByRole('button').click();
  assert.match(await page.getByTestId('step-4-run').textContent(), /Request the retention review as Release manager/);
  await page.getByTestId('step-4-run').click();
  assert.equal(await page.getByTestId('step-4').getAttribute('data-state'), 'waiting');
  assert.match(await page.getByTestId('waiting-reason').textContent(), /security architect/);
  await page.getByTestId('role-select').selectOption('security-architect');
  assert.match(await page.getByTestId('step-4-run').textContent(), /Decide the retention review as Security architect/);
  await page.getByTestId('step-4-run').click();
  assert.match(await page.getByTestId('step-panel').textContent(), /"decided_by": "demo-security-architect"/);
  assert.match(await page.getByTestId('step-panel').textContent(), /"requested_by": "demo-release-manager"/);
  await close();
});

test('a recorded decision that no longer holds is stale after time travel, and running step 10 again records the new one', async () => {
  const { page, close } = await open();
  await page.getByTestId('run-all').click();
  assert.equal(await page.getByTestId('step-10').getAttribute('data-state'), 'done');
  await page.getByTestId('clock-step').selectOption('30');
  await page.getByTestId('clock-advance').click();
  assert.equal(await page.getByTestId('step-10').getAttribute('data-state'), 'stale');
  await page.getByTestId('step-10').getByRole('button').click();
  assert.match(await page.getByTestId('stale-reason').textContent(), /ready_with_accepted_risk.*blocked/);
  // The auditor's report says so too, and names who recorded the accepted risk.
  await page.locator('#report').scrollIntoViewIfNeeded();
  await shows(page, 'report-stale', /The recorded final decision no longer holds/);
  assert.match(await page.getByTestId('report-risk').textContent(), /recorded by the release manager \(demo-release-manager\)/);
  await page.getByTestId('step-10').getByRole('button').click();
  await page.getByTestId('step-10-run').click();
  assert.equal(await page.getByTestId('step-10').getAttribute('data-state'), 'done');
  await close();
});
