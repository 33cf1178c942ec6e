import { BASIS_WORDS, type Basis } from '../state/format';

/** "measured" / "modelled" / "assumed" (or the energy layer's "estimated"), as a small labelled chip. */
export function BasisTag({ basis }: { basis: Basis | 'estimated' | 'not-modelled' }) {
  const meaning =
    basis === 'estimated'
      ? 'estimated from benchmarks, not metered'
      : basis === 'not-modelled'
        ? 'not modelled for this use'
        : BASIS_WORDS[basis].meaning;
  return (
    <span className={`tag tag-${basis}`} title={meaning}>
      {basis === 'not-modelled' ? 'not modelled' : basis}
      <span className="visually-hidden">: {meaning}</span>
    </span>
  );
}

export interface FigureItem {
  key: string;
  label: string;
  text: string;
  note?: string;
  basis?: Basis | 'estimated';
}

/** A list of figures: label, value with unit, what it means, and how it was obtained. */
export function FigureList({ items, label }: { items: FigureItem[]; label: string }) {
  return (
    <dl className="figures" aria-label={label}>
      {items.map((f) => (
        <div key={f.key} className="figure" data-figure={f.key}>
          <dt>{f.label}</dt>
          <dd>
            <span className="figure-value">{f.text}</span>
            {f.basis && <BasisTag basis={f.basis} />}
            {f.note && <small>{f.note}</small>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
