import { useState } from 'preact/hooks';
import { api, must } from '../api.js';
import { ErrorNote, Section, Status, go, useAction, useLoad, when } from '../ui.js';
import { FieldsEditor, type FieldDraft } from './fields-editor.js';

const STARTER: FieldDraft[] = [
  { name: 'invoice_number', type: 'text', required: false },
  { name: 'invoice_date', type: 'date', required: false },
  { name: 'total_amount', type: 'currency', required: false },
];

export function JobsView() {
  const jobs = useLoad(() => must(api.GET('/v1/jobs', { params: { query: { limit: 100 } } })), []);
  const [name, setName] = useState('');
  const [fields, setFields] = useState<FieldDraft[]>(STARTER);
  const create = useAction();
  return (
    <>
      <h1>Jobs</h1>
      <Section title="Your jobs" id="jobs">
        <ErrorNote error={jobs.error} />
        {jobs.data && jobs.data.items.length === 0 && <p>No jobs yet: create one below.</p>}
        {jobs.data && jobs.data.items.length > 0 && (
          <table>
            <thead><tr><th scope="col">Job</th><th scope="col">Fields</th><th scope="col">Files</th><th scope="col">Last run</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {jobs.data.items.map((j) => (
                <tr key={j.id}>
                  <td><a href={`#/jobs/${j.id}`}>{j.name}</a></td>
                  <td>{j.fields.length}</td>
                  <td>{j.fileCount}</td>
                  <td>{j.lastRun ? <>#{j.lastRun.runNumber} <Status value={j.lastRun.status} /></> : '—'}</td>
                  <td>{when(j.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Create a job" id="create-job">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create.run(async () => {
              const job = await must(api.POST('/v1/jobs', { body: { name, fields } }));
              go(`/jobs/${job.id}`);
            });
          }}
        >
          <label for="job-name">Job name</label>
          <input id="job-name" required maxLength={255} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldsEditor fields={fields} onChange={setFields} />
          <ErrorNote error={create.error} />
          <button type="submit" disabled={create.busy}>Create job</button>
        </form>
      </Section>
    </>
  );
}
