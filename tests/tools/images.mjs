// Makes the images of public/ that come from the sandbox itself, with Debian's Chromium:
//   node tools/images.mjs icons            icon-192.png and icon-512.png, from favicon.svg's mark
//   node tools/images.mjs preview <dist>   preview.png, the link preview: the real page at 1200x630,
//                                          after "Run remaining steps", from a release build for the
//                                          base path CLOSEOUT_BASE_PATH (as the deploy suites)
// Run from tests/ (`CHROMIUM` as for the tests); the results are committed, the build does not run this.
import { readFile, writeFile } from 'node:fs/promises';
import { launchBrowser } from '../support/harness.mjs';
import { serveSite } from '../support/deploy.mjs';

const PUBLIC = new URL('../../public/', import.meta.url);

/** The install icon: the favicon's tick on a full square of its colour, inside the maskable safe zone. */
async function icons(browser) {
  const favicon = await readFile(new URL('favicon.svg', PUBLIC), 'utf8');
  const colour = /fill="(#[0-9a-f]{6})"/.exec(favicon)[1];
  const tick = /<path [^>]*\/>/.exec(favicon)[0];
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${size}" height="${size}"><rect width="32" height="32" fill="${colour}"/><g transform="translate(16 16) scale(0.8) translate(-16 -16)">${tick}</g></svg>`;
    await page.setContent(`<style>html,body{margin:0}</style>${svg}`);
    await writeFile(new URL(`icon-${size}.png`, PUBLIC), await page.screenshot({ type: 'png' }));
    await page.close();
  }
}

/**
 * The link preview: the page at 1200x630 with the flow run, zoomed out so the header, the ten steps and
 * the decision's start fit the picture a chat shows.
 */
async function preview(browser, dist) {
  const server = await serveSite(dist);
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  await page.goto(server.url);
  await page.getByTestId('step-10').waitFor();
  await page.getByTestId('run-all').click();
  await page.getByTestId('step-10').getByRole('button').click();
  await page.evaluate(() => {
    document.documentElement.style.zoom = '0.75';
    // The header, then straight to the flow: the cards between are for the visitor who scrolls.
    for (const sel of ['#main > :not(#flow):not(#decision)']) document.querySelectorAll(sel).forEach((e) => { e.style.display = 'none'; });
    window.scrollTo(0, 0);
  });
  const png = await page.screenshot({ type: 'png' });
  await writeFile(new URL('preview.png', PUBLIC), png);
  console.log(`preview.png: ${png.length} B`);
  await page.close();
  await server.close();
}

const [what, dist] = process.argv.slice(2);
const browser = await launchBrowser();
try {
  if (what === 'icons') await icons(browser);
  else if (what === 'preview' && dist) await preview(browser, dist);
  else throw new Error('usage: node tools/images.mjs icons | preview <dist>');
} finally {
  await browser.close();
}
