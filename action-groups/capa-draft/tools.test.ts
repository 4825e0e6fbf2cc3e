import { describe, expect, it } from 'vitest';
import {
  Category6M,
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  ValidationError,
  type CorrectiveAction,
} from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { DraftCapaOutput } from './schema.ts';
import { draftCapaTool, EFFECTIVENESS_CHECKS, occurrenceOwner } from './tools.ts';

const kb = useTestToolContext();

const RUST = {
  defect_type: 'rust_spot',
  stage: 'vacuum_quench',
  severity: 'critical',
  root_cause: {
    category_6m: 'machine',
    occurrence: 'Worn vacuum chamber door seal let the 1000 to 600 C cool take 4 minutes instead of 2',
    escape: 'Salt spray was sampled weekly, so the load moved on to glazing before the result',
    systemic: 'Door seal replacement was run to failure with no leak-rate trend in the PM plan',
  },
  scope: { facility: 'yangjiang', product_sku: 'WK-KN-200', batch_id: 'YJ-2611-042' },
} as const;

async function draft(input: unknown): Promise<CorrectiveAction[]> {
  return DraftCapaOutput.parse(await invokeTool({ tool: draftCapaTool, input, context: kb.context })).actions;
}

function ofType(actions: readonly CorrectiveAction[], type: CorrectiveAction['type']): CorrectiveAction[] {
  return actions.filter((action) => action.type === type);
}

async function metadataOf(chunkIds: readonly string[]) {
  const passages = await kb.knowledgeBase.getPassages({ chunkIds });
  expect(passages.map((passage) => passage.metadata.chunk_id)).toEqual([...chunkIds]);
  return passages.map((passage) => passage.metadata);
}

describe('draft_capa', () => {
  it('drafts all four action types with due dates after today, shortened for a critical defect', async () => {
    const actions = await draft(RUST);
    expect(actions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(actions.map((action) => action.type))).toEqual(
      new Set(['containment', 'correction', 'corrective', 'preventive']),
    );
    for (const action of actions) expect(action.due_date > '2026-11-22').toBe(true);
    expect(ofType(actions, 'containment')[0]?.due_date).toBe('2026-11-23');
    expect(ofType(actions, 'correction')[0]?.due_date).toBe('2026-11-25');
    expect(ofType(actions, 'corrective').map((action) => action.due_date)).toEqual([
      '2026-12-06',
      '2026-12-06',
    ]);
    expect(ofType(actions, 'preventive').every((action) => action.due_date === '2027-01-21')).toBe(true);
  });

  it('quarantines the batch, citing a vacuum-quench reaction plan', async () => {
    const [containment] = ofType(await draft(RUST), 'containment');
    expect(containment?.description).toMatch(/Quarantine batch YJ-2611-042/);
    expect(containment?.owner_role).toBe('Quality engineer');
    const cited = await metadataOf(containment?.citations ?? []);
    expect(cited[0]).toMatchObject({ doc_type: 'sop', stage: 'vacuum_quench', section: 'Reaction plan' });
    expect(cited[0]?.source_id).toMatch(/^SOP-VQ-/);
    expect(containment?.description).toContain(`${cited[0]?.source_id} reaction plan`);
  });

  it('scraps critical parts through the MRB, citing the reaction plan it quotes', async () => {
    const [correction] = ofType(await draft(RUST), 'correction');
    expect(correction?.description).toMatch(/MRB/);
    expect(correction?.description).toMatch(/scrapped/);
    const cited = await metadataOf(correction?.citations ?? []);
    expect(cited.every((metadata) => metadata.section === 'Reaction plan')).toBe(true);
  });

  it('removes the occurrence cause and closes the escape, citing an effective past rust case', async () => {
    const actions = await draft(RUST);
    const [occurrence, escape] = ofType(actions, 'corrective');
    expect(occurrence?.description).toContain(RUST.root_cause.occurrence);
    expect(occurrence?.owner_role).toBe('Maintenance lead');
    expect(occurrence?.description).toMatch(/Proven in DEF-\d{8}-[0-9A-F]{8}/);
    expect(escape?.description).toContain(RUST.root_cause.escape);
    expect(escape?.description).toMatch(/salt-spray sample of every quench load/);
    expect(escape?.owner_role).toBe('Quality engineer');
    for (const action of [occurrence, escape]) {
      const cited = await metadataOf(action?.citations ?? []);
      const pastCases = cited.filter((metadata) => metadata.doc_type === 'past_defect');
      expect(pastCases.length).toBeGreaterThan(0);
      for (const metadata of pastCases) {
        expect(metadata).toMatchObject({
          defect_types: ['rust_spot'],
          effective: 'true',
          stage: 'vacuum_quench',
        });
        // The proof is a case of the same mechanism (a chamber leak), not any rust case.
        expect(metadata.occurrence).toMatch(/leak|seal/i);
      }
      expect(
        cited.every((metadata) => metadata.doc_type === 'past_defect' || metadata.stage === 'vacuum_quench'),
      ).toBe(true);
      expect(action?.effectiveness_check.window_days).toBe(90);
    }
    // A leaking chamber is checked on the leak rate of the vacuum-quench window.
    expect(occurrence?.effectiveness_check).toEqual({
      metric:
        'Chamber leak rate (cold, empty, first run of day) at vacuum quench, as logged at every stage check',
      threshold:
        'every reading within the window: target ≤ 2×10⁻³ (mbar·l/s), limits action > 3×10⁻³, no run > 5×10⁻³ (mbar·l/s)',
      window_days: 90,
    });
    expect(occurrence?.description).toMatch(/door seal/);
    expect(occurrence?.description).toMatch(/SOP-VQ-0\d reaction plan: ".*[Ll]eak rate/);
  });

  it('extends prevention to other facilities and SKUs and updates the SOP, PFMEA and control plan', async () => {
    const preventive = ofType(await draft(RUST), 'preventive');
    expect(preventive).toHaveLength(2);
    const text = preventive.map((action) => action.description).join(' ');
    expect(text).toMatch(/shenzhen, hongkong/);
    expect(text).not.toMatch(/yangjiang/);
    expect(text).toMatch(/WK-KN-150/);
    expect(text).toMatch(/PFMEA/);
    expect(text).toMatch(/control plan/);
    expect(text).toContain(RUST.root_cause.systemic);
    for (const action of preventive) {
      const cited = await metadataOf(action.citations);
      expect(cited.length).toBeGreaterThan(0);
      expect(
        cited.every((metadata) => metadata.doc_type === 'sop' && metadata.stage === 'vacuum_quench'),
      ).toBe(true);
    }
    const [sopCitation] = await metadataOf(preventive[1]?.citations ?? []);
    expect(preventive[1]?.description).toContain(`revise ${sopCitation?.source_id}`);
  });

  it('reworks a major scratch on the normal schedule with finishing owners', async () => {
    const actions = await draft({
      defect_type: 'blade_scratch',
      stage: 'blade_glazing',
      severity: 'major',
      root_cause: {
        category_6m: 'material',
        occurrence: 'Glazing buff loaded with coarse grit carried over from the belt side',
        escape: 'Scratch audit once per shift under 600 lux, below the required 1,000 lux',
        systemic: 'Buffs are not segregated between the belt side and the clean side',
      },
    });
    expect(ofType(actions, 'correction')[0]).toMatchObject({ due_date: '2026-11-29' });
    expect(ofType(actions, 'correction')[0]?.description).toMatch(/re-glaze/);
    // The cause is a contaminated buff: the fix and its check are about buffs, owned by finishing.
    expect(ofType(actions, 'corrective')[0]).toMatchObject({
      due_date: '2026-12-22',
      owner_role: 'Finishing process engineer',
      effectiveness_check: { window_days: 60 },
    });
    expect(ofType(actions, 'corrective')[0]?.description).toMatch(/buff change interval/);
    expect(ofType(actions, 'corrective')[0]?.effectiveness_check.metric).toMatch(/buffs/);
    // The systemic action is checked on the outcome: scratch length in the glazing window.
    expect(ofType(actions, 'preventive')[1]?.effectiveness_check.metric).toMatch(/^Scratch length/);
    const [containment] = ofType(actions, 'containment');
    expect(containment?.description).toMatch(/every lot processed at blade glazing/);
    const cited = await metadataOf(containment?.citations ?? []);
    expect(cited[0]?.source_id).toMatch(/^SOP-BG-/);
  });

  it('never settles for retraining when the cause is a person', async () => {
    const actions = await draft({
      defect_type: 'assembly_misalignment',
      stage: 'rivet_assembly',
      severity: 'minor',
      root_cause: {
        category_6m: 'man',
        occurrence: 'New operator loaded the handle scales without seating them against the locating pins',
        escape: 'Scale step only checked on the first part of the shift',
        systemic: 'No poka-yoke on the fixture and no check of seating before riveting',
      },
    });
    const [occurrence] = ofType(actions, 'corrective');
    expect(occurrence?.owner_role).toBe('Assembly production supervisor with the training coordinator');
    expect(occurrence?.description).toMatch(/Mistake-proof/);
    expect(actions.every((action) => !/^retrain/i.test(action.description))).toBe(true);
  });

  it('grounds every action for every defect type at each of its origin stages', async () => {
    for (const [index, defectType] of CONCRETE_DEFECT_TYPES.entries()) {
      for (const stage of DEFECT_TYPE_DETAILS[defectType].originStages) {
        const actions = await draft({
          defect_type: defectType,
          stage,
          severity: 'major',
          root_cause: {
            category_6m: Category6M.options[index % Category6M.options.length],
            occurrence: `The ${stage.replaceAll('_', ' ')} process drifted out of its window`,
            escape: 'The check at the stage did not look for this defect',
            systemic: 'The control plan had no reaction to the drift',
          },
        });
        const label = `${defectType} at ${stage}`;
        expect(new Set(actions.map((action) => action.type)).size, label).toBe(4);
        for (const action of actions) {
          expect(action.citations.length, `${label} ${action.type}`).toBeGreaterThan(0);
          expect(action.effectiveness_check.metric.length).toBeGreaterThan(0);
          expect(action.effectiveness_check.threshold.length).toBeGreaterThan(0);
          expect(action.owner_role.length).toBeGreaterThan(0);
          if (action.type === 'corrective')
            expect(action.description, label).not.toMatch(/^\s*retrain(?:ing)? (?:the )?operators?\.?\s*$/i);
        }
        const chunkIds = [...new Set(actions.flatMap((action) => action.citations))];
        const found = await kb.knowledgeBase.getPassages({ chunkIds });
        expect(found, label).toHaveLength(chunkIds.length);
      }
    }
  });

  it('drafts different corrective actions and checks for different causes of the same defect type', async () => {
    const causes = {
      leak: 'Worn vacuum chamber door seal leaked, so the cool to 600 C took 4 minutes',
      gas: 'Quench pressure fell to 4.2 bar when the N2 tank ran low, cooling took 190 s',
      store: 'Finished knives were kept three weeks in a damp store at 85 % RH',
    };
    const drafted = await Promise.all(
      Object.values(causes).map(async (occurrence) => {
        const [occurrenceAction] = ofType(
          await draft({ ...RUST, root_cause: { ...RUST.root_cause, occurrence } }),
          'corrective',
        );
        return occurrenceAction;
      }),
    );
    const [leak, gas, store] = drafted;
    expect(leak?.effectiveness_check.metric).toMatch(/^Chamber leak rate/);
    expect(gas?.effectiveness_check.metric).toMatch(/^Cooling time 1000 → 600 °C/);
    expect(store?.effectiveness_check.metric).toMatch(/^Packing room relative humidity/);
    expect(leak?.description).toMatch(/replace the door seal/);
    expect(gas?.description).toMatch(/quench pressure back to 6 bar/);
    expect(store?.description).toMatch(/humidity control/);
    expect(store?.owner_role).toMatch(/Facilities engineer/);
    expect(new Set(drafted.map((action) => action?.description)).size).toBe(3);
    expect(new Set(drafted.map((action) => action?.owner_role)).size).toBe(3);
  });

  it('checks a warped blade on flatness, whatever the cause at the quench', async () => {
    for (const occurrence of [
      'Blades stacked two per rack slot in the quench basket, so they bowed 0.6 mm',
      'Quench pressure raised to 8 bar on one side of the load, blades warped',
    ]) {
      const actions = await draft({
        defect_type: 'heat_treatment_defect',
        stage: 'vacuum_quench',
        severity: 'major',
        root_cause: {
          category_6m: 'method',
          occurrence,
          escape: 'Straightness was sampled once a week only',
          systemic: 'No approved load pattern or straightness check per load',
        },
        scope: {
          facility: 'yangjiang',
          product_sku: 'WK-KN-200',
          symptom: 'blade bowed 0.6 mm on the plate',
        },
      });
      const [occurrenceAction, escape] = ofType(actions, 'corrective');
      expect(occurrenceAction?.effectiveness_check.metric, occurrence).toMatch(/^Blade bow after quench/);
      expect(occurrenceAction?.effectiveness_check.threshold).toMatch(/≤ 0\.30 \(mm\)/);
      expect(escape?.description).toMatch(/Blade bow after quench/);
      expect(actions.some((action) => /hardness/i.test(action.effectiveness_check.metric))).toBe(false);
    }
  });

  it('checks rust after a slow quench on the quench window, and soft blades on hardness', async () => {
    const [rustFix] = ofType(await draft(RUST), 'corrective');
    expect(rustFix?.effectiveness_check.metric).toMatch(/Chamber leak rate|Cooling time|Salt spray/);
    const [softFix] = ofType(
      await draft({
        defect_type: 'heat_treatment_defect',
        stage: 'heat_treatment',
        severity: 'major',
        root_cause: {
          category_6m: 'machine',
          occurrence:
            'Furnace thermocouple drifted 25 C low, so the load was austenitised too cold and came out soft at 51 HRC',
          escape: 'Hardness tested on 2 blades per load',
          systemic: 'No thermocouple calibration interval',
        },
      }),
      'corrective',
    );
    expect(softFix?.effectiveness_check.metric).toMatch(/^Austenitising temperature/);
    expect(softFix?.description).toMatch(/thermocouple/);
  });

  it('acts on a cause at passivation there, naming the quench only as the nearest stage', async () => {
    const actions = await draft({
      ...RUST,
      root_cause: {
        category_6m: 'method',
        occurrence:
          'The nitric passivation bath had not been renewed for three weeks and was far below strength',
        escape: 'No salt-spray read of passivated parts before packing',
        systemic: 'No bath change interval or titration in the passivation work instruction',
      },
    });
    const [containment] = ofType(actions, 'containment');
    expect(containment?.description).toMatch(/processed at passivation since the last passing check/);
    const [fix] = ofType(actions, 'corrective');
    expect(fix?.description).toMatch(
      /^Remove the occurrence cause at passivation \(after vacuum quench, the nearest stage\)/,
    );
    expect(fix?.effectiveness_check.metric).toMatch(/rinse-water conductivity/);
    expect(ofType(actions, 'preventive')[0]?.description).toMatch(/on the other passivation lines/);
  });

  it('does not apply a rework ban written for another condition (overheat) to an under-tempered load', async () => {
    const [correction] = ofType(
      await draft({
        defect_type: 'heat_treatment_defect',
        stage: 'heat_treatment',
        severity: 'major',
        root_cause: {
          category_6m: 'method',
          occurrence:
            'Tempering oven set to 150 C instead of 200 C after a recipe edit, blades came out at 61 HRC',
          escape: 'Hardness checked on one blade per load',
          systemic: 'Recipe changes are not locked or reviewed',
        },
      }),
      'correction',
    );
    expect(correction?.description).not.toMatch(/forbidden by the SOP/);
  });

  it('checks a crack from a cold mould on the mould temperature', async () => {
    const actions = await draft({
      defect_type: 'handle_crack',
      stage: 'handle_injection',
      severity: 'major',
      root_cause: {
        category_6m: 'machine',
        occurrence: 'Mould temperature controller heater failed; mould ran at 48 C',
        escape: 'Handles were inspected warm at the press before cracks opened',
        systemic: 'Mould temperature alarm not interlocked with the press',
      },
    });
    const [fix] = ofType(actions, 'corrective');
    expect(fix?.effectiveness_check.metric).toMatch(/^Mould surface temperature/);
    expect(fix?.effectiveness_check.threshold).toMatch(/stop below 75/);
    expect(fix?.description).toMatch(/interlock the press/);
  });

  it('quotes the no-re-weld rule of the welding SOP for weld porosity instead of proposing a re-weld', async () => {
    const actions = await draft({
      defect_type: 'weld_defect',
      stage: 'bolster_welding',
      severity: 'major',
      root_cause: {
        category_6m: 'environment',
        occurrence: 'A fan next to cell W3 blew the argon shield away, leaving pores in the bolster weld',
        escape: 'The 10x pore check was skipped on the night shift',
        systemic: 'No gas-flow interlock and no draught rule at the cell',
      },
      scope: { facility: 'shenzhen', product_sku: 'WK-KN-150', batch_id: 'SZ-2611-009' },
    });
    const [correction] = ofType(actions, 'correction');
    const [rule] = await kb.knowledgeBase.getPassages({ chunkIds: ['SOP-BW-01#reaction-plan'] });
    expect(rule?.content.text).toMatch(/re-welding over porosity is not permitted/);
    expect(correction?.description).toMatch(/re-welding over porosity is not permitted/);
    expect(correction?.description).toMatch(/not reworked/);
    expect(correction?.description).not.toMatch(/re-weld the parts/);
    expect(correction?.citations).toContain('SOP-BW-01#reaction-plan');
    const [fix] = ofType(actions, 'corrective');
    expect(fix?.effectiveness_check.metric).toMatch(/^Torch gas flow/);
    expect(fix?.owner_role).toBe('Welding engineer');
  });

  it('does not take a rework ban meant for another defect (do not re-hone a chipped blade)', async () => {
    const [correction] = ofType(
      await draft({
        defect_type: 'edge_irregularity',
        stage: 'cutting_edge_honing',
        severity: 'major',
        root_cause: {
          category_6m: 'machine',
          occurrence: 'The honing wheel was worn past its limit and left a wavy edge',
          escape: 'Goniometer check once per shift',
          systemic: 'No wheel counter or change interval',
        },
      }),
      'correction',
    );
    expect(correction?.description).toMatch(/re-hone the parts/);
    expect(correction?.description).not.toMatch(/do not re-hone/);
  });

  it('verifies a hypothetical cause first, saying what to measure', async () => {
    const worn = {
      defect_type: 'edge_irregularity',
      stage: 'cutting_edge_honing',
      severity: 'major',
      root_cause: {
        category_6m: 'man',
        occurrence: 'Operator forgot to change the worn honing wheel',
        escape: 'Goniometer check once per shift',
        systemic: 'No wheel counter or change interval on the machine',
        hypothesis: true,
      },
    } as const;
    const output = DraftCapaOutput.parse(
      await invokeTool({ tool: draftCapaTool, input: worn, context: kb.context }),
    );
    const [verify, fix] = ofType(output.actions, 'corrective');
    expect(verify?.description).toMatch(/^Verify the cause first: it is a hypothesis/);
    expect(verify?.description).toMatch(/measure the wheel diameter and profile/);
    expect(verify?.description).toMatch(/Edge angle per side \(knives\) at cutting edge honing: target 15/);
    expect(verify?.due_date).toBe('2026-11-29');
    expect(verify?.effectiveness_check.threshold).toMatch(/confirmed or ruled out/);
    expect(fix?.description).toMatch(/^Once the cause is verified, remove/);
    expect(fix?.description).toMatch(/wheel change and dressing interval/);
    expect(fix?.owner_role).toMatch(/Maintenance lead/);
    expect(fix?.description).not.toMatch(/clamp thread/);
    expect(output.basis).toEqual({
      cause_mechanism: 'worn or undressed honing wheel',
      window_parameter: expect.stringMatching(/wheel counter/),
      hypothesis: true,
    });

    const hedged = ofType(
      await draft({
        ...worn,
        root_cause: { ...worn.root_cause, hypothesis: undefined, occurrence: 'Probably a worn honing wheel' },
      }),
      'corrective',
    );
    expect(hedged[0]?.description).toMatch(/^Verify the cause first/);
    const stated = ofType(
      await draft({ ...worn, root_cause: { ...worn.root_cause, hypothesis: false } }),
      'corrective',
    );
    expect(stated.some((action) => /^Verify/.test(action.description))).toBe(false);
  });

  it('never makes retraining the corrective action, and gives every action an owner, date and check', async () => {
    const actions = await draft({
      defect_type: 'assembly_misalignment',
      stage: 'rivet_assembly',
      severity: 'major',
      root_cause: {
        category_6m: 'man',
        occurrence: 'Operator was not trained on seating the scales before riveting',
        escape: 'Scale step only checked at the first part of the shift',
        systemic: 'Training records not checked before assigning the station',
      },
    });
    for (const action of actions) {
      expect(action.owner_role.length).toBeGreaterThan(0);
      expect(action.due_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(action.effectiveness_check.metric.length).toBeGreaterThan(0);
      expect(action.effectiveness_check.threshold.length).toBeGreaterThan(0);
      expect(action.effectiveness_check.window_days).toBeGreaterThan(0);
    }
    const [fix] = ofType(actions, 'corrective');
    expect(fix?.description).toMatch(/Mistake-proof/);
    expect(fix?.description).not.toMatch(/^\s*retrain/i);
  });

  it('is deterministic', async () => {
    expect(await draft(RUST)).toEqual(await draft(RUST));
  });

  it('has an effectiveness check for every defect type and an owner for every 6M category', () => {
    for (const defectType of CONCRETE_DEFECT_TYPES) {
      expect(EFFECTIVENESS_CHECKS[defectType].window_days).toBeGreaterThan(0);
    }
    expect(Category6M.options.map((category) => occurrenceOwner(category, 'handle_injection'))).toEqual([
      'Moulding production supervisor with the training coordinator',
      'Maintenance lead',
      'Moulding process engineer',
      'Supplier quality engineer',
      'Metrology / quality engineer',
      'Facilities engineer',
    ]);
  });

  it('rejects a severity of none, a missing cause, an unknown category and an unknown facility', async () => {
    for (const input of [
      { ...RUST, severity: 'none' },
      { ...RUST, root_cause: { ...RUST.root_cause, occurrence: undefined } },
      { ...RUST, root_cause: { ...RUST.root_cause, escape: 'no' } },
      { ...RUST, root_cause: { ...RUST.root_cause, category_6m: 'money' } },
      { ...RUST, root_cause: undefined },
      { ...RUST, scope: { ...RUST.scope, facility: 'paris' } },
    ]) {
      await expect(invokeTool({ tool: draftCapaTool, input, context: kb.context })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });
});
