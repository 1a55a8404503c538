/**
 * Turns drawn pages into PDF bytes, two ways:
 * - a text PDF (pdf-lib, standard Helvetica/Times/Courier, WinAnsi text): what accounting
 *   systems export, a line or a word per text object, in reading order or not;
 * - a "scan": each page drawn on a canvas (@napi-rs/canvas, Liberation fonts, which share
 *   Helvetica/Times/Courier's metrics) at 150 or 200 dpi, slightly rotated and shifted, grey
 *   paper, toner noise, a little blur, JPEG-compressed (quality 55-85) and embedded as the page's only content, as a
 *   scanner's PDF is. No text layer.
 * Both are byte-for-byte deterministic: fixed dates and producer, noise from the seed.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts, grayscale, type PDFFont } from 'pdf-lib';
import { Random, type FontFamily, type PageDraw, type TextRun } from './model.js';

const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

async function newDocument(title: string): Promise<PDFDocument> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle(title);
  pdf.setProducer('holdout-bench');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  return pdf;
}

/**
 * How the PDF's producer wrote its text, which real PDFs vary in and readers must cope with:
 * `words` draws every word as its own text object at its position (as word processors and
 * many PDF printers do) instead of a line per text object; `order` is the order of the text
 * objects in the content stream: reading order, the right-hand column first (templates drawn
 * by layer), or bottom to top (footer first).
 */
export interface TextPdfOptions {
  words: boolean;
  order: 'reading' | 'right-first' | 'bottom-up';
}

function drawingOrder(runs: readonly TextRun[], order: TextPdfOptions['order'], pageWidth: number): TextRun[] {
  if (order === 'reading') return [...runs];
  if (order === 'bottom-up') return [...runs].reverse();
  const right = (run: TextRun) => (run.align === 'right' ? run.x : run.x + 1) > pageWidth / 2;
  return [...runs.filter(right), ...runs.filter((run) => !right(run))];
}

export async function renderTextPdf(pages: PageDraw[], title: string, options: TextPdfOptions = { words: false, order: 'reading' }): Promise<Uint8Array> {
  const pdf = await newDocument(title);
  const fonts: Record<FontFamily, [PDFFont, PDFFont]> = {
    sans: [await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold)],
    serif: [await pdf.embedFont(StandardFonts.TimesRoman), await pdf.embedFont(StandardFonts.TimesRomanBold)],
    mono: [await pdf.embedFont(StandardFonts.Courier), await pdf.embedFont(StandardFonts.CourierBold)],
  };
  for (const drawn of pages) {
    const page = pdf.addPage([drawn.width, drawn.height]);
    for (const rule of drawn.rules) {
      page.drawLine({ start: { x: rule.x1, y: drawn.height - rule.y1 }, end: { x: rule.x2, y: drawn.height - rule.y2 }, thickness: rule.width, color: grayscale(rule.gray) });
    }
    for (const run of drawingOrder(drawn.runs, options.order, drawn.width)) {
      const font = fonts[run.font][run.bold ? 1 : 0];
      const width = font.widthOfTextAtSize(run.text, run.size);
      const x = run.align === 'left' ? run.x : run.align === 'right' ? run.x - width : run.x - width / 2;
      const draw = (text: string, at: number) => page.drawText(text, { x: at, y: drawn.height - run.y, size: run.size, font, color: grayscale(run.gray) });
      if (!options.words) {
        draw(run.text, x);
        continue;
      }
      let offset = 0;
      for (const part of run.text.split(/( +)/)) {
        if (part.trim() !== '') draw(part, x + offset);
        offset += font.widthOfTextAtSize(part, run.size);
      }
    }
  }
  return pdf.save();
}

const CANVAS_FONTS: Record<FontFamily, string> = { sans: 'Liberation Sans', serif: 'Liberation Serif', mono: 'Liberation Mono' };
let fontsRegistered = false;

/** Registers the Liberation fonts (Debian fonts-liberation) when present; otherwise the canvas falls back to its default face. */
function registerFonts(): void {
  if (fontsRegistered) return;
  fontsRegistered = true;
  const dir = '/usr/share/fonts/truetype/liberation';
  for (const [family, file] of [['Liberation Sans', 'LiberationSans'], ['Liberation Serif', 'LiberationSerif'], ['Liberation Mono', 'LiberationMono']] as const) {
    for (const weight of ['Regular', 'Bold']) {
      const path = `${dir}/${file}-${weight}.ttf`;
      if (existsSync(path)) GlobalFonts.registerFromPath(path, family);
    }
  }
}

function drawScanPage(drawn: PageDraw, rng: Random, dpi: number, quality: number): Buffer {
  const scale = dpi / 72;
  const width = Math.round(drawn.width * scale);
  const height = Math.round(drawn.height * scale);
  const canvas = createCanvas(width, height);
  const ctx: SKRSContext2D = canvas.getContext('2d');
  const paper = 236 + rng.int(0, 14);
  ctx.fillStyle = `rgb(${paper},${paper},${paper - 3})`;
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  // The sheet lies a little crooked and off-centre on the glass.
  ctx.translate(width / 2 + rng.int(-12, 12), height / 2 + rng.int(-12, 12));
  ctx.rotate(((rng.next() - 0.5) * 2.4 * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  ctx.scale(scale, scale);
  ctx.filter = `blur(${(0.35 + rng.next() * 0.35).toFixed(2)}px)`;
  const ink = rng.int(20, 60);
  for (const rule of drawn.rules) {
    ctx.strokeStyle = `rgb(${ink + rule.gray * 180},${ink + rule.gray * 180},${ink + rule.gray * 180})`;
    ctx.lineWidth = Math.max(rule.width, 0.4);
    ctx.beginPath();
    ctx.moveTo(rule.x1, rule.y1);
    ctx.lineTo(rule.x2, rule.y2);
    ctx.stroke();
  }
  for (const run of drawn.runs) {
    const tone = Math.round(ink + run.gray * 170);
    ctx.fillStyle = `rgb(${tone},${tone},${tone})`;
    ctx.font = `${run.bold ? 'bold ' : ''}${run.size}px "${CANVAS_FONTS[run.font]}"`;
    ctx.textAlign = run.align;
    ctx.fillText(run.text, run.x, run.y);
  }
  ctx.restore();
  ctx.filter = 'none';
  // Toner specks and sensor noise.
  const image = ctx.getImageData(0, 0, width, height);
  const data = image.data;
  for (let i = 0; i < data.length; i += 4) {
    const noise = (rng.next() - 0.5) * 22;
    const speck = rng.next() < 0.0004 ? -120 : 0;
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c]! + noise + speck));
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toBuffer('image/jpeg', quality);
}

export async function renderScanPdf(pages: PageDraw[], title: string, seed: number): Promise<Uint8Array> {
  registerFonts();
  const rng = new Random(seed);
  // Office scanners' usual settings: 150 or 200 dpi, JPEG quality from poor to good.
  const dpi = rng.pick([150, 150, 200]);
  const quality = rng.int(55, 85);
  const pdf = await newDocument(title);
  for (const drawn of pages) {
    const jpeg = await pdf.embedJpg(drawScanPage(drawn, rng, dpi, quality));
    const page = pdf.addPage([drawn.width, drawn.height]);
    page.drawImage(jpeg, { x: 0, y: 0, width: drawn.width, height: drawn.height });
  }
  return pdf.save();
}
