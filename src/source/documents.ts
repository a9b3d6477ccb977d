// Splits a YAML stream into documents on `---`/`...` lines at column 0, without parsing content.

/** One document of a YAML stream, as offsets into the text. */
export interface DocumentSpan {
  /** First offset of the document (leading comments/directives and its `---` line included). */
  start: number;
  /** Where the fast path starts (after the `---` line), or -1 when it must not run (directives, content on the `---` line, content on the `...` line). */
  bodyStart: number;
  /** End of the content: the start of the next `---`/`...` line, or the text end. */
  end: number;
  /** End including a closing `...` line (what the yaml package is given). */
  fullEnd: number;
}

/** True when `text[i, i+3)` is `---` or `...` followed by whitespace or a line end. */
function isMarker(text: string, i: number, c: number): boolean {
  if (text.charCodeAt(i) !== c || text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return false;
  if (i + 3 >= text.length) return true;
  const n = text.charCodeAt(i + 3);
  return n === 32 || n === 9 || n === 10 || n === 13;
}

/** True when a `---` or `...` marker starts at `i` (a line start). */
export function isMarkerLine(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c === 45 || c === 46) && isMarker(text, i, c);
}

/** Start of the line after the one containing `i`. */
function nextLine(text: string, i: number): number {
  const j = text.indexOf('\n', i);
  return j === -1 ? text.length : j + 1;
}

/** True when the rest of a marker line (from `i`, just after the marker) is blank or a comment. */
function restIsBlank(text: string, i: number): boolean {
  let k = i;
  for (;;) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9) k++;
    else break;
  }
  const c = text.charCodeAt(k);
  return k >= text.length || c === 10 || c === 13 || (c === 35 && k > i);
}

/**
 * Split `text` into documents. YAML forbids `---` and `...` at column 0 inside content
 * (https://yaml.org/spec/1.2.2/#912-document-markers), so no parsing is needed. Comment-only text
 * before the first `---` belongs to the first document; text after `...` that holds only
 * comments is not a document.
 */
export function splitDocuments(text: string): DocumentSpan[] {
  const docs: DocumentSpan[] = [];
  const n = text.length;
  let pos = 0;
  // state "between documents": examine lines one by one
  let pendingStart = -1;
  let directive = false;
  let nextDash = -2;
  let nextDots = -2;
  while (pos < n) {
    // --- between documents
    let start = -1;
    let bodyStart = -1;
    while (pos < n) {
      const ls = pos;
      const c = text.charCodeAt(ls);
      if (c === 45 && isMarker(text, ls, 45)) {
        start = pendingStart >= 0 ? pendingStart : ls;
        bodyStart = !directive && restIsBlank(text, ls + 3) ? nextLine(text, ls) : -1;
        pos = nextLine(text, ls);
        break;
      }
      if (c === 46 && isMarker(text, ls, 46)) {
        // a `...` outside a document ends an empty one (as the yaml package counts documents)
        const fullEnd = nextLine(text, ls);
        docs.push({
          start: pendingStart >= 0 ? pendingStart : ls,
          bodyStart: directive ? -1 : ls,
          end: ls,
          fullEnd,
        });
        pendingStart = -1;
        directive = false;
        pos = fullEnd;
        continue;
      }
      if (c === 37) {
        directive = true;
        if (pendingStart < 0) pendingStart = ls;
        pos = nextLine(text, ls);
        continue;
      }
      let i = ls;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 32 || d === 9 || d === 13) i++;
        else break;
      }
      if (i >= n || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 35) {
        if (pendingStart < 0) pendingStart = ls;
        pos = nextLine(text, ls);
        continue;
      }
      // content: a bare document
      start = pendingStart >= 0 ? pendingStart : ls;
      bodyStart = directive ? -1 : start;
      pos = ls;
      break;
    }
    if (start < 0) break;
    pendingStart = -1;
    directive = false;
    // --- inside a document: find the next marker line
    for (;;) {
      if (nextDash !== -1 && nextDash < pos) nextDash = findMarker(text, pos, 45);
      if (nextDots !== -1 && nextDots < pos) nextDots = findMarker(text, pos, 46);
      const b = nextDash === -1 ? nextDots : nextDots === -1 ? nextDash : Math.min(nextDash, nextDots);
      if (b === -1) {
        docs.push({ start, bodyStart, end: n, fullEnd: n });
        pos = n;
        break;
      }
      if (b === nextDash) {
        docs.push({ start, bodyStart, end: b, fullEnd: b });
        start = b;
        bodyStart = restIsBlank(text, b + 3) ? nextLine(text, b) : -1;
        pos = nextLine(text, b);
        continue;
      }
      const fullEnd = nextLine(text, b);
      docs.push({ start, bodyStart: restIsBlank(text, b + 3) ? bodyStart : -1, end: b, fullEnd });
      pos = fullEnd;
      break;
    }
  }
  return docs;
}

/** Offset of the next `---`/`...` marker line starting at or after `from` (a line start), or -1. */
function findMarker(text: string, from: number, c: number): number {
  // three dots or dashes are rarer than line breaks: search for them, then check the line start
  const needle = c === 45 ? '---' : '...';
  let i = from;
  for (;;) {
    i = text.indexOf(needle, i);
    if (i === -1) return -1;
    if ((i === 0 || text.charCodeAt(i - 1) === 10) && isMarker(text, i, c)) return i;
    i += 1;
  }
}
