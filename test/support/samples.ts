import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FieldSpec } from '../../shared/extraction/types.js';

/** The demo documents `shared/local/samples/make-samples.ts` writes, and the fields they are read with. */
export const samplesDir = path.resolve(import.meta.dirname, '../../shared/local/samples');
export const sampleFields = JSON.parse(await readFile(path.join(samplesDir, 'fields.json'), 'utf8')) as FieldSpec[];

/** What a person reads on each sample, in fields.json order. */
export const sampleRows: Record<string, unknown[]> = {
  'acme-office-supplies-invoice.pdf': [
    'Acme Office Supplies Inc.', 'INV-2025-0042', '2025-03-12', '2025-04-11', 1010.68, 79.18, false,
    ['Ergonomic office chair', 'Standing desk frame', 'Printer paper A4 (5,000 sheets)'],
  ],
  'northwind-consulting-invoice.pdf': [
    'Northwind Consulting LLC', 'NW-1187', '2025-02-28', '2025-03-30', 2700, 0, true,
    ['Data pipeline design workshop', 'Cloud cost review'],
  ],
  'harbor-bean-cafe-receipt.pdf': [
    'Harbor Bean Cafe', 'R-000913', '2025-03-03', null, 15.5, 1.25, true, ['Oat milk latte', 'Blueberry muffin'],
  ],
  'brightline-gmbh-invoice.pdf': [
    'Brightline GmbH', 'BL-2025-0311', '2025-03-11', '2025-04-10', 516.46, 82.46, false,
    ['Label printer LX-200', 'Thermal labels 100x50 mm'],
  ],
};
