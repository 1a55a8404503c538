import { PDFDocument, StandardFonts } from 'pdf-lib';

/** One line item of the generated statement, as printed. */
export interface LineItem {
  item: string;
  quantity: number;
  amount: number;
}

/**
 * A long text PDF for the page-window tests: `pages` pages, `rows` line items spread
 * evenly over them under a table header repeated on every page ("Item  Quantity
 * Amount", each in its own column), the statement number on page 1 only and the total
 * on the last page only. Returns the bytes and the items in printed order.
 */
export async function makeLongStatement(pages = 120, rows = 600): Promise<{ bytes: Buffer; items: LineItem[]; number: string; total: number }> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2025-01-01T00:00:00Z'));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const items: LineItem[] = Array.from({ length: rows }, (_, i) => ({
    item: `Part ${String(i + 1).padStart(4, '0')} ${['bolt', 'nut', 'washer', 'hinge', 'bracket'][i % 5]}`,
    quantity: (i % 7) + 1,
    amount: Math.round(((i * 37) % 1000) + 12.5 * ((i % 4) + 1)) / 1 + 0.25,
  }));
  const number = 'ST-2025-0042';
  const total = Math.round(items.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
  const perPage = Math.ceil(rows / pages);
  for (let p = 0; p < pages; p++) {
    const page = pdf.addPage([595, 842]);
    const text = (s: string, x: number, y: number) => page.drawText(s, { x, y, size: 11, font });
    let y = 800;
    if (p === 0) {
      text('STATEMENT', 50, y);
      y -= 24;
      text(`Statement No: ${number}`, 50, y);
      y -= 30;
    }
    text(`Page ${p + 1} of ${pages}`, 450, 20);
    text('Item', 50, y);
    text('Quantity', 300, y);
    text('Amount', 420, y);
    y -= 20;
    for (const line of items.slice(p * perPage, (p + 1) * perPage)) {
      text(line.item, 50, y);
      text(String(line.quantity), 300, y);
      text(line.amount.toFixed(2), 420, y);
      y -= 18;
    }
    if (p === pages - 1) text(`Total: ${total.toFixed(2)}`, 50, y - 30);
  }
  return { bytes: Buffer.from(await pdf.save()), items, number, total };
}
