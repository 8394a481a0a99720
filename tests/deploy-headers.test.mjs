// The files a static host needs, read from the build for a sub-path: `_headers` parsed and held to the
// rules (the policy as a header with frame-ancestors, nosniff, no referrer, one cache rule per file),
// the precompressed copies, the web app manifest and its icons, and the link preview's tags and image.
// Then the page served with those headers: it runs under the header policy, and another site cannot
// frame it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { launchBrowser, watchedPage } from './support/harness.mjs';
import { BASE, SUBPATH_DIST, headersFor, keptFiles, openSite, parseHeaders, serveSite, watchContext } from './support/deploy.mjs';

const env = {};
before(async () => {
  env.files = (await readdir(SUBPATH_DIST, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(SUBPATH_DIST.length + 1));
  env.rules = parseHeaders(await readFile(join(SUBPATH_DIST, '_headers'), 'utf8'));
  env.index = await readFile(join(SUBPATH_DIST, 'index.html'), 'utf8');
  env.site = await serveSite(SUBPATH_DIST, { headers: true });
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.site?.close();
});

const served = () => env.files.filter((f) => f !== '_headers' && !/\.(br|gz)$/.test(f));
/** Whether Trunk or the split named the file after its bytes: `<name>-<hex>` before `_bg`, `-lazy` or the ending. */
const hashed = (file) => /-[0-9a-f]{1,16}(_bg|-lazy)?\.(js|wasm|css|svg)$/.test(file);
const metaPolicy = () => /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(env.index)?.[1];

test('_headers: the page policy with frame-ancestors, nosniff and no referrer on every file', () => {
  assert.ok(metaPolicy(), 'the page has its policy');
  for (const file of ['', ...served()]) {
    const headers = headersFor(env.rules, `${BASE}${file}`);
    assert.equal(headers['content-security-policy'], `${metaPolicy()}; frame-ancestors 'self'`, file);
    assert.equal(headers['x-content-type-options'], 'nosniff', file);
    assert.equal(headers['referrer-policy'], 'no-referrer', file);
  }
});

test('_headers: one cache rule per file; a year and immutable for hashed files, no-cache for the page and the worker', () => {
  const immutable = 'public, max-age=31536000, immutable';
  for (const file of ['', ...served()]) {
    const cache = headersFor(env.rules, `${BASE}${file}`)['cache-control'];
    assert.ok(cache && !cache.includes(', no-cache') && !cache.includes('immutable, '), `${file}: one Cache-Control, got ${cache}`);
    assert.equal(cache, hashed(file) ? immutable : 'no-cache', file);
  }
  for (const file of ['', 'index.html', 'sw.js', 'manifest.webmanifest']) {
    assert.equal(headersFor(env.rules, `${BASE}${file}`)['cache-control'], 'no-cache', file);
  }
  const immutables = served().filter(hashed);
  assert.ok(immutables.some((f) => f.endsWith('_bg.wasm')) && immutables.some((f) => f.startsWith('lazy-')), immutables.join(' '));
  assert.ok(env.rules.every((rule) => rule.pattern.startsWith(BASE)), 'every rule is under the base path');
});

test('a .br and a .gz copy beside every text and Wasm file, each decompressing to it', async () => {
  const compressible = served().filter((f) => /\.(html|js|css|svg|json|webmanifest|wasm)$/.test(f));
  assert.ok(compressible.length >= 8, compressible.join(' '));
  for (const file of compressible) {
    const bytes = await readFile(join(SUBPATH_DIST, file));
    const br = await readFile(join(SUBPATH_DIST, `${file}.br`));
    const gz = await readFile(join(SUBPATH_DIST, `${file}.gz`));
    assert.ok(brotliDecompressSync(br).equals(bytes), `${file}.br`);
    assert.ok(gunzipSync(gz).equals(bytes), `${file}.gz`);
    if (file.endsWith('.wasm') && bytes.length > 10_000) assert.ok(br.length < gz.length, `${file}: brotli is smaller`);
  }
  assert.ok(!env.files.some((f) => /\.png\.(br|gz)$/.test(f)), 'images are not recompressed');
});

/** The width and height of a PNG, from its IHDR chunk. */
const pngSize = (bytes) => {
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
};

test('the web app manifest: name, theme colour, the icons it names at their sizes; Chromium finds the app installable', async () => {
  const manifest = JSON.parse(await readFile(join(SUBPATH_DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.name, 'Closeout Sandbox');
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/);
  assert.equal(new URL(manifest.start_url, env.site.url + 'manifest.webmanifest').href, env.site.url);
  for (const icon of manifest.icons) {
    const [width, height] = pngSize(await readFile(join(SUBPATH_DIST, icon.src)));
    assert.equal(`${width}x${height}`, icon.sizes, icon.src);
  }
  assert.ok(env.index.includes(`<link rel="manifest" href="${BASE}manifest.webmanifest"`));
  const kept = (await keptFiles()).map(([file]) => file);
  for (const file of ['manifest.webmanifest', ...manifest.icons.map((i) => i.src)]) assert.ok(kept.includes(file), `${file} is kept offline`);

  const context = await env.browser.newContext();
  const { problems } = watchContext(context, env.site.origin);
  const page = await openSite(context, env.site);
  const cdp = await context.newCDPSession(page);
  const manifestSeen = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifestSeen.errors, [], 'Chromium reads the manifest without errors');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are off-the-record profiles, from which Chromium installs nothing whatever the
  // site; any other error is the site's (no suitable icon, a start URL out of scope, no manifest).
  const errors = installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
  assert.deepEqual(errors, [], 'Chromium finds nothing in the site that stops installing');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('link previews: Open Graph and Twitter card tags with the picture at 1200x630, under the base path', async () => {
  const meta = (key) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(env.index)?.[1];
  assert.match(meta('og:title'), /^Closeout Sandbox/);
  assert.ok(meta('og:description').length > 40);
  assert.equal(meta('og:image'), `${BASE}preview.png`);
  assert.equal(meta('twitter:image'), `${BASE}preview.png`);
  assert.equal(meta('twitter:card'), 'summary_large_image');
  assert.equal(meta('og:url'), undefined, 'no page address without --site-url');
  const image = await readFile(join(SUBPATH_DIST, 'preview.png'));
  assert.deepEqual(pngSize(image), [1200, 630]);
  assert.ok(image.length < 100_000, `${image.length} B`);
  assert.ok(!(await keptFiles()).some(([file]) => file === 'preview.png'), 'the preview is for other sites, not kept offline');
  const response = await fetch(`${env.site.origin}${meta('og:image')}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
});

test('served with those headers, the page runs under the header policy; another site cannot frame it', async () => {
  const context = await env.browser.newContext();
  const { problems } = watchContext(context, env.site.origin);
  const page = await openSite(context, env.site);
  await page.getByTestId('run-all').click();
  assert.match(await page.getByTestId('decision').textContent(), /ready_with_accepted_risk/);
  const response = await page.goto(env.site.url);
  assert.match(response.headers()['content-security-policy'], /frame-ancestors 'self'$/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  await page.getByTestId('step-10').waitFor();
  assert.deepEqual(problems(), []);
  await context.close();

  // Another origin (another port) that puts the sandbox in a frame.
  const framer = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe src="${env.site.url}"></iframe>`);
  });
  await new Promise((done) => framer.listen(0, '127.0.0.1', done));
  const other = `http://127.0.0.1:${framer.address().port}`;
  const framing = await env.browser.newContext();
  const { page: host, problems: hostProblems } = await watchedPage(framing, other);
  await host.goto(`${other}/`);
  await host.waitForTimeout(1_000);
  const frame = host.frames().find((f) => f !== host.mainFrame());
  const ran = frame ? await frame.locator('[data-testid="step-10"]').count().catch(() => 0) : 0;
  assert.equal(ran, 0, 'the sandbox did not run inside the other site');
  assert.ok(hostProblems().some((p) => /frame-ancestors/.test(p)), hostProblems().join('\n'));
  await framing.close();
  await new Promise((done) => framer.close(done));
});
