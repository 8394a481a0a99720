// Offline after the first visit: the service worker keeps one whole build, so with the network off
// (the context offline and the host refusing every request) the page reloads, runs every step, opens
// every part and downloads every file. A new deploy that arrives while a page is open is installed
// beside it and taken only on the next visit, with a notice, never mixing the files of two builds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, scrollTo } from './support/harness.mjs';
import { BASE, OUTSIDE, SUBPATH_DIST, keptFiles, openSite, serveSite, watchContext, whenKept } from './support/deploy.mjs';

const env = {};
before(async () => {
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
});

/** Every file the build's service worker keeps, as paths under the base. */
const keptPaths = async (dir = SUBPATH_DIST) => (await keptFiles(dir)).map(([file]) => `${BASE}${file}`).sort();

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), bytes: (await readFile(await file.path())).length };
}

test('after a first visit, with the network off: reload, every step, every part, every file, a share link', async () => {
  const site = await serveSite();
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { problems } = watchContext(context, site.origin);
  const first = await openSite(context, site);
  const kept = await whenKept(first);
  assert.equal(kept.caches.length, 1, kept.caches.join(', '));
  assert.match(kept.caches[0], new RegExp(`^closeout ${site.url} [0-9a-f]{16}$`), 'one cache, named by the scope and the build');
  assert.deepEqual(kept.files.map((f) => (f === `${BASE}` ? `${BASE}index.html` : f)).sort(), await keptPaths(), 'the whole build is kept');
  assert.ok(kept.files.some((f) => f.includes('lazy-split_demo-')), 'the parts too, before they are opened');

  await context.setOffline(true);
  site.offline(true);
  await first.reload();
  await first.getByTestId('step-10').waitFor();
  assert.ok(await first.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the reloaded page is the worker\'s');
  await first.getByTestId('step-1-run').click();
  await first.getByTestId('run-all').click();
  assert.deepEqual(
    await first.$$eval('li[data-testid^="step-"]', (items) => items.map((i) => i.getAttribute('data-state'))),
    Array(10).fill('done'),
  );
  assert.match(await first.getByTestId('decision').textContent(), /ready_with_accepted_risk/);
  await first.getByTestId('walkthrough').locator('summary').click();
  await first.getByTestId('lesson').first().waitFor();
  await first.getByTestId('demo-mode').locator('summary').click();
  await first.getByTestId('talk-track').waitFor();
  await scrollTo(first, 'decision', 'chain', 'files');
  await first.getByTestId('verify-chain').click();
  assert.match(await first.getByTestId('chain-verify-result').textContent(), /^Intact/);
  const files = [];
  for (const testid of ['export-package', 'download-chain', 'download-bundle', 'download-bundle-json']) {
    files.push(await download(first, testid));
  }
  assert.deepEqual(files.map((f) => f.name.replace(/.*\./, '')), ['json', 'json', 'zip', 'json']);
  assert.ok(files.every((f) => f.bytes > 100), JSON.stringify(files));
  await first.getByTestId('share-create').click();
  const link = new URL(await first.getByTestId('share-link').inputValue());
  const decision = await first.getByTestId('decision').textContent();
  await first.getByTestId('reset').click();
  await first.getByTestId('reset-confirm').click();

  const shared = await openSite(context, site, link.hash);
  assert.match(await shared.getByTestId('notice').textContent(), /Opened a shared accepted-risk session/);
  assert.equal(await shared.getByTestId('decision').textContent(), decision);
  // The browser itself may look for a new service worker on each visit (and find the host gone); the
  // page asked the host for nothing.
  assert.deepEqual(site.whileOffline.filter((path) => path !== `${BASE}sw.js`), [], 'nothing else reached the host while offline');
  assert.deepEqual(problems(), []);
  await context.close();
  await site.close();
});

/**
 * A second deploy made from the build: its page marked (so a test can tell the builds apart) and its
 * stylesheet under a new name, so the host of the new deploy no longer has the old one's; its service
 * worker lists the new files (the page with its new integrity) under a new build hash, as `cargo xtask
 * build` writes it (xtask/src/offline.rs).
 */
async function nextDeploy(from) {
  const dir = await mkdtemp(join(tmpdir(), 'closeout-next-deploy-'));
  await cp(from, dir, { recursive: true });
  const css = (await readdir(dir)).find((f) => f.endsWith('.css'));
  const renamed = css.replace(/\.css$/, '-next.css');
  await rename(join(dir, css), join(dir, renamed));
  let index = await readFile(join(dir, 'index.html'), 'utf8');
  assert.ok(index.includes(`${BASE}${css}`));
  index = index.replace(`${BASE}${css}`, `${BASE}${renamed}`).replace('<head>', '<head><meta name="deploy" content="next">');
  await writeFile(join(dir, 'index.html'), index);
  const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  const files = (await keptFiles(dir)).map((entry) => (entry[0] === 'index.html' ? ['index.html', sri(index)] : entry[0] === css ? [renamed] : entry));
  let worker = await readFile(join(dir, 'sw.js'), 'utf8');
  worker = worker
    .replace(/^const FILES = .*;$/m, `const FILES = ${JSON.stringify(files)};`)
    .replace(/^const BUILD = "([0-9a-f]+)";$/m, (_, build) => `const BUILD = "${[...build].reverse().join('')}";`);
  await writeFile(join(dir, 'sw.js'), worker);
  for (const name of ['index.html', 'sw.js']) await rm(join(dir, `${name}.br`)).then(() => rm(join(dir, `${name}.gz`)));
  return { dir, css, renamed };
}

const deployOf = (page) => page.evaluate(() => document.querySelector('meta[name="deploy"]')?.content ?? 'first');
/** The stylesheet's brand colour as the page sees it: empty when the stylesheet did not load. */
const styled = (page) => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim());

test('a deploy that arrives while a page is open is taken on the next visit, with a notice, never mixed', async () => {
  const site = await serveSite();
  const next = await nextDeploy(SUBPATH_DIST);
  const context = await env.browser.newContext();
  const { problems } = watchContext(context, site.origin);
  const first = await openSite(context, site);
  await whenKept(first);
  await first.close();
  const open = await openSite(context, site);
  assert.ok(await open.evaluate(() => Boolean(navigator.serviceWorker.controller)));
  const paper = await styled(open);
  assert.equal(paper, '#1f4e79', 'the stylesheet applies');
  assert.equal(await open.getByTestId('update-notice').count(), 0, 'no notice while there is no new deploy');

  await site.deploy(next.dir);
  // The browser looks for a new service worker on each visit: a second tab finds the new deploy.
  const second = await openSite(context, site);
  for (const page of [open, second]) {
    const notice = page.getByTestId('update-notice');
    await notice.waitFor({ timeout: 20_000 });
    assert.match(await notice.textContent(), /new version of the sandbox has been published.*close every tab of the sandbox and open it again/);
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.equal(await deployOf(page), 'first', 'the open tabs keep the build they started with');
  }
  // The open page goes on with its own build: its parts, its stylesheet (which the new host has not).
  await open.getByTestId('run-all').click();
  await scrollTo(open, 'chain', 'files');
  await open.getByTestId('verify-chain').click();
  assert.match(await open.getByTestId('chain-verify-result').textContent(), /^Intact/);
  await second.reload();
  await second.getByTestId('step-10').waitFor();
  assert.equal(await deployOf(second), 'first', 'a reload while the old build is open elsewhere keeps it');
  assert.equal(await styled(second), paper);
  await second.getByTestId('update-notice').waitFor();

  await open.close();
  await second.close();
  // Once the last tab of the old build is closed, the new worker takes over; the next visit is the new build.
  const probe = await context.newPage();
  await probe.goto(`${site.origin}${OUTSIDE}`);
  await probe.waitForFunction(async (scope) => {
    const registration = await navigator.serviceWorker.getRegistration(scope);
    return registration && !registration.waiting && !registration.installing && registration.active?.state === 'activated';
  }, BASE);
  await probe.close();
  const later = await openSite(context, site);
  assert.equal(await deployOf(later), 'next');
  assert.equal(await styled(later), paper, 'the new stylesheet, from the new deploy');
  assert.equal(await later.getByTestId('update-notice').count(), 0);
  const kept = await whenKept(later);
  assert.equal(kept.caches.length, 1, `only the new build is kept: ${kept.caches.join(', ')}`);
  assert.deepEqual(kept.files.filter((f) => f.endsWith('.css')), [`${BASE}${next.renamed}`]);
  assert.deepEqual(site.served.filter((line) => line.startsWith('404') && line.includes(BASE)), [], 'no file of one build was asked of the other');
  assert.deepEqual(problems(), []);
  await context.close();
  await site.close();
  await rm(next.dir, { recursive: true });
});
