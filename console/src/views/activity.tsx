import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api.js';
import { ErrorNote, Section, useLoad, when } from '../ui.js';

export function ActivityView() {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [seen, setSeen] = useState<Schemas['ActivityEvent'][]>([]);
  const page = useLoad(async () => {
    const answer = await must(api.GET('/v1/activity', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }));
    setSeen((s) => (cursor ? [...s, ...answer.items] : answer.items));
    return answer;
  }, [cursor]);
  return (
    <>
      <h1>Activity</h1>
      <Section title="What happened, newest first" id="activity">
        <ErrorNote error={page.error} />
        {seen.length === 0 && page.data && <p>Nothing yet.</p>}
        <ol class="activity">
          {seen.map((e) => <li key={e.id}><time dateTime={e.createdAt}>{when(e.createdAt)}</time> {e.description}</li>)}
        </ol>
        {page.data?.nextCursor && <button type="button" onClick={() => setCursor(page.data!.nextCursor!)}>Older events</button>}
      </Section>
    </>
  );
}
