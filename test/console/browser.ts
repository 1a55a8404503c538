import { access, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's `chromium` package; `.ci/run` installs it when missing. Nothing downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the console tests write a screenshot of each screen (gitignored; named in the README). */
export const SCREENSHOTS = path.resolve('test-screenshots/console');

/** True when the browser can run here. With CI=true a missing browser fails the suite instead of skipping it. */
export async function chromiumAvailable(): Promise<boolean> {
  try {
    await access(CHROMIUM);
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs the chromium package (apt-get install -y chromium)`);
    return false;
  }
}

/** Headless Chromium with a fresh profile and nothing that reaches the network by itself. */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'br-chromium-'));
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    ],
    protocolTimeout: 120_000,
  });
}

/** Saves a full-page screenshot as `<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) as `${string}.png`, fullPage: true });
}

/** Clicks the control whose accessible name is `name` (a button or a link), as a keyboard or screen-reader user finds it. */
export async function press(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.locator(`::-p-aria([name="${name}"][role="${role}"])`).click();
}

/** Types into the field labelled `label`. */
export async function fill(page: Page, label: string, text: string): Promise<void> {
  const field = page.locator(`::-p-aria([name="${label}"])`);
  await field.fill(text);
}

/** Waits until the page's text contains `text`. */
export async function waitForText(page: Page, text: string, timeout = 60_000): Promise<void> {
  // Runs in the page, where `document` exists; the suite compiles without the DOM library.
  await page.waitForFunction((t) => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(t), { timeout, polling: 200 }, text);
}
