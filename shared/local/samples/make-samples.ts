/**
 * Writes the demo documents next to this file: single-page invoices and a receipt, as
 * text PDFs the local extractor reads and fields.json describes. Run it again after
 * editing a sample: `npx tsx shared/local/samples/make-samples.ts`. The bytes are the
 * same on every run (fixed dates, no random ids), so the PDFs can be committed.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

/** One line of a sample: text at a left margin, a style, and the gap above it. */
interface SampleLine {
  text: string;
  style?: 'title' | 'heading' | 'body' | 'small';
  /** Extra points of space before this line. */
  gap?: number;
  /** Table rows: cells placed at the sample's column positions. */
  cells?: string[];
}

interface Sample {
  file: string;
  title: string;
  lines: SampleLine[];
}

const LETTER: [number, number] = [612, 792];
/** Item, quantity, unit price and amount columns of the line-item tables. */
const COLUMNS = [56, 330, 400, 490];
const FIXED_DATE = new Date('2025-03-31T12:00:00Z');

export const SAMPLES: Sample[] = [
  {
    file: 'acme-office-supplies-invoice.pdf',
    title: 'Invoice INV-2025-0042',
    lines: [
      { text: 'ACME OFFICE SUPPLIES INC.', style: 'title' },
      { text: '1200 Market Street, Suite 400, San Francisco, CA 94103', style: 'small' },
      { text: 'INVOICE', style: 'heading', gap: 18 },
      { text: 'Vendor: Acme Office Supplies Inc.', gap: 8 },
      { text: 'Invoice No: INV-2025-0042' },
      { text: 'Invoice Date: 03/12/2025' },
      { text: 'Due Date: 04/11/2025' },
      { text: 'Payment Terms: Net 30' },
      { text: 'Bill To:', gap: 10 },
      { text: 'Globex Corporation' },
      { text: '42 Evergreen Terrace, Springfield, OR 97477' },
      { text: '', cells: ['Item', 'Qty', 'Unit Price', 'Amount'], style: 'heading', gap: 14 },
      { text: '', cells: ['Ergonomic office chair', '2', '$189.00', '$378.00'] },
      { text: '', cells: ['Standing desk frame', '1', '$429.00', '$429.00'] },
      { text: '', cells: ['Printer paper A4 (5,000 sheets)', '3', '$41.50', '$124.50'] },
      { text: 'Subtotal: $931.50', gap: 12 },
      { text: 'Sales Tax (8.5%): $79.18' },
      { text: 'Total: $1,010.68', style: 'heading' },
      { text: 'Paid: No', gap: 8 },
      { text: 'Thank you for your business. Please include the invoice number with your payment.', style: 'small', gap: 24 },
    ],
  },
  {
    file: 'northwind-consulting-invoice.pdf',
    title: 'Invoice NW-1187',
    lines: [
      { text: 'NORTHWIND CONSULTING LLC', style: 'title' },
      { text: '77 Harbor Road, Boston, MA 02110 | billing@northwind.example', style: 'small' },
      { text: 'From: Northwind Consulting LLC', gap: 24 },
      { text: 'Invoice #: NW-1187' },
      { text: 'Issued: 2025-02-28' },
      { text: 'Payment due: 2025-03-30' },
      { text: 'Client: Initech Ltd.', gap: 10 },
      { text: '', cells: ['Services', 'Hours', 'Rate', 'Amount'], style: 'heading', gap: 14 },
      { text: '', cells: ['Data pipeline design workshop', '12', '$150.00', '$1,800.00'] },
      { text: '', cells: ['Cloud cost review', '6', '$150.00', '$900.00'] },
      { text: 'Subtotal: $2,700.00', gap: 12 },
      { text: 'Tax: $0.00' },
      { text: 'Total: $2,700.00', style: 'heading' },
      { text: 'Status: PAID', gap: 8 },
    ],
  },
  {
    file: 'harbor-bean-cafe-receipt.pdf',
    title: 'Receipt R-000913',
    lines: [
      { text: 'HARBOR BEAN CAFE', style: 'title' },
      { text: '5 Pier Street, Seattle, WA 98101', style: 'small' },
      { text: 'Seller: Harbor Bean Cafe', gap: 20 },
      { text: 'Receipt No.: R-000913' },
      { text: 'Date: March 3, 2025' },
      { text: 'Items:', gap: 10 },
      { text: '', cells: ['Oat milk latte', '2 x', '$5.25', '$10.50'] },
      { text: '', cells: ['Blueberry muffin', '1 x', '$3.75', '$3.75'] },
      { text: 'Subtotal: $14.25', gap: 12 },
      { text: 'Tax: $1.25' },
      { text: 'Total: $15.50', style: 'heading' },
      { text: 'Status: PAID', gap: 8 },
      { text: 'Card: VISA **** 4242' },
    ],
  },
  {
    file: 'brightline-gmbh-invoice.pdf',
    title: 'Rechnung / Invoice BL-2025-0311',
    lines: [
      { text: 'BRIGHTLINE GMBH', style: 'title' },
      { text: 'Hafenstrasse 12, 20457 Hamburg, Germany | VAT ID DE123456789', style: 'small' },
      { text: 'Supplier: Brightline GmbH', gap: 24 },
      { text: 'Invoice Number: BL-2025-0311' },
      { text: 'Invoice Date: 11.03.2025' },
      { text: 'Due Date: 10.04.2025' },
      { text: '', cells: ['Item', 'Qty', 'Unit price', 'Amount'], style: 'heading', gap: 14 },
      { text: '', cells: ['Label printer LX-200', '1', '€ 249,00', '€ 249,00'] },
      { text: '', cells: ['Thermal labels 100x50 mm', '10', '€ 18,50', '€ 185,00'] },
      { text: 'Subtotal: € 434,00', gap: 12 },
      { text: 'VAT (19%): € 82,46' },
      { text: 'Total amount: € 516,46', style: 'heading' },
      { text: 'Payment status: Unpaid', gap: 8 },
    ],
  },
];

const SIZES = { title: 20, heading: 12, body: 11, small: 9 } as const;

/** One sample as PDF bytes, identical on every call. */
export async function renderSample(sample: Sample): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage(LETTER);
  let y = LETTER[1] - 64;
  for (const line of sample.lines) {
    const style = line.style ?? 'body';
    const size = SIZES[style];
    const font: PDFFont = style === 'title' || style === 'heading' ? bold : regular;
    y -= (line.gap ?? 0) + size + 5;
    const color = style === 'small' ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0);
    if (line.cells) {
      line.cells.forEach((cell, i) => page.drawText(cell, { x: COLUMNS[i]!, y, size, font, color }));
      if (style === 'heading') page.drawLine({ start: { x: 56, y: y - 4 }, end: { x: 556, y: y - 4 }, thickness: 0.5 });
    } else {
      page.drawText(line.text, { x: 56, y, size, font, color });
    }
  }
  // Fixed metadata: pdf-lib would otherwise stamp the current time on each run.
  pdf.setTitle(sample.title);
  pdf.setProducer('ByteReview sample generator');
  pdf.setCreator('shared/local/samples/make-samples.ts');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  return pdf.save({ useObjectStreams: false });
}

async function writeSamples(): Promise<void> {
  for (const sample of SAMPLES) {
    const target = path.join(import.meta.dirname, sample.file);
    await writeFile(target, await renderSample(sample));
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  await writeSamples();
}
