/**
 * A small well-formedness checker for the markup the report renderers produce: XML (the SVG)
 * or XHTML-style HTML5 (every element closed, attributes quoted, `<style>` content raw).
 * It reports problems rather than building a tree; an empty list means well-formed.
 */

const HTML_VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const HTML_RAW_TEXT_ELEMENTS = new Set(['style', 'script', 'textarea', 'title']);
const NAME = /^[A-Za-z][A-Za-z0-9:_-]*/;
const ATTRIBUTE = /^\s+([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"<]*"|'[^'<]*'))?/;
const ENTITY = /&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/y;

function checkText({ text, at, errors }: { text: string; at: number; errors: string[] }): void {
  for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) {
    ENTITY.lastIndex = index;
    if (!ENTITY.test(text)) errors.push(`bare & at ${at + index}`);
  }
}

/** The open/close tag tree of `markup`; returns the problems found, or an empty list. */
export function wellFormednessErrors({ markup, html }: { markup: string; html: boolean }): string[] {
  const errors: string[] = [];
  const stack: Array<{ name: string; at: number }> = [];
  let position = 0;
  let roots = 0;
  const doctype = /^\s*<!DOCTYPE html>/i.exec(markup);
  if (html) {
    if (!doctype) errors.push('missing <!DOCTYPE html>');
    else position = doctype[0].length;
  }
  while (position < markup.length) {
    const next = markup.indexOf('<', position);
    const textEnd = next === -1 ? markup.length : next;
    const text = markup.slice(position, textEnd);
    checkText({ text, at: position, errors });
    if (stack.length === 0 && text.trim() !== '') errors.push(`text outside the root element at ${position}`);
    if (next === -1) break;
    if (markup.startsWith('<!--', next)) {
      const end = markup.indexOf('-->', next + 4);
      if (end === -1) {
        errors.push(`unclosed comment at ${next}`);
        break;
      }
      position = end + 3;
      continue;
    }
    if (markup.startsWith('</', next)) {
      const match = /^<\/([A-Za-z][A-Za-z0-9:_-]*)\s*>/.exec(markup.slice(next));
      if (!match) {
        errors.push(`malformed end tag at ${next}`);
        break;
      }
      const name = match[1] ?? '';
      const open = stack.pop();
      if (!open) errors.push(`end tag </${name}> without a start tag at ${next}`);
      else if (open.name !== name) errors.push(`</${name}> at ${next} closes <${open.name}> from ${open.at}`);
      position = next + match[0].length;
      continue;
    }
    const nameMatch = NAME.exec(markup.slice(next + 1));
    if (!nameMatch) {
      errors.push(`stray < at ${next}`);
      position = next + 1;
      continue;
    }
    const name = nameMatch[0];
    let cursor = next + 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      const attribute = ATTRIBUTE.exec(markup.slice(cursor));
      if (!attribute) break;
      const attributeName = attribute[1] ?? '';
      if (seen.has(attributeName))
        errors.push(`duplicate attribute ${attributeName} on <${name}> at ${next}`);
      seen.add(attributeName);
      if (!html && attribute[2] === undefined)
        errors.push(`attribute ${attributeName} without a value at ${next}`);
      if (attribute[2]) checkText({ text: attribute[2], at: cursor, errors });
      cursor += attribute[0].length;
    }
    const close = /^\s*(\/?)>/.exec(markup.slice(cursor));
    if (!close) {
      errors.push(`malformed start tag <${name}> at ${next}`);
      break;
    }
    position = cursor + close[0].length;
    if (stack.length === 0) roots += 1;
    const selfClosing = close[1] === '/';
    const lower = name.toLowerCase();
    if (selfClosing || (html && HTML_VOID_ELEMENTS.has(lower))) continue;
    if (html && HTML_RAW_TEXT_ELEMENTS.has(lower) && stack.every((entry) => entry.name !== 'svg')) {
      const end = markup.toLowerCase().indexOf(`</${lower}`, position);
      if (end === -1) {
        errors.push(`unclosed <${name}> at ${next}`);
        break;
      }
      position = end;
    }
    stack.push({ name, at: next });
  }
  for (const open of stack) errors.push(`unclosed <${open.name}> from ${open.at}`);
  if (roots !== 1) errors.push(`expected one root element, found ${roots}`);
  return errors;
}

/** Start tags of an element name, with their attribute text, in document order. */
export function startTags({ markup, name }: { markup: string; name: string }): string[] {
  return [...markup.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, 'g'))].map((match) => match[0]);
}
