// The release build served under a sub-path (https://owner.github.io/repo/ is served so): the first
// load, a step, "Run remaining steps", a part loaded on demand and a share link all work there, and
// nothing is fetched from the root of the host or from anywhere else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, scrollTo } from './support/harness.mjs';
import { BASE, openSite, serveSite, watchContext } from './support/deploy.mjs';

const env = {};
before(async () => {
  assert.notEqual(BASE, '/', 'the deploy suites need a build for a sub-path');
  env.site = await serveSite();
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.site?.close();
});

test('under the sub-path: first load, a step, run remaining, a part on demand; all from the sub-path', async () => {
  const context = await env.browser.newContext();
  const { problems } = watchContext(context, env.site.origin);
  const page = await openSite(context, env.site);
  assert.match(await page.title(), /Closeout Sandbox/);
  await page.getByTestId('step-1-run').click();
  assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'done');
  await page.getByTestId('run-all').click();
  assert.match(await page.getByTestId('decision').textContent(), /ready_with_accepted_risk/);
  await scrollTo(page, 'chain');
  await page.getByTestId('verify-chain').click();
  assert.match(await page.getByTestId('chain-verify-result').textContent(), /^Intact/);
  const outside = env.site.served.filter((line) => !line.split(' ')[1].startsWith(BASE));
  assert.deepEqual(outside, [], 'nothing is asked of the root of the host');
  const missing = env.site.served.filter((line) => !line.startsWith('200 '));
  assert.deepEqual(missing, [], 'every file the page asked for is there');
  assert.ok(env.site.served.some((line) => /^200 .*\/lazy-split_chain-/.test(line)), 'the chain came on demand from the sub-path');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('a share link made under the sub-path opens there, in a fresh browser, to the same decision', async () => {
  const first = await env.browser.newContext();
  const a = watchContext(first, env.site.origin);
  const page = await openSite(first, env.site);
  await page.getByTestId('run-all').click();
  await scrollTo(page, 'files');
  await page.getByTestId('share-create').click();
  const link = new URL(await page.getByTestId('share-link').inputValue());
  assert.equal(link.pathname, BASE, 'the link points at the sub-path');
  const decision = await page.getByTestId('decision').textContent();

  const second = await env.browser.newContext();
  const b = watchContext(second, env.site.origin);
  const opened = await openSite(second, env.site, link.hash);
  assert.match(await opened.getByTestId('notice').textContent(), /Opened a shared accepted-risk session/);
  assert.equal(await opened.getByTestId('decision').textContent(), decision);
  assert.equal(new URL(opened.url()).pathname, BASE, 'the page stays at the sub-path once the link is read');
  assert.deepEqual(a.problems(), []);
  assert.deepEqual(b.problems(), []);
  await first.close();
  await second.close();
});

test('the root of the host holds nothing of the build: it is all under the sub-path', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${env.site.origin}/`);
  assert.equal(response.status(), 404);
  const index = await (await fetch(`${env.site.url}index.html`)).text();
  const links = [...index.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length >= 3, links.join(' '));
  for (const link of links) assert.ok(link.startsWith(BASE), `${link} is under ${BASE}`);
  assert.match(index, new RegExp(`register\\("${BASE}sw\\.js",\\{scope:"${BASE}"\\}\\)`));
  await context.close();
});
