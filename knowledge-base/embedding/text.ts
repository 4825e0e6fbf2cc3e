const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our out over so such than that the their them then there these they this those to ' +
    'too under up was we were what when where which while who why will with within would you your after before ' +
    'about also all any each per via'
  ).split(' '),
);

/** Lower-cases, strips accents and keeps letters, digits and decimal points inside numbers. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll('\u00b7', ' ')
    .replace(/(\d)\.(?=\d)/g, '$1\u00b7')
    .replace(/[^a-z0-9\u00b7]+/g, ' ')
    .replaceAll('\u00b7', '.')
    .trim();
}

/** A light English stemmer: enough to fold plurals and common verb forms together. */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Content words of a text: normalised, stop words removed, stemmed. */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const token of normaliseText(text).split(' ')) {
    if (token.length === 0 || STOPWORDS.has(token)) continue;
    words.push(stem(token));
  }
  return words;
}
