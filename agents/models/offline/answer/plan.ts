import {
  ConcreteDefectType,
  DEFECT_TYPE_DETAILS,
  STAGE_DETAILS,
  type ConsolidatedAnalysis,
  type Facility,
  type ProcessStep,
  type ProductionStage,
  type ProductSku,
} from '../../../../domain/index.ts';
import type { RecognizedQuestion } from '../../../router/intent.ts';

/** What the answer of a follow-up is built from: the stored analysis and the recognised question. */
export interface FollowUpContext {
  analysis: Partial<ConsolidatedAnalysis>;
  question: RecognizedQuestion;
  /** The analysis's defect type when it is a concrete one. */
  defectType?: ConcreteDefectType;
  /** The analysis's probable stage. */
  stage?: ProductionStage;
  /**
   * The step whose SOPs answer for the defect: the probable stage, except for rust on cast iron,
   * which is never quenched and whose SOPs are those of seasoning, oil film and packing.
   */
  sopStage?: ProcessStep;
  /**
   * The facility and SKU a history question is about: the ones named, else the report's own;
   * `facilities` when the question names several ("in Shenzhen and Hong Kong").
   */
  historyScope: { facility?: Facility; facilities?: Facility[]; productSku?: ProductSku };
  /** The look-back window of a history question, in days. */
  windowDays: number;
}

/** The look-back window of a history question that names none: one year. */
export const DEFAULT_HISTORY_WINDOW_DAYS = 365;

/** Builds the {@link FollowUpContext} of a question about an analysis. */
export function followUpContext(
  analysis: Partial<ConsolidatedAnalysis>,
  question: RecognizedQuestion,
): FollowUpContext {
  const concrete = ConcreteDefectType.safeParse(analysis.classification?.defect_type);
  // Without a stage of its own, the analysis is asked about the one stage the question names
  // ("which SOP sets the wheel speed at glazing?").
  const stage =
    analysis.root_cause?.probable_stage ?? (question.stages.length === 1 ? question.stages[0] : undefined);
  const castIronRust =
    concrete.success &&
    concrete.data === 'rust_spot' &&
    (analysis.report?.product_sku ?? '').startsWith('WK-CI');
  const sopStage: ProcessStep | undefined = castIronRust ? 'packaging' : stage;
  const namesScope = question.facility !== undefined || question.productSku !== undefined;
  const facility = namesScope ? question.facility : analysis.report?.facility;
  const productSku = namesScope ? question.productSku : analysis.report?.product_sku;
  return {
    analysis,
    question,
    ...(concrete.success ? { defectType: concrete.data } : {}),
    ...(stage ? { stage } : {}),
    ...(sopStage ? { sopStage } : {}),
    historyScope: {
      ...(facility ? { facility } : {}),
      ...(question.facilities ? { facilities: question.facilities } : {}),
      ...(productSku ? { productSku } : {}),
    },
    windowDays: question.windowDays ?? DEFAULT_HISTORY_WINDOW_DAYS,
  };
}

/** A tool call of the first turn. */
export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** The words of the defect, as a retrieval query in the knowledge base's language. */
export function defectWords(context: FollowUpContext): string {
  const parts = [
    context.defectType
      ? `${context.defectType.replaceAll('_', ' ')} ${DEFECT_TYPE_DETAILS[context.defectType].sees}`
      : '',
    context.sopStage === 'packaging' && context.stage !== undefined
      ? 'cast iron pan wok seasoning oil film packing'
      : context.stage
        ? STAGE_DETAILS[context.stage].label
        : '',
  ];
  return parts.filter(Boolean).join(' ') || 'defect';
}

function sopLookup(
  context: FollowUpContext,
  query: string,
  options: { section?: string; stage?: ProcessStep | null; k?: number } = {},
): ToolUse {
  const stage = options.stage === null ? undefined : (options.stage ?? context.sopStage ?? context.stage);
  return {
    name: 'lookup_sop',
    input: {
      query: `${query} ${defectWords(context)}`.slice(0, 900),
      ...(stage ? { stage } : {}),
      ...(context.defectType ? { defect_type: context.defectType } : {}),
      ...(options.section ? { section: options.section } : {}),
      k: options.k ?? 4,
    },
  };
}

/** Whether the analysis has a defect the SOPs can be asked about (a concrete type or a stage). */
function hasSubject(context: FollowUpContext): boolean {
  return context.defectType !== undefined || context.stage !== undefined;
}

/**
 * The tools a follow-up answer needs for its intent: the SOP sentences of the analysis's stage
 * (narrowed to the section the intent is about), the recurrence count and the confirmed past
 * records of the facility or SKU asked about. Only tools the agent offers are asked for.
 */
export function planToolUses(context: FollowUpContext, available: ReadonlySet<string>): ToolUse[] {
  const uses: ToolUse[] = [];
  const { intent, alternative } = context.question;
  const subject = hasSubject(context);
  switch (intent) {
    case 'which_sop':
      if (subject) uses.push(sopLookup(context, 'procedure process window checks reaction plan'));
      break;
    case 'rework':
      if (subject)
        uses.push(
          sopLookup(context, 'rework repair re-weld regrind scrap correction permitted', {
            section: 'reaction_plan',
          }),
        );
      break;
    case 'severity_line_stop':
      if (subject)
        uses.push(
          sopLookup(context, 'stop the line stop the cell quarantine critical', {
            section: 'reaction_plan',
            k: 3,
          }),
          sopLookup(context, 'operator stops the line furnace machine informs', {
            section: 'escalation_path',
            k: 3,
          }),
        );
      break;
    case 'containment_shipped':
      if (subject)
        uses.push(
          sopLookup(context, 'shipped lots customer notification recall held lots', {
            section: 'escalation_path',
          }),
          sopLookup(context, 'shipped load customer notification recall warehouse finished goods', {
            stage: null,
            section: 'escalation_path',
            k: 6,
          }),
        );
      break;
    case 'effectiveness_check':
      if (subject)
        uses.push(sopLookup(context, 'checks sampling frequency measurement record', { section: 'checks' }));
      break;
    case 'owner':
      if (subject)
        uses.push(
          sopLookup(context, 'owner responsible informed escalation engineer', {
            section: 'escalation_path',
            k: 3,
          }),
        );
      break;
    case 'why_stage':
      if (subject) uses.push(sopLookup(context, 'cause process window', { k: 3 }));
      if (alternative?.stage)
        uses.push(sopLookup(context, 'cause process window', { stage: alternative.stage, k: 3 }));
      else if (alternative)
        uses.push({
          name: 'lookup_sop',
          input: { query: `${alternative.text} ${defectWords(context)}`, k: 4 },
        });
      break;
    case 'missing_evidence':
      if (context.defectType && context.stage)
        uses.push(sopLookup(context, 'checks measurement record', { section: 'checks', k: 2 }));
      break;
    case 'history': {
      const { facilities } = context.historyScope;
      // One count per facility asked about, in the order named.
      for (const facility of facilities ?? [context.historyScope.facility])
        uses.push({
          name: 'count_recurrences',
          input: {
            ...(context.defectType ? { defect_type: context.defectType } : {}),
            ...(facility ? { facility } : {}),
            ...(context.historyScope.productSku ? { product_sku: context.historyScope.productSku } : {}),
            window_days: context.windowDays,
          },
        });
      if (context.defectType)
        uses.push({
          name: 'find_similar_defects',
          input: {
            description: defectWords(context),
            filter: {
              defect_type: context.defectType,
              ...(context.historyScope.facility && !facilities
                ? { facility: context.historyScope.facility }
                : {}),
              ...(context.historyScope.productSku ? { product_sku: context.historyScope.productSku } : {}),
            },
            k: 5,
          },
        });
      break;
    }
    case 'general':
      if (subject) uses.push(sopLookup(context, 'procedure', { k: 3 }));
      break;
  }
  return uses.filter((use) => available.has(use.name));
}
