import { describe, expect, it } from 'vitest';
import { CONCRETE_DEFECT_TYPES, ValidationError } from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { AssessSeverityOutput, GetDefectTaxonomyOutput } from './schema.ts';
import { assessSeverityTool, getDefectTaxonomyTool } from './tools.ts';

const kb = useTestToolContext();

async function taxonomy(input: unknown) {
  return GetDefectTaxonomyOutput.parse(
    await invokeTool({ tool: getDefectTaxonomyTool, input, context: kb.context }),
  );
}

async function assess(input: unknown) {
  return AssessSeverityOutput.parse(
    await invokeTool({ tool: assessSeverityTool, input, context: kb.context }),
  );
}

describe('get_defect_taxonomy', () => {
  it('lists the 12 concrete types and unknown, with severities, dispositions and escalation rules', async () => {
    const output = await taxonomy({});
    expect(output.defect_types.map((entry) => entry.code)).toEqual([...CONCRETE_DEFECT_TYPES, 'unknown']);
    expect(output.defect_types.find((entry) => entry.code === 'rust_spot')).toEqual({
      code: 'rust_spot',
      sees: 'orange/brown oxidation',
      origin_stages: ['vacuum_quench'],
      severity_rule: 'critical (process failure)',
    });
    expect(output.severities.map((severity) => severity.code)).toEqual([
      'critical',
      'major',
      'minor',
      'cosmetic',
      'none',
    ]);
    expect(output.dispositions.map((disposition) => disposition.code)).toEqual([
      'PASS',
      'REWORK',
      'SCRAP',
      'HOLD',
    ]);
    expect(output.escalation_rules.join(' ')).toMatch(/0\.5/);
    expect(output.escalation_rules.join(' ')).toMatch(/unknown/);
    expect(output.escalation_rules.join(' ')).toMatch(/critical/);
  });

  it('narrows to one type', async () => {
    const output = await taxonomy({ defect_type: 'assembly_misalignment' });
    expect(output.defect_types).toHaveLength(1);
    expect(output.defect_types[0]).toMatchObject({
      code: 'assembly_misalignment',
      origin_stages: ['rivet_assembly'],
      severity_rule: 'major if > 2 mm, else minor',
    });
    const unknown = await taxonomy({ defect_type: 'unknown' });
    expect(unknown.defect_types[0]).toMatchObject({ code: 'unknown', origin_stages: [] });
  });

  it('rejects a type outside the vocabulary', async () => {
    await expect(
      invokeTool({ tool: getDefectTaxonomyTool, input: { defect_type: 'dent' }, context: kb.context }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('assess_severity', () => {
  it('grades scratches by the 5 mm threshold', async () => {
    expect(await assess({ defect_type: 'blade_scratch', defect_size_mm: 7, confidence: 0.9 })).toMatchObject({
      severity: 'major',
      recommended_action: 'REWORK',
      escalate: false,
      escalation_reason: null,
    });
    expect(await assess({ defect_type: 'blade_scratch', defect_size_mm: 5, confidence: 0.9 })).toMatchObject({
      severity: 'minor',
      recommended_action: 'REWORK',
    });
  });

  it('reworks what an SOP reaction plan reworks: cast-iron rust, over-hard loads, a small bow', async () => {
    const pan = await assess({ defect_type: 'rust_spot', condition: 'cast_iron', confidence: 0.9 });
    expect(pan).toMatchObject({ severity: 'critical', recommended_action: 'REWORK', escalate: true });
    expect(pan.rule).toMatch(/SOP-PK-03/);
    expect(
      await assess({ defect_type: 'rust_spot', product_family: 'knife', confidence: 0.9 }),
    ).toMatchObject({
      recommended_action: 'SCRAP',
    });
    const hard = await assess({
      defect_type: 'heat_treatment_defect',
      condition: 'over_hard',
      confidence: 0.9,
    });
    expect(hard).toMatchObject({ recommended_action: 'REWORK' });
    expect(hard.rule).toMatch(/SOP-HT-02/);
    expect(await assess({ defect_type: 'heat_treatment_defect', confidence: 0.9 })).toMatchObject({
      recommended_action: 'SCRAP',
    });
    expect(
      await assess({
        defect_type: 'heat_treatment_defect',
        condition: 'warped',
        defect_size_mm: 0.6,
        confidence: 0.9,
      }),
    ).toMatchObject({
      recommended_action: 'REWORK',
    });
    expect(
      await assess({
        defect_type: 'heat_treatment_defect',
        condition: 'warped',
        defect_size_mm: 1.4,
        confidence: 0.9,
      }),
    ).toMatchObject({
      recommended_action: 'SCRAP',
    });
    expect(await assess({ defect_type: 'rust_spot', product_family: 'wok', confidence: 0.3 })).toMatchObject({
      recommended_action: 'HOLD',
    });
  });

  it('grades misalignment by the 2 mm threshold', async () => {
    expect(await assess({ defect_type: 'assembly_misalignment', defect_size_mm: 2.5 })).toMatchObject({
      severity: 'major',
      recommended_action: 'REWORK',
    });
    expect(await assess({ defect_type: 'assembly_misalignment', defect_size_mm: 1.2 })).toMatchObject({
      severity: 'minor',
    });
  });

  it('scraps and escalates critical types', async () => {
    for (const defectType of ['blade_chip', 'rust_spot']) {
      const output = await assess({ defect_type: defectType, confidence: 0.95 });
      expect(output).toMatchObject({ severity: 'critical', recommended_action: 'SCRAP', escalate: true });
      expect(output.escalation_reason).toMatch(/critical/);
    }
  });

  it('treats a handle crack as structural unless told otherwise', async () => {
    expect(await assess({ defect_type: 'handle_crack' })).toMatchObject({
      severity: 'major',
      recommended_action: 'SCRAP',
    });
    expect(await assess({ defect_type: 'handle_crack', condition: 'structural' })).toMatchObject({
      severity: 'major',
    });
    expect(await assess({ defect_type: 'handle_crack', condition: 'cosmetic' })).toMatchObject({
      severity: 'minor',
      recommended_action: 'REWORK',
    });
  });

  it('passes uniform discoloration as cosmetic and reworks patchy discoloration', async () => {
    expect(await assess({ defect_type: 'handle_discoloration', condition: 'uniform' })).toMatchObject({
      severity: 'cosmetic',
      recommended_action: 'PASS',
    });
    expect(await assess({ defect_type: 'handle_discoloration' })).toMatchObject({
      severity: 'minor',
      recommended_action: 'REWORK',
    });
  });

  it('scraps major defects that cannot be reworked and reworks those that can', async () => {
    expect(await assess({ defect_type: 'weld_defect' })).toMatchObject({
      severity: 'major',
      recommended_action: 'SCRAP',
    });
    expect(await assess({ defect_type: 'heat_treatment_defect' })).toMatchObject({
      severity: 'major',
      recommended_action: 'SCRAP',
    });
    expect(await assess({ defect_type: 'dimensional_error' })).toMatchObject({ recommended_action: 'SCRAP' });
    expect(await assess({ defect_type: 'edge_irregularity' })).toMatchObject({
      severity: 'major',
      recommended_action: 'REWORK',
    });
    expect(await assess({ defect_type: 'polish_defect' })).toMatchObject({ severity: 'minor' });
    expect(await assess({ defect_type: 'surface_contamination' })).toMatchObject({ severity: 'minor' });
  });

  it('escalates and holds low confidence and unknown types, giving every reason', async () => {
    const lowConfidence = await assess({ defect_type: 'polish_defect', confidence: 0.42 });
    expect(lowConfidence).toMatchObject({ severity: 'minor', recommended_action: 'HOLD', escalate: true });
    expect(lowConfidence.escalation_reason).toMatch(/0\.42 is below 0\.5/);

    const unknown = await assess({ defect_type: 'unknown', confidence: 0.3 });
    expect(unknown).toMatchObject({ severity: 'major', recommended_action: 'HOLD', escalate: true });
    expect(unknown.escalation_reason).toMatch(/unknown/);
    expect(unknown.escalation_reason).toMatch(/below 0\.5/);

    expect(await assess({ defect_type: 'polish_defect', confidence: 0.5 })).toMatchObject({
      escalate: false,
    });
  });

  it('states the rule that decided', async () => {
    const output = await assess({ defect_type: 'blade_scratch', defect_size_mm: 8 });
    expect(output.rule).toMatch(/> 5 mm/);
    expect(output.rule).toMatch(/8 mm/);
  });

  it('rejects invalid arguments without running the handler', async () => {
    for (const input of [
      {},
      { defect_type: 'none' },
      { defect_type: 'blade_scratch', confidence: 1.5 },
      { defect_type: 'blade_scratch', defect_size_mm: -1 },
    ]) {
      const error = await invokeTool({ tool: assessSeverityTool, input, context: kb.context }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
    }
  });
});
