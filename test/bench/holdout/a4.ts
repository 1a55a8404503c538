/**
 * The A4 business-letter invoice most issuers send (DIN 5008-like in Germany, the same
 * skeleton elsewhere): a big company name where the logo would be, a small sender line
 * above the recipient's window, an information block of numbers and dates beside or under
 * the window, an item table that flows over pages (carried-forward lines, a repeated
 * header), totals on the last page, and a footer of registry and bank data on every page.
 * The styles in `styles.ts` fill it with their own labels and choices.
 */
import { Sheet, winAnsi, type FontFamily } from './model.js';

export interface Column {
  header: string;
  /** Left edge for left-aligned columns, right edge for right-aligned ones. */
  x: number;
  align: 'left' | 'right';
  /** Characters kept of the cell (descriptions are cut like real systems cut them). */
  maxChars?: number;
}

export interface TableRow {
  cells: string[];
  /** Second, smaller line under the description (period, article number). */
  detail?: string;
}

export interface InfoPair {
  label: string;
  value: string;
}

export interface A4Invoice {
  font?: FontFamily;
  brand: { text: string; size: number; x?: number; align?: 'left' | 'right'; tagline?: string };
  senderLine?: string;
  /** Sender address block at the top right (name, street, city, phone...). */
  senderBlock?: string[];
  recipient: string[];
  /** Beside the window (labels left of right-aligned values, above them, or `Label: value` in one text run), or in columns under the title. */
  info: { placement: 'right' | 'below'; pairs: InfoPair[]; labelsAbove?: boolean; inline?: boolean };
  title: string;
  /** A line under the title ("Rechnung Nr. 17 vom 15.01.2025", a salutation, the period). */
  intro?: string[];
  /** Telecom bills: the totals summary before the item list, on the first page. */
  summaryFirst?: boolean;
  columns: Column[];
  rows: TableRow[];
  carried?: { label: string; format: (cents: number) => string; amountOf: (row: number) => number };
  totals: Array<{ label: string; value: string; bold?: boolean }>;
  after?: string[];
  footer: string[][];
  pageLabel: (page: number, pages: number) => string;
  continuationHeader: string;
}

const BOTTOM = 735;
const ROW = 13;

export function drawA4(spec: A4Invoice): Sheet {
  const sheet = new Sheet(595.28, 841.89, spec.font ?? 'sans');
  const footer = () => {
    sheet.rule(50, 778, 545, { width: 0.3, gray: 0.5 });
    const width = 495 / spec.footer.length;
    spec.footer.forEach((column, i) => column.forEach((line, j) => sheet.text(50 + i * width, 790 + j * 8.5, line, { size: 6.5, gray: 0.35 })));
  };
  // Header.
  const brandAlign = spec.brand.align ?? 'left';
  sheet.text(spec.brand.x ?? (brandAlign === 'left' ? 50 : 545), 72, spec.brand.text, { size: spec.brand.size, bold: true, align: brandAlign });
  if (spec.brand.tagline) sheet.text(spec.brand.x ?? (brandAlign === 'left' ? 50 : 545), 86, spec.brand.tagline, { size: 8, gray: 0.4, align: brandAlign });
  spec.senderBlock?.forEach((line, i) => sheet.text(545, 110 + i * 10, line, { size: 8, align: 'right' }));
  if (spec.senderLine) {
    sheet.text(57, 148, spec.senderLine, { size: 6.5 });
    sheet.rule(57, 151, 290, { width: 0.3 });
  }
  spec.recipient.forEach((line, i) => sheet.text(57, 166 + i * 11.5, line, { size: 10 }));
  let y: number;
  if (spec.info.placement === 'right') {
    spec.info.pairs.forEach((pair, i) => {
      const top = 160 + i * (spec.info.labelsAbove ? 22 : 12);
      if (spec.info.inline) {
        sheet.text(360, top, `${pair.label.replace(/:$/, '')}: ${pair.value}`, { size: 8.5 });
      } else if (spec.info.labelsAbove) {
        sheet.text(360, top, pair.label, { size: 7, gray: 0.35 });
        sheet.text(360, top + 9, pair.value, { size: 9 });
      } else {
        sheet.text(360, top, pair.label, { size: 8.5 });
        sheet.text(545, top, pair.value, { size: 8.5, align: 'right' });
      }
    });
    y = Math.max(280, 170 + spec.info.pairs.length * (spec.info.labelsAbove ? 22 : 12) + 20);
    sheet.text(50, y, spec.title, { size: 15, bold: true });
    y += 20;
  } else {
    y = 275;
    sheet.text(50, y, spec.title, { size: 15, bold: true });
    y += 22;
    const width = 495 / spec.info.pairs.length;
    spec.info.pairs.forEach((pair, i) => {
      sheet.text(50 + i * width, y, pair.label, { size: 7.5, gray: 0.35, bold: true });
      sheet.text(50 + i * width, y + 11, pair.value, { size: 9 });
    });
    sheet.rule(50, y + 17, 545, { width: 0.3 });
    y += 34;
  }
  for (const line of spec.intro ?? []) {
    sheet.text(50, y, line, { size: 9 });
    y += 12;
  }
  y += 6;
  const totals = () => {
    y += 8;
    sheet.rule(350, y - 10, 545, { width: 0.5 });
    for (const total of spec.totals) {
      sheet.text(360, y, total.label, { size: total.bold ? 10 : 9, bold: total.bold });
      sheet.text(545, y, total.value, { size: total.bold ? 10 : 9, bold: total.bold, align: 'right' });
      y += total.bold ? 15 : 12;
    }
    y += 8;
  };
  if (spec.summaryFirst) totals();
  const tableHeader = () => {
    spec.columns.forEach((column) => sheet.text(column.x, y, column.header, { size: 8, bold: true, align: column.align }));
    sheet.rule(50, y + 4, 545, { width: 0.6 });
    y += ROW + 2;
  };
  tableHeader();
  let carried = 0;
  spec.rows.forEach((row, index) => {
    const height = row.detail ? ROW + 9 : ROW;
    if (y + height > BOTTOM) {
      if (spec.carried) {
        sheet.rule(350, y - 8, 545, { width: 0.3 });
        sheet.text(360, y + 2, spec.carried.label, { size: 8.5 });
        sheet.text(545, y + 2, spec.carried.format(carried), { size: 8.5, align: 'right' });
      }
      footer();
      sheet.addPage();
      sheet.text(50, 60, spec.continuationHeader, { size: 8.5, gray: 0.3 });
      y = 95;
      tableHeader();
      if (spec.carried) {
        sheet.text(spec.columns[1]!.x, y, spec.carried.label, { size: 8.5 });
        sheet.text(545, y, spec.carried.format(carried), { size: 8.5, align: 'right' });
        y += ROW;
      }
    }
    spec.columns.forEach((column, i) => {
      const cell = row.cells[i] ?? '';
      sheet.text(column.x, y, column.maxChars ? cell.slice(0, column.maxChars).trimEnd() : cell, { size: 8.5, align: column.align });
    });
    if (row.detail) {
      const descriptionColumn = spec.columns.find((column) => column.maxChars) ?? spec.columns[1]!;
      sheet.text(descriptionColumn.x, y + 9, row.detail, { size: 7, gray: 0.4 });
    }
    y += height;
    carried += spec.carried?.amountOf(index) ?? 0;
  });
  sheet.rule(50, y - 8, 545, { width: 0.3 });
  y += 6;
  if (!spec.summaryFirst) {
    if (y + spec.totals.length * 14 + 20 > BOTTOM) {
      footer();
      sheet.addPage();
      sheet.text(50, 60, spec.continuationHeader, { size: 8.5, gray: 0.3 });
      y = 100;
    }
    totals();
  }
  for (const line of spec.after ?? []) {
    if (y > BOTTOM) {
      footer();
      sheet.addPage();
      y = 100;
    }
    sheet.text(50, y, line, { size: 8.5 });
    y += 11.5;
  }
  footer();
  const pages = sheet.pages.length;
  sheet.pages.forEach((page, i) => page.runs.push({ x: 545, y: 765, text: winAnsi(spec.pageLabel(i + 1, pages)), size: 7.5, bold: false, align: 'right', font: spec.font ?? 'sans', gray: 0.3 }));
  return sheet;
}
