// Shared harness for the end-to-end tests: serves the release build (dist/) on loopback, launches
// Debian's Chromium through playwright-core, and records console errors and off-origin requests so
// every test can fail on them.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const DIST = resolve(process.env.CLOSEOUT_DIST ?? new URL('../../dist', import.meta.url).pathname);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The content type each file of a build is served with (both test servers use it). */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

/**
 * Serves `root` (dist/ unless told) on 127.0.0.1 at a free port; resolves to { origin, close }. With
 * `gzip`, files go out gzip-compressed (level 9, compressed once) to clients that accept it, as a real
 * static host would serve them: the benchmarks measure transfer that way.
 */
export async function serveDist(root = DIST, { gzip = false } = {}) {
  const compressed = new Map();
  const dir = resolve(root);
  await stat(join(dir, 'index.html')).catch(() => {
    throw new Error(`no release build at ${dir}: run \`cargo xtask build\` first`);
  });
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        if (!compressed.has(file)) compressed.set(file, gzipSync(body, { level: 9 }));
        response.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
        response.end(compressed.get(file));
        return;
      }
      response.writeHead(200, headers);
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) };
}

/** Launches headless Chromium with flags that keep it off the (closed) network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a page that records every console error, page error and request outside `origin`.
 * `problems()` lists them; a test asserts it is empty.
 */
export async function watchedPage(context, origin) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  return { page, problems: () => problems };
}

/**
 * Serves dist/ and launches Chromium once for a test file; `env.server` and `env.browser` are set
 * before its first test and closed after its last.
 */
export function sharedBrowser() {
  const env = {};
  before(async () => {
    env.server = await serveDist();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** What shows that a section's part (loaded on demand, see app/src/lazy.rs) is in. */
const SECTION_PARTS = { decision: 'counters', chain: 'verify-chain', files: 'import-file' };

/**
 * Scrolls to each of `sections` (`decision`, `chain`, `files`) as a reader would, and waits until the
 * part the page loads for it on demand is in.
 */
export async function scrollTo(page, ...sections) {
  for (const section of sections) {
    await page.locator(`#${section}`).scrollIntoViewIfNeeded();
    await page.getByTestId(SECTION_PARTS[section]).waitFor({ state: 'attached', timeout: 10_000 });
  }
}

/** Presses Tab (or Shift+Tab) until the focused element is, or is inside, `selector`. */
export async function tabTo(page, selector, backwards = false) {
  for (let i = 0; i < 120; i += 1) {
    const found = await page.evaluate((s) => Boolean(document.activeElement?.closest(s)), selector);
    if (found) {
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', `focus on ${selector} is visible`);
      return;
    }
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${selector} with the keyboard`);
}
