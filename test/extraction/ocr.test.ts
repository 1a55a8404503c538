import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { cellsFromOcrLines, closeOcr, linkTraineddata, ocrWorkerStarted, recognizeImage, useOcrLineCache, workerOptions, type OcrLine } from '../../shared/extraction/ocr.js';
import { withPageWindows } from '../../shared/extraction/page-windows.js';
import type { ExtractionAnswer, FieldSpec } from '../../shared/extraction/types.js';
import { localStackExtractor } from '../../shared/local/extractor.js';
import { samplesDir } from '../support/samples.js';
import { drawBlank, drawScan, scannedPdf, tiffOf, type ScanContent } from './scans.js';

// OCR of scans and images by the local extractor (issue 14): scans drawn here, read by the
// real tesseract.js with the traineddata packages. Each page takes a second or more.
const OCR_TIMEOUT = 120_000;

const fields: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'Invoice number', required: true },
  { name: 'invoice_date', type: 'date', description: null, required: true },
  { name: 'total', type: 'currency', description: 'Total amount due', required: true },
];

const english: ScanContent = {
  title: 'Northwind Office Supply',
  pairs: [['Invoice No:', 'INV-2025-0193'], ['Invoice Date:', '2025-03-14'], ['Customer:', 'Contoso Ltd'], ['Total Due:', '$1,482.50']],
  lines: ['Thank you for your business. Payment within 30 days.'],
};
const german: ScanContent = {
  title: 'Papierwaren Müller GmbH',
  pairs: [['Rechnungsnummer:', 'RE-2025-00042'], ['Rechnungsdatum:', '12.03.2025'], ['Kunde:', 'Muster AG'], ['Gesamtbetrag:', '1.234,56 EUR']],
  lines: ['Zahlbar innerhalb von 14 Tagen ohne Abzug.'],
};
const french: ScanContent = {
  title: 'Fournitures Dubois SARL',
  pairs: [['Facture n°', 'FA-2025-118'], ['Date :', '05/02/2025'], ['Client :', 'Société Martin'], ['Total TTC :', '2 345,67 €']],
  lines: ['Paiement à 30 jours fin de mois.'],
};

const blobs: Record<string, Buffer> = {};
const readBlob = async (uri: string) => blobs[uri] ?? readFile(uri);
const extractor = withPageWindows(createLocalExtractor({ readFile: readBlob }), { readFile: readBlob });

async function extract(name: string, bytes: Buffer, mimeType: string, options: { signal?: AbortSignal } = {}): Promise<ExtractionAnswer> {
  blobs[`mem://${name}`] = bytes;
  return extractor.extract({
    fields,
    file: { uri: `mem://${name}`, mimeType, filename: name },
    systemPrompt: { version: 'v1', text: 'unused' },
    model: 'local-text-v1',
    ...options,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<PermanentError> {
  const outcome = await promise.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(PermanentError);
  return outcome as PermanentError;
}

afterAll(async () => {
  await closeOcr();
});

describe('a text PDF', () => {
  it('is read from its text layer without starting OCR', async () => {
    const answer = await extract('sample.pdf', await readFile(path.join(samplesDir, 'acme-office-supplies-invoice.pdf')), 'application/pdf');
    expect(answer.results[0]![0]).not.toBeNull();
    expect(ocrWorkerStarted()).toBe(false);
  });
});

describe('scanned PDFs (an image is the page\'s only content)', () => {
  it('reads an English scan: number, date and total, each cited on page 1 and verified against the OCR text', async () => {
    const answer = await extract('scan-en.pdf', await scannedPdf([{ bytes: drawScan(english, 'png'), format: 'png' }]), 'application/pdf');
    expect(answer.results).toEqual([['INV-2025-0193', '2025-03-14', 1482.5]]);
    expect(answer.citations).toEqual([[
      { page: 1, quote: 'Invoice No: INV-2025-0193', verified: true },
      { page: 1, quote: 'Invoice Date: 2025-03-14', verified: true },
      { page: 1, quote: 'Total Due: $1,482.50', verified: true },
    ]]);
    expect(ocrWorkerStarted()).toBe(true);
  }, OCR_TIMEOUT);

  it('reads a German JPEG scan: the day-first date and the total 1.234,56', async () => {
    const answer = await extract('scan-de.pdf', await scannedPdf([{ bytes: drawScan(german, 'jpeg'), format: 'jpeg' }]), 'application/pdf');
    expect(answer.results).toEqual([['RE-2025-00042', '2025-03-12', 1234.56]]);
    expect(answer.citations![0]!.map((citation) => citation && [citation.page, citation.verified])).toEqual([[1, true], [1, true], [1, true]]);
  }, OCR_TIMEOUT);

  it('cites the page a value was read on: a text page, then a scanned one', async () => {
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const scan = await PDFDocument.load(await scannedPdf([{ bytes: drawScan({ title: 'Page two', pairs: [['Total Due:', '$77.10']] }, 'png'), format: 'png' }]));
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const first = pdf.addPage([595, 842]);
    first.drawText('Invoice No: T-55', { x: 60, y: 760, size: 11, font });
    first.drawText('Invoice Date: 2025-01-09', { x: 60, y: 740, size: 11, font });
    const [copied] = await pdf.copyPages(scan, [0]);
    pdf.addPage(copied!);
    const answer = await extract('mixed.pdf', Buffer.from(await pdf.save()), 'application/pdf');
    expect(answer.results).toEqual([['T-55', '2025-01-09', 77.1]]);
    expect(answer.citations![0]!.map((citation) => citation && [citation.page, citation.quote, citation.verified])).toEqual([
      [1, 'Invoice No: T-55', true],
      [1, 'Invoice Date: 2025-01-09', true],
      [2, 'Total Due: $77.10', true],
    ]);
  }, OCR_TIMEOUT);

  it('refuses more scanned pages than allowed before reading any', async () => {
    const limited = createLocalExtractor({ readFile: readBlob, ocr: { maxPages: 1 } });
    const page = { bytes: drawBlank(), format: 'png' as const };
    blobs['mem://long-scan.pdf'] = await scannedPdf([page, page]);
    const error = await failureOf(limited.extract({ fields, file: { uri: 'mem://long-scan.pdf', mimeType: 'application/pdf', filename: 'long-scan.pdf' }, systemPrompt: { version: 'v1', text: '' }, model: 'local-text-v1' }));
    expect(error.code).toBe('too_many_scanned_pages');
    expect(error.message).toBe('long-scan.pdf has 2 scanned pages to OCR, more than the 1 allowed (OCR_MAX_PAGES); split it or raise the limit');
  });
});

describe('the local stack\'s OCR settings', () => {
  it('refuses a language no traineddata package ships, naming OCR_LANGUAGES', async () => {
    await expect(localStackExtractor({ OCR_LANGUAGES: 'eng+xyz' }, readBlob)).rejects.toThrow(/OCR_LANGUAGES/);
  });

  it('passes OCR_MAX_PAGES to the local extractor', async () => {
    const { extractor: stack } = await localStackExtractor({ OCR_LANGUAGES: 'deu+eng', OCR_MAX_PAGES: '1' }, readBlob);
    const page = { bytes: drawBlank(), format: 'png' as const };
    blobs['mem://two-scans.pdf'] = await scannedPdf([page, page]);
    const error = await failureOf(stack.extract({ fields, file: { uri: 'mem://two-scans.pdf', mimeType: 'application/pdf', filename: 'two-scans.pdf' }, systemPrompt: { version: 'v1', text: '' }, model: 'local-text-v1' }));
    expect(error.code).toBe('too_many_scanned_pages');
  });
});

describe('image uploads', () => {
  it('reads a French PNG: number, day-first date and the total 2 345,67 €', async () => {
    const answer = await extract('facture.png', drawScan(french, 'png'), 'image/png');
    expect(answer.results).toEqual([['FA-2025-118', '2025-02-05', 2345.67]]);
    expect(answer.citations![0]!.map((citation) => citation && [citation.page, citation.verified])).toEqual([[1, true], [1, true], [1, true]]);
  }, OCR_TIMEOUT);

  it('reads each page of a TIFF: number and date on page 1, the total on page 2', async () => {
    const first = drawScan({ title: 'Northwind Office Supply', pairs: [['Invoice No:', 'INV-2025-0193'], ['Invoice Date:', '2025-03-14']] }, 'png');
    const second = drawScan({ title: 'Page 2 of 2', pairs: [['Total Due:', '$1,482.50']] }, 'png');
    const answer = await extract('fax.tiff', await tiffOf([first, second]), 'image/tiff');
    expect(answer.results).toEqual([['INV-2025-0193', '2025-03-14', 1482.5]]);
    expect(answer.citations![0]!.map((citation) => citation && [citation.page, citation.verified])).toEqual([[1, true], [1, true], [2, true]]);
  }, OCR_TIMEOUT);

  it('fails a blank page with a reason, not a row of nulls', async () => {
    const error = await failureOf(extract('blank.png', drawBlank(), 'image/png'));
    expect(error.code).toBe('no_text_found');
    expect(error.message).toBe('OCR read no word it is sure of in the scan of blank.png (blank, too faint or not text?)');
  }, OCR_TIMEOUT);

  it('fails bytes that are no image as unreadable, before OCR', async () => {
    const error = await failureOf(extract('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'image/png'));
    expect(error.code).toBe('unreadable_file');
    expect(error.message).toMatch(/^photo\.png is not a readable image\/png image: /);
  });
});

describe('the OCR worker', () => {
  it('stops a page when the task\'s signal aborts, and the next page starts a new worker', async () => {
    const controller = new AbortController();
    const image = { bytes: drawScan(english, 'png'), pointsPerPixel: 72 / 200 };
    const reading = recognizeImage(image, { languages: ['eng'], signal: controller.signal });
    setTimeout(() => controller.abort(new Error('task deadline')), 50);
    const started = Date.now();
    await expect(reading).rejects.toThrow('task deadline');
    expect(Date.now() - started).toBeLessThan(5_000);
    const again = await recognizeImage(image, { languages: ['eng'] });
    expect(again.text).toContain('INV-2025-0193');
  }, OCR_TIMEOUT);

  it('keeps a page\'s lines in a line cache when one is set (the bench\'s --ocr-cache), and reads the same image from it', async () => {
    const kept = new Map<string, OcrLine[]>();
    const key = (image: Buffer, languages: readonly string[]) => `${image.toString('base64')}|${languages.join('+')}`;
    let reads = 0;
    useOcrLineCache({
      get: async (image, languages) => kept.get(key(image, languages)),
      set: async (image, languages, lines) => {
        reads += 1;
        kept.set(key(image, languages), lines);
      },
    });
    try {
      const image = { bytes: drawScan(english, 'png'), pointsPerPixel: 0.36 };
      const first = await recognizeImage(image, { languages: ['eng'] });
      expect(first.text).toContain('INV-2025-0193');
      const again = await recognizeImage(image, { languages: ['eng'] });
      expect(again).toEqual(first);
      expect(reads).toBe(1);
      // What the cache holds is what is read: another image's lines stand for this one.
      const [line] = kept.values().next().value!;
      kept.set(key(image.bytes, ['eng']), [{ ...line!, words: [{ text: 'Cached', confidence: 95, bbox: line!.bbox }] }]);
      expect((await recognizeImage(image, { languages: ['eng'] })).text).toBe('Cached');
      expect(reads).toBe(1);
    } finally {
      useOcrLineCache(null);
    }
  }, OCR_TIMEOUT);

  it('reads traineddata from node_modules and caches nothing: a local langPath, no URL, cacheMethod none', async () => {
    const dir = await linkTraineddata(['eng', 'deu']);
    const options = workerOptions(dir);
    expect(options).toMatchObject({ langPath: dir, cacheMethod: 'none', gzip: true });
    expect(path.isAbsolute(options.langPath)).toBe(true);
    const entries = (await readdir(dir)).sort();
    expect(entries).toEqual(['deu.traineddata.gz', 'eng.traineddata.gz']);
    for (const entry of entries) {
      expect((await lstat(path.join(dir, entry))).isSymbolicLink()).toBe(true);
      expect(await readlink(path.join(dir, entry))).toMatch(/node_modules\/@tesseract\.js-data\/(eng|deu)\/4\.0\.0_best_int\//);
    }
    // tesseract.js's default cache would have left <code>.traineddata in the working directory.
    expect((await readdir(process.cwd())).filter((name) => name.endsWith('.traineddata'))).toEqual([]);
  });
});

describe('OCR words as lines of cells', () => {
  const word = (text: string, x0: number, x1: number, y0: number, confidence = 95) => ({ text, confidence, bbox: { x0, x1, y0, y1: y0 + 30 } });
  const line = (words: ReturnType<typeof word>[]): OcrLine => ({
    bbox: { x0: Math.min(...words.map((w) => w.bbox.x0)), x1: Math.max(...words.map((w) => w.bbox.x1)), y0: words[0]!.bbox.y0, y1: words[0]!.bbox.y1 },
    words,
  });

  it('joins words a space apart into a cell, keeps columns apart, merges lines on one row and drops unsure words', () => {
    const lines = [
      line([word('Total', 100, 170, 400), word('Due:', 180, 240, 400)]),
      line([word('$1,482.50', 600, 740, 402)]),
      line([word('Invoice', 100, 200, 300), word('No:', 210, 260, 300), word('~', 300, 310, 300, 20)]),
      line([word('INV-7', 600, 700, 298)]),
    ];
    const words = (...pairs: Array<[string, number]>) => pairs.map(([text, confidence]) => ({ text, confidence }));
    expect(cellsFromOcrLines(lines, 0.5)).toEqual([
      [{ text: 'Invoice No:', x: 50, right: 130, words: words(['Invoice', 95], ['No:', 95]) }, { text: 'INV-7', x: 300, right: 350, words: words(['INV-7', 95]) }],
      [{ text: 'Total Due:', x: 50, right: 120, words: words(['Total', 95], ['Due:', 95]) }, { text: '$1,482.50', x: 300, right: 370, words: words(['$1,482.50', 95]) }],
    ]);
  });
});
