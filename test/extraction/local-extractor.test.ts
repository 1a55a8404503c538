import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { ExtractionRequest, FieldSpec } from '../../shared/extraction/types.js';
import { SAMPLES, renderSample } from '../../shared/local/samples/make-samples.js';
import { CORPUS_FIELDS, LAYOUTS, writeCorpus } from '../bench/extraction-corpus.js';
import { sampleFields, sampleRows as expected, samplesDir } from '../support/samples.js';

/** In-memory "blob store": uri -> bytes; a sample's uri is its path on disk. */
function extractorOver(blobs: Record<string, Buffer> = {}) {
  return createLocalExtractor({ readFile: async (uri) => blobs[uri] ?? readFile(uri) });
}

function requestFor(uri: string, mimeType: string, fields: FieldSpec[] = sampleFields): ExtractionRequest {
  return {
    fields,
    file: { uri, mimeType, filename: path.basename(uri) },
    systemPrompt: { version: 'v1', text: 'unused by the local extractor' },
    model: 'gemini-2.5-flash',
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

describe('the sample documents', () => {
  it('cover every sample the generator makes', () => {
    expect(Object.keys(expected).sort()).toEqual(SAMPLES.map((sample) => sample.file).sort());
  });

  it.each(Object.entries(expected))('%s reads into the typed values printed on it', async (file, row) => {
    const answer = await extractorOver().extract(requestFor(path.join(samplesDir, file), 'application/pdf'));
    expect(answer.columns).toEqual(sampleFields.map((field) => field.name));
    expect(answer.results).toEqual([row]);
    expect(answer.engine).toBe('local-text-v1');
    expect(answer.model).toBe('local-text-v1');
    expect(answer.usage).toEqual({ inputTokens: null, outputTokens: null });
  });

  it.each(SAMPLES.map((sample) => [sample.file, sample] as const))(
    'the committed %s is byte for byte what the generator writes',
    async (file, sample) => {
      const committed = await readFile(path.join(samplesDir, file));
      expect(Buffer.from(await renderSample(sample)).equals(committed)).toBe(true);
    },
  );
});

describe('PDFs the local extractor cannot read', () => {
  it('refuses a PDF with neither a text layer nor a scanned image and says why', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage([612, 792]).drawRectangle({ x: 50, y: 50, width: 300, height: 400, color: rgb(0.8, 0.8, 0.8) });
    const blobs = { 'mem://scan.pdf': Buffer.from(await pdf.save()) };
    const error = await failureOf(extractorOver(blobs).extract(requestFor('mem://scan.pdf', 'application/pdf')));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('no_text_layer');
    expect(error.message).toBe('scan.pdf has neither a text layer nor a scanned page: there is nothing to read');
  });

  it('refuses bytes that are not a PDF as unreadable', async () => {
    const blobs = { 'mem://broken.pdf': Buffer.from('this is not a pdf at all') };
    const error = await failureOf(extractorOver(blobs).extract(requestFor('mem://broken.pdf', 'application/pdf')));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('unreadable_file');
  });

  it('refuses a type it does not read', async () => {
    const blobs = { 'mem://letter.doc': Buffer.from([0xd0, 0xcf, 0x11, 0xe0]) };
    const error = await failureOf(extractorOver(blobs).extract(requestFor('mem://letter.doc', 'application/msword')));
    expect((error as PermanentError).code).toBe('unsupported_type');
  });
});

describe('text and CSV documents', () => {
  const fields: FieldSpec[] = [
    { name: 'invoice_number', type: 'text', description: 'Invoice or receipt number', required: true },
    { name: 'invoice_date', type: 'date', description: null, required: true },
    { name: 'total', type: 'currency', description: 'Amount due', required: true },
    { name: 'paid', type: 'boolean', required: false },
  ];

  it('reads labels from plain text, with a value on the line after its label', async () => {
    const text = ['ACME', 'Invoice Number:', 'A-77', 'Date: 2025-01-31', 'Amount due: USD 99.90', 'Paid? yes'].join('\n');
    const blobs = { 'mem://a.txt': Buffer.from(text) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://a.txt', 'text/plain', fields));
    // "Paid? yes" has no colon; its label still leads the line.
    expect(answer.results).toEqual([['A-77', '2025-01-31', 99.9, true]]);
  });

  it('reads a label,value CSV as one row', async () => {
    const csv = 'Invoice No,INV-9\r\nInvoice date,02/01/2025\r\nTotal,"$1,200.00"\r\n';
    const blobs = { 'mem://kv.csv': Buffer.from(csv) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://kv.csv', 'text/csv', fields));
    expect(answer.results).toEqual([['INV-9', '2025-02-01', 1200, null]]);
  });

  it('reads a CSV with a header row as one row per record', async () => {
    const csv = ['Invoice #,Invoice Date,Amount Due,Paid', 'A-1,2025-03-01,"1,000.50",yes', 'A-2,2025-03-02,12,no'].join('\n');
    const blobs = { 'mem://table.csv': Buffer.from(csv) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://table.csv', 'text/csv', fields));
    expect(answer.results).toEqual([
      ['A-1', '2025-03-01', 1000.5, true],
      ['A-2', '2025-03-02', 12, false],
    ]);
  });

  it('recognises a header cell naming a field whose name is a stop word ("when")', async () => {
    const eventFields: FieldSpec[] = [
      { name: 'when', type: 'date', required: true },
      { name: 'what', type: 'text', required: true },
      { name: 'amount', type: 'number', required: false },
    ];
    const csv = ['When,What,Amount', '2025-04-01,Kick-off,3', '2025-04-02,Review,4'].join('\n');
    const blobs = { 'mem://events.csv': Buffer.from(csv) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://events.csv', 'text/csv', eventFields));
    expect(answer.results).toEqual([
      ['2025-04-01', 'Kick-off', 3],
      ['2025-04-02', 'Review', 4],
    ]);
  });

  it('fails a CSV whose header names columns that are none of the fields, naming them, instead of one junk row', async () => {
    const csv = ['Invoice #,Colour,Weight', 'A-1,red,3'].join('\n');
    const blobs = { 'mem://other.csv': Buffer.from(csv) };
    const error = await failureOf(extractorOver(blobs).extract(requestFor('mem://other.csv', 'text/csv', fields)));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('unrecognised_header');
    expect(error.message).toBe(
      'other.csv: the CSV header\'s columns "Colour", "Weight" match none of the fields (invoice_number, invoice_date, total, paid)',
    );
  });

  it('reads a number written in scientific notation', async () => {
    const csv = ['Invoice #,Invoice Date,Amount Due', 'A-1,2025-03-01,1e3', 'A-2,2025-03-02,2.5E-1'].join('\n');
    const blobs = { 'mem://sci.csv': Buffer.from(csv) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://sci.csv', 'text/csv', fields));
    expect(answer.results).toEqual([
      ['A-1', '2025-03-01', 1000, null],
      ['A-2', '2025-03-02', 0.25, null],
    ]);
  });

  it('fails permanently, naming the field, when a required value is nowhere in the document', async () => {
    const blobs = { 'mem://short.txt': Buffer.from('Invoice No: Z-1\nTotal: 5.00\n') };
    const error = await failureOf(extractorOver(blobs).extract(requestFor('mem://short.txt', 'text/plain', fields)));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('required_field_missing');
    expect(error.message).toContain('invoice_date');
  });

  it('gives the same answer for the same document every time', async () => {
    const uri = path.join(samplesDir, SAMPLES[0]!.file);
    const [first, second] = await Promise.all([
      extractorOver().extract(requestFor(uri, 'application/pdf')),
      extractorOver().extract(requestFor(uri, 'application/pdf')),
    ]);
    expect(second).toEqual(first);
  });
});

describe('documents laid out in columns, in five languages', () => {
  it('reads every layout of the bench corpus into the values printed on it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'local-extractor-'));
    try {
      const documents = await writeCorpus(dir, { seed: 7, count: LAYOUTS.length * 2 });
      for (const document of documents) {
        const answer = await extractorOver().extract(requestFor(path.join(dir, document.file), document.mimeType, CORPUS_FIELDS));
        const row = Object.fromEntries(answer.columns.map((column, i) => [column, answer.results[0]![i]]));
        expect({ file: document.file, ...row }).toEqual({ file: document.file, ...document.truth });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads "Facture n°", "Total TTC" and a day-first date with French amounts', async () => {
    const text = ['Atelier Dubois SARL', 'FACTURE', 'Facture n° F2025-00042', 'Date de facturation : 03/04/2025', 'Total HT : 1 000,00 €', 'Total TTC : 1 200,00 €'].join('\n');
    const blobs = { 'mem://facture.txt': Buffer.from(text) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://facture.txt', 'text/plain', CORPUS_FIELDS));
    expect(answer.results).toEqual([['F2025-00042', '2025-04-03', 1200, 'Atelier Dubois SARL', null]]);
  });

  it('answers null rather than a sentence for an identifier, and no vendor from a title', async () => {
    const text = ['INVOICE', 'Invoice number: at the time of check-out.', 'Total: 12.00'].join('\n');
    const blobs = { 'mem://vague.txt': Buffer.from(text) };
    const answer = await extractorOver(blobs).extract(requestFor('mem://vague.txt', 'text/plain', CORPUS_FIELDS));
    expect(answer.results).toEqual([[null, null, 12, null, null]]);
  });
});
