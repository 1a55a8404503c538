import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { startLocalStack, type LocalStack } from '../../shared/local/stack.js';
import { createTestDatabase } from '../support/database.js';
import { chromiumAvailable, fill, launchChromium, press, screenshot, waitForText } from './browser.js';

const SAMPLES = path.resolve('shared/local/samples');

// What the page-side callbacks use, typed loosely: the suite compiles without the DOM library.
declare const document: any, DataTransfer: any, DragEvent: any;
type PageElement = { innerText: string; textContent: string | null; children: ArrayLike<PageElement>; href: string; value: string };
const available = await chromiumAvailable();

let stack: LocalStack;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  if (!available) return;
  dataDir = await mkdtemp(path.join(tmpdir(), 'br-console-'));
  [stack, browser] = await Promise.all([
    startLocalStack({ port: 0, dataDir, database: await createTestDatabase(), env: { ...process.env, DATABASE_URL: '' } }),
    launchChromium(),
  ]);
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(60_000);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The rows of the results table as text, one array per row. */
const resultRows = () => page.$$eval('table.results tbody tr', (trs) => trs.map((tr) => Array.from((tr as unknown as PageElement).children, (c) => c.innerText.trim())));

describe.skipIf(!available)('the console in a real browser (Debian chromium)', () => {
  it('signs in, creates a job, uploads the samples, runs it, shows the rows and downloads the XLSX', async () => {
    await page.goto(`${stack.url}/`);
    await page.locator('::-p-aria([name="Your name"])').wait();
    await screenshot(page, '01-sign-in');
    await fill(page, 'Your name', 'newcomer');
    await press(page, 'Sign in');
    await waitForText(page, 'Create a job');

    await fill(page, 'Job name', 'Sample invoices');
    await screenshot(page, '02-jobs');
    await press(page, 'Create job');
    await waitForText(page, 'Drop PDF, image, CSV or ZIP files here');

    const samples = (await readdir(SAMPLES)).filter((n) => n.endsWith('.pdf')).sort();
    // The first file is dropped on the drop zone as a user drags it; the rest go through the file picker.
    const first = (await readFile(path.join(SAMPLES, samples[0]!))).toString('base64');
    await page.evaluate((name, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'application/pdf' }));
      document.querySelector('.drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, samples[0]!, first);
    await page.waitForFunction(() => document.querySelectorAll('.upload-lines .status-uploaded').length === 1);
    const input = await page.$<any>('#upload-input');
    await input!.uploadFile(...samples.slice(1).map((n) => path.join(SAMPLES, n)));
    await page.waitForFunction((n) => document.querySelectorAll('.upload-lines .status-uploaded').length === n, {}, samples.length - 1);
    await page.waitForFunction((n) => document.querySelectorAll('#files-title ~ table tbody tr').length === n, {}, samples.length);
    await screenshot(page, '03-job-files');

    await press(page, 'Start a run');
    await page.waitForSelector('h1 .status-completed', { timeout: 90_000 });
    await page.waitForSelector('table.results');
    const rows = await resultRows();
    expect(rows).toHaveLength(samples.length);
    expect(rows.map((r) => r[0]).sort()).toEqual(samples);
    expect(rows.flat().join(' ')).toContain('INV-');
    await screenshot(page, '04-run-results');

    await press(page, 'Export for download');
    const link = await page.waitForSelector('table.exports a[download]', { timeout: 60_000 });
    const href = await link!.evaluate((a) => (a as unknown as PageElement).href);
    await screenshot(page, '05-run-exports');
    const download = await fetch(href);
    expect(download.status).toBe(200);
    const sheet = XLSX.read(Buffer.from(await download.arrayBuffer()), { type: 'buffer' });
    const table = XLSX.utils.sheet_to_json<unknown[]>(sheet.Sheets[sheet.SheetNames[0]!]!, { header: 1 });
    expect(table[0]).toEqual(expect.arrayContaining(['invoice_number', 'total_amount']));
    expect(table).toHaveLength(samples.length + 1);
  }, 240_000);

  it('connects the simulated Google account through its consent screen and imports a picked Drive folder', async () => {
    await page.goto(`${stack.url}/#/google`);
    await press(page, 'Connect Google Drive and Gmail');
    await waitForText(page, 'Simulated Google consent screen');
    await screenshot(page, '06-google-consent');
    await press(page, 'Allow', 'link');
    await waitForText(page, 'Google account demo@bytereview.local connected.');
    await waitForText(page, 'demo@bytereview.local');

    await page.locator('::-p-aria([name="Open folder Invoices"][role="button"])').click();
    await page.waitForSelector('[aria-current="location"]');
    await waitForText(page, '2024');
    await press(page, 'Import this folder (“Invoices”)');
    await page.waitForSelector('.status-success', { timeout: 60_000 });
    await screenshot(page, '07-google-import');

    await fill(page, 'Search messages', 'subject:INV-1002');
    await press(page, 'Search');
    await waitForText(page, 'invoice-1002.pdf (application/pdf');
    await screenshot(page, '08-gmail-search');

    await press(page, 'Open the job', 'link');
    // Four uploads, and the folder's four PDFs, its Google Doc and its nested folder's PDF.
    await page.waitForFunction(() => document.querySelectorAll('#files-title ~ table tbody tr').length === 10);
    expect(await page.$$eval('#files-title ~ table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent))).toContain('gdrive');
  }, 240_000);

  it('creates an automation, and a message sent to the simulated mailbox runs the job and exports it', async () => {
    await page.goto(`${stack.url}/#/automations`);
    await press(page, 'Create the automation');
    await page.waitForSelector('article.automation');
    const [sample] = (await readdir(SAMPLES)).filter((n) => n.endsWith('.pdf')).sort();
    await fill(page, 'Subject', 'Invoice for November');
    await (await page.$<any>('#mail-files'))!.uploadFile(path.join(SAMPLES, sample!));
    await press(page, 'Send to the inbox');
    await waitForText(page, 'Delivered message');
    await page.waitForSelector('article.automation a .status-completed', { timeout: 90_000 });
    await page.waitForSelector('article.automation table.exports a[download]', { timeout: 90_000 });
    await screenshot(page, '09-automation-fired');

    await page.goto(`${stack.url}/#/activity`);
    await waitForText(page, 'What happened, newest first');
    await page.waitForFunction(() => document.querySelectorAll('ol.activity li').length > 3);
    await screenshot(page, '10-activity');
  }, 240_000);

  it('compares two runs of the job, and reads on a phone', async () => {
    await page.goto(`${stack.url}/#/jobs`);
    await press(page, 'Sample invoices', 'link');
    await press(page, 'Start a run');
    await page.waitForSelector('h1 .status-completed', { timeout: 90_000 });
    await page.locator('::-p-aria([name="Compare with"])').wait();
    const options = await page.$$eval('#diff-against option', (os) => os.map((o) => (o as unknown as PageElement).value).filter(Boolean));
    await page.select('#diff-against', options[options.length - 1]!);
    await waitForText(page, 'Rows:');
    const summary = await page.$eval('#diff-title ~ p[role="status"]', (p) => p.textContent ?? '');
    // Run 2 read the four uploads again and the six imported files for the first time.
    expect(summary).toMatch(/Rows: \d+ added, 0 removed, 0 changed, 4 the same/);
    await screenshot(page, '11-run-diff');

    const phone = await browser.newPage();
    await phone.setViewport({ width: 375, height: 812, isMobile: true, hasTouch: true });
    await phone.goto(`${stack.url}/#/jobs`);
    await waitForText(phone, 'Your jobs');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(phone, '12-phone-jobs');
    await phone.close();
  }, 240_000);
});
