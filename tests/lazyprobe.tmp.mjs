import { launchBrowser, serveDist } from './support/harness.mjs';
const browser = await launchBrowser();
const server = await serveDist('/work/main/dist', { gzip: true });
const res = [];
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(server.origin + '/');
  await page.waitForSelector('#flow');
  await page.waitForTimeout(300);
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (document.querySelector('[data-testid="import-file"]')) {
        obs.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }
    });
    obs.observe(document.body, { subtree: true, childList: true });
    document.getElementById('files').scrollIntoView();
  }));
  res.push(ms);
  await context.close();
}
res.sort((a, b) => a - b);
console.log('files part (90 KB gzip) from scroll to on screen, ms:', res.map(x => x.toFixed(1)).join(' '), 'median', res[3].toFixed(1));
await browser.close(); await server.close();
