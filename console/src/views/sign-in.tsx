import { useState } from 'preact/hooks';
import { identity } from '../api.js';

/** Development sign-in: any name becomes the identity `dev:<name>` (the api refuses it in production). */
export function SignIn({ onSignedIn }: { onSignedIn: (name: string) => void }) {
  const [name, setName] = useState('');
  const valid = /^[A-Za-z0-9._-]{1,64}$/.test(name);
  return (
    <main id="main" class="sign-in">
      <h1>ByteReview console</h1>
      <p>Local development stack. Sign in with any name: it becomes your development identity, and you see only its jobs.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          identity.set(name);
          onSignedIn(name);
        }}
      >
        <label for="sign-in-name">Your name</label>
        <input id="sign-in-name" name="name" autoComplete="username" required value={name} onInput={(e) => setName(e.currentTarget.value.trim())} aria-describedby="sign-in-help" />
        <p id="sign-in-help" class="help">Letters, digits, dot, dash or underscore.</p>
        <button type="submit" disabled={!valid}>Sign in</button>
      </form>
    </main>
  );
}
