import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { identity } from './api.js';
import { ActivityView } from './views/activity.js';
import { AutomationsView } from './views/automations.js';
import { GoogleView } from './views/google.js';
import { JobView } from './views/job.js';
import { JobsView } from './views/jobs.js';
import { RunView } from './views/run.js';
import { SignIn } from './views/sign-in.js';

function currentRoute(): string[] {
  return location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean);
}

const NAV = [['jobs', 'Jobs'], ['google', 'Google'], ['automations', 'Automations'], ['activity', 'Activity']] as const;

function App() {
  const [user, setUser] = useState(identity.get());
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  // The OAuth callback sends the browser back to `/?status=connected&account=...`: show it on the Google screen.
  const outcome = new URLSearchParams(location.search);
  useEffect(() => {
    if (outcome.has('status')) location.hash = '#/google';
  }, []);
  useEffect(() => {
    const main = document.getElementById('main');
    main?.focus();
  }, [route.join('/')]);

  if (!user) return <SignIn onSignedIn={setUser} />;
  const [screen = 'jobs', id] = route;
  return (
    <>
      <header>
        <strong class="brand">ByteReview console</strong>
        <nav aria-label="Sections">
          {NAV.map(([path, label]) => (
            <a href={`#/${path}`} aria-current={screen === path || (path === 'jobs' && (screen === 'runs')) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <span class="who">
          Signed in as <b>{user}</b> (development identity){' '}
          <button type="button" class="link" onClick={() => (identity.clear(), setUser(null))}>Sign out</button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {screen === 'jobs' && !id && <JobsView />}
        {screen === 'jobs' && id && <JobView jobId={id} />}
        {screen === 'runs' && id && <RunView runId={id} />}
        {screen === 'google' && <GoogleView outcome={outcome} />}
        {screen === 'automations' && <AutomationsView />}
        {screen === 'activity' && <ActivityView />}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.replaceChildren(); // the "Loading the console…" placeholder
render(<App />, root);
