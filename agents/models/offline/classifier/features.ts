import type { InspectionReport } from '../../../../domain/index.ts';
import type { ReportFacts } from '../../../report-facts/schema.ts';
import { segmentText } from '../../../report-facts/segment.ts';

/** Sparse features of a report: name → value. */
export type Features = Map<string, number>;

const MAX_GLOSSARY_COUNT = 3;

function add(features: Features, name: string, value = 1): void {
  features.set(name, (features.get(name) ?? 0) + value);
}

/**
 * The features the classifier reads: words (jieba words for Chinese) and word pairs, marked
 * when a negation covers them; character n-grams of longer words (typos, shorthand) and
 * character pairs of Chinese; and the report facts (glossary hits by type, stage cues, product
 * family, conformance, failed standard checks, stated-cause categories).
 */
export function extractFeatures(report: InspectionReport, facts: ReportFacts): Features {
  const features: Features = new Map();
  for (const clause of segmentText(facts.text)) {
    const words = clause.tokens.filter((token) => token.script !== 'number' && token.text.trim() !== '');
    words.forEach((token, index) => {
      const mark = token.negated ? '!' : '';
      features.set(`w${mark}:${token.text}`, 1);
      const next = words[index + 1];
      if (next && next.negated === token.negated) features.set(`b${mark}:${token.text}_${next.text}`, 1);
      if (token.script === 'latin' && token.text.length >= 4 && !token.negated) {
        const padded = `<${token.text}>`;
        for (let size = 3; size <= 4; size += 1)
          for (let start = 0; start + size <= padded.length; start += 1)
            features.set(`c:${padded.slice(start, start + size)}`, 1);
      }
      if (token.script === 'han')
        for (let start = 0; start + 2 <= token.text.length; start += 1)
          features.set(`h${mark}:${token.text.slice(start, start + 2)}`, 1);
    });
  }
  const typeCounts = new Map<string, number>();
  for (const hit of facts.defect_terms) {
    const name = `${hit.negated ? 'gn' : 'g'}:${hit.code}`;
    typeCounts.set(name, Math.min(MAX_GLOSSARY_COUNT, (typeCounts.get(name) ?? 0) + 1));
  }
  for (const [name, count] of typeCounts) add(features, name, count);
  for (const hit of facts.ambiguous_terms) features.set(hit.negated ? 'ga!' : 'ga', 1);
  for (const hit of facts.stage_cues)
    if (!hit.negated) features.set(`${hit.where_found ? 'found' : 's'}:${hit.code}`, 1);
  for (const area of facts.areas) features.set(`a:${area}`, 1);
  if (facts.product_family) features.set(`p:${facts.product_family}`, 1);
  if (facts.conformance.length > 0) features.set('conformance', 1);
  if (facts.nonconformance.length > 0) features.set('nonconformance', 1);
  if (facts.defect_evidence) features.set('defect_evidence', 1);
  else features.set('no_defect_evidence', 1);
  for (const check of facts.standard_checks) features.set(`m:${check.name}:${check.status}`, 1);
  for (const key of Object.keys(report.measurements ?? {})) features.set(`f:${key}`, 1);
  for (const cue of facts.severity_cues) features.set(`sev:${cue}`, 1);
  if (facts.detection_point) features.set(`det:${facts.detection_point}`, 1);
  for (const cause of facts.stated_causes) {
    if (cause.category_6m) features.set(`cause:${cause.category_6m}`, 1);
    for (const stage of cause.stages) features.set(`cause_stage:${stage}`, 1);
  }
  if (facts.stated_causes.length === 0) features.set('no_stated_cause', 1);
  features.set(`lang:${facts.language}`, 1);
  return features;
}

/** The features of the stated causes alone, for the 6M head. */
export function causeFeatures(facts: ReportFacts): Features {
  const features: Features = new Map();
  for (const cause of facts.stated_causes) {
    if (cause.category_6m) add(features, `cause:${cause.category_6m}`, 2);
    for (const clause of segmentText(cause.text))
      for (const token of clause.tokens)
        if (token.script !== 'number') features.set(`k${token.negated ? '!' : ''}:${token.text}`, 1);
  }
  return features;
}
