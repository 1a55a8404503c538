import { useState } from 'preact/hooks';
import { api, googleDoubleUrl, must, type Schemas } from '../api.js';
import { ErrorNote, Section, Status, useAction, useLoad, usePoll, when } from '../ui.js';
import { ExportsTable } from './run.js';

export function AutomationsView() {
  const automations = useLoad(() => must(api.GET('/v1/automations')), []);
  const jobs = useLoad(() => must(api.GET('/v1/jobs', { params: { query: { limit: 100 } } })), []);
  const accounts = useLoad(() => must(api.GET('/v1/integrations')), []);
  const gmailAccounts = accounts.data?.items.filter((a) => a.status === 'connected' && a.services.includes('gmail')) ?? [];
  return (
    <>
      <h1>Automations</h1>
      <p>An automation watches the connected Gmail: a new message matching its search, with a matching attachment, is imported into the job, run, and exported.</p>
      <Section title="Your automations" id="automations">
        <ErrorNote error={automations.error} />
        {automations.data?.items.length === 0 && <p>None yet.</p>}
        {automations.data?.items.map((a) => <AutomationCard key={a.id} automation={a} jobs={jobs.data?.items ?? []} onChanged={automations.reload} />)}
      </Section>
      {gmailAccounts.length === 0
        ? <p>Connect a Google account with Gmail on the <a href="#/google">Google</a> screen to create an automation.</p>
        : <CreateAutomation jobs={jobs.data?.items ?? []} accounts={gmailAccounts} onCreated={automations.reload} />}
      {googleDoubleUrl && <Mailbox />}
    </>
  );
}

function AutomationCard({ automation: a, jobs, onChanged }: { automation: Schemas['Automation']; jobs: Schemas['Job'][]; onChanged: () => void }) {
  const runs = useLoad(() => must(api.GET('/v1/automations/{automationId}/runs', { params: { path: { automationId: a.id } } })), [a.id]);
  usePoll(runs.reload, 1000, true);
  const path = { params: { path: { automationId: a.id } } };
  return (
    <article class="automation" aria-label={`Automation ${a.name}`}>
      <h3>{a.name} {a.isEnabled ? <Status value="enabled" /> : <Status value="disabled" />}</h3>
      <p>
        Messages matching <code>{a.trigger.query}</code>{a.trigger.mimeTypes.length > 0 ? ` with ${a.trigger.mimeTypes.join(', ')} attachments` : ''} go to
        {' '}<a href={`#/jobs/${a.jobId}`}>{jobs.find((j) => j.id === a.jobId)?.name ?? 'a job'}</a>
        {a.export ? `, exported as ${a.export.fileType.toUpperCase()} to ${a.export.destType}` : ''}.
        {a.lastFiredAt && ` Last fired ${when(a.lastFiredAt)}.`}
      </p>
      <button type="button" onClick={() => void must(api.PATCH('/v1/automations/{automationId}', { ...path, body: { isEnabled: !a.isEnabled } })).then(onChanged)}>{a.isEnabled ? 'Turn off' : 'Turn on'}</button>{' '}
      <button type="button" class="danger" onClick={() => confirm(`Delete the automation "${a.name}"?`) && void must(api.DELETE('/v1/automations/{automationId}', path)).then(onChanged)}>Delete</button>
      {runs.data && runs.data.items.length > 0 && (
        <table>
          <caption>What it fired</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Status</th><th scope="col">Run</th><th scope="col">Exports</th></tr></thead>
          <tbody>
            {runs.data.items.map((r) => (
              <tr key={r.id}>
                <td>{when(r.triggeredAt)}</td>
                <td><Status value={r.status} />{r.error && <span class="error"> {r.error}</span>}</td>
                <td>{r.runId ? <RunLink runId={r.runId} /> : '—'}</td>
                <td>{r.runId && <RunExports runId={r.runId} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function RunLink({ runId }: { runId: string }) {
  const run = useLoad(() => must(api.GET('/v1/runs/{runId}', { params: { path: { runId } } })), [runId]);
  usePoll(run.reload, 1000, !run.data || run.data.status === 'pending' || run.data.status === 'in_progress');
  return <a href={`#/runs/${runId}`}>Run #{run.data?.runNumber ?? '…'} {run.data && <Status value={run.data.status} />}</a>;
}

function RunExports({ runId }: { runId: string }) {
  const exports = useLoad(() => must(api.GET('/v1/runs/{runId}/exports', { params: { path: { runId }, query: { limit: 10 } } })), [runId]);
  usePoll(exports.reload, 1000, !exports.data || exports.data.items.length === 0 || exports.data.items.some((e) => e.status === 'pending' || e.status === 'in_progress'));
  return <ExportsTable items={exports.data?.items ?? []} />;
}

const TYPES = [['application/pdf', 'PDF'], ['image/png', 'PNG'], ['image/jpeg', 'JPEG'], ['text/csv', 'CSV'], ['application/zip', 'ZIP']] as const;

function CreateAutomation({ jobs, accounts, onCreated }: { jobs: Schemas['Job'][]; accounts: Schemas['IntegrationAccount'][]; onCreated: () => void }) {
  const [name, setName] = useState('Invoices from my supplier');
  const [query, setQuery] = useState('from:billing@supplier.example');
  const [types, setTypes] = useState<string[]>(['application/pdf']);
  const [jobId, setJobId] = useState('');
  const [destType, setDestType] = useState<'none' | 'download' | 'gdrive' | 'gmail'>('download');
  const [fileType, setFileType] = useState<'xlsx' | 'csv'>('xlsx');
  const create = useAction();
  const job = jobId || jobs[0]?.id || '';
  return (
    <Section title="Create an automation" id="create-automation">
      <form onSubmit={(e) => {
        e.preventDefault();
        void create.run(async () => {
          await must(api.POST('/v1/automations', { body: {
            name, jobId: job, accountId: accounts[0]!.id, trigger: { query, mimeTypes: types },
            ...(destType === 'none' ? {} : { export: { destType, fileType } }),
          } }));
          onCreated();
        });
      }}>
        <label for="automation-name">Name</label>
        <input id="automation-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="automation-query">Gmail search</label>
        <input id="automation-query" required value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-describedby="automation-query-help" />
        <p id="automation-query-help" class="help">As in Gmail's search box, e.g. <code>from:billing@supplier.example subject:invoice</code>.</p>
        <fieldset>
          <legend>Attachment types (none ticked: any)</legend>
          {TYPES.map(([mime, label]) => (
            <label class="check"><input type="checkbox" checked={types.includes(mime)} onChange={(e) => setTypes(e.currentTarget.checked ? [...types, mime] : types.filter((t) => t !== mime))} /> {label}</label>
          ))}
        </fieldset>
        <label for="automation-job">Job</label>
        <select id="automation-job" value={job} onChange={(e) => setJobId(e.currentTarget.value)}>{jobs.map((j) => <option value={j.id}>{j.name}</option>)}</select>
        <label for="automation-dest">Export the results</label>
        <select id="automation-dest" value={destType} onChange={(e) => setDestType(e.currentTarget.value as typeof destType)}>
          <option value="download">as a download link</option><option value="gdrive">to Drive</option><option value="gmail">by Gmail</option><option value="none">no export</option>
        </select>
        <label for="automation-format">Format</label>
        <select id="automation-format" value={fileType} onChange={(e) => setFileType(e.currentTarget.value as 'xlsx' | 'csv')}><option value="xlsx">XLSX</option><option value="csv">CSV</option></select>
        <ErrorNote error={create.error} />
        <button type="submit" disabled={create.busy || !job}>Create the automation</button>
      </form>
    </Section>
  );
}

/** Writes a message into the simulated Gmail inbox (the local double), which fires the watch like a real arrival. */
function Mailbox() {
  const [to, setTo] = useState('demo@bytereview.local');
  const [from, setFrom] = useState('billing@supplier.example');
  const [subject, setSubject] = useState('Invoice attached');
  const [files, setFiles] = useState<FileList | null>(null);
  const send = useAction();
  const [sent, setSent] = useState<string | null>(null);
  return (
    <Section title="Simulated mailbox" id="mailbox">
      <p class="help">Local only: delivers a message to the simulated account's inbox, as if someone had emailed it.</p>
      <form onSubmit={(e) => {
        e.preventDefault();
        setSent(null);
        void send.run(async () => {
          const form = new FormData();
          form.append('from', from);
          form.append('subject', subject);
          form.append('body', 'Sent from the ByteReview console');
          for (const file of files ? [...files] : []) form.append('file', file, file.name);
          const answer = await fetch(`/local/mailbox/${encodeURIComponent(to)}/messages`, { method: 'POST', body: form });
          const body = await answer.json() as { id?: string; error?: { message?: string } };
          if (!answer.ok) throw new Error(body.error?.message ?? `The mailbox answered ${answer.status}`);
          setSent(`Delivered message ${body.id} to ${to}'s inbox.`);
        });
      }}>
        <label for="mail-to">To</label>
        <input id="mail-to" type="email" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        <label for="mail-from">From</label>
        <input id="mail-from" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <label for="mail-subject">Subject</label>
        <input id="mail-subject" required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        <label for="mail-files">Attachments</label>
        <input id="mail-files" type="file" multiple onChange={(e) => setFiles(e.currentTarget.files)} />
        <ErrorNote error={send.error} />
        <button type="submit" disabled={send.busy}>Send to the inbox</button>
        {sent && <p role="status" class="ok">{sent}</p>}
      </form>
    </Section>
  );
}
