// A deliberately small XML reader for tests: checks well-formedness of the subset our formatters
// emit (declaration, elements, attributes, text, the five entities and numeric references) and
// returns the element tree with decoded text, so tests can assert on what a real parser would see.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/.test(raw)) {
    throw new Error(`bare & in ${where}: ${raw}`);
  }
  return raw.replace(ENTITY, (e) => {
    const body = e.slice(1, -1);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? '';
  });
}

/** Parse `xml` or throw with the reason it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  let rest = xml;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(rest);
  if (!decl) throw new Error('missing XML declaration');
  rest = rest.slice(decl[0].length);

  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`);
  while (rest.length > 0) {
    const top = stack[stack.length - 1]!;
    if (rest.startsWith('<')) {
      const m = tag.exec(rest);
      if (!m) throw new Error(`malformed tag at: ${rest.slice(0, 40)}`);
      const [whole, closing, name = '', attrText = '', selfClosing] = m;
      rest = rest.slice(whole.length);
      if (closing) {
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(new RegExp(`(${NAME})="([^"<]*)"`, 'g'))) {
        const [, key = '', value = ''] = a;
        if (key in attrs) throw new Error(`duplicate attribute ${key}`);
        attrs[key] = decode(value, `attribute ${key}`);
      }
      const el: XmlElement = { name, attrs, children: [], text: '' };
      if (top === root && root.children.length > 0) throw new Error('more than one root element');
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    } else {
      const end = rest.indexOf('<');
      const raw = end === -1 ? rest : rest.slice(0, end);
      rest = end === -1 ? '' : rest.slice(end);
      if (top === root) {
        if (raw.trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      if (raw.includes('>')) throw new Error(`unescaped > in text: ${raw}`);
      top.text += decode(raw, `<${top.name}> text`);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  const [doc] = root.children;
  if (!doc) throw new Error('no root element');
  return doc;
}
