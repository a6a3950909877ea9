/**
 * A strict little XML 1.0 reader for the JUnit tests: it rejects what a real parser rejects
 * (unbalanced or crossed tags, unquoted or duplicate attributes, bare `&` or `<`, unknown entities,
 * text outside the root, more than one root) and returns the element tree to assert on.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;]*);|&/g, (match, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`bare "&" near offset ${at}`);
    switch (entity) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(entity);
    if (!numeric) throw new Error(`unknown entity ${match} near offset ${at}`);
    return String.fromCodePoint(numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? "", 10));
  });
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const skipProlog = (): void => {
    if (source.startsWith("<?xml", i)) {
      const end = source.indexOf("?>", i);
      if (end < 0) throw new Error("unterminated XML declaration");
      i = end + 2;
    }
  };
  skipProlog();

  while (i < source.length) {
    const lt = source.indexOf("<", i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text.includes(">")) throw new Error(`stray ">" near offset ${i}`);
    const current = stack[stack.length - 1];
    if (current) current.text += decode(text, i);
    else if (text.trim() !== "") throw new Error(`text outside the root element near offset ${i}`);
    if (lt < 0) break;
    i = lt;

    if (source.startsWith("<!--", i)) {
      const end = source.indexOf("-->", i);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (source.startsWith("</", i)) {
      const name = NAME.exec(source.slice(i + 2))?.[0];
      if (!name) throw new Error(`bad end tag near offset ${i}`);
      const close = source.indexOf(">", i);
      if (close < 0 || source.slice(i + 2 + name.length, close).trim() !== "") throw new Error(`bad end tag </${name}> near offset ${i}`);
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? "nothing"}> near offset ${i}`);
      i = close + 1;
      continue;
    }

    const name = NAME.exec(source.slice(i + 1))?.[0];
    if (!name) throw new Error(`bad "<" near offset ${i}`);
    i += 1 + name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const space = /^\s*/.exec(source.slice(i))?.[0] ?? "";
      i += space.length;
      if (source.startsWith("/>", i) || source.startsWith(">", i)) break;
      if (space === "") throw new Error(`missing space before an attribute of <${name}> near offset ${i}`);
      const attr = /^([A-Za-z_:][\w.:-]*)\s*=\s*(["'])/.exec(source.slice(i));
      if (!attr || attr[1] === undefined || attr[2] === undefined) throw new Error(`bad attribute in <${name}> near offset ${i}`);
      i += attr[0].length;
      const end = source.indexOf(attr[2], i);
      if (end < 0) throw new Error(`unterminated attribute ${attr[1]} in <${name}>`);
      const raw = source.slice(i, end);
      if (raw.includes("<")) throw new Error(`"<" inside attribute ${attr[1]} of <${name}>`);
      if (attr[1] in attributes) throw new Error(`duplicate attribute ${attr[1]} in <${name}>`);
      attributes[attr[1]] = decode(raw, i);
      i = end + 1;
    }
    const element: XmlElement = { name, attributes, children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error(`second root element <${name}>`);
    else root = element;
    if (source.startsWith("/>", i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name ?? ""}>`);
  if (!root) throw new Error("no root element");
  return root;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) found.push(e);
    e.children.forEach(walk);
  };
  walk(element);
  return found;
}
