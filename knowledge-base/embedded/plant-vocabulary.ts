import { z } from 'zod';
import { ChineseTerm, DocumentError } from '../../domain/index.ts';
import plantVocabularyData from './plant-vocabulary.json' with { type: 'json' };

/** English words a plant word translates to: lower-case and trimmed, words separated by one space. */
export const PlantEnglish = z
  .string()
  .min(1)
  .refine((english) => english === english.trim().toLowerCase(), 'must be lower-case and trimmed')
  .refine((english) => !/\s{2,}|[\t\n]/.test(english), 'words are separated by one space')
  .refine((english) => !/\p{Script=Han}/u.test(english), 'must not contain Chinese characters');

/**
 * A Chinese plant word: a Chinese term as in the glossary, at least two characters long, since
 * words match as substrings of a query.
 */
export const PlantWord = ChineseTerm.refine(
  (term) => [...term].length >= 2,
  'must be at least two characters long',
);

/**
 * Everyday plant words (equipment, tooling, consumables, materials, process parameters,
 * instruments, documents, places, roles, quality words) in groups, each a map from the Chinese word
 * ({@link PlantWord}) to the English the corpus uses for it.
 */
export const PlantVocabulary = z.record(z.string().min(1), z.record(z.string(), PlantEnglish));
export type PlantVocabulary = z.infer<typeof PlantVocabulary>;

/**
 * Validates parsed plant-vocabulary data and flattens it to zh→en pairs. Data that does not match
 * {@link PlantVocabulary}, a key that is not a {@link PlantWord} and a word listed in two groups
 * are errors naming the file and the entry.
 */
export function validatePlantVocabulary(data: unknown, source: string): ReadonlyMap<string, string> {
  const result = PlantVocabulary.safeParse(data);
  if (!result.success) {
    throw new DocumentError(
      source,
      `does not match the plant-vocabulary schema:\n${z.prettifyError(result.error)}`,
      { cause: result.error, details: result.error.issues },
    );
  }
  const pairs = new Map<string, string>();
  const groupOf = new Map<string, string>();
  for (const [group, words] of Object.entries(result.data)) {
    for (const [chinese, english] of Object.entries(words)) {
      const word = PlantWord.safeParse(chinese);
      if (!word.success) {
        throw new DocumentError(
          source,
          `${group}["${chinese}"]: ${word.error.issues.map((issue) => issue.message).join('; ')}`,
          { cause: word.error },
        );
      }
      const earlier = groupOf.get(chinese);
      if (earlier !== undefined) {
        throw new DocumentError(source, `"${chinese}" is listed in both ${earlier} and ${group}`);
      }
      groupOf.set(chinese, group);
      pairs.set(chinese, english);
    }
  }
  return pairs;
}

/**
 * The plant vocabulary of `plant-vocabulary.json` as zh→en pairs, validated once at module load so
 * that a bad file fails at start-up with an error naming the file and the offending entries.
 */
export const PLANT_VOCABULARY: ReadonlyMap<string, string> = validatePlantVocabulary(
  plantVocabularyData,
  'knowledge-base/embedded/plant-vocabulary.json',
);
