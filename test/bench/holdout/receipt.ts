/**
 * A till receipt (restaurant bill, hardware store "Kassenbon"): an 80 mm wide page as long
 * as its content, centred shop header, receipt number, date and time on one line with the
 * till and cashier, items with the amount at the right edge, a total in bold followed by
 * the amounts that trip readers up (cash given, change, card payment, VAT breakdown).
 */
import { Sheet, type FontFamily } from './model.js';

export interface ReceiptLine {
  left: string;
  right?: string;
  bold?: boolean;
  size?: number;
  center?: boolean;
  /** Indented second line (e.g. `2 x 3,50`). */
  indent?: boolean;
}

export const RECEIPT_WIDTH = 226.77;

export function drawReceipt(lines: ReceiptLine[], font: FontFamily): Sheet {
  const sheet = new Sheet(RECEIPT_WIDTH, 2000, font);
  let y = 30;
  for (const line of lines) {
    const size = line.size ?? 8;
    if (line.left === '---') {
      sheet.rule(12, y - 4, RECEIPT_WIDTH - 12, { width: 0.4 });
      y += 6;
      continue;
    }
    if (line.center) sheet.text(RECEIPT_WIDTH / 2, y, line.left, { size, bold: line.bold, align: 'center' });
    else sheet.text(line.indent ? 26 : 14, y, line.left, { size, bold: line.bold });
    if (line.right) sheet.text(RECEIPT_WIDTH - 14, y, line.right, { size, bold: line.bold, align: 'right' });
    y += size + 3.5;
  }
  sheet.page.height = y + 30;
  return sheet;
}
