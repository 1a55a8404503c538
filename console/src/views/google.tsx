import { useEffect, useState } from 'preact/hooks';
import { api, googleDoubleUrl, must } from '../api.js';
import { ErrorNote, Section, Status, bytes, useAction, useLoad, usePoll, when } from '../ui.js';

export function GoogleView({ outcome }: { outcome: URLSearchParams }) {
  const accounts = useLoad(() => must(api.GET('/v1/integrations')), []);
  // After consent, oauth-callback sends the browser back with a one-time code; the signed-in user finishes the connection with it.
  const [finished, setFinished] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    const code = outcome.get('code');
    if (outcome.get('status') !== 'consented' || !code) return;
    history.replaceState(null, '', `/${location.hash}`);
    must(api.POST('/v1/integrations/google/complete', { body: { code } })).then(
      ({ account }) => (setFinished({ ok: true, text: `Google account ${account.email ?? ''} connected.` }), accounts.reload()),
      (e: Error) => setFinished({ ok: false, text: `Connecting failed: ${e.message}` }),
    );
  }, []);
  const jobs = useLoad(() => must(api.GET('/v1/jobs', { params: { query: { limit: 100 } } })), []);
  const connect = useAction();
  const connected = accounts.data?.items.filter((a) => a.status === 'connected') ?? [];
  const [jobId, setJobId] = useState('');
  const [importId, setImportId] = useState<string | null>(null);
  const targetJob = jobId || jobs.data?.items[0]?.id || '';
  return (
    <>
      <h1>Google</h1>
      {outcome.get('status') === 'connected' && <p role="status" class="ok">Google account connected.</p>}
      {finished && <p role={finished.ok ? 'status' : 'alert'} class={finished.ok ? 'ok' : 'error'}>{finished.text}</p>}
      {outcome.get('status') === 'error' && <p role="alert" class="error">Connecting failed: {outcome.get('reason')}</p>}
      <Section title="Connection" id="connection">
        <ErrorNote error={accounts.error} />
        {accounts.data?.items.map((a) => (
          <p key={a.id}>
            <b>{a.email}</b> <Status value={a.status} /> grants {a.services.join(' and ') || 'nothing'}{a.lastSyncAt ? `, last sync ${when(a.lastSyncAt)}` : ''}
            {a.lastError?.message && <span class="error"> {a.lastError.message}</span>}{' '}
            {a.status === 'connected' && <button type="button" class="link" onClick={() => void must(api.DELETE('/v1/integrations/{accountId}', { params: { path: { accountId: a.id } } })).then(accounts.reload)}>Disconnect</button>}
          </p>
        ))}
        {googleDoubleUrl && <p class="help">Locally this is the simulated account demo@bytereview.local (a local double, not Google).</p>}
        <ErrorNote error={connect.error} />
        <button type="button" disabled={connect.busy} onClick={() => void connect.run(async () => {
          const { authorizationUrl } = await must(api.POST('/v1/integrations/google/connect', { body: { scopes: ['drive', 'gmail'], redirectAfter: '/' } }));
          const url = new URL(authorizationUrl);
          // The local double approves at once unless asked to show its consent screen.
          if (googleDoubleUrl && url.origin === new URL(googleDoubleUrl).origin) url.searchParams.set('simulate', 'screen');
          location.assign(url.toString());
        })}>{connected.length > 0 ? 'Connect again' : 'Connect Google Drive and Gmail'}</button>
      </Section>
      {connected.length > 0 && (
        <>
          <Section title="Import into a job" id="import-target">
            <label for="import-job">Job</label>
            <select id="import-job" value={targetJob} onChange={(e) => setJobId(e.currentTarget.value)}>
              {jobs.data?.items.map((j) => <option value={j.id}>{j.name}</option>)}
            </select>
            {importId && <ImportStatus importId={importId} jobId={targetJob} />}
          </Section>
          <FolderPicker jobId={targetJob} onImported={setImportId} />
          <MessageSearch jobId={targetJob} onImported={setImportId} />
        </>
      )}
    </>
  );
}

function ImportStatus({ importId, jobId }: { importId: string; jobId: string }) {
  const job = useLoad(() => must(api.GET('/v1/imports/{connectorJobId}', { params: { path: { connectorJobId: importId } } })), [importId]);
  usePoll(job.reload, 500, !job.data || job.data.status === 'pending' || job.data.status === 'running');
  if (!job.data) return <ErrorNote error={job.error} />;
  const counts = job.data.counts;
  return (
    <p role="status" aria-live="polite">
      Import <Status value={job.data.status} />
      {counts && `: ${counts.imported} imported, ${counts.skipped} skipped, ${counts.failed} failed.`}
      {job.data.lastError && <span class="error"> {job.data.lastError}</span>}
      {job.data.status === 'success' && <> <a href={`#/jobs/${jobId}`}>Open the job</a></>}
    </p>
  );
}

function FolderPicker({ jobId, onImported }: { jobId: string; onImported: (id: string) => void }) {
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([{ id: 'root', name: 'My Drive' }]);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const parent = trail[trail.length - 1]!;
  const folders = useLoad(() => must(api.GET('/v1/integrations/google/drive/folders', { params: { query: search ? { q: search } : { parent: parent.id } } })), [parent.id, search]);
  const act = useAction();
  const importFolder = (folderId: string) => act.run(async () => {
    const { connectorJobId } = await must(api.POST('/v1/jobs/{jobId}/imports/drive', { params: { path: { jobId } }, body: { accountId: folders.data!.accountId, folderIds: [folderId] } }));
    onImported(connectorJobId);
  });
  return (
    <Section title="Drive folders" id="drive">
      <form class="inline" role="search" onSubmit={(e) => (e.preventDefault(), setSearch(q))}>
        <label for="folder-search">Find a folder by name</label>
        <input id="folder-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">Search</button>
        {search && <button type="button" onClick={() => (setQ(''), setSearch(''))}>Clear</button>}
      </form>
      {!search && (
        <nav aria-label="Folder path" class="crumbs">
          {trail.map((t, i) => (i < trail.length - 1
            ? <><button type="button" class="link" onClick={() => setTrail(trail.slice(0, i + 1))}>{t.name}</button> / </>
            : <span aria-current="location">{t.name}</span>))}
        </nav>
      )}
      <ErrorNote error={folders.error ?? act.error} />
      {folders.data && folders.data.items.length === 0 && <p>No folders here.</p>}
      <ul class="picker">
        {folders.data?.items.map((f) => (
          <li key={f.id}>
            <button type="button" class="link" aria-label={`Open folder ${f.name}`} onClick={() => (setSearch(''), setTrail([...trail, { id: f.id, name: f.name }]))}>{f.name} ›</button>{' '}
            <button type="button" disabled={!jobId || act.busy} onClick={() => void importFolder(f.id)}>Import “{f.name}”</button>
          </li>
        ))}
      </ul>
      {!search && parent.id !== 'root' && (
        <button type="button" disabled={!jobId || act.busy} onClick={() => void importFolder(parent.id)}>Import this folder (“{parent.name}”)</button>
      )}
    </Section>
  );
}

function MessageSearch({ jobId, onImported }: { jobId: string; onImported: (id: string) => void }) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const messages = useLoad(() => must(api.GET('/v1/integrations/google/gmail/messages', { params: { query: { q: search, limit: 20 } } })), [search]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const act = useAction();
  const key = (messageId: string, attachmentId: string) => `${messageId}/${attachmentId}`;
  return (
    <Section title="Gmail attachments" id="gmail">
      <form class="inline" role="search" onSubmit={(e) => (e.preventDefault(), setSearch(q))}>
        <label for="message-search">Search messages</label>
        <input id="message-search" type="search" placeholder="from:billing@supplier.example" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={messages.error ?? act.error} />
      {messages.data && messages.data.items.length === 0 && <p>No message with attachments matches.</p>}
      <ul class="picker">
        {messages.data?.items.map((m) => (
          <li key={m.id}>
            <b>{m.subject || '(no subject)'}</b> from {m.from} <span class="help">{when(m.date)}</span>
            <ul>
              {m.attachments.map((a) => (
                <li key={a.attachmentId}>
                  <label class="check">
                    <input type="checkbox" checked={picked.has(key(m.id, a.attachmentId))} onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(key(m.id, a.attachmentId));
                      else next.delete(key(m.id, a.attachmentId));
                      setPicked(next);
                    }} />
                    {a.filename} ({a.mimeType}, {bytes(a.size)})
                  </label>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <button type="button" disabled={!jobId || picked.size === 0 || act.busy} onClick={() => void act.run(async () => {
        const attachments = [...picked].map((k) => ({ messageId: k.split('/')[0]!, attachmentId: k.split('/')[1]! }));
        const { connectorJobId } = await must(api.POST('/v1/jobs/{jobId}/imports/gmail', { params: { path: { jobId } }, body: { accountId: messages.data!.accountId, attachments } }));
        setPicked(new Set());
        onImported(connectorJobId);
      })}>Import {picked.size || ''} ticked attachment{picked.size === 1 ? '' : 's'}</button>
    </Section>
  );
}
