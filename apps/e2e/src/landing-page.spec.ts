import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { call } from './pod';

/**
 * The landing page in a real browser: NGINX serves it, its script calls /public/hello through
 * the sidecar, and the page shows the API's answer with the request id that crossed both
 * containers. Chromium is the system's (`make doctor` checks for it); CHROMIUM_PATH points
 * elsewhere. The screenshot is kept in dist/e2e/ as an artifact.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'dist', 'e2e');

describe('the landing page in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: run make setup, or set CHROMIUM_PATH`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Root in CI needs --no-sandbox; the rest keep Chromium off the network it has no use for.
      // Playwright gives every launch a fresh, empty profile of its own.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the answer of the API and the request id both containers saw', async () => {
    const page = await browser.newPage();
    const answered = page.waitForResponse((res) => res.url().endsWith('/public/hello'));
    await page.goto(`${(await call('/')).url}`);
    const response = await answered;
    const requestId = response.headers()['x-request-id'];

    await page.locator('#status[data-state="ok"]').waitFor({ state: 'attached', timeout: 5_000 });
    expect(await page.locator('h1').textContent()).toBe('Hello from NGINX!');
    expect(await page.locator('#answer').textContent()).toBe('Hello from the public API!');
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.locator('#request-id').textContent()).toBe(requestId);
    expect((await response.json()).requestId).toBe(requestId);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'landing-page.png'), fullPage: true });
  });
});
