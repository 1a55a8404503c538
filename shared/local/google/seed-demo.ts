import type { DriveFile } from './drive-state.js';
import type { GmailMessage } from './gmail-state.js';
import type { GoogleAccount } from './oauth-state.js';
import { renderTextPdf } from './pdf.js';
import type { GoogleDoubleState } from './state.js';

/** The simulated account `npm start` signs in as. */
export const DEMO_ACCOUNT = {
  email: 'demo@bytereview.local',
  name: 'Simulated Google account — local double, not Google',
} as const;

/** A PDF to seed, e.g. one of `shared/local/samples/*.pdf`. */
export interface SamplePdf {
  name: string;
  bytes: Uint8Array;
}

/** What `seedDemoAccount` created. */
export interface DemoAccount {
  account: GoogleAccount;
  invoicesFolder: DriveFile;
  message: GmailMessage;
}

/**
 * Seeds the simulated account for the local stack: an "Invoices" Drive folder holding the
 * sample PDFs (one generated invoice when none are given), a nested "2024" folder, a native
 * Google Doc exportable as PDF, and an inbox message with a PDF attachment.
 */
export function seedDemoAccount(state: GoogleDoubleState, samplePdfs: SamplePdf[] = []): DemoAccount {
  const account = state.addUser(DEMO_ACCOUNT);
  const pdfs = samplePdfs.length > 0 ? samplePdfs : [{ name: 'invoice-1001.pdf', bytes: demoInvoice('INV-1001', '1,250.00') }];
  const invoicesFolder = state.drive.addFolder({ name: 'Invoices' });
  for (const pdf of pdfs) state.drive.addFile({ name: pdf.name, mimeType: 'application/pdf', bytes: pdf.bytes, parents: [invoicesFolder.id] });
  const archive = state.drive.addFolder({ name: '2024', parents: [invoicesFolder.id] });
  state.drive.addFile({ name: 'invoice-0907.pdf', mimeType: 'application/pdf', bytes: demoInvoice('INV-0907', '310.40'), parents: [archive.id] });
  state.drive.addGoogleDoc({ name: 'Supplier notes', parents: [invoicesFolder.id], text: 'Supplier: Example Supplies Ltd\nPayment terms: 30 days' });
  const message = state.gmail.addMessage({
    from: 'Example Supplies <billing@supplier.example>',
    to: DEMO_ACCOUNT.email,
    subject: 'Invoice INV-1002',
    body: 'Hello,\n\nplease find attached invoice INV-1002.\n\nExample Supplies',
    attachments: [{ filename: 'invoice-1002.pdf', mimeType: 'application/pdf', bytes: pdfs[0]?.bytes ?? demoInvoice('INV-1002', '99.00') }],
  });
  return { account, invoicesFolder, message };
}

function demoInvoice(number: string, total: string): Buffer {
  return renderTextPdf([
    'Example Supplies Ltd',
    `Invoice number: ${number}`,
    'Invoice date: 2024-09-07',
    `Total: ${total} EUR`,
    '(Simulated document from the local Google double)',
  ]);
}
