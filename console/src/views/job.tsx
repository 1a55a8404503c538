import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../api.js';
import { ErrorNote, Section, Status, bytes, go, useAction, useLoad, when } from '../ui.js';
import { FieldsEditor, type FieldDraft } from './fields-editor.js';

export function JobView({ jobId }: { jobId: string }) {
  const path = { params: { path: { jobId } } };
  const job = useLoad(() => must(api.GET('/v1/jobs/{jobId}', path)), [jobId]);
  const files = useLoad(() => must(api.GET('/v1/jobs/{jobId}/files', path)), [jobId]);
  const runs = useLoad(() => must(api.GET('/v1/jobs/{jobId}/runs', { params: { path: { jobId }, query: { limit: 50 } } })), [jobId]);
  const [name, setName] = useState('');
  const [fields, setFields] = useState<FieldDraft[]>([]);
  useEffect(() => {
    if (!job.data) return;
    setName(job.data.name);
    setFields(job.data.fields.map(({ name: n, type, description, required }) => ({ name: n, type, description: description ?? null, required })));
  }, [job.data]);
  const save = useAction();
  const start = useAction();
  const [saved, setSaved] = useState(false);
  const [compare, setCompare] = useState<string[]>([]);

  if (job.error) return <ErrorNote error={job.error} />;
  if (!job.data) return <p aria-busy="true">Loading…</p>;
  return (
    <>
      <p><a href="#/jobs">← Jobs</a></p>
      <h1>{job.data.name}</h1>
      <Section title="Files" id="files">
        <Upload jobId={jobId} onUploaded={files.reload} />
        <ErrorNote error={files.error} />
        {files.data && files.data.items.length > 0 && (
          <table>
            <thead><tr><th scope="col">File</th><th scope="col">From</th><th scope="col">Size</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {files.data.items.map((f) => (
                <tr key={f.id}>
                  <td>{f.filename}</td><td>{f.sourceType}</td><td>{bytes(f.sizeBytes)}</td>
                  <td><Status value={f.status} />{f.errorMessage && <span class="error"> {f.errorMessage}</span>}</td>
                  <td><button type="button" class="link" aria-label={`Delete ${f.filename}`} onClick={() => void must(api.DELETE('/v1/jobs/{jobId}/files/{fileId}', { params: { path: { jobId, fileId: f.id } } })).then(files.reload)}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>Import from Google Drive or Gmail on the <a href={`#/google`}>Google</a> screen.</p>
      </Section>
      <Section title="Runs" id="runs">
        <ErrorNote error={start.error} />
        <button type="button" disabled={start.busy} onClick={() => void start.run(async () => {
          const { runId } = await must(api.POST('/v1/jobs/{jobId}/runs', path));
          go(`/runs/${runId}`);
        })}>Start a run</button>
        <ErrorNote error={runs.error} />
        {runs.data && runs.data.items.length > 0 && (
          <>
            <table>
              <caption>Run history (tick two runs to compare them)</caption>
              <thead><tr><th scope="col">Compare</th><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Files</th><th scope="col">Trigger</th><th scope="col">Started</th></tr></thead>
              <tbody>
                {runs.data.items.map((r) => (
                  <tr key={r.id}>
                    <td><input type="checkbox" aria-label={`Compare run ${r.runNumber ?? ''}`} checked={compare.includes(r.id)}
                      onChange={(e) => setCompare(e.currentTarget.checked ? [...compare, r.id].slice(-2) : compare.filter((c) => c !== r.id))} /></td>
                    <td><a href={`#/runs/${r.id}`}>Run #{r.runNumber ?? '…'}</a></td>
                    <td><Status value={r.status} /></td>
                    <td>{r.tasksCompleted}/{r.tasksTotal}{r.tasksFailed > 0 ? `, ${r.tasksFailed} failed` : ''}</td>
                    <td>{r.trigger}</td>
                    <td>{when(r.startedAt ?? r.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" disabled={compare.length !== 2} onClick={() => {
              // Newer run first: the diff says what changed since the older one.
              const [a, b] = compare.map((id) => runs.data!.items.find((r) => r.id === id)!).sort((x, y) => (y.runNumber ?? 0) - (x.runNumber ?? 0));
              go(`/runs/${a!.id}?against=${b!.id}`);
            }}>Compare the two ticked runs</button>
          </>
        )}
      </Section>
      <Section title="Job and fields" id="edit-job">
        <form onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save.run(async () => {
            await must(api.PATCH('/v1/jobs/{jobId}', { ...path, body: { name, fields } }));
            setSaved(true);
            job.reload();
          });
        }}>
          <label for="edit-job-name">Job name</label>
          <input id="edit-job-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldsEditor fields={fields} onChange={setFields} />
          <ErrorNote error={save.error} />
          <button type="submit" disabled={save.busy}>Save the job</button>
          {saved && <span role="status"> Saved. The next run uses these fields; earlier runs keep theirs.</span>}
        </form>
        <button type="button" class="danger" onClick={() => {
          if (confirm(`Delete "${job.data!.name}" with its files, runs and exports?`)) void must(api.DELETE('/v1/jobs/{jobId}', path)).then(() => go('/jobs'));
        }}>Delete the job</button>
      </Section>
    </>
  );
}

/** Drop files here or pick them: each is uploaded with its own progress line. */
function Upload({ jobId, onUploaded }: { jobId: string; onUploaded: () => void }) {
  const [over, setOver] = useState(false);
  const [lines, setLines] = useState<{ name: string; state: string; error?: string }[]>([]);
  const upload = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const picked = [...list];
    setLines(picked.map((f) => ({ name: f.name, state: 'uploading' })));
    await Promise.all(picked.map(async (file, i) => {
      const form = new FormData();
      form.append('file', file, file.name);
      try {
        await must(api.POST('/v1/jobs/{jobId}/files', { params: { path: { jobId } }, body: form as never, bodySerializer: (b) => b as unknown as FormData }));
        setLines((ls) => ls.map((l, j) => (j === i ? { ...l, state: 'uploaded' } : l)));
      } catch (e) {
        setLines((ls) => ls.map((l, j) => (j === i ? { ...l, state: 'failed', error: (e as Error).message } : l)));
      }
    }));
    onUploaded();
  };
  return (
    <div
      class={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void upload(e.dataTransfer?.files ?? null);
      }}
    >
      <label for="upload-input">Drop PDF, image, CSV or ZIP files here, or choose them</label>
      <input id="upload-input" type="file" multiple onChange={(e) => void upload(e.currentTarget.files).then(() => ((e.target as HTMLInputElement).value = ''))} />
      <ul aria-live="polite" class="upload-lines">
        {lines.map((l) => <li>{l.name}: <Status value={l.state} />{l.error && <span class="error"> {l.error}</span>}</li>)}
      </ul>
    </div>
  );
}
