// Support for the deploy suites (tests/deploy-*.test.mjs): a static host that serves a release build
// under a sub-path, as a GitHub Pages project site is served, with the build's `_headers` applied as
// Netlify or Cloudflare Pages apply them, its precompressed copies sent to clients that accept them,
// and a switch that takes the host off the network. The build is the one `cargo xtask test` makes for
// the sub-path (CLOSEOUT_SUBPATH_DIST, built with --base-path CLOSEOUT_BASE_PATH).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { TYPES } from './harness.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The build for a sub-path, and the path it was built for (xtask/src/checks.rs makes both). */
export const SUBPATH_DIST = resolve(process.env.CLOSEOUT_SUBPATH_DIST ?? join(ROOT, 'target/dist-subpath'));
export const BASE = process.env.CLOSEOUT_BASE_PATH ?? '/closeout-sandbox/';
/** An empty page of the same origin outside the site, from which a test looks at the origin's service workers. */
export const OUTSIDE = '/outside-the-site';

/**
 * Parses a `_headers` file (Netlify / Cloudflare Pages): a path pattern on a line of its own, then its
 * headers indented as `Name: value`; `#` starts a comment. Returns [{ pattern, headers: [[name, value]] }].
 */
export function parseHeaders(text) {
  const rules = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      assert.match(line, /^\/\S*$/, `_headers line ${i + 1}: a path pattern starts with / and has no spaces`);
      rules.push({ pattern: line, headers: [] });
      continue;
    }
    const header = /^\s+([A-Za-z-]+):\s*(.+)$/.exec(line);
    assert.ok(header && rules.length > 0, `_headers line ${i + 1} is neither a path nor a header under one: ${line}`);
    rules.at(-1).headers.push([header[1], header[2]]);
  }
  return rules;
}

/** Whether `pattern` (with `*` matching any run of characters, as the hosts read it) matches `path`. */
function matches(pattern, path) {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(path);
}

/** The headers the rules give `path`: every matching rule's, a header named twice joined by ", " as the hosts do. */
export function headersFor(rules, path) {
  const headers = {};
  for (const rule of rules.filter((r) => matches(r.pattern, path))) {
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] ? `${headers[key]}, ${value}` : value;
    }
  }
  return headers;
}

/**
 * Serves the build in `root` under `base` on 127.0.0.1 at a free port, nothing outside it. With
 * `headers`, each response gets what the build's `_headers` gives its path. `deploy(dir)` publishes
 * another build in its place; `offline(true)` drops every connection and refuses every request until
 * `offline(false)`. `served` lists each request as `<status> <path>`; `whileOffline` the requests that
 * came while offline (each refused).
 */
export async function serveSite(root = SUBPATH_DIST, { base = BASE, headers = false } = {}) {
  let dir = resolve(root);
  let rules = [];
  const load = async () => {
    await stat(join(dir, 'index.html')).catch(() => {
      throw new Error(`no release build at ${dir}: run \`cargo xtask build --base-path ${base} --dist ${dir}\``);
    });
    rules = headers ? parseHeaders(await readFile(join(dir, '_headers'), 'utf8')) : [];
  };
  await load();
  let isOffline = false;
  const served = [];
  const whileOffline = [];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (isOffline) {
      whileOffline.push(path);
      request.socket.destroy();
      return;
    }
    const answer = (status, head = {}, body = '') => {
      served.push(`${status} ${path}`);
      response.writeHead(status, head).end(body);
    };
    if (path === OUTSIDE) return answer(200, { 'content-type': 'text/html' }, '<!doctype html><title>outside</title><link rel="icon" href="data:,">');
    if (!path.startsWith(base)) return answer(404, {}, 'not found');
    const file = normalize(join(dir, path.slice(base.length).replace(/(^|\/)$/, '$1index.html')));
    if (!file.startsWith(dir)) return answer(403);
    try {
      let body = await readFile(file);
      const head = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headersFor(rules, path), vary: 'accept-encoding' };
      const accepts = request.headers['accept-encoding'] ?? '';
      for (const [encoding, ending] of [['br', '.br'], ['gzip', '.gz']]) {
        if (!new RegExp(`\\b${encoding}\\b`).test(accepts)) continue;
        const copy = await readFile(`${file}${ending}`).catch(() => null);
        if (copy) {
          body = copy;
          head['content-encoding'] = encoding;
          break;
        }
      }
      answer(200, head, body);
    } catch {
      answer(404, {}, 'not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}${base}`,
    served,
    whileOffline,
    deploy: async (next) => {
      dir = resolve(next);
      await load();
    },
    offline: (on) => {
      isOffline = on;
      if (on) server.closeAllConnections();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

/**
 * Records, for a whole browser context (its pages and its service worker), every request outside
 * `origin`'s `base`, and each page's console and page errors. `problems()` lists them.
 */
export function watchContext(context, origin, base = BASE) {
  const problems = [];
  const inside = (url) =>
    url.startsWith(`${origin}${base}`) || url === `${origin}${OUTSIDE}` || url.startsWith('data:') || url.startsWith('blob:');
  context.on('request', (request) => {
    if (!inside(request.url())) problems.push(`request outside the site: ${request.url()}`);
  });
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return { problems: () => problems };
}

/** Opens the site in a new page of `context` (at `path` under the base) and waits for the flow. */
export async function openSite(context, site, path = '') {
  const page = await context.newPage();
  await page.goto(`${site.url}${path}`);
  await page.getByTestId('step-10').waitFor();
  return page;
}

/** Waits until the page's service worker is active and the page's build is kept; returns the cache's files. */
export async function whenKept(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    while (registration.active.state !== 'activated') await new Promise((done) => setTimeout(done, 50));
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('closeout ')));
    return { caches: keys, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
}

/** The files the build's service worker keeps, as listed in its sw.js: [[file, integrity of a fixed name]]. */
export async function keptFiles(dir = SUBPATH_DIST) {
  const worker = await readFile(join(dir, 'sw.js'), 'utf8');
  const files = /^const FILES = (.*);$/m.exec(worker);
  assert.ok(files, 'sw.js lists its files');
  return JSON.parse(files[1]);
}
