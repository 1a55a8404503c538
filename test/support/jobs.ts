import { PDFDocument, StandardFonts } from 'pdf-lib';
import type request from 'supertest';

export const alice = { Authorization: 'Bearer dev:alice' };

/** A real PDF of `pages` pages, each with a line of text. */
export async function pdfOfPages(pages: number, text = 'Invoice'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([300, 200]).drawText(`${text} page ${i + 1}`, { x: 20, y: 100, size: 12, font });
  return Buffer.from(await doc.save());
}

/** Creates a job of alice's (optionally with auto-run on) and uploads `files` (name -> bytes); answers the job id and file ids. */
export async function createJobWithFiles(
  api: ReturnType<typeof request>, files: Record<string, Buffer>, opts: { autoRun?: boolean; headers?: Record<string, string> } = {},
): Promise<{ jobId: string; fileIds: string[] }> {
  const headers = { ...alice, ...opts.headers };
  const job = await api.post('/v1/jobs').set(headers).send({ name: 'Invoices', fields: [{ name: 'File', type: 'text' }, { name: 'Total', type: 'currency' }], autoRun: opts.autoRun }).expect(201);
  const fileIds: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    const file = await api.post(`/v1/jobs/${job.body.id}/files`).set(headers).attach('file', bytes, name).expect(201);
    fileIds.push(file.body.id);
  }
  return { jobId: job.body.id, fileIds };
}
