import { describe, expect, it } from 'vitest';
import { ProcessStep, ValidationError } from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { CheckMeasurementsOutput, GetProcessWindowOutput } from './schema.ts';
import { checkMeasurementsTool, getProcessWindowTool, PROCESS_WINDOWS } from './tools.ts';

const kb = useTestToolContext();

async function processWindow(stage: string) {
  return GetProcessWindowOutput.parse(
    await invokeTool({ tool: getProcessWindowTool, input: { stage }, context: kb.context }),
  );
}

async function check(measurements: unknown) {
  return CheckMeasurementsOutput.parse(
    await invokeTool({ tool: checkMeasurementsTool, input: { measurements }, context: kb.context }),
  );
}

describe('get_process_window', () => {
  it('gives the vacuum quench window, its typical defects and its SOP process-window passages', async () => {
    const output = await processWindow('vacuum_quench');
    expect(output).toMatchObject({ stage: 'vacuum_quench', order: 6 });
    expect(output.label).toMatch(/Vacuum quench/);
    expect(output.typical_defects).toEqual(['rust_spot', 'heat_treatment_defect']);
    const cooling = output.parameters.find((parameter) => parameter.name.startsWith('Cooling time 1000'));
    expect(cooling).toMatchObject({ target: '≤ 120', unit: 's' });
    expect(output.parameters.some((parameter) => /leak rate/i.test(parameter.name))).toBe(true);
    expect(output.passages.length).toBeGreaterThan(0);
    expect(output.passages.length).toBeLessThanOrEqual(3);
    for (const passage of output.passages) {
      expect(passage.source_id).toMatch(/^SOP-VQ-0\d$/);
      expect(passage.section).toBe('Process window');
    }
    expect(output.passages.map((passage) => passage.chunk_id)).toContain('SOP-VQ-01#process-window');
  });

  it('gives heat treatment temperatures and hardness limits consistent with the standards', async () => {
    const output = await processWindow('heat_treatment');
    expect(output.order).toBe(5);
    expect(output.typical_defects).toEqual(['blade_chip', 'heat_treatment_defect']);
    const austenitise = output.parameters.find((parameter) => parameter.name.includes('1.4116'));
    expect(austenitise).toMatchObject({ target: '1045', unit: '°C' });
    expect(austenitise?.limits).toMatch(/1060/);
    expect(output.parameters.find((parameter) => parameter.unit === 'HRC')?.limits).toMatch(/54-58/);
    expect(output.passages.every((passage) => passage.source_id.startsWith('SOP-HT-'))).toBe(true);
  });

  it('answers for the escape points with no order and no originating defects', async () => {
    const output = await processWindow('inspection');
    expect(output).toMatchObject({ stage: 'inspection', order: null, typical_defects: [] });
    expect(output.parameters.some((parameter) => parameter.unit === 'lux')).toBe(true);
    expect(output.passages[0]?.source_id).toMatch(/^SOP-IN-/);
  });

  it('has a window with parameters and cited passages for every step', async () => {
    for (const stage of ProcessStep.options) {
      expect(PROCESS_WINDOWS[stage].length, stage).toBeGreaterThanOrEqual(4);
      const output = await processWindow(stage);
      expect(output.passages.length, stage).toBeGreaterThan(0);
      expect(output.passages[0]?.section, stage).toBe('Process window');
    }
  });

  it('rejects an unknown stage', async () => {
    await expect(
      invokeTool({ tool: getProcessWindowTool, input: { stage: 'forging' }, context: kb.context }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('check_measurements', () => {
  it('flags a soft blade as a heat-treatment problem at heat treatment or quench', async () => {
    const output = await check({ hardness_hrc: 52.1 });
    expect(output.out_of_spec).toBe(true);
    expect(output.findings).toEqual([
      expect.objectContaining({
        measurement: 'hardness_hrc',
        status: 'below',
        suggests_defect_types: ['heat_treatment_defect'],
        suggests_stages: ['heat_treatment', 'vacuum_quench'],
      }),
    ]);
  });

  it('flags an over-hard blade as chip-prone and under-tempered', async () => {
    const [finding] = (await check({ hardness_hrc: 59.5 })).findings;
    expect(finding).toMatchObject({
      status: 'above',
      suggests_defect_types: ['blade_chip', 'heat_treatment_defect'],
      suggests_stages: ['heat_treatment'],
    });
    expect(finding?.implication).toMatch(/under-tempered/);
  });

  it('compares the edge angle with the nominal ± 2°', async () => {
    const [wide] = (await check({ edge_angle_deg: 17.5 })).findings;
    expect(wide).toMatchObject({
      status: 'above',
      limit: '15 ± 2°',
      suggests_defect_types: ['edge_irregularity'],
      suggests_stages: ['taper_grinding', 'cutting_edge_honing'],
    });
    const [scissors] = (await check({ edge_angle_deg: 34, nominal_edge_angle_deg: 35 })).findings;
    expect(scissors).toMatchObject({ status: 'within', limit: '35 ± 2°' });
    const [narrow] = (await check({ edge_angle_deg: 12.9 })).findings;
    expect(narrow?.status).toBe('below');
  });

  it('flags a dull edge and an early salt-spray failure', async () => {
    const output = await check({ sharpness_icp: 42, salt_spray_hours: 312 });
    expect(output.out_of_spec).toBe(true);
    expect(output.findings.find((finding) => finding.measurement === 'sharpness_icp')).toMatchObject({
      status: 'below',
      suggests_defect_types: ['edge_irregularity'],
      suggests_stages: ['cutting_edge_honing'],
    });
    expect(output.findings.find((finding) => finding.measurement === 'salt_spray_hours')).toMatchObject({
      status: 'below',
      suggests_defect_types: ['rust_spot'],
      suggests_stages: ['vacuum_quench'],
    });
  });

  it('reports the defect size against the severity thresholds without calling it out of spec', async () => {
    const output = await check({ defect_size_mm: 3 });
    expect(output.out_of_spec).toBe(false);
    expect(output.findings[0]).toMatchObject({ measurement: 'defect_size_mm', status: 'within' });
    expect(output.findings[0]?.implication).toMatch(/scratch of this size is minor/);
    expect(output.findings[0]?.implication).toMatch(/misalignment of this size is major/);
  });

  it('is within spec when every measurement meets the standards', async () => {
    const output = await check({
      hardness_hrc: 56,
      edge_angle_deg: 15.5,
      sharpness_icp: 62,
      salt_spray_hours: 1000,
    });
    expect(output.out_of_spec).toBe(false);
    expect(output.findings).toHaveLength(4);
    expect(output.findings.every((finding) => finding.suggests_defect_types.length === 0)).toBe(true);
  });

  it('returns no findings without measurements and rejects impossible values', async () => {
    expect(await check({})).toEqual({ findings: [], out_of_spec: false });
    for (const input of [
      { measurements: { hardness_hrc: 95 } },
      { measurements: { sharpness_icp: '42' } },
      { hardness_hrc: 55 },
    ]) {
      await expect(
        invokeTool({ tool: checkMeasurementsTool, input, context: kb.context }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
  });
});
