import type { Schemas } from '../api.js';

export type FieldDraft = Schemas['FieldInput'];
const TYPES: FieldDraft['type'][] = ['text', 'number', 'date', 'currency', 'boolean', 'list'];

/** The ordered fields of a job: name, type, description, required; add, remove, move. */
export function FieldsEditor({ fields, onChange }: { fields: FieldDraft[]; onChange: (fields: FieldDraft[]) => void }) {
  const set = (i: number, patch: Partial<FieldDraft>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const move = (i: number, by: number) => {
    const next = [...fields];
    const [f] = next.splice(i, 1);
    next.splice(i + by, 0, f!);
    onChange(next);
  };
  return (
    <fieldset class="fields">
      <legend>Fields (one column each)</legend>
      {fields.map((f, i) => (
        <div class="field-row" key={i}>
          <label>
            Name <span class="sr-only">of field {i + 1}</span>
            <input required value={f.name} pattern="[A-Za-z_][A-Za-z0-9_ ]*" onInput={(e) => set(i, { name: e.currentTarget.value })} />
          </label>
          <label>
            Type <span class="sr-only">of field {i + 1}</span>
            <select value={f.type} onChange={(e) => set(i, { type: e.currentTarget.value as FieldDraft['type'] })}>
              {TYPES.map((t) => <option value={t}>{t}</option>)}
            </select>
          </label>
          <label class="grow">
            Description <span class="sr-only">of field {i + 1}</span>
            <input value={f.description ?? ''} onInput={(e) => set(i, { description: e.currentTarget.value || null })} />
          </label>
          <label class="check">
            <input type="checkbox" checked={f.required ?? false} onChange={(e) => set(i, { required: e.currentTarget.checked })} /> required
          </label>
          <span class="row-actions">
            <button type="button" aria-label={`Move field ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
            <button type="button" aria-label={`Move field ${i + 1} down`} disabled={i === fields.length - 1} onClick={() => move(i, 1)}>↓</button>
            <button type="button" aria-label={`Remove field ${i + 1}`} onClick={() => onChange(fields.filter((_, j) => j !== i))}>✕</button>
          </span>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...fields, { name: '', type: 'text', required: false }])}>Add a field</button>
    </fieldset>
  );
}
