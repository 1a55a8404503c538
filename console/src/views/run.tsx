import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api.js';
import { ErrorNote, Section, Status, cell, go, useAction, useLoad, usePoll, when } from '../ui.js';

const LIVE = new Set(['pending', 'in_progress']);

export function RunView({ runId }: { runId: string }) {
  const path = { params: { path: { runId } } };
  const run = useLoad(() => must(api.GET('/v1/runs/{runId}', path)), [runId]);
  const live = run.data ? LIVE.has(run.data.status) : true;
  const operation = useLoad(async () => (run.data?.operationId ? must(api.GET('/v1/operations/{operationId}', { params: { path: { operationId: run.data.operationId } } })) : null), [run.data?.operationId, run.data?.tasksCompleted, run.data?.status]);
  usePoll(run.reload, 500, live);
  const finished = run.data !== undefined && !live;
  const results = useLoad(() => (finished ? must(api.GET('/v1/runs/{runId}/results', { params: { path: { runId }, query: { limit: 100 } } })) : Promise.resolve(null)), [runId, finished]);
  const failures = useLoad(() => (finished ? must(api.GET('/v1/runs/{runId}/tasks', { params: { path: { runId }, query: { status: 'failed', limit: 100 } } })) : Promise.resolve(null)), [runId, finished]);
  const against = new URLSearchParams(location.hash.split('?')[1] ?? '').get('against');

  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <p aria-busy="true">Loading…</p>;
  const r = run.data;
  const done = r.tasksCompleted + r.tasksFailed;
  return (
    <>
      <p><a href={`#/jobs/${r.jobId}`}>← The job</a></p>
      <h1>Run #{r.runNumber ?? '…'} <Status value={r.status} /></h1>
      <Section title="Progress" id="progress">
        <label for="run-progress">{done} of {r.tasksTotal} files done{r.tasksFailed > 0 ? `, ${r.tasksFailed} failed` : ''}</label>
        <progress id="run-progress" max={Math.max(r.tasksTotal, 1)} value={live && r.tasksTotal === 0 ? undefined : done} />
        <p role="status" aria-live="polite">{operation.data?.stage ?? (live ? 'Starting…' : '')}</p>
        {r.errorMessage && <p class="error">{r.errorMessage}</p>}
        <p class="help">Trigger: {r.trigger}. Started {when(r.startedAt)}{r.completedAt ? `, finished ${when(r.completedAt)}` : ''}.</p>
        {live && <button type="button" onClick={() => void must(api.POST('/v1/runs/{runId}/cancel', path)).then(run.reload)}>Cancel the run</button>}
        {finished && r.tasksFailed > 0 && <button type="button" onClick={() => void must(api.POST('/v1/runs/{runId}/retry', path)).then(run.reload)}>Retry the failed files</button>}
      </Section>
      {finished && (
        <Section title="Results" id="results">
          <ErrorNote error={results.error} />
          {results.data && <ResultsTable items={results.data.items} />}
          {failures.data && failures.data.items.length > 0 && (
            <table class="failures">
              <caption>Files that failed</caption>
              <thead><tr><th scope="col">File</th><th scope="col">Reason</th><th scope="col">Attempts</th></tr></thead>
              <tbody>{failures.data.items.map((f) => <tr key={f.taskId}><td>{f.sourceFileName}</td><td class="error">{f.errorMessage ?? f.errorCode ?? 'The file could not be read'}</td><td>{f.attempts}</td></tr>)}</tbody>
            </table>
          )}
        </Section>
      )}
      {finished && <Exports runId={runId} />}
      {finished && <Differences run={r} against={against} />}
    </>
  );
}

function ResultsTable({ items }: { items: Schemas['ResultRow'][] }) {
  const columns = items[0]?.columns ?? [];
  const rows = items.flatMap((item) => item.rows.map((row, i) => ({ key: `${item.taskId}-${i}`, file: item.sourceFileName, row })));
  if (rows.length === 0) return <p>No rows were extracted.</p>;
  return (
    <div class="scroll">
      <table class="results">
        <caption>{rows.length} rows from {items.length} files</caption>
        <thead><tr><th scope="col">File</th>{columns.map((c) => <th scope="col">{c}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr key={r.key}><th scope="row">{r.file}</th>{r.row.map((v) => <td>{cell(v)}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function Exports({ runId }: { runId: string }) {
  const exports = useLoad(() => must(api.GET('/v1/runs/{runId}/exports', { params: { path: { runId }, query: { limit: 50 } } })), [runId]);
  usePoll(exports.reload, 700, exports.data?.items.some((e) => e.status === 'pending' || e.status === 'in_progress') ?? false);
  const [fileType, setFileType] = useState<'xlsx' | 'csv'>('xlsx');
  const [to, setTo] = useState('');
  const [folderId, setFolderId] = useState('');
  const create = useAction();
  const request = (body: Schemas['ExportRequest']) => create.run(async () => {
    await must(api.POST('/v1/runs/{runId}/exports', { params: { path: { runId } }, body }));
    exports.reload();
  });
  return (
    <Section title="Exports" id="exports">
      <div class="inline">
        <label>Format <select value={fileType} onChange={(e) => setFileType(e.currentTarget.value as 'xlsx' | 'csv')}><option value="xlsx">XLSX</option><option value="csv">CSV</option></select></label>
        <button type="button" disabled={create.busy} onClick={() => void request({ destType: 'download', fileType })}>Export for download</button>
      </div>
      <div class="inline">
        <label>Drive folder id (optional) <input value={folderId} onInput={(e) => setFolderId(e.currentTarget.value.trim())} /></label>
        <button type="button" disabled={create.busy} onClick={() => void request({ destType: 'gdrive', fileType, ...(folderId ? { folderId } : {}) })}>Export to Drive</button>
      </div>
      <div class="inline">
        <label>Email to (optional) <input type="email" value={to} onInput={(e) => setTo(e.currentTarget.value.trim())} /></label>
        <button type="button" disabled={create.busy} onClick={() => void request({ destType: 'gmail', fileType, ...(to ? { to } : {}) })}>Send by Gmail</button>
      </div>
      <ErrorNote error={create.error ?? exports.error} />
      <ExportsTable items={exports.data?.items ?? []} />
    </Section>
  );
}

export function ExportsTable({ items }: { items: Schemas['Export'][] }) {
  if (items.length === 0) return null;
  return (
    <table class="exports" aria-live="polite">
      <caption>Exports of this run</caption>
      <thead><tr><th scope="col">To</th><th scope="col">Format</th><th scope="col">Status</th><th scope="col">File</th><th scope="col">Created</th></tr></thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td>{e.destType}{e.automationId ? ' (automation)' : ''}</td>
            <td>{e.fileType}</td>
            <td><Status value={e.status} />{e.errorMessage && <span class="error"> {e.errorMessage}</span>}</td>
            <td>{e.downloadUrl ? <a href={e.downloadUrl} download={e.fileName ?? undefined}>Download {e.fileName}</a> : (e.fileName ?? '')}{e.rowsExported !== null ? ` (${e.rowsExported} rows)` : ''}</td>
            <td>{when(e.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Differences({ run, against }: { run: Schemas['Run']; against: string | null }) {
  const runs = useLoad(() => must(api.GET('/v1/jobs/{jobId}/runs', { params: { path: { jobId: run.jobId }, query: { limit: 50 } } })), [run.jobId]);
  const others = (runs.data?.items ?? []).filter((r) => r.id !== run.id && !LIVE.has(r.status));
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const diff = useLoad(() => (against
    ? must(api.GET('/v1/runs/{runId}/diff', { params: { path: { runId: run.id }, query: { against, limit: 50, ...(cursor ? { cursor } : {}) } } }))
    : Promise.resolve(null)), [run.id, against, cursor]);
  return (
    <Section title="Differences from another run" id="diff">
      <label for="diff-against">Compare with</label>
      <select id="diff-against" value={against ?? ''} onChange={(e) => {
        setCursor(undefined);
        go(`/runs/${run.id}${e.currentTarget.value ? `?against=${e.currentTarget.value}` : ''}`);
      }}>
        <option value="">(choose a run)</option>
        {others.map((o) => <option value={o.id}>Run #{o.runNumber} ({o.status})</option>)}
      </select>
      <ErrorNote error={diff.error} />
      {diff.data && (
        <>
          <p role="status">
            Rows: {diff.data.summary.rows.added} added, {diff.data.summary.rows.removed} removed, {diff.data.summary.rows.changed} changed, {diff.data.summary.rows.same} the same.
            {' '}Cells: {diff.data.summary.cells.changed} changed.
            {diff.data.fields.added.length > 0 && ` Fields added: ${diff.data.fields.added.join(', ')}.`}
            {diff.data.fields.removed.length > 0 && ` Fields removed: ${diff.data.fields.removed.join(', ')}.`}
          </p>
          <div class="scroll">
            <table class="diff">
              <thead><tr><th scope="col">File</th><th scope="col">Row</th><th scope="col">Change</th><th scope="col">Cells (before → after)</th></tr></thead>
              <tbody>
                {diff.data.items.map((row) => (
                  <tr key={`${row.sourceFileName}-${row.rowIndex}`} class={`diff-${row.status}`}>
                    <td>{row.sourceFileName}</td><td>{row.rowIndex + 1}</td><td><Status value={row.status} /></td>
                    <td>{row.cells.filter((c) => c.status !== 'same').map((c) => <span class={`cell diff-${c.status}`}>{c.field}: {cell(c.before)} → {cell(c.after)} </span>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {diff.data.nextCursor && <button type="button" onClick={() => setCursor(diff.data!.nextCursor!)}>Next rows</button>}
        </>
      )}
    </Section>
  );
}
