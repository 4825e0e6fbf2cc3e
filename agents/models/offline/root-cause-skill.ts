import type { z } from 'zod';
import type {
  CheckMeasurementsOutput,
  GetProcessWindowOutput,
} from '../../../action-groups/process-windows/schema.ts';
import type { CountRecurrencesOutput } from '../../../action-groups/recurrence/schema.ts';
import type {
  FindSimilarDefectsOutput,
  SimilarDefect,
} from '../../../action-groups/similar-defects/schema.ts';
import type { LookupSopOutput } from '../../../action-groups/sop-lookup/schema.ts';
import {
  Category6M,
  DEFECT_TYPE_DETAILS,
  PRODUCTION_STAGES,
  STAGE_DETAILS,
  type Classification,
  type ConcreteDefectType,
  type FishboneCause,
  type Ishikawa,
  type ProductionStage,
  type RootCauseAnalysis,
  type WhyStep,
} from '../../../domain/index.ts';
import { reportOf } from './classifier-skill.ts';
import { allResults, lastResult, type Skill } from './conversation.ts';
import { readSignals } from './signals.ts';

/** How each defect type comes about physically, for the first why. */
const MECHANISMS: Record<ConcreteDefectType, string> = {
  blade_scratch: 'hard particles or contact dragged across the finished blade surface',
  blade_chip: 'the edge was too brittle or was loaded beyond its strength, so material broke out',
  edge_irregularity: 'the bevel was ground or honed unevenly along the edge',
  handle_crack:
    'the moulded handle carried more stress than the material could take (moulding stress, voids or assembly load)',
  handle_discoloration:
    'the handle material or its surface changed colour through resin, pigment or heat variation',
  weld_defect: 'the bolster weld did not fuse cleanly (gas shielding, contamination or weld parameters)',
  polish_defect: 'the finishing wheel, compound or contact conditions did not produce a uniform surface',
  rust_spot:
    'chromium carbides formed when the blades cooled too slowly through 1000 to 600 °C, leaving chromium-depleted steel that oxidises',
  dimensional_error: 'the stamped blank left the press outside drawing tolerance',
  assembly_misalignment: 'the handle, tang and rivets were not held in position while riveting',
  surface_contamination: 'foreign material (oil, ink, residue) stayed on the surface before packing',
  heat_treatment_defect:
    'the thermal cycle (temperature, time or cooling) was outside the process window for part of the load',
};

/** A candidate cause per 6M branch when no past case names one, by defect type. */
const GENERIC_CAUSES: Record<Category6M, (stage: string) => string> = {
  man: (stage) => `Set-up or handling step at ${stage} not error-proofed, so a slip is not prevented`,
  machine: (stage) => `Wear or drift of the ${stage} equipment outside its maintenance interval`,
  method: (stage) => `Process window or work instruction at ${stage} not specific enough for this SKU`,
  material: () => 'Incoming steel or resin lot outside specification',
  measurement: (stage) => `Check at ${stage} samples too rarely or its gauge cannot detect the condition`,
  environment: () => 'Humidity, temperature or contamination in the work area outside normal',
};

const OPERATOR_BLAME =
  /\b(operator|human) (error|mistake)|\black of training\b|\b(retrain|carelessness|inattention)\b/i;

function notBlame(text: string): string {
  return OPERATOR_BLAME.test(text)
    ? `${text.replace(/\.$/, '')}; the process allowed it because the step depends on a person noticing, with no error-proofing or automatic check`
    : text;
}

function stageLabel(stage: ProductionStage): string {
  return STAGE_DETAILS[stage].label.toLowerCase();
}

/** Picks the probable stage from the type's origin stages, the similar cases, text cues and measurements. */
export function decideStage(
  type: ConcreteDefectType | 'unknown',
  description: string,
  similar: readonly SimilarDefect[],
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined,
): { stage: ProductionStage; confidence: number; evidence: string[] } {
  const candidates: readonly ProductionStage[] =
    type === 'unknown'
      ? PRODUCTION_STAGES
      : type === 'surface_contamination'
        ? ['logo_print', ...PRODUCTION_STAGES.filter((stage) => stage !== 'logo_print')]
        : DEFECT_TYPE_DETAILS[type].originStages;
  const signals = readSignals(description);
  const scores = new Map<ProductionStage, number>(
    candidates.map((stage, index) => [stage, Math.max(0, 0.5 - index * 0.1)]),
  );
  const evidence: string[] = [];
  const top = similar[0]?.score ?? 1;
  similar.forEach((defect, rank) => {
    if (!scores.has(defect.stage)) return;
    const weight =
      ((1.5 * defect.score) / Math.max(top, 1e-9) / (1 + rank * 0.5)) *
      (defect.defect_type === type ? 1 : 0.4);
    scores.set(defect.stage, (scores.get(defect.stage) ?? 0) + weight);
  });
  for (const [stage, score] of signals.stageScores) {
    if (!scores.has(stage)) continue;
    scores.set(stage, (scores.get(stage) ?? 0) + score);
    evidence.push(...(signals.stageEvidence.get(stage) ?? []).map((item) => `${item} (${stage})`));
  }
  for (const finding of checks?.findings ?? []) {
    if (finding.status === 'within') continue;
    for (const stage of finding.suggests_stages) {
      if (!scores.has(stage)) continue;
      scores.set(stage, (scores.get(stage) ?? 0) + 4.5 / finding.suggests_stages.length);
      evidence.push(
        `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit} points at ${stage}`,
      );
    }
  }
  const ranked = [...scores.entries()].sort((left, right) => right[1] - left[1]);
  const [stage, best] = ranked[0] as [ProductionStage, number];
  const second = ranked[1]?.[1] ?? 0;
  const confidence =
    candidates.length === 1
      ? 0.9
      : Math.round(Math.min(0.95, 0.45 + 0.5 * ((best - second) / Math.max(best, 1e-9))) * 100) / 100;
  const sameStage = similar.filter((defect) => defect.stage === stage && defect.defect_type === type);
  if (sameStage.length > 0)
    evidence.push(
      `${sameStage.length} similar confirmed cases originated at ${stage} (${sameStage.map((defect) => defect.source_id).join(', ')})`,
    );
  return { stage, confidence, evidence };
}

function firstSentences(text: string, limit = 220): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= limit) return clean;
  const cut = clean.slice(0, limit);
  const end = cut.lastIndexOf('. ');
  return end > 80 ? cut.slice(0, end + 1) : `${cut.replace(/\s\S*$/, '')}…`;
}

function fishbone(
  chosen: Category6M,
  best: SimilarDefect | undefined,
  similar: readonly SimilarDefect[],
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined,
  stage: ProductionStage,
): Ishikawa {
  const branches: Record<Category6M, FishboneCause[]> = {
    man: [],
    machine: [],
    method: [],
    material: [],
    measurement: [],
    environment: [],
  };
  for (const defect of similar) {
    const category = defect.root_cause.category_6m;
    if (branches[category].some((cause) => cause.cause === defect.root_cause.occurrence)) continue;
    if (branches[category].length >= 3) continue;
    const isBest = defect.source_id === best?.source_id;
    branches[category].push({
      cause: notBlame(firstSentences(defect.root_cause.occurrence, 200)),
      status: isBest && category === chosen ? 'supported' : 'untested',
      evidence: `${isBest ? 'closest' : 'similar'} confirmed case ${defect.source_id} (${defect.stage}, actions ${defect.effective === 'true' ? 'worked' : defect.effective === 'partial' ? 'partly worked' : 'did not work'})`,
      citations: [defect.chunk_id],
    });
  }
  for (const finding of checks?.findings ?? []) {
    const within = finding.status === 'within';
    branches.measurement.push({
      cause: `${finding.measurement.replaceAll('_', ' ')} ${within ? 'within' : 'outside'} ${finding.limit} (measured ${finding.value})`,
      status: within ? 'ruled_out' : 'supported',
      evidence: finding.implication,
      citations: [],
    });
    if (within && finding.measurement === 'hardness_hrc') {
      branches.material.push({
        cause: 'Blade hardness out of the 54-58 HRC window',
        status: 'ruled_out',
        evidence: `measured ${finding.value} HRC is within spec`,
        citations: [],
      });
    }
  }
  for (const category of Category6M.options) {
    if (branches[category].length === 0) {
      branches[category].push({
        cause: GENERIC_CAUSES[category](stage.replaceAll('_', ' ')),
        status: 'untested',
        citations: [],
      });
    }
  }
  return branches;
}

/** The offline root-cause analyst: similar confirmed cases, process windows and SOP checks, then a grounded 5-why. */
export const rootCauseSkill: Skill = (conversation) => {
  const report = reportOf(conversation);
  const classification = conversation.sections.classification as Classification | undefined;
  const type = (classification?.defect_type ?? 'unknown') as ConcreteDefectType | 'unknown' | 'none';
  const defectType = type === 'none' ? 'unknown' : type;
  const description = report.description ?? '';
  const searchText =
    [description, ...Object.entries(report.measurements ?? {}).map(([key, value]) => `${key} ${value}`)].join(
      '. ',
    ) || defectType;

  if (conversation.turn === 0) {
    const measurements = Object.fromEntries(
      Object.entries(report.measurements ?? {}).filter(([key]) =>
        ['hardness_hrc', 'edge_angle_deg', 'sharpness_icp', 'salt_spray_hours', 'defect_size_mm'].includes(
          key,
        ),
      ),
    );
    return {
      toolUses: [
        {
          name: 'find_similar_defects',
          input: {
            description: searchText.slice(0, 3900),
            ...(defectType !== 'unknown' ? { filter: { defect_type: defectType } } : {}),
            k: 5,
          },
        },
        ...(defectType !== 'unknown'
          ? [
              {
                name: 'count_recurrences',
                input: {
                  defect_type: defectType,
                  ...(report.facility ? { facility: report.facility } : {}),
                  window_days: 90,
                },
              },
            ]
          : []),
        ...(Object.keys(measurements).length > 0
          ? [{ name: 'check_measurements', input: { measurements } }]
          : []),
      ],
    };
  }

  const similar =
    lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects')?.defects ?? [];
  const checks = lastResult<z.infer<typeof CheckMeasurementsOutput>>(conversation, 'check_measurements');
  const decision = decideStage(defectType, description, similar, checks);
  const stage = decision.stage;

  if (conversation.turn === 1) {
    return {
      toolUses: [
        { name: 'get_process_window', input: { stage } },
        {
          name: 'lookup_sop',
          input: {
            query: `${defectType.replaceAll('_', ' ')} ${stageLabel(stage)} checks`,
            stage,
            section: 'checks',
            k: 2,
          },
        },
        {
          name: 'lookup_sop',
          input: {
            query: `${defectType.replaceAll('_', ' ')} detection at final inspection sampling`,
            stage: 'inspection',
            k: 2,
          },
        },
      ],
    };
  }

  const window = lastResult<z.infer<typeof GetProcessWindowOutput>>(conversation, 'get_process_window');
  const [stageSops, inspectionSops] = allResults<z.infer<typeof LookupSopOutput>>(conversation, 'lookup_sop');
  const recurrence = lastResult<z.infer<typeof CountRecurrencesOutput>>(conversation, 'count_recurrences');
  const atStage = similar.filter((defect) => defect.stage === stage);
  const best = atStage[0] ?? similar[0];
  const votes = new Map<Category6M, number>();
  (atStage.length > 0 ? atStage : similar).forEach((defect, rank) => {
    votes.set(
      defect.root_cause.category_6m,
      (votes.get(defect.root_cause.category_6m) ?? 0) + defect.score / (1 + rank * 0.3),
    );
  });
  const category: Category6M =
    best?.root_cause.category_6m ??
    [...votes.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ??
    'method';
  const windowPassage = window?.passages[0];
  const stageCheck = stageSops?.passages[0];
  const inspectionCheck = inspectionSops?.passages[0];
  const label = defectType === 'unknown' ? 'the defect' : defectType.replaceAll('_', ' ');
  const part = report.product_sku ?? 'the parts';
  const measurementEvidence = (checks?.findings ?? [])
    .filter((finding) => finding.status !== 'within')
    .map((finding) => ({
      kind: 'measurement' as const,
      detail: `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit}`,
    }));

  const whys: WhyStep[] = [
    {
      step: 1,
      question: `Why was ${label} found on ${part}${classification?.affected_area ? ` (${classification.affected_area})` : ''}?`,
      answer: `Because ${defectType === 'unknown' ? 'a process condition went outside its window' : MECHANISMS[defectType]} at ${stageLabel(stage)}.`,
      evidence: [
        ...(description ? [{ kind: 'report' as const, detail: firstSentences(description, 200) }] : []),
        ...measurementEvidence,
        ...(windowPassage
          ? [
              {
                kind: 'passage' as const,
                detail: firstSentences(windowPassage.text, 160),
                source_id: windowPassage.source_id,
              },
            ]
          : []),
      ],
      verified: measurementEvidence.length > 0,
      hypothesis: !windowPassage && measurementEvidence.length === 0,
      citations: windowPassage ? [windowPassage.chunk_id] : [],
    },
  ];
  if (best) {
    whys.push({
      step: 2,
      question: `Why did ${stageLabel(stage)} produce that condition?`,
      answer: notBlame(
        `Most probably as in confirmed case ${best.source_id}: ${firstSentences(best.root_cause.occurrence, 260)}`,
      ),
      evidence: [
        {
          kind: 'history',
          detail: `${best.title} (${best.date}, ${best.facility})`,
          source_id: best.source_id,
        },
        ...decision.evidence.slice(0, 2).map((detail) => ({ kind: 'report' as const, detail })),
      ],
      verified: false,
      hypothesis: false,
      citations: [best.chunk_id],
    });
    const alternative = similar.find(
      (defect) =>
        defect.source_id !== best.source_id &&
        defect.root_cause.category_6m !== best.root_cause.category_6m &&
        defect.score >= 0.8 * best.score,
    );
    if (alternative) {
      whys.push({
        step: 2,
        branch: 'B',
        question: `Why did ${stageLabel(stage)} produce that condition (second evidenced answer)?`,
        answer: notBlame(
          `Alternatively as in ${alternative.source_id}: ${firstSentences(alternative.root_cause.occurrence, 220)}`,
        ),
        evidence: [{ kind: 'history', detail: alternative.title, source_id: alternative.source_id }],
        verified: false,
        hypothesis: false,
        citations: [alternative.chunk_id],
      });
    }
  }
  whys.push({
    step: 3,
    question: `Why was the condition not detected and stopped at ${stageLabel(stage)}?`,
    answer: stageCheck
      ? `The in-process control of ${stageCheck.source_id} did not stop it: ${firstSentences(stageCheck.text, 200)} Either the check ran too rarely or it cannot see this condition.`
      : `No in-process check at ${stageLabel(stage)} is known to watch for this condition.`,
    evidence: stageCheck
      ? [
          {
            kind: 'passage',
            detail: `${stageCheck.title}: ${stageCheck.section}`,
            source_id: stageCheck.source_id,
          },
        ]
      : [],
    verified: false,
    hypothesis: !stageCheck,
    citations: stageCheck ? [stageCheck.chunk_id] : [],
  });
  whys.push({
    step: 4,
    question: 'Why did inspection not catch it before the parts moved on (escape)?',
    answer: notBlame(
      best
        ? firstSentences(best.root_cause.escape, 240)
        : 'The inspection plan does not sample for this defect at the point where it appears.',
    ),
    evidence: [
      ...(best
        ? [{ kind: 'history' as const, detail: `escape in ${best.source_id}`, source_id: best.source_id }]
        : []),
      ...(inspectionCheck
        ? [
            {
              kind: 'passage' as const,
              detail: `${inspectionCheck.title}: ${inspectionCheck.section}`,
              source_id: inspectionCheck.source_id,
            },
          ]
        : []),
    ],
    verified: false,
    hypothesis: !best && !inspectionCheck,
    citations: [...(best ? [best.chunk_id] : []), ...(inspectionCheck ? [inspectionCheck.chunk_id] : [])],
  });
  const recurring =
    recurrence && recurrence.count > 0
      ? ` ${recurrence.count} ${label} defects in the last ${recurrence.window_days} days${recurrence.recurring ? ' show it is recurring' : ''}.`
      : '';
  whys.push({
    step: 5,
    question: 'Why did the system allow both the occurrence and the escape?',
    answer: notBlame(
      `${best ? firstSentences(best.root_cause.systemic, 240) : 'The control plan has no trend review or error-proofing for this failure mode.'}${recurring}`,
    ),
    evidence: [
      ...(best
        ? [
            {
              kind: 'history' as const,
              detail: `systemic cause in ${best.source_id}`,
              source_id: best.source_id,
            },
          ]
        : []),
      ...(recurrence && recurrence.count > 0
        ? [{ kind: 'history' as const, detail: `${recurrence.count} occurrences since ${recurrence.since}` }]
        : []),
    ],
    verified: false,
    hypothesis: !best,
    citations: best ? [best.chunk_id] : [],
  });

  const analysis: RootCauseAnalysis = {
    probable_stage: stage,
    stage_confidence: best ? decision.confidence : Math.min(decision.confidence, 0.4),
    five_why_chain: whys,
    ishikawa: fishbone(category, best, similar, checks, stage),
    root_cause: {
      occurrence: notBlame(
        best
          ? firstSentences(best.root_cause.occurrence, 300)
          : `A ${category} cause at ${stageLabel(stage)}, not yet identified`,
      ),
      escape: notBlame(
        best
          ? firstSentences(best.root_cause.escape, 300)
          : 'Inspection does not sample for this defect where it appears',
      ),
      systemic: notBlame(
        best
          ? firstSentences(best.root_cause.systemic, 300)
          : 'No trend review or error-proofing for this failure mode',
      ),
      category_6m: category,
      citations: [
        ...new Set([...(best ? [best.chunk_id] : []), ...(stageCheck ? [stageCheck.chunk_id] : [])]),
      ],
    },
    similar_defects: similar.map((defect) => defect.source_id),
  };
  return { final: analysis };
};
