// The browser half of `cargo xtask bench`, in Debian's Chromium (headless, loopback only).
//
//   node bench/run.mjs <app dist dir> <bench-web dir> <out.json>
//
// 1. The app: 7 cold loads (fresh context, cache disabled, files served gzip-compressed as a real host
//    would): bytes transferred, navigation to the ten steps on screen, "Run remaining steps" on
//    accepted-risk to the decision on screen, one step, the session save (the app's own
//    `closeout:save` user-timing measure), memory after the full run (JS heap + Wasm memory), and
//    last the time an on-demand part (files) takes from its trigger to on screen.
// 2. The core: every case of closeout-bench at 10, 1,000 and 100,000 records, in Wasm, timed with the
//    page's performance.now() the same way criterion times them natively (median of batched samples).
// Times are reported, never asserted: these machines are noisy.
import { writeFile } from 'node:fs/promises';
import { launchBrowser, serveDist } from '../support/harness.mjs';

const [distDir, benchDir, outFile] = process.argv.slice(2);
if (!distDir || !benchDir || !outFile) {
  console.error('usage: node bench/run.mjs <app dist dir> <bench-web dir> <out.json>');
  process.exit(2);
}
const LOADS = Number(process.env.CLOSEOUT_BENCH_LOADS ?? 7);
const SIZES = (process.env.CLOSEOUT_BENCH_SIZES ?? '10,1000,100000').split(',').map(Number);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const log = (message) => process.stderr.write(`${message}\n`);

// Installed before any page script: notes when the ten steps first exist and are painted, and keeps
// the Wasm instance Trunk's loader announces (for its memory).
const PROBE = () => {
  window.__bench = {};
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="step-10"]')) {
      observer.disconnect();
      window.__bench.steps = performance.now();
      requestAnimationFrame(() => {
        window.__bench.stepsOnScreen = performance.now();
      });
    }
  }).observe(document, { childList: true, subtree: true });
  addEventListener('TrunkApplicationStarted', (event) => {
    window.__bench.wasm = event.detail.wasm;
  });
};

/** In the page: clicks `button`, resolves with the ms until `target` has `data-state` `state` and the
 * next frame is drawn. */
const timeClick = ({ button, target, state }) =>
  new Promise((resolve, reject) => {
    const done = () => document.querySelector(target)?.dataset.state === state;
    const start = performance.now();
    const finish = () => requestAnimationFrame(() => resolve(performance.now() - start));
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        finish();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${target} never became ${state}`));
    }, 30_000);
    document.querySelector(button).click();
    if (done()) {
      observer.disconnect();
      finish();
    }
  });

/** In the page: brings the files section on screen, resolves with the ms until its on-demand part
 * (app/src/lazy.rs) is loaded, rendered and drawn; null when the part was already in. */
const timePartLoad = () =>
  new Promise((resolve, reject) => {
    const loaded = () => document.querySelector('[data-testid="import-file"]');
    if (loaded()) {
      resolve(null);
      return;
    }
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (loaded()) {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - start));
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
    setTimeout(() => {
      observer.disconnect();
      reject(new Error('the files part never loaded'));
    }, 30_000);
    document.getElementById('files').scrollIntoView();
  });

async function coldLoad(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const transferred = new Map();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) => {
    transferred.set(urls.get(event.requestId) ?? event.requestId, event.encodedDataLength);
  });
  await page.addInitScript(PROBE);
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.__bench.stepsOnScreen !== undefined, null, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const nav = await page.evaluate(() => window.__bench.stepsOnScreen);
  // Each interaction is timed on its own, as a person clicks: after the page has gone idle (the
  // previous change's deferred save included), never in the middle of the last one's work.
  const settle = () => page.evaluate(() => new Promise((done) => setTimeout(done, 150)));
  /** Settles, then times a click on `button` until `target` shows `state` (see `timeClick`). */
  const timed = async (button, target, state) => {
    await settle();
    return page.evaluate(timeClick, { button, target, state });
  };

  const step = await timed('[data-testid="step-1-run"]', '[data-testid="step-1"]', 'done');
  // The first step pays for compiling the code it runs for the first time (V8 compiles Wasm lazily);
  // the second shows a step once that is done. (Its run button is in the panel of the selected step.)
  await settle();
  await page.getByTestId('step-2').getByRole('button').click();
  await page.waitForSelector('[data-testid="step-2-run"]');
  const secondStep = await timed('[data-testid="step-2-run"]', '[data-testid="step-2"]', 'done');
  const runAll = await timed('[data-testid="run-all"]', '[data-testid="decision"]', 'ready_with_accepted_risk');
  await settle();
  const saves = await page.evaluate(() =>
    performance.getEntriesByName('closeout:save').map((entry) => entry.duration));
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmMemory = await page.evaluate(() => window.__bench.wasm?.memory?.buffer?.byteLength ?? null);
  const files = Object.fromEntries([...transferred].map(([url, bytes]) => [new URL(url).pathname, bytes]));
  // Last, so nothing above pays for it: what a step would wait for if the step engine were loaded on
  // demand like the files part (BENCHMARKS.md, "The floor").
  const before = new Set(transferred.keys());
  const partLoad = await page.evaluate(timePartLoad);
  await page.waitForLoadState('networkidle');
  const partBytes = [...transferred]
    .filter(([url]) => !before.has(url))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  await context.close();
  return {
    nav,
    step,
    secondStep,
    runAll,
    saves,
    partLoad,
    partBytes,
    jsHeap: heap.usedSize,
    wasmMemory,
    transfer: Object.values(files).reduce((a, b) => a + b, 0),
    files,
  };
}

async function appBench(browser) {
  const server = await serveDist(distDir, { gzip: true });
  try {
    const loads = [];
    for (let i = 0; i < LOADS; i += 1) {
      loads.push(await coldLoad(browser, server.origin));
      log(`  app: cold load ${i + 1}/${LOADS}: ${loads.at(-1).nav.toFixed(0)} ms to the ten steps`);
    }
    const saves = loads.flatMap((load) => load.saves);
    const partLoads = loads.filter((load) => load.partLoad !== null);
    return {
      loads: loads.length,
      transfer_bytes: median(loads.map((l) => l.transfer)),
      files: loads[0].files,
      nav_ms: median(loads.map((l) => l.nav)),
      run_all_ms: median(loads.map((l) => l.runAll)),
      step_ms: median(loads.map((l) => l.step)),
      second_step_ms: median(loads.map((l) => l.secondStep)),
      save_ms: saves.length ? median(saves) : null,
      save_max_ms: saves.length ? Math.max(...saves) : null,
      saves: saves.length,
      part_load_ms: partLoads.length ? median(partLoads.map((l) => l.partLoad)) : null,
      part_bytes: partLoads.length ? median(partLoads.map((l) => l.partBytes)) : null,
      js_heap_bytes: median(loads.map((l) => l.jsHeap)),
      wasm_memory_bytes: median(loads.map((l) => l.wasmMemory)),
    };
  } finally {
    await server.close();
  }
}

async function coreBench(browser) {
  const server = await serveDist(benchDir);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (message) => log(`  page: ${message.text()}`));
  try {
    await page.goto(`${server.origin}/`);
    await page.evaluate(async () => {
      const bench = await import('/closeout_bench.js');
      await bench.default();
      window.bench = bench;
    });
    const results = {};
    for (const size of SIZES) {
      const made = await page.evaluate((records) => {
        const start = performance.now();
        window.fixture?.free();
        window.fixture = new window.bench.BenchFixture(records);
        return { records: window.fixture.records(), ms: performance.now() - start };
      }, size);
      log(`  core: ${made.records} records grown in ${made.ms.toFixed(0)} ms`);
      for (const name of await page.evaluate(() => window.bench.case_names())) {
        const measured = await page.evaluate((caseName) => {
          const fixture = window.fixture;
          let work = fixture.run(caseName); // warm-up, and the work done per run
          // Batch runs so one sample lasts at least 20 ms (the page clock is coarse), then take the
          // median of at least 7 samples, or of as many as fit in about 3 s.
          let batch = 1;
          for (;;) {
            const start = performance.now();
            for (let i = 0; i < batch; i += 1) work = fixture.run(caseName);
            if (performance.now() - start >= 20 || batch >= 1 << 20) break;
            batch *= 2;
          }
          const samples = [];
          const began = performance.now();
          while (samples.length < 7 || (performance.now() - began < 3000 && samples.length < 50)) {
            const start = performance.now();
            for (let i = 0; i < batch; i += 1) fixture.run(caseName);
            samples.push((performance.now() - start) / batch);
          }
          samples.sort((a, b) => a - b);
          return { median_ms: samples[Math.floor(samples.length / 2)], samples: samples.length, batch, work };
        }, name);
        results[name] ??= {};
        results[name][size] = { ...measured, records: made.records };
        log(`  core: ${name} @ ${size}: ${(measured.median_ms * 1000).toFixed(1)} µs`);
      }
    }
    const memory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    return { cases: results, js_heap_bytes_after: memory };
  } finally {
    await context.close();
    await server.close();
  }
}

const browser = await launchBrowser();
try {
  log('browser: the app (cold loads)');
  const app = await appBench(browser);
  log('browser: the core cases in Wasm');
  const core = await coreBench(browser);
  await writeFile(outFile, JSON.stringify({ app, core }, null, 2));
  log(`wrote ${outFile}`);
} finally {
  await browser.close();
}
