import { GLOSSARY } from '../../domain/index.ts';

/**
 * Mending the plant's English words as a hurried report misspells them, in the two ways fast
 * typing does: two neighbouring letters swapped ("scrathces", "handel") and a doubled letter
 * written once or a single one twice ("serated", "porossity"). Only those two slips are mended,
 * only towards a word of the glossary, and never from a word that is itself a word of the plant
 * (an inflection of a glossary word, "satined") or a common English word one slip away from one
 * ("sliver", "scrapping").
 */

const MINIMUM_LENGTH = 6;

/** Common English words one slip away from a plant word: never mended. */
const REAL_WORDS = new Set([
  'sliver',
  'slivers',
  'overshot',
  'scrapping',
  'scrapped',
  'gripping',
  'gripped',
  'spotted',
  'fillings',
  'filling',
  'diary',
  'casual',
  'angels',
  'trails',
  'united',
  'untied',
]);

interface Vocabulary {
  /** What a misspelling may be mended to: glossary words of six letters or more, and their plurals. */
  targets: Set<string>;
  /** Words already right: every glossary word and its usual endings. */
  known: Set<string>;
}

function endings(word: string): string[] {
  const base = word.endsWith('e') ? word.slice(0, -1) : word;
  return [word, `${word}s`, `${word}es`, `${base}ed`, `${base}ing`, `${word}d`, `${word}y`, `${word}er`];
}

function buildVocabulary(): Vocabulary {
  const targets = new Set<string>();
  const known = new Set<string>(REAL_WORDS);
  const lists = [
    ...Object.values(GLOSSARY.defect_types),
    ...Object.values(GLOSSARY.stages),
    ...Object.values(GLOSSARY.areas),
    ...Object.values(GLOSSARY.products),
  ];
  for (const list of lists)
    for (const term of list.en)
      for (const part of term.toLowerCase().split(/[^a-z*]+/)) {
        const word = part.replace(/\*$/, '');
        if (!/^[a-z]{4,}$/.test(word)) continue;
        for (const form of endings(word)) known.add(form);
        const forms = part.endsWith('*') ? [word, `${word}s`, `${word}es`] : [word];
        for (const form of forms) if (form.length >= MINIMUM_LENGTH) targets.add(form);
      }
  for (const target of targets) known.add(target);
  return { targets, known };
}

let vocabulary: Vocabulary | undefined;

/** The spellings a word could be meant for: two neighbouring letters swapped, a letter doubled or undoubled. */
function intendedSpellings(word: string): string[] {
  const candidates: string[] = [];
  // A doubled consonant before an ending is English spelling ("chipped"), not a slip to undo.
  const inflected = /(ing|ed|er|es)$/.test(word);
  for (let index = 0; index + 1 < word.length; index += 1) {
    if (word[index] !== word[index + 1])
      candidates.push(word.slice(0, index) + word[index + 1] + word[index] + word.slice(index + 2));
    else if (!inflected) candidates.push(word.slice(0, index) + word.slice(index + 1));
    candidates.push(word.slice(0, index + 1) + word[index] + word.slice(index + 1));
  }
  return candidates;
}

/**
 * Mends the misspellings of plant words in a text: an English word of six letters or more that is
 * not already a known word and is one swap or one doubling away from exactly one glossary word
 * becomes that word. Other words and Chinese text are left as they are.
 */
export function mendPlantWords(text: string): string {
  vocabulary ??= buildVocabulary();
  const { targets, known } = vocabulary;
  return text.replace(/[A-Za-z]{6,}/g, (written) => {
    const lower = written.toLowerCase();
    if (known.has(lower)) return written;
    const meant = [...new Set(intendedSpellings(lower).filter((candidate) => targets.has(candidate)))];
    return meant.length === 1 ? meant[0]! : written;
  });
}
