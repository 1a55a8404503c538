import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../blobs/blob-store.js';

/**
 * Pages of an extracted document, for usage and the pages-per-month limit: a PDF's page
 * count (pdf.js through unpdf, loaded on first use), one page for anything else (an image,
 * a text or CSV file) and for a PDF pdf.js cannot open (it was still sent to the model).
 *
 * It reads the object once more after the model has answered: the model reads PDFs by URI,
 * so the stage has no bytes of its own. Up to the 25 MB upload limit by default.
 */
export async function countPages(blobs: BlobStore, objectName: string, mimeType: string): Promise<number> {
  if (mimeType.split(';')[0]!.trim().toLowerCase() !== 'application/pdf') return 1;
  try {
    const bytes = await buffer(blobs.read('uploads', objectName));
    const { getDocumentProxy } = await import('unpdf');
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      return Math.max(1, pdf.numPages);
    } finally {
      await pdf.destroy();
    }
  } catch {
    return 1;
  }
}
