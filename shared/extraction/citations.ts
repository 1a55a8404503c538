import type { Citation } from './answer-rows.js';

/**
 * Citations (issue 14): each extracted value carries the page it was read on and the
 * words quoted from it. Both engines answer them (Gemini in its response schema, the
 * local extractor from its match); here they are checked against the document's own text.
 */

/** Text compared without whitespace and case: "Total  Due\n12.50" matches "total due 12.50". */
function comparable(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLocaleLowerCase('und');
}

/**
 * The citations with `verified` set: true when the quote is on the cited page of
 * `pageTexts` (the text layer, one string per page, page 1 first), whitespace and case
 * ignored; false when it is not, the page does not exist or a value has no quote. Without
 * a text layer (`pageTexts` null or blank: a scan, an image, a CSV) `verified` is null.
 */
export function verifyCitations(citations: readonly (readonly (Citation | null)[])[], pageTexts: readonly string[] | null): (Citation | null)[][] {
  const pages = pageTexts && pageTexts.some((text) => text.trim() !== '') ? pageTexts.map(comparable) : null;
  return citations.map((row) =>
    row.map((citation) => {
      if (!citation) return null;
      if (!pages) return { ...citation, verified: null };
      const text = citation.page === null ? undefined : pages[citation.page - 1];
      const quote = citation.quote === null ? '' : comparable(citation.quote);
      return { ...citation, verified: text !== undefined && quote !== '' && text.includes(quote) };
    }),
  );
}

/** The citations of a window's answer with its pages moved to the document's: window page 1 is `firstPage`. */
export function offsetCitationPages(citations: readonly (readonly (Citation | null)[])[], firstPage: number): (Citation | null)[][] {
  return citations.map((row) =>
    row.map((citation) => (citation && citation.page !== null ? { ...citation, page: citation.page + firstPage - 1 } : citation)),
  );
}
