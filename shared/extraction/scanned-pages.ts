import type { getDocumentProxy } from 'unpdf';
import { PermanentError, errorMessage } from '../errors.js';
import type { OcrImage } from './ocr.js';

type PDFDocumentProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * The images OCR reads (issue 14): a scanned PDF page rendered by pdf.js onto a
 * `@napi-rs/canvas` canvas (whatever the scanner embedded: JPEG, JBIG2, CCITT, several
 * strips, a rotation), and an uploaded image, decoded first so a broken file is named as
 * such instead of reaching tesseract. `@napi-rs/canvas` and `utif2` are dynamic imports:
 * a text PDF loads neither.
 */

/** Pages are rendered at 300 dpi, tesseract's best resolution for body text... */
const RENDER_DPI = 300;
/** ...unless the longer side would pass this many pixels (a poster-sized page). */
const MAX_RENDER_SIDE = 5000;
/** An upload's width counts as a Letter page's (612 points), so label-to-value distances read as on a PDF. */
const UPLOAD_WIDTH_POINTS = 612;
/**
 * An upload narrower than an A4 page at 300 dpi is enlarged to an A4 page at 400 dpi,
 * at most twice: small type loses its punctuation to tesseract (11 pt "12.03.2025" in a
 * 200 dpi JPEG read as "1203 2025", at 1.5 times still so, at twice whole), and a date
 * without its dots is no date.
 */
const UPLOAD_MIN_WIDTH = 2480;
const UPLOAD_TARGET_WIDTH = 3308;

/** Whether the page paints an image (a scan), read from its operator list: a blank page is not OCR'd. */
export async function pageHasImage(pdf: PDFDocumentProxy, pageNumber: number): Promise<boolean> {
  const { getResolvedPDFJS } = await import('unpdf');
  const { OPS } = await getResolvedPDFJS();
  const imageOps = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageXObjectRepeat, OPS.paintInlineImageXObjectGroup, OPS.paintImageMaskXObject]);
  const page = await pdf.getPage(pageNumber);
  try {
    const { fnArray } = await page.getOperatorList();
    return fnArray.some((op) => imageOps.has(op));
  } finally {
    page.cleanup();
  }
}

/** One page of `pdf` as a PNG at 300 dpi (less for a very large page). */
export async function renderPdfPage(pdf: PDFDocumentProxy, pageNumber: number): Promise<OcrImage> {
  const { renderPageAsImage } = await import('unpdf');
  const page = await pdf.getPage(pageNumber);
  const { width, height } = page.getViewport({ scale: 1 });
  const scale = Math.min(RENDER_DPI / 72, MAX_RENDER_SIDE / Math.max(width, height));
  const png = await renderPageAsImage(pdf, pageNumber, { canvasImport: () => import('@napi-rs/canvas'), scale });
  return { bytes: Buffer.from(png), pointsPerPixel: 1 / scale };
}

/**
 * The pages of an uploaded image: one for PNG, JPEG, WebP and GIF (GIF, and an image
 * under 300 dpi enlarged, re-encoded as PNG, which tesseract reads), one per page of a TIFF (decoded by `utif2`: fax and scanner
 * compressions included). Throws PermanentError `unreadable_file` for bytes that do not
 * decode.
 */
export async function imagePages(bytes: Buffer, mimeType: string, filename: string): Promise<OcrImage[]> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  try {
    if (mimeType === 'image/tiff') {
      const UTIF = (await import('utif2')).default;
      const ifds = UTIF.decode(bytes).filter((ifd) => typeof ifd['t256'] !== 'undefined');
      if (ifds.length === 0) throw new Error('no image in the TIFF');
      return ifds.map((ifd) => {
        UTIF.decodeImage(bytes, ifd);
        const canvas = createCanvas(ifd.width, ifd.height);
        const context = canvas.getContext('2d');
        const image = context.createImageData(ifd.width, ifd.height);
        image.data.set(UTIF.toRGBA8(ifd));
        context.putImageData(image, 0, 0);
        return { bytes: canvas.toBuffer('image/png'), pointsPerPixel: UPLOAD_WIDTH_POINTS / ifd.width };
      });
    }
    const image = await loadImage(bytes);
    if (!(image.width > 0 && image.height > 0)) throw new Error('the image has no pixels');
    const scale = image.width >= UPLOAD_MIN_WIDTH ? 1 : Math.min(2, UPLOAD_TARGET_WIDTH / image.width);
    if (scale === 1 && mimeType !== 'image/gif') return [{ bytes, pointsPerPixel: UPLOAD_WIDTH_POINTS / image.width }];
    // Enlarged, or a GIF (which tesseract does not read) re-encoded: a PNG on white.
    const [width, height] = [Math.round(image.width * scale), Math.round(image.height * scale)];
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = 'white';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(image, 0, 0, width, height);
    return [{ bytes: canvas.toBuffer('image/png'), pointsPerPixel: UPLOAD_WIDTH_POINTS / width }];
  } catch (error) {
    throw new PermanentError(`${filename} is not a readable ${mimeType} image: ${errorMessage(error)}`, 'unreadable_file', { cause: error });
  }
}
