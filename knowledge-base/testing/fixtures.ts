import { chunkDocument } from '../documents/chunk.ts';
import { parseDocument } from '../documents/parse.ts';
import type { KnowledgeDocument } from '../documents/schema.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { IndexedDocument } from '../knowledge-base.ts';

const RUST = `---
id: DEF-20240314-3FA2B91C
doc_type: past_defect
title: Orange rust spots near the bolster after a slow quench
date: 2024-03-14
facility: yangjiang
product_sku: WK-KN-200
stage: vacuum_quench
defect_type: rust_spot
severity: critical
measurements:
  salt_spray_hours: 312
root_cause:
  category_6m: machine
  occurrence: Worn vacuum chamber door seal let the cool from 1000 to 600 C take 4.5 minutes.
  escape: Salt spray was sampled weekly, after the lot had moved on.
  systemic: Seal replacement was run to failure with no leak-rate trend.
actions:
  - type: corrective
    description: Replaced the door seal and added a leak-rate check at start of shift.
    owner_role: Maintenance lead
effective: true
outcome: No rust in twelve weeks of salt-spray sampling.
---
# Orange rust spots near the bolster after a slow quench

## Description
Fourteen chef knives showed orange-brown oxidation spots near the bolster after vacuum quench.

## Confirmed root cause
The vacuum chamber door seal was worn, the leak rate rose and the quench was too slow, so chromium carbides formed.
`;

const SCRATCH = `---
id: DEF-20250102-0BADCAFE
doc_type: past_defect
title: Long scratches on mirror-glazed paring knives
date: 2025-01-02
facility: shenzhen
product_sku: WK-KN-100
stage: blade_glazing
defect_type: blade_scratch
severity: major
measurements:
  defect_size_mm: 8
root_cause:
  category_6m: material
  occurrence: Glazing wheel loaded with coarse grit from the previous compound.
  escape: Scratches under 10 mm were not visible under the old lighting.
  systemic: Wheels were not segregated by compound grade.
actions:
  - type: corrective
    description: Dedicated wheels per compound grade with colour tags.
    owner_role: Polishing supervisor
effective: partial
outcome: Scratch rate halved; lighting upgrade followed.
---
# Long scratches on mirror-glazed paring knives

## Description
Paring knives left blade glazing with straight scratches of about 8 mm across the blade body.

## Investigation
The glazing wheel was contaminated with coarse grit carried over from a previous compound.
`;

const SOP = `---
id: SOP-VQ-01
doc_type: sop
title: Vacuum quench cycle and chamber leak-rate check
stage: vacuum_quench
defect_types: [rust_spot, heat_treatment_defect]
revision: D
effective_date: 2025-06-01
owner_role: Heat-treatment process engineer
facilities: [yangjiang, shenzhen]
---
# Vacuum quench cycle and chamber leak-rate check

## Process window
Cool from 1000 to 600 C in 120 seconds or less. Chamber leak rate below 5e-3 mbar l/s before every run.

## Reaction plan
If the leak rate is above the limit, do not load the furnace; quarantine the last load and call maintenance.
`;

const HANDLE = `---
id: SOP-HI-01
doc_type: sop
title: Handle injection moulding window
stage: handle_injection
defect_types: [handle_crack, handle_discoloration]
revision: B
effective_date: 2024-02-01
owner_role: Moulding process engineer
facilities: [hongkong]
---
# Handle injection moulding window

## Process window
Mould temperature 60 to 80 C, injection pressure 800 to 1100 bar, cooling time at least 25 seconds to avoid cracked handles.
`;

/** Four small documents covering both doc types, several stages, facilities and SKUs. */
export const FIXTURE_SOURCES = { rust: RUST, scratch: SCRATCH, sop: SOP, handle: HANDLE } as const;

/** Parses a fixture. */
export function fixtureDocument(name: keyof typeof FIXTURE_SOURCES, source?: string): KnowledgeDocument {
  return parseDocument({ file: `${name}.md`, source: source ?? FIXTURE_SOURCES[name] });
}

/** Chunks and embeds documents for {@link KnowledgeBaseIndex.upsertDocuments}. */
export async function indexedDocuments(
  documents: readonly KnowledgeDocument[],
  embedder: Embedder,
): Promise<IndexedDocument[]> {
  return Promise.all(
    documents.map(async (document) => {
      const chunks = chunkDocument(document);
      const vectors = await embedder.embed({ texts: chunks.map((chunk) => chunk.indexedText) });
      return {
        sourceId: document.metadata.id,
        docType: document.kind,
        contentHash: document.contentHash,
        chunks,
        vectors,
      };
    }),
  );
}
