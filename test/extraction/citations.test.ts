import { describe, expect, it } from 'vitest';
import { verifyCitations } from '../../shared/extraction/citations.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { withPageWindows } from '../../shared/extraction/page-windows.js';
import type { ExtractionRequest } from '../../shared/extraction/types.js';

describe('verifying citations against the text layer', () => {
  const pages = ['Invoice No:   INV-7\nDate 2025-03-12', 'TOTAL DUE\n  12.50 EUR'];

  it('finds a quote on its page whatever its whitespace and case', () => {
    expect(verifyCitations([[{ page: 1, quote: 'invoice no: inv-7' }, { page: 2, quote: 'Total due 12.50' }]], pages)).toEqual([
      [{ page: 1, quote: 'invoice no: inv-7', verified: true }, { page: 2, quote: 'Total due 12.50', verified: true }],
    ]);
  });

  it('a quote on another page, on no page, a page past the end or no quote at all is not verified', () => {
    const checked = verifyCitations([[{ page: 2, quote: 'INV-7' }, { page: 1, quote: 'INV-8' }, { page: 3, quote: 'INV-7' }, { page: 1, quote: null }, null]], pages);
    expect(checked[0]!.map((citation) => citation?.verified ?? 'no citation')).toEqual([false, false, false, false, 'no citation']);
  });

  it('without a text layer nothing can be checked: verified is null', () => {
    expect(verifyCitations([[{ page: 1, quote: 'INV-7' }]], null)).toEqual([[{ page: 1, quote: 'INV-7', verified: null }]]);
    expect(verifyCitations([[{ page: 1, quote: 'INV-7' }]], ['  ', ''])).toEqual([[{ page: 1, quote: 'INV-7', verified: null }]]);
  });
});

describe('the local extractor cites what it read', () => {
  const csv = Buffer.from('Invoice number,Total\nINV-1,12.50\nINV-2,7\n');
  const readFile = async () => csv;
  const request: ExtractionRequest = {
    fields: [{ name: 'Invoice number', type: 'text', required: true }, { name: 'Total', type: 'currency', required: false }],
    file: { uri: 'local://a.csv', mimeType: 'text/csv', filename: 'a.csv' },
    systemPrompt: { version: '1', text: '' },
    model: 'local-text-v1',
  };

  it('a CSV value is cited by its cell, without a page and unverified', async () => {
    const answer = await withPageWindows(createLocalExtractor({ readFile }), { readFile }).extract(request);
    expect(answer.results).toEqual([['INV-1', 12.5], ['INV-2', 7]]);
    expect(answer.citations).toEqual([
      [{ page: null, quote: 'INV-1', verified: null }, { page: null, quote: '12.50', verified: null }],
      [{ page: null, quote: 'INV-2', verified: null }, { page: null, quote: '7', verified: null }],
    ]);
  });
});
