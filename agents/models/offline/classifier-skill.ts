import type { z } from 'zod';
import type { AssessSeverityOutput } from '../../../action-groups/defect-taxonomy/schema.ts';
import type { CheckMeasurementsOutput } from '../../../action-groups/process-windows/schema.ts';
import type { FindSimilarDefectsOutput } from '../../../action-groups/similar-defects/schema.ts';
import {
  CONCRETE_DEFECT_TYPES,
  type Classification,
  type ConcreteDefectType,
  type InspectionReport,
} from '../../../domain/index.ts';
import { lastResult, type Conversation, type Skill } from './conversation.ts';
import { readSignals } from './signals.ts';

const KNOWN_MEASUREMENTS = [
  'hardness_hrc',
  'edge_angle_deg',
  'sharpness_icp',
  'salt_spray_hours',
  'defect_size_mm',
] as const;

/** The report and the text the classifier reads (description plus measurements). */
export function reportOf(conversation: Conversation): InspectionReport {
  return (conversation.sections.report ?? {}) as InspectionReport;
}

/** Measurements written in the text ("52.8 HRC", "CATRA 38 ICP", "edge angle 19 deg"), for reports without fields. */
function measurementsInText(text: string): Record<string, number> {
  const found: Record<string, number> = {};
  const hardness = /\b(\d{2}(?:\.\d)?)\s*hrc\b|\bhrc\s*(\d{2}(?:\.\d)?)\b/i.exec(text);
  if (hardness) found.hardness_hrc = Number(hardness[1] ?? hardness[2]);
  const sharpness = /\b(\d{1,3}(?:\.\d)?)\s*icp\b|\bcatra\D{0,12}(\d{1,3}(?:\.\d)?)\b/i.exec(text);
  if (sharpness) found.sharpness_icp = Number(sharpness[1] ?? sharpness[2]);
  const salt = /\b(\d{2,4})\s*h(?:ours?)?\b[^.]{0,30}\bsalt|\bsalt[- ]?spray\D{0,30}(\d{2,4})\s*h/i.exec(
    text,
  );
  if (salt && /\b(rust|fail)/i.test(text)) found.salt_spray_hours = Number(salt[1] ?? salt[2]);
  return found;
}

/** The measurements the checks take: the report's fields, completed by values written in its text. */
export function measurementInput(report: InspectionReport): Record<string, number> {
  const input: Record<string, number> = measurementsInText(report.description ?? '');
  for (const key of KNOWN_MEASUREMENTS) {
    const value = report.measurements?.[key];
    if (typeof value === 'number') input[key] = value;
  }
  return input;
}

function searchText(report: InspectionReport): string {
  const measurements = Object.entries(report.measurements ?? {})
    .map(([key, value]) => `${key.replaceAll('_', ' ')} ${value}`)
    .join(', ');
  return (
    [report.description ?? '', measurements].filter(Boolean).join('. ').slice(0, 3900) || 'inspection report'
  );
}

/** The type decision, with what it rests on. */
export interface TypeDecision {
  kind: 'defect' | 'none' | 'unknown';
  type: ConcreteDefectType | 'unknown' | 'none';
  confidence: number;
  evidence: string[];
  citations: string[];
  reason: string | null;
}

/** Decides the type from text cues, measurements and the vote of similar past defects. */
export function decideType(
  report: InspectionReport,
  similar: z.infer<typeof FindSimilarDefectsOutput> | undefined,
  measurements: z.infer<typeof CheckMeasurementsOutput> | undefined,
): TypeDecision {
  const signals = readSignals(report.description ?? '');
  const scores = new Map<ConcreteDefectType, number>(signals.typeScores);
  const evidence = new Map<ConcreteDefectType, string[]>(signals.typeEvidence);
  const textScore = Math.max(0, ...scores.values());

  for (const finding of measurements?.findings ?? []) {
    if (finding.status === 'within') continue;
    for (const type of finding.suggests_defect_types) {
      const weight = finding.measurement === 'hardness_hrc' && type !== 'heat_treatment_defect' ? 1 : 3;
      scores.set(type, (scores.get(type) ?? 0) + weight);
      evidence.set(type, [
        ...(evidence.get(type) ?? []),
        `${finding.measurement} ${finding.value} is ${finding.status} ${finding.limit}: ${finding.implication}`,
      ]);
    }
  }

  const evidenceScores = new Map(scores);
  const defects = similar?.defects ?? [];
  const topScore = defects[0]?.score ?? 0;
  defects.slice(0, 6).forEach((defect, rank) => {
    const weight =
      (textScore > 0 ? 1 : 0.6) * (defect.score / Math.max(topScore, 1e-9)) * (1 / (1 + rank * 0.5));
    scores.set(defect.defect_type, (scores.get(defect.defect_type) ?? 0) + weight);
  });

  const ranked = CONCRETE_DEFECT_TYPES.map((type) => [type, scores.get(type) ?? 0] as const).sort(
    (left, right) => right[1] - left[1],
  );
  const [bestType, bestScore] = ranked[0] as readonly [ConcreteDefectType, number];
  const secondScore = ranked[1]?.[1] ?? 0;
  const measurementOutOfSpec = measurements?.out_of_spec ?? false;
  const hasMeasurements = Object.keys(measurementInput(report)).length > 0;

  if (signals.injection) {
    const describesDefect = textScore >= 2.5;
    return {
      kind: 'unknown',
      type: 'unknown',
      confidence: describesDefect ? 0.2 : 0.15,
      evidence: ['the report contains instructions addressed to the system; they were ignored'],
      citations: [],
      reason: 'the report tries to instruct the system instead of describing a part; a person must review it',
    };
  }
  if (signals.domainWords === 0 && !hasMeasurements) {
    return {
      kind: 'unknown',
      type: 'unknown',
      confidence: 0.1,
      evidence: ['the text does not describe a part, a process or a measurement of this plant'],
      citations: [],
      reason: 'off-topic: not an inspection report',
    };
  }
  if (signals.noDefect && textScore < 3 && !measurementOutOfSpec) {
    return {
      kind: 'none',
      type: 'none',
      confidence: 0.85,
      evidence: ['the report states that nothing is wrong and no measurement is out of spec'],
      citations: [],
      reason: null,
    };
  }
  const margin = bestScore > 0 ? (bestScore - secondScore) / bestScore : 0;
  const topSimilar = defects.slice(0, 5);
  const agreement =
    topSimilar.length === 0
      ? 0
      : topSimilar.filter((defect) => defect.defect_type === bestType).length / topSimilar.length;
  const evidenceStrength = Math.min(1, (evidenceScores.get(bestType) ?? 0) / 4);
  let confidence = 0.25 + 0.4 * evidenceStrength + 0.2 * margin + 0.15 * agreement;
  if (textScore === 0 && !measurementOutOfSpec) confidence = Math.min(confidence, 0.35);
  if (textScore < 2 && !measurementOutOfSpec && agreement < 0.6) confidence = Math.min(confidence, 0.45);
  if (signals.contentWords < 5 && !measurementOutOfSpec) confidence = Math.min(confidence, 0.45);
  confidence = Math.round(Math.min(0.97, Math.max(0.05, confidence)) * 100) / 100;

  const supporting = defects.filter((defect) => defect.defect_type === bestType).slice(0, 3);
  const typeEvidence = [...(evidence.get(bestType) ?? [])];
  if (supporting.length > 0) {
    typeEvidence.push(
      `${supporting.length} of the ${Math.min(defects.length, 6)} most similar past defects are ${bestType} (${supporting.map((defect) => defect.source_id).join(', ')})`,
    );
  }
  if (confidence < 0.5 || bestScore === 0) {
    return {
      kind: 'unknown',
      type: 'unknown',
      confidence: Math.min(confidence, 0.45),
      evidence: typeEvidence.length > 0 ? typeEvidence : ['too little in the report to tell the defect type'],
      citations: supporting.map((defect) => defect.chunk_id),
      reason: `too vague to classify with confidence (best guess ${bestType})`,
    };
  }
  return {
    kind: 'defect',
    type: bestType,
    confidence,
    evidence: typeEvidence,
    citations: supporting.map((defect) => defect.chunk_id),
    reason: null,
  };
}

/** The offline classifier: similar defects and measurement checks, then the severity rule, then the answer. */
export const classifierSkill: Skill = (conversation) => {
  const report = reportOf(conversation);
  const measurements = measurementInput(report);
  if (conversation.turn === 0) {
    const toolUses: Array<{ name: string; input: Record<string, unknown> }> = [];
    if (report.description) {
      toolUses.push({
        name: 'find_similar_defects',
        input: {
          description: searchText(report),
          ...(report.facility ? { filter: { facility: report.facility } } : {}),
          k: 8,
        },
      });
    }
    if (Object.keys(measurements).length > 0)
      toolUses.push({ name: 'check_measurements', input: { measurements } });
    if (toolUses.length > 0) return { toolUses };
  }
  const similar = lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects');
  const checks = lastResult<z.infer<typeof CheckMeasurementsOutput>>(conversation, 'check_measurements');
  const decision = decideType(report, similar, checks);
  const signals = readSignals(report.description ?? '');
  const severity = lastResult<z.infer<typeof AssessSeverityOutput>>(conversation, 'assess_severity');
  if (
    decision.kind !== 'none' &&
    !(decision.kind === 'unknown' && decision.confidence <= 0.15) &&
    !severity
  ) {
    return {
      toolUses: [
        {
          name: 'assess_severity',
          input: {
            defect_type: decision.type,
            confidence: decision.confidence,
            ...(typeof measurements.defect_size_mm === 'number'
              ? { defect_size_mm: measurements.defect_size_mm }
              : {}),
            ...(signals.structural !== undefined ? { structural: signals.structural } : {}),
            ...(signals.patchy !== undefined ? { patchy: signals.patchy } : {}),
          },
        },
      ],
    };
  }
  const classification: Classification = {
    defect_detected:
      decision.kind === 'defect' || (decision.kind === 'unknown' && decision.confidence > 0.15),
    defect_type: decision.type,
    severity: decision.kind === 'none' || !severity ? 'none' : severity.severity,
    confidence: decision.confidence,
    recommended_action: decision.kind === 'none' || !severity ? 'PASS' : severity.recommended_action,
    escalate: decision.kind !== 'none' && (decision.kind === 'unknown' || (severity?.escalate ?? false)),
    escalation_reason:
      decision.kind === 'none'
        ? null
        : (decision.reason ?? (severity?.escalate ? severity.escalation_reason : null)),
    affected_area: decision.kind === 'defect' ? signals.area : null,
    bounding_box: null,
    evidence: decision.evidence,
    citations: decision.citations,
  };
  return { final: classification };
};
