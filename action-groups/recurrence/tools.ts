import { defineTool, type ActionGroup } from '../action-group.ts';
import { CountRecurrencesInput, CountRecurrencesOutput } from './schema.ts';

const DAY_MS = 86_400_000;
/** From this many occurrences in the window a defect counts as recurring. */
export const RECURRING_FROM = 3;
const MAX_RECENT_IDS = 10;
/** The key under which occurrences without a facility or stage are counted. */
export const UNSPECIFIED = 'unspecified';

/** `count_recurrences`: how often matching defects were analysed in a recent window. */
export const countRecurrencesTool = defineTool({
  name: 'count_recurrences',
  description:
    'Counts the analysed defects a person confirmed that match a type, stage, facility and/or SKU over ' +
    'the last window_days (90 by default), by facility and by stage, with the newest defect ids, and ' +
    'the unreviewed machine drafts beside them (unconfirmed_count). recurring is true from 3 confirmed ' +
    'occurrences: a recurring defect means the earlier corrective actions did not hold.',
  input: CountRecurrencesInput,
  output: CountRecurrencesOutput,
  handler: async ({ defect_type, stage, facility, product_sku, window_days }, context) => {
    const since = new Date(context.now().getTime() - window_days * DAY_MS);
    const summary = await context.defectHistory.summarizeOccurrences({
      since,
      recentLimit: MAX_RECENT_IDS,
      ...(defect_type ? { defectType: defect_type } : {}),
      ...(stage ? { stage } : {}),
      ...(facility ? { facility } : {}),
      ...(product_sku ? { productSku: product_sku } : {}),
    });
    return {
      count: summary.count,
      unconfirmed_count: summary.unconfirmed,
      window_days,
      since: since.toISOString().slice(0, 10),
      by_facility: summary.byFacility,
      by_stage: summary.byStage,
      recent_defect_ids: summary.recentDefectIds,
      recurring: summary.count >= RECURRING_FROM,
    };
  },
});

/**
 * The recurrence action group: whether a defect keeps coming back. It reads the defect history,
 * which is the service's analysis store, so a deployed agent returns control to the service to
 * run it.
 */
export const recurrenceGroup: ActionGroup = {
  name: 'recurrence',
  description: 'Recurrence counts of analysed defects over a recent window, from the defect history.',
  tools: [countRecurrencesTool],
  executor: 'return-control',
};
