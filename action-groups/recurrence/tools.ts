import { defineTool, type ActionGroup } from '../action-group.ts';
import type { DefectOccurrence } from './defect-history.ts';
import { CountRecurrencesInput, CountRecurrencesOutput } from './schema.ts';

const DAY_MS = 86_400_000;
/** From this many occurrences in the window a defect counts as recurring. */
export const RECURRING_FROM = 3;
const MAX_RECENT_IDS = 10;
/** The key under which occurrences without a facility or stage are counted. */
export const UNSPECIFIED = 'unspecified';

function countBy(
  occurrences: readonly DefectOccurrence[],
  key: (occurrence: DefectOccurrence) => string | null,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const occurrence of occurrences) {
    const value = key(occurrence) ?? UNSPECIFIED;
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/** `count_recurrences`: how often matching defects were analysed in a recent window. */
export const countRecurrencesTool = defineTool({
  name: 'count_recurrences',
  description:
    'Counts the analysed defects matching a type, stage, facility and/or SKU over the last window_days ' +
    '(90 by default), by facility and by stage, with the newest defect ids. recurring is true from 3 ' +
    'occurrences: a recurring defect means the earlier corrective actions did not hold.',
  input: CountRecurrencesInput,
  output: CountRecurrencesOutput,
  handler: async ({ defect_type, stage, facility, product_sku, window_days }, context) => {
    const since = new Date(context.now().getTime() - window_days * DAY_MS);
    const occurrences = await context.defectHistory.listOccurrences({
      since,
      ...(defect_type ? { defectType: defect_type } : {}),
      ...(stage ? { stage } : {}),
      ...(facility ? { facility } : {}),
      ...(product_sku ? { productSku: product_sku } : {}),
    });
    const newestFirst = [...occurrences].sort(
      (left, right) =>
        right.detectedAt.getTime() - left.detectedAt.getTime() || right.defectId.localeCompare(left.defectId),
    );
    return {
      count: occurrences.length,
      window_days,
      since: since.toISOString().slice(0, 10),
      by_facility: countBy(occurrences, (occurrence) => occurrence.facility),
      by_stage: countBy(occurrences, (occurrence) => occurrence.stage),
      recent_defect_ids: newestFirst.slice(0, MAX_RECENT_IDS).map((occurrence) => occurrence.defectId),
      recurring: occurrences.length >= RECURRING_FROM,
    };
  },
});

/** The recurrence action group: whether a defect keeps coming back. */
export const recurrenceGroup: ActionGroup = {
  name: 'recurrence',
  description: 'Recurrence counts of analysed defects over a recent window, from the defect history.',
  tools: [countRecurrencesTool],
};
