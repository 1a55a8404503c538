import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import UTIF from 'utif2';

/**
 * Scans made in the test, no binary fixtures: a document drawn as pixels onto a
 * `@napi-rs/canvas` canvas (as a scanner would see the paper: a title, label + value pairs
 * in two columns, a grey speck of noise), encoded as PNG or JPEG, and a PDF whose only
 * content is that image, as a scanner's PDF is. The text uses the machine's sans-serif
 * font (DejaVu or Liberation on Debian); without any font there would be nothing to read.
 */

export interface ScanContent {
  /** Printed large at the top (the issuer). */
  title: string;
  /** Label and value pairs, the value in a second column. */
  pairs: Array<[label: string, value: string]>;
  /** Plain lines under the pairs (a note, a footer). */
  lines?: string[];
}

/** Pixels per inch of the drawn page: a typical office scan. */
export const SCAN_DPI = 200;

/** An A4 page of `content` as a PNG or JPEG at `SCAN_DPI`. */
export function drawScan(content: ScanContent, format: 'png' | 'jpeg' = 'png'): Buffer {
  if (GlobalFonts.families.length === 0) throw new Error('No font is installed: a scan cannot be drawn (apt-get install fonts-dejavu-core)');
  const dot = SCAN_DPI / 72;
  const canvas = createCanvas(Math.round(595 * dot), Math.round(842 * dot));
  const context = canvas.getContext('2d');
  context.fillStyle = '#fdfdfb';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#151515';
  context.font = `bold ${Math.round(18 * dot)}px sans-serif`;
  context.fillText(content.title, 60 * dot, 90 * dot);
  context.font = `${Math.round(11 * dot)}px sans-serif`;
  let y = 150;
  for (const [label, value] of content.pairs) {
    context.fillText(label, 60 * dot, y * dot);
    context.fillText(value, 250 * dot, y * dot);
    y += 24;
  }
  y += 20;
  for (const line of content.lines ?? []) {
    context.fillText(line, 60 * dot, y * dot);
    y += 20;
  }
  // A speck a scanner glass leaves: OCR must not read it as a word.
  context.fillStyle = '#9a9a9a';
  context.fillRect(480 * dot, 700 * dot, 3 * dot, 2 * dot);
  return format === 'png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg', 85);
}

/** A blank A4 page (paper colour only) as a PNG. */
export function drawBlank(): Buffer {
  const canvas = createCanvas(1654, 2339);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fdfdfb';
  context.fillRect(0, 0, canvas.width, canvas.height);
  return canvas.toBuffer('image/png');
}

/** A PDF of one A4 page per image, each image covering its page and nothing else on it (no text layer). */
export async function scannedPdf(images: ReadonlyArray<{ bytes: Buffer; format: 'png' | 'jpeg' }>): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const image of images) {
    const embedded = image.format === 'png' ? await pdf.embedPng(image.bytes) : await pdf.embedJpg(image.bytes);
    pdf.addPage([595, 842]).drawImage(embedded, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await pdf.save());
}

/** A TIFF of the given page images, one IFD each (uncompressed RGBA strips, written with utif2). */
export async function tiffOf(pages: readonly Buffer[]): Promise<Buffer> {
  const HEADER = 4096;
  const pixels: Uint8Array[] = [];
  const ifds: Array<Record<string, unknown>> = [];
  let offset = HEADER;
  for (const page of pages) {
    const image = await loadImage(page);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const rgba = new Uint8Array(context.getImageData(0, 0, image.width, image.height).data.buffer);
    ifds.push({
      t256: [image.width], t257: [image.height], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [offset], t277: [4],
      t278: [image.height], t279: [rgba.length], t282: [[200, 1]], t283: [[200, 1]], t284: [1], t296: [2], t338: [1],
    });
    pixels.push(rgba);
    offset += rgba.length;
  }
  const header = new Uint8Array(UTIF.encode(ifds as unknown as UTIF.IFD[]));
  if (header.length > HEADER) throw new Error('TIFF header overflows its space');
  const out = Buffer.alloc(offset);
  out.set(header, 0);
  let at = HEADER;
  for (const rgba of pixels) {
    out.set(rgba, at);
    at += rgba.length;
  }
  return out;
}
